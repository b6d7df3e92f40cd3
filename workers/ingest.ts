// Ingest: store each captured comment once (raw payload and its SHA-256), then queue it for
// assessment. A repeat is harmless: the unique key drops the duplicate, the job id the re-queue.
import { UnrecoverableError, type Job } from 'bullmq';
import { ingestJobSchema } from '../queues/jobs';
import { captureComments } from '../store/comments';
import type { WorkerContext } from './context';

export async function ingestComment(ctx: WorkerContext, job: Job): Promise<{ commentId: string }> {
  const { comment } = ingestJobSchema.parse(job.data);
  const capturedAt = ctx.now();
  const captured = await captureComments(ctx.store.models.comments, [comment], capturedAt);
  const { id, refused } = captured[0]!;
  if (refused) throw new UnrecoverableError(`${comment.platform} comment ${comment.externalId} cannot be stored: ${refused}`);
  await ctx.pipeline.assessCaptured(captured, [comment], capturedAt);
  return { commentId: id };
}
