// Entry point of a worker process: serves every queue, or those named in WORKER_QUEUES, so
// workers can be spread over machines. On SIGTERM/SIGINT it stops taking jobs, lets the jobs in
// hand finish (BullMQ hands back any that cannot), then closes Redis and MongoDB.
import { loadConfigOrExit } from '../config/config';
import { createLogger } from '../config/logger';
import { DEFAULT_POLICY } from '../core/decide';
import { socketKey } from '../core/live';
import { createAdapters, loadPlatformConfig } from '../platforms/config';
import { redisForWorkers } from '../queues/connection';
import { Pipeline } from '../queues/jobs';
import { connectStore } from '../store/connection';
import type { MeetingsWorkerContext } from './meetings';
import { assessContent } from '../core/detect';
import { LivePublisher } from './publish';
import { startWorkers } from './run';
import { AccountRateLimiter, DEFAULT_BUDGETS } from './platform-limits';
import { startRegisterSync } from './register-matches';
import { scheduleDailyReviewCheck, sendReviewRemindersWith } from './reviews';
import { createMailer } from '../mail/mailer';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger('workers', config.LOG_LEVEL);
  // A transient failure in fire-and-forget work (a live event published while Redis restarts)
  // is logged; it must never take the whole worker process down.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const platformConfig = loadPlatformConfig(process.env);
  const adapters = createAdapters(platformConfig);
  const byAccount = new Map(adapters.map((a) => [`${a.platform}/${a.councilAccountId}`, a]));

  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  // Waits out a Redis restart rather than failing commands (and jobs) while it is away.
  const producer = redisForWorkers(config.REDIS_URL);
  const workerRedis = redisForWorkers(config.REDIS_URL);
  const pipeline = new Pipeline(producer, config.QUEUE_PREFIX);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const serviceUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
  const ctx: MeetingsWorkerContext = {
    store,
    pipeline,
    publisher: new LivePublisher(producer, socketKey(config.QUEUE_PREFIX)),
    limiter: new AccountRateLimiter(producer, config.QUEUE_PREFIX, { ...DEFAULT_BUDGETS, ...config.PLATFORM_ACTION_BUDGETS }),
    policy: {
      ...DEFAULT_POLICY,
      autoHideRestricted: config.POLICY_AUTO_HIDE_RESTRICTED,
      autoBlockRestricted: config.POLICY_AUTO_BLOCK_RESTRICTED,
      detectorThresholds: config.DETECTOR_THRESHOLDS,
      courseOfConduct: { ...DEFAULT_POLICY.courseOfConduct, windowDays: config.COURSE_OF_CONDUCT_DAYS, threshold: config.COURSE_OF_CONDUCT_MESSAGES },
    },
    logger,
    platformFor: (platform, account) => byAccount.get(`${platform}/${account}`),
    now: () => new Date(),
    meetings: {
      mailer,
      publicBaseUrl: serviceUrl,
      councilName: config.COUNCIL_NAME,
      contact: { email: config.COUNCIL_CONTACT_EMAIL, phone: config.COUNCIL_CONTACT_PHONE },
      // A statement that threatens, hates, abuses or reveals someone's details is never read out unreviewed.
      checkWrittenStatement: async (statement) => {
        const flags = assessContent(statement).flags.filter((f) => ['threat', 'hate', 'abuse', 'doxxing'].includes(f.category));
        return { flagged: flags.length > 0, reasons: flags.map((f) => f.reason) };
      },
    },
  };
  // Each process keeps its own copy of the register index, updated live from change notices.
  const registerSync = await startRegisterSync(store.models, producer, config.QUEUE_PREFIX);
  sendReviewRemindersWith(store, { mailer, serviceUrl });
  await scheduleDailyReviewCheck(producer, config.QUEUE_PREFIX);

  const workers = startWorkers(ctx, workerRedis, { prefix: config.QUEUE_PREFIX, queues: config.WORKER_QUEUES, concurrency: config.WORKER_CONCURRENCY });

  // Poll each council account on a schedule (a BullMQ job scheduler: one per account, however
  // many worker processes run).
  for (const a of adapters) {
    const every = a.platform === 'simulated' ? config.SIMULATED_COMMENT_EVERY_MS : platformConfig.pollEveryMs;
    if (every > 0) {
      await pipeline.queues.poll.upsertJobScheduler(`poll-${a.platform}-${a.councilAccountId}`, { every }, {
        name: 'poll',
        data: { platform: a.platform, councilAccountId: a.councilAccountId },
      });
    }
  }
  logger.info({ queues: workers.map((w) => w.name), accounts: [...byAccount.keys()] }, 'workers started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the jobs in hand');
    await Promise.all(workers.map((w) => w.close()));
    await registerSync.close();
    mailer.close();
    await pipeline.close();
    await store.close();
    producer.disconnect();
    workerRedis.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: Error) => {
  process.stderr.write(`workers failed to start: ${e.message}\n`);
  process.exit(1);
});
