// Poll: read a council account's new comments since the stored cursor, store them, and only
// then move the cursor (a crash between the two re-reads; the unique key drops duplicates).
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { pollJobSchema } from '../queues/jobs';
import { captureComments } from '../store/comments';
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
  if (page.nextCursor && page.nextCursor !== saved?.cursor) {
    await cursors.updateOne(
      { platform, councilAccountId },
      { $set: { cursor: page.nextCursor, updatedAt: ctx.now() } },
      { upsert: true },
    );
  }
  await ctx.pipeline.assessCaptured(captured, page.comments, capturedAt);
  return { read: captured.length };
}
