// Poll: read a council account's new comments since the stored cursor, store them and queue their
// assessment, and only then move the cursor (a crash in between re-reads; the unique key drops
// duplicates and the job ids repeated assessments).
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { pollJobSchema } from '../queues/jobs';
import { appendAudit } from '../store/audit';
import { captureComments, refusedOf } from '../store/comments';
import type { WorkerContext } from './context';

export async function pollPlatform(ctx: WorkerContext, job: Job): Promise<{ read: number }> {
  const { platform, councilAccountId } = pollJobSchema.parse(job.data);
  const connection = ctx.platformFor(platform, councilAccountId);
  if (!connection) throw new UnrecoverableError(`no connection is configured for ${platform} account ${councilAccountId}`);
  const { cursors, comments } = ctx.store.models;
  const saved = await cursors.findOne({ platform, councilAccountId }).lean();
  const page = await connection.readCommentsSince(saved?.cursor);
  const capturedAt = ctx.now();
  const captured = await captureComments(comments, page.comments, capturedAt);
  await ctx.pipeline.assessCaptured(captured, page.comments, capturedAt);
  // A comment the store cannot take as it is would be refused on every re-read: record it and move on.
  const refused = refusedOf(captured, page.comments);
  if (refused.length) {
    ctx.logger.warn({ platform, councilAccountId, refused }, 'comments refused by the store');
    await appendAudit(ctx.store.models.audit, { actor: 'system:poll', action: 'comments.refused', subject: { type: 'account', id: `${platform}/${councilAccountId}` }, details: { refused } });
  }
  if (page.nextCursor && page.nextCursor !== saved?.cursor) {
    await cursors.updateOne(
      { platform, councilAccountId },
      { $set: { cursor: page.nextCursor, updatedAt: ctx.now() } },
      { upsert: true },
    );
  }
  return { read: captured.length };
}
