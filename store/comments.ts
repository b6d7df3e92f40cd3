// Loading and saving comments: capture (once per platform + external id), decisions and the
// outcome of platform actions. Written so a repeat of any step is harmless.
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { CapturedComment } from '../core/platform';
import type { Decision } from '../core/decide';
import type { ActionRecord, CommentActionModel, CommentModel, StoredComment } from './comment';

export type { StoredComment };

export function rawSha256(rawPayload: string): string {
  return createHash('sha256').update(rawPayload, 'utf8').digest('hex');
}

/**
 * A comment's id is derived from (platform, externalId), so a re-read or a repeated webhook lands
 * on the same document, and finding a comment never needs a query on other fields (FerretDB
 * looks up only _id without scanning).
 */
export function commentIdFor(platform: string, externalId: string): string {
  return createHash('sha256').update(`${platform}\u0000${externalId}`).digest('hex').slice(0, 24);
}

/** Stores comments not seen before and returns the ids of all of them (new and already stored). */
export async function captureComments(model: CommentModel, comments: CapturedComment[], capturedAt: Date): Promise<string[]> {
  if (comments.length === 0) return [];
  const ids = comments.map((c) => commentIdFor(c.platform, c.externalId));
  const docs = comments.map((c, i) => ({ _id: new Types.ObjectId(ids[i]), ...c, capturedAt, rawSha256: rawSha256(c.rawPayload) }));
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (e) {
    // Duplicates (already stored) are expected; anything else is a real failure.
    const err = e as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
    const codes = err.writeErrors?.map((w) => w.code ?? w.err?.code) ?? [err.code];
    if (!codes.every((c) => c === 11000)) throw e;
  }
  return ids;
}

/**
 * Records the decision. The caller has checked the comment was undecided, and BullMQ runs one job
 * per comment id at a time; the filter is on _id alone because FerretDB scans for anything more.
 */
export async function recordDecision(model: CommentModel, id: string, decision: Decision): Promise<boolean> {
  const r = await model.updateOne({ _id: id }, { $set: { decision } });
  return r.modifiedCount === 1;
}

/**
 * Records an action's outcome once: the insert into comment_actions is the idempotency record;
 * the copy on the comment is for display. Returns false when it was already recorded.
 */
export async function recordAction(models: { comments: CommentModel; commentActions: CommentActionModel }, id: string, outcome: ActionRecord): Promise<boolean> {
  try {
    await models.commentActions.create({ _id: outcome.key, commentId: id, ...outcome });
  } catch (e) {
    if ((e as { code?: number }).code === 11000) return false;
    throw e;
  }
  await models.comments.updateOne({ _id: id }, { $push: { actions: outcome } });
  return true;
}

/** The recorded outcome of an action, if any (looked up by its key, without a scan). */
export async function actionOutcome(models: { commentActions: CommentActionModel }, key: string): Promise<ActionRecord | undefined> {
  return (await models.commentActions.findById(key).lean()) ?? undefined;
}
