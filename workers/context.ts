// What every processor is given: the store, the queues, the live publisher, the platforms and
// the policy. Built once per worker process in workers/main.ts (or by a test).
import type { Logger } from '../config/logger';
import type { ModerationPolicy } from '../core/decide';
import type { CapturedComment, Platform, PlatformAuthor } from '../core/platform';
import type { Store } from '../store/connection';
import type { Pipeline } from '../queues/jobs';
import type { LivePublisher } from './publish';

/** The outcome a platform reports for an action. */
export interface ActionResult {
  action: 'hide' | 'block' | 'mute';
  status: 'done' | 'already_done' | 'refused';
  detail: string;
}

/** The part of a platform adapter the workers use. */
export interface PlatformConnection {
  readCommentsSince(cursor: string | undefined): Promise<{ comments: CapturedComment[]; nextCursor?: string }>;
  hideComment(comment: CapturedComment): Promise<ActionResult>;
  blockAuthor(author: PlatformAuthor, comment?: CapturedComment): Promise<ActionResult | ActionResult[]>;
}

export interface WorkerContext {
  store: Store;
  pipeline: Pipeline;
  publisher: LivePublisher;
  policy: ModerationPolicy;
  logger: Logger;
  platformFor(platform: Platform, councilAccountId: string): PlatformConnection | undefined;
  now(): Date;
}
