// Starts one BullMQ worker per queue this process serves, each calling its processor with the
// shared context. Used by workers/main.ts and by tests that run workers in-process.
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '../queues/names';
import { actOnComment } from './act';
import { assessComment } from './assess';
import type { WorkerContext } from './context';
import { ingestComment } from './ingest';
import { processMeetingsJob } from './meetings';
import { pollPlatform } from './poll';
import { remindReviewsDue } from './reviews';

const PROCESSORS: Partial<Record<QueueName, (ctx: WorkerContext, job: Job, token?: string) => Promise<unknown>>> = {
  poll: pollPlatform,
  ingest: ingestComment,
  assess: assessComment,
  act: actOnComment,
  meetings: processMeetingsJob,
  reviews: remindReviewsDue,
};

export function startWorkers(
  ctx: WorkerContext,
  connection: Redis,
  opts: { prefix: string; queues: readonly QueueName[]; concurrency: number },
): Worker[] {
  const names = (opts.queues.length ? opts.queues : (Object.keys(PROCESSORS) as QueueName[])).filter((q) => PROCESSORS[q]);
  return names.map((name) => {
    const processor = PROCESSORS[name]!;
    const worker = new Worker(name, (job, token) => processor(ctx, job, token), {
      connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      autorun: true,
    });
    worker.on('failed', (job, err) =>
      ctx.logger.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    worker.on('error', (err) => ctx.logger.error({ queue: name, err: err.message }, 'worker error'));
    return worker;
  });
}
