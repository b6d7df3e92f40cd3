// Job payloads (validated with zod when a worker takes them) and the producer that queues them.
// Job ids are derived from the item and the action, so queuing the same thing twice is a no-op
// while the first job exists; the durable idempotency lives in MongoDB (see workers/act.ts).
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PLATFORMS, type CapturedComment } from '../core/platform';
import type { QueueName } from './names';

export const capturedCommentSchema = z.object({
  platform: z.enum(PLATFORMS),
  externalId: z.string().min(1).max(200),
  councilAccountId: z.string().min(1).max(200),
  postId: z.string().max(200).optional(),
  parentId: z.string().max(200).optional(),
  author: z.object({
    platform: z.enum(PLATFORMS),
    accountId: z.string().max(200), // '' when the platform withholds the author
    handle: z.string().max(200).optional(),
    displayName: z.string().max(500).optional(),
  }),
  text: z.string().max(100_000),
  createdAt: z.coerce.date(),
  permalink: z.string().max(2000).optional(),
  rawPayload: z.string().min(2).max(5_000_000),
});

export const ingestJobSchema = z.object({ comment: capturedCommentSchema });
/**
 * What the assess step needs of a comment, carried in its job by the step that stored it, so the
 * pipeline does not read back what it has just written. Without it (the comment was stored by an
 * earlier capture, which may differ), the assess step loads the stored comment.
 */
export const commentForAssessmentSchema = capturedCommentSchema.omit({ rawPayload: true }).extend({ capturedAt: z.coerce.date() });
export const assessJobSchema = z.object({ commentId: z.string().regex(/^[a-f0-9]{24}$/), comment: commentForAssessmentSchema.optional() });
export const actJobSchema = z.object({ commentId: z.string().regex(/^[a-f0-9]{24}$/), action: z.enum(['hide', 'block']) });
export const pollJobSchema = z.object({ platform: z.enum(PLATFORMS), councilAccountId: z.string().min(1) });

export type IngestJob = z.infer<typeof ingestJobSchema>;
export type AssessJob = z.infer<typeof assessJobSchema>;
export type CommentForAssessment = z.infer<typeof commentForAssessmentSchema>;
export type ActJob = z.infer<typeof actJobSchema>;
export type PollJob = z.infer<typeof pollJobSchema>;

/** BullMQ job ids may not contain ':' nor be integers: a hex digest with a prefix is neither. */
export function jobIdFor(kind: string, ...parts: string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;
}

/** A captured comment as the assess step takes it: everything but the raw payload. */
export function forAssessment(comment: CapturedComment, capturedAt: Date): CommentForAssessment {
  const { rawPayload: _raw, ...rest } = comment;
  return { ...rest, capturedAt };
}

const retried: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // failed jobs stay for an administrator to see and retry
};

export class Pipeline {
  readonly queues: Record<'ingest' | 'assess' | 'act' | 'poll', Queue>;

  constructor(connection: Redis, prefix: string) {
    const make = (name: QueueName) => new Queue(name, { connection, prefix, defaultJobOptions: retried });
    this.queues = { ingest: make('ingest'), assess: make('assess'), act: make('act'), poll: make('poll') };
  }

  ingest(comment: CapturedComment) {
    const data: IngestJob = { comment };
    return this.queues.ingest.add('ingest', data, { jobId: jobIdFor('ingest', comment.platform, comment.externalId) });
  }

  ingestMany(comments: CapturedComment[]) {
    return this.queues.ingest.addBulk(
      comments.map((comment) => ({
        name: 'ingest',
        data: { comment } satisfies IngestJob,
        opts: { ...retried, jobId: jobIdFor('ingest', comment.platform, comment.externalId) },
      })),
    );
  }

  /**
   * Queues the assessment of comments just captured, each with its content when this capture stored
   * it (and it fits the job's limits); comments the store refused are not queued.
   */
  assessCaptured(captured: { id: string; isNew: boolean; refused?: string }[], comments: CapturedComment[], capturedAt: Date) {
    const jobs = captured.flatMap(({ id, isNew, refused }, i) => {
      if (refused) return [];
      const content = isNew ? commentForAssessmentSchema.safeParse(forAssessment(comments[i]!, capturedAt)) : undefined;
      const data: AssessJob = { commentId: id, ...(content?.success ? { comment: content.data } : {}) };
      return [{ name: 'assess', data, opts: { ...retried, jobId: jobIdFor('assess', id) } }];
    });
    return this.queues.assess.addBulk(jobs);
  }

  /** `dedupeKey`: what makes two requests the same action (a comment for a hide, an author for a block). */
  act(commentId: string, action: ActJob['action'], dedupeKey: string = commentId) {
    return this.queues.act.add('act', { commentId, action } satisfies ActJob, { jobId: jobIdFor('act', dedupeKey, action) });
  }

  async close() {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
