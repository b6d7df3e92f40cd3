// Act: run one platform action, once. A hide is keyed by the comment; a block by the author
// (one per council account). The outcome is stored before the job completes, so a retried or
// repeated job does not call the platform again. Only a worker killed between the platform's
// answer and that write can repeat a call; the intent recorded first makes that visible.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { PlatformRateLimited, PlatformRefused } from '../core/errors';
import type { CapturedComment } from '../core/platform';
import { actJobSchema } from '../queues/jobs';
import { appendAuditOnce } from '../store/audit';
import { createOnce } from '../store/batch';
import { actionKey, actionOutcome, decisionFor, recordAction, recordActionIntent } from '../store/comments';
import type { CommentFields } from '../store/comment';
import { platformBlockId } from '../store/platform-blocks';
import { recordPlatformGone } from '../store/referrals';
import type { ActionOutcome } from '../platforms/adapter';
import type { WorkerContext } from './context';

export async function actOnComment(ctx: WorkerContext, job: Job, token?: string): Promise<{ status: string }> {
  const { commentId, action } = actJobSchema.parse(job.data);
  const comment = await ctx.store.models.comments.findById(commentId).lean<CommentFields>();
  if (!comment) throw new UnrecoverableError(`comment ${commentId} is not in the store`);
  const key = actionKey(commentId, action);
  const blockId = platformBlockId(comment.platform, comment.councilAccountId, comment.author.accountId);
  const previous = await actionOutcome(ctx.store.models, key);
  if (previous && previous.status !== 'failed') {
    // Done before: a repeat, or a retry after the worker stopped part-way through the records below.
    await recordBlockAndAudit(ctx, comment, { commentId, action, key, blockId, status: previous.status, detail: previous.detail ?? '', at: previous.at, retry: true }, { recordedAt: previous.at });
    return { status: previous.status };
  }
  if (action === 'block') {
    const earlier = await ctx.store.models.platformBlocks.findById(blockId).lean();
    if (earlier) {
      await recordAction(ctx.store.models, commentId, { key, action, status: 'already_done', detail: `The author was already dealt with (${earlier.detail})`, at: ctx.now() });
      return { status: 'already_done' };
    }
  }

  const platform = ctx.platformFor(comment.platform, comment.councilAccountId);
  if (!platform) throw new UnrecoverableError(`no connection is configured for ${comment.platform} account ${comment.councilAccountId}`);

  const captured: CapturedComment = {
    platform: comment.platform,
    externalId: comment.externalId,
    councilAccountId: comment.councilAccountId,
    postId: comment.postId,
    parentId: comment.parentId,
    author: { platform: comment.author.platform, accountId: comment.author.accountId, handle: comment.author.handle },
    text: comment.text,
    createdAt: comment.createdAt,
    rawPayload: comment.rawPayload,
  };

  // Within the account's budget, or wait (the job is delayed, not failed, and keeps its attempts).
  const waitMs = await ctx.limiter.reserve(comment.platform, comment.councilAccountId);
  if (waitMs > 0) return delay(job, token, waitMs);

  const interrupted = !(await recordActionIntent(ctx.store.models, commentId, key, ctx.now()));
  if (interrupted) ctx.logger.warn({ commentId, action }, 'repeating a platform action whose worker stopped before recording the outcome');

  let results: Pick<ActionOutcome, 'action' | 'status' | 'detail'>[];
  try {
    // Where a block must be carried out as mute + hide (X's standard plan), the adapter hides the
    // comment it is given; when the decision already hides it, that would be a second hide call.
    const hiddenSeparately = action === 'block' && ((await decisionFor(ctx.store.models, commentId))?.actions.includes('hide') ?? false);
    const r = action === 'hide' ? await platform.hideComment(captured) : await platform.blockAuthor(captured.author, hiddenSeparately ? undefined : captured);
    // On X's standard plan a block is carried out as mute + hide: record every part.
    results = [r, ...(r.alsoDone ?? [])].map(({ action, status, detail }) => ({ action, status, detail }));
  } catch (e) {
    if (e instanceof PlatformRateLimited) {
      await ctx.limiter.pauseUntil(comment.platform, comment.councilAccountId, e.resetAt);
      ctx.logger.warn({ platform: comment.platform, account: comment.councilAccountId, resetAt: e.resetAt }, 'platform rate limit: waiting for reset');
      return delay(job, token, Math.max(1000, e.resetAt.getTime() - Date.now()));
    }
    if (e instanceof PlatformRefused) {
      results = [{ action, status: 'refused', detail: e.message }];
      // Evidence: the platform says the comment is no longer there (the author may have deleted it).
      if (e.status === 404) {
        await recordPlatformGone(ctx.store.models, commentId, { checkedAt: ctx.now(), status: 'not_found', detail: `${e.platform} answered ${e.status}: ${e.message}` }, 'system:act', ctx.now());
      }
    }
    else throw e; // outages and malformed answers are retried by BullMQ with backoff
  }

  const at = ctx.now();
  const status = results.every((r) => r.status === 'refused') ? 'refused' : results.some((r) => r.status === 'done') ? 'done' : 'already_done';
  const detail = results.map((r) => `${r.action}: ${r.status} — ${r.detail}`).join('; ');
  await recordAction(ctx.store.models, commentId, { key, action, status, detail, at });
  await recordBlockAndAudit(ctx, comment, { commentId, action, key, blockId, status, detail, at, retry: false }, { results, ...(interrupted ? { repeatedAfterInterruption: true } : {}) });
  if (status === 'refused') throw new UnrecoverableError(`${comment.platform} refused to ${action}: ${detail}`);
  return { status };
}

/** After an action's outcome is recorded: the author's block record, and the audit entry (once). */
async function recordBlockAndAudit(
  ctx: WorkerContext,
  comment: Pick<CommentFields, 'platform' | 'councilAccountId' | 'author'>,
  o: { commentId: string; action: 'hide' | 'block'; key: string; blockId: string; status: string; detail: string; at: Date; retry: boolean },
  details: Record<string, unknown>,
): Promise<void> {
  if (o.action === 'block' && o.status !== 'already_done') {
    await createOnce(ctx.store.models.platformBlocks, { _id: o.blockId, platform: comment.platform, councilAccountId: comment.councilAccountId, authorId: comment.author.accountId, commentId: o.commentId, status: o.status as 'done' | 'refused', detail: o.detail, at: o.at });
  }
  await appendAuditOnce(ctx.store.models.audit, `comment.${o.action}-${o.key}`, {
    actor: 'system:act',
    action: `comment.${o.action}`,
    subject: { type: 'comment', id: o.commentId },
    details: { status: o.status, ...details },
  }, { at: o.at, retry: o.retry });
}

async function delay(job: Job, token: string | undefined, ms: number): Promise<never> {
  if (!token) throw new Error('act: cannot delay a job without its lock token');
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
