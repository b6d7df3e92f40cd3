// What every processor is given: the store, the queues, the live publisher, the platforms and
// the policy. Built once per worker process in workers/main.ts (or by a test).
import type { Logger } from '../config/logger';
import type { ModerationPolicy } from '../core/decide';
import type { Platform } from '../core/platform';
import type { PlatformAdapter } from '../platforms/adapter';
import type { Store } from '../store/connection';
import type { Pipeline } from '../queues/jobs';
import type { LivePublisher } from './publish';
import type { AccountRateLimiter } from './platform-limits';

/** The part of a platform adapter the workers use (see platforms/adapter.ts). */
export type PlatformConnection = Pick<PlatformAdapter, 'readCommentsSince' | 'hideComment' | 'blockAuthor'>;

export interface WorkerContext {
  store: Store;
  pipeline: Pipeline;
  publisher: LivePublisher;
  limiter: AccountRateLimiter;
  policy: ModerationPolicy;
  logger: Logger;
  platformFor(platform: Platform, councilAccountId: string): PlatformConnection | undefined;
  now(): Date;
}
