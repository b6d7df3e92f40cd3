// Assess: who wrote it (register) and what it says (content), then one core decision; the
// decision is saved once, audited, published to the live dashboard and its actions queued.
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { decideOnComment, type Decision } from '../core/decide';
import { assessContent, checkedThresholds, courseOfConduct, DETECTOR_VERSION, type Flag } from '../core/detect';
import type { PlatformAuthor } from '../core/platform';
import { recordHostileMessage } from '../store/author-activity';
import { assessJobSchema, type CommentForAssessment } from '../queues/jobs';
import { appendAuditOnce } from '../store/audit';
import { decisionFor, recordDecision } from '../store/comments';
import type { WorkerContext } from './context';
import { registerMatchesFor } from './register-matches';

export async function assessComment(ctx: WorkerContext, job: Job): Promise<{ outcome: string }> {
  const { commentId, comment: carried } = assessJobSchema.parse(job.data);
  const { comments, audit } = ctx.store.models;
  // The ingest step hands over what it stored; otherwise (stored by an earlier capture) read it.
  const comment: CommentForAssessment | null = carried ?? (await comments.findById(commentId, { rawPayload: 0 }).lean<CommentForAssessment>());
  if (!comment) throw new UnrecoverableError(`comment ${commentId} is not in the store`);

  const matches = await registerMatchesFor(ctx.store.models, comment.author);
  const flags = await contentFlags(ctx, comment);
  const decision = decideOnComment({ matches, flags, policy: ctx.policy, at: ctx.now() });

  const fresh = await recordDecision(ctx.store.models, commentId, decision, { flags, detectorVersion: DETECTOR_VERSION });
  // Otherwise already decided: a repeat, or a retry after the worker died part-way through what
  // follows. The first decision stands, and each step below is safe to repeat: the audit entry is
  // written once, the dashboard drops an event it has, job ids and outcomes make actions no-ops.
  const stored = fresh ? { ...decision, flags } : await decisionFor(ctx.store.models, commentId);
  if (!stored) throw new Error(`the decision on comment ${commentId} was refused as a duplicate but cannot be found`);
  // Decisions that act on someone or ask an officer are audited; "no action" lives in its record.
  if (stored.outcome !== 'none') await appendAuditOnce(audit, `comment.decided-${commentId}`, {
    actor: 'system:assess',
    action: 'comment.decided',
    subject: { type: 'comment', id: commentId },
    details: { outcome: stored.outcome, actions: stored.actions, reasons: stored.reasons, personId: stored.personId },
  }, { retry: !fresh });
  ctx.publisher.commentDecided({ ...comment, _id: commentId, decision: stored, flags: stored.flags ?? [] });
  await queueActions(ctx, commentId, comment, stored.actions);
  return { outcome: stored.outcome };
}

const HOSTILE: readonly string[] = ['threat', 'hate', 'abuse'];

/** What the comment says (core/detect), plus a course-of-conduct flag when its author keeps at it. */
async function contentFlags(ctx: WorkerContext, comment: CommentForAssessment): Promise<Flag[]> {
  // One pass at the "mild" level: flags at or above the policy thresholds are reported; the
  // milder hostile ones still count towards a course of conduct.
  const thresholds = checkedThresholds({ thresholds: ctx.policy.detectorThresholds });
  const mild = ctx.policy.courseOfConduct.mildLevel;
  const all = assessContent(comment.text, { thresholds: { ...thresholds, threat: mild, hate: mild, abuse: mild } }).flags;
  const flags = all.filter((f) => f.score >= thresholds[f.category]);
  if (!all.some((f) => HOSTILE.includes(f.category)) || !comment.author.accountId) return flags;
  const { windowDays, threshold } = ctx.policy.courseOfConduct;
  const since = new Date(ctx.now().getTime() - windowDays * 86400_000);
  const times = await recordHostileMessage(ctx.store.models.authorActivity, comment.platform, comment.author.accountId, new Date(comment.createdAt), since);
  const conduct = courseOfConduct(times.map((at) => ({ at, hostile: true })), ctx.now(), windowDays, threshold);
  return conduct ? [...flags, conduct] : flags;
}

async function queueActions(
  ctx: WorkerContext,
  commentId: string,
  comment: { platform: string; councilAccountId: string; author: Pick<PlatformAuthor, 'accountId'> },
  actions: Decision['actions'],
): Promise<void> {
  // A block concerns the author, not the comment: one per author and council account.
  const authorKey = [comment.platform, comment.councilAccountId, comment.author.accountId].join('\u0000');
  for (const action of actions) await ctx.pipeline.act(commentId, action, action === 'block' ? authorKey : commentId);
}
