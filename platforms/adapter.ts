// The one interface every platform (X, Facebook, Instagram, the simulated one) implements.
// It speaks only core/ types: nothing outside platforms/ ever sees an SDK or a platform payload.

import { PlatformRefused } from '../core/errors';
import type { CapturedComment, Platform, PlatformAction, PlatformAuthor } from '../core/platform';

/** What the platform said about our remaining allowance, when it said anything. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  resetAt: Date;
}

/** One read of new comments. Store `nextCursor` and pass it to the next read; when absent, keep the cursor you had. */
export interface CommentsRead {
  comments: CapturedComment[];
  nextCursor?: string;
  rateLimit?: RateLimitStatus;
}

/**
 * `done`: the platform did it now. `already_done`: the platform reports it was already so (no action call made).
 * `refused`: the platform offers no way to do this for this account (no call made); `detail` says what to do instead.
 * A platform that answers with an error throws instead (PlatformRefused, PlatformRateLimited, PlatformUnavailable).
 */
export type ActionStatus = 'done' | 'already_done' | 'refused';

export interface ActionOutcome {
  /** What was actually done: on X's standard plan a block request is carried out as `mute`. */
  action: PlatformAction;
  status: ActionStatus;
  /** One sentence for the officer and the audit log. */
  detail: string;
  /** The platform's answer as the JSON text it sent, for the audit log. */
  platformResponse?: string;
  /** Actions taken alongside, e.g. the hide that goes with a mute when X's plan allows no block. */
  alsoDone?: ActionOutcome[];
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /** The council account (X user, Facebook Page, Instagram business account) this adapter speaks for. */
  readonly councilAccountId: string;
  readCommentsSince(cursor: string | undefined): Promise<CommentsRead>;
  hideComment(comment: CapturedComment): Promise<ActionOutcome>;
  /** Policy: "block from the council's social media". `comment` is the one that prompted it, hidden where a block is not possible. */
  blockAuthor(author: PlatformAuthor, comment?: CapturedComment): Promise<ActionOutcome>;
  describeAuthor(accountId: string): Promise<PlatformAuthor>;
}

/**
 * The hide that goes with a mute (X standard plan) or a block the platform cannot do (Instagram). The first
 * part is already done, so a hide the platform refuses is reported in the outcome rather than thrown;
 * rate limits and outages are thrown, and the retried job repeats the (idempotent) first part.
 */
export async function hideAlongside(
  adapter: Pick<PlatformAdapter, 'hideComment'>,
  author: PlatformAuthor,
  comment: CapturedComment | undefined,
): Promise<ActionOutcome | undefined> {
  if (!comment || comment.author.accountId !== author.accountId) return undefined;
  try {
    return await adapter.hideComment(comment);
  } catch (e) {
    if (e instanceof PlatformRefused) return { action: 'hide', status: 'refused', detail: e.message };
    throw e;
  }
}
