// Assess: who wrote it (register) and what it says (content), then one core decision; the
// decision is saved once, audited, published to the live dashboard and its actions queued.
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { decideOnComment } from '../core/decide';
import { assessJobSchema } from '../queues/jobs';
import { appendAudit } from '../store/audit';
import { recordDecision, type StoredComment } from '../store/comments';
import type { WorkerContext } from './context';
import { registerMatchesFor } from './register-matches';

export async function assessComment(ctx: WorkerContext, job: Job): Promise<{ outcome: string }> {
  const { commentId } = assessJobSchema.parse(job.data);
  const { comments, audit } = ctx.store.models;
  const comment = await comments.findById(commentId).lean<StoredComment>();
  if (!comment) throw new UnrecoverableError(`comment ${commentId} is not in the store`);
  if (comment.decision) return { outcome: comment.decision.outcome }; // already decided: a repeat

  const matches = await registerMatchesFor(ctx.store.models, comment.author);
  const decision = decideOnComment({ matches, flags: [], policy: ctx.policy, at: ctx.now() });

  if (await recordDecision(comments, commentId, decision)) {
    // Decisions that act on someone or ask an officer are audited; "no action" lives on the comment.
    if (decision.outcome !== 'none') await appendAudit(audit, {
      actor: 'system:assess',
      action: 'comment.decided',
      subject: { type: 'comment', id: commentId },
      details: { outcome: decision.outcome, actions: decision.actions, reasons: decision.reasons, personId: decision.personId },
    });
    ctx.publisher.commentDecided({ ...comment, decision });
    for (const action of decision.actions) await ctx.pipeline.act(commentId, action);
  }
  return { outcome: decision.outcome };
}
