// Test helpers that build the real pieces — FerretDB/MongoDB, Redis, BullMQ workers, the HTTP
// server and socket.io — each in its own database and queue prefix so test files never collide.
import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { loadConfig, type Config } from '../../config/config';
import { createLogger } from '../../config/logger';
import { DEFAULT_POLICY } from '../../core/decide';
import type { CapturedComment, Platform } from '../../core/platform';
import { redisForProducers, redisForWorkers } from '../../queues/connection';
import { Pipeline } from '../../queues/jobs';
import { startServer, type RunningServer } from '../../server/start';
import { loadPlatformConfig } from '../../platforms/config';
import { connectStore, type Store } from '../../store/connection';
import { createOfficer } from '../../store/officers';
import type { Role } from '../../core/roles';
import type { PlatformConnection, WorkerContext } from '../../workers/context';
import type { ActionOutcome } from '../../platforms/adapter';
import { LivePublisher } from '../../workers/publish';
import { startWorkers } from '../../workers/run';
import { AccountRateLimiter } from '../../workers/platform-limits';
import { socketKey } from '../../core/live';
import { createMailer } from '../../mail/mailer';
import { MeetingsQueue, type MeetingsSettings, type MeetingsWorkerContext } from '../../workers/meetings';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const id = randomBytes(4).toString('hex');
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL,
    MONGO_URL: process.env.TEST_MONGO_URL ?? process.env.MONGO_URL,
    MONGO_DB: `test_${id}`,
    QUEUE_PREFIX: `test_${id}`,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-000',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** A platform that records what it was asked to do, for pipeline tests without X or Facebook. */
export class RecordingPlatform implements PlatformConnection {
  hidden: string[] = [];
  blocked: string[] = [];
  pending: CapturedComment[] = [];
  async readCommentsSince(): Promise<{ comments: CapturedComment[]; nextCursor?: string }> {
    const comments = this.pending.splice(0);
    return { comments, nextCursor: comments.at(-1)?.externalId };
  }
  async hideComment(c: CapturedComment): Promise<ActionOutcome> {
    this.hidden.push(c.externalId);
    return { action: 'hide', status: 'done', detail: 'hidden' };
  }
  async blockAuthor(a: { accountId: string }): Promise<ActionOutcome> {
    this.blocked.push(a.accountId);
    return { action: 'block', status: 'done', detail: 'blocked' };
  }
}

export interface TestStack {
  config: Config;
  server: RunningServer;
  store: Store;
  pipeline: Pipeline;
  platform: RecordingPlatform;
  workers: Worker[];
  /** Producer for the meetings queue (speaking requests). */
  meetingsQueue: MeetingsQueue;
  stop(): Promise<void>;
}

export async function startTestStack(opts: { workers?: boolean; platformFor?: WorkerContext['platformFor']; platformEnv?: NodeJS.ProcessEnv; smtpUrl?: string; meetings?: Partial<MeetingsSettings> } = {}): Promise<TestStack> {
  const config = testConfig();
  const server = await startServer(config, createLogger('test-server', 'silent'), loadPlatformConfig(opts.platformEnv ?? {}));
  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  const producer = redisForProducers(config.REDIS_URL);
  const workerRedis = redisForWorkers(config.REDIS_URL);
  const pipeline = new Pipeline(producer, config.QUEUE_PREFIX);
  const platform = new RecordingPlatform();
  const meetingsQueue = new MeetingsQueue(producer, config.QUEUE_PREFIX);
  // With an SMTP server (a test's sink), the meetings worker e-mails requesters through it.
  const meetings: MeetingsSettings | undefined = opts.smtpUrl
    ? {
        mailer: createMailer({ smtpUrl: opts.smtpUrl, from: config.MAIL_FROM }),
        publicBaseUrl: server.url,
        councilName: 'Example District Council',
        contact: { email: 'democratic.services@example.gov.uk', phone: '01632 960 002' },
        ...opts.meetings,
      }
    : undefined;
  const ctx: MeetingsWorkerContext = {
    store,
    pipeline,
    publisher: new LivePublisher(producer, socketKey(config.QUEUE_PREFIX)),
    limiter: new AccountRateLimiter(producer, config.QUEUE_PREFIX),
    policy: DEFAULT_POLICY,
    logger: createLogger('test-workers', process.env.TEST_LOG_LEVEL ?? 'silent'),
    platformFor: opts.platformFor ?? ((_p: Platform) => platform),
    now: () => new Date(),
    ...(meetings ? { meetings } : {}),
  };
  const workers = opts.workers === false ? [] : startWorkers(ctx, workerRedis, { prefix: config.QUEUE_PREFIX, queues: [], concurrency: 4 });
  return {
    config,
    server,
    store,
    pipeline,
    platform,
    workers,
    meetingsQueue,
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await meetingsQueue.queue.obliterate({ force: true }).catch(() => undefined);
      await meetingsQueue.close();
      meetings?.mailer.close();
      for (const q of Object.values(pipeline.queues)) await q.obliterate({ force: true }).catch(() => undefined);
      await pipeline.close();
      await store.conn.dropDatabase().catch(() => undefined);
      await store.close();
      await server.stop();
      producer.disconnect();
      workerRedis.disconnect();
    },
  };
}

/** Whether the store is our local FerretDB (some of its rules differ from MongoDB's; see STACK-NOTES). */
export async function servedByFerretDB(store: Store): Promise<boolean> {
  const info = await store.conn.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

export async function addOfficer(store: Store, username: string, roles: Role[], password = 'correct horse battery staple'): Promise<{ username: string; password: string }> {
  await createOfficer(store.models, { username, displayName: `Test ${username}`, email: `${username}@example.gov.uk`, roles, password }, 'test');
  return { username, password };
}

export function simulatedComment(over: Partial<CapturedComment> & { authorId?: string } = {}): CapturedComment {
  const externalId = over.externalId ?? `sim-${randomBytes(6).toString('hex')}`;
  const authorId = over.authorId ?? `acct-${randomBytes(3).toString('hex')}`;
  const text = over.text ?? 'When will the bins on Elm Road be collected?';
  const payload = { id: externalId, from: { id: authorId, name: 'Resident' }, message: text, created_time: '2026-03-01T10:00:00+0000' };
  return {
    platform: 'simulated',
    externalId,
    councilAccountId: 'council-main',
    author: { platform: 'simulated', accountId: authorId, handle: 'resident', displayName: 'A Resident' },
    text,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    rawPayload: JSON.stringify(payload),
    ...over,
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
