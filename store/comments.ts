// Loading and saving comments: capture (once per platform + external id), decisions and the
// outcome of platform actions. Written so a repeat of any step is harmless.
import { createHash } from 'node:crypto';
import type { CapturedComment } from '../core/platform';
import type { Decision } from '../core/decide';
import type { ActionRecord, CommentModel, StoredComment } from './comment';

export type { StoredComment };

export function rawSha256(rawPayload: string): string {
  return createHash('sha256').update(rawPayload, 'utf8').digest('hex');
}

/**
 * Stores comments not seen before and returns the ids of all of them (new and already stored).
 * The unique (platform, externalId) index drops duplicates from re-reads and repeated webhooks.
 */
export async function captureComments(model: CommentModel, comments: CapturedComment[], capturedAt: Date): Promise<string[]> {
  if (comments.length === 0) return [];
  const docs = comments.map((c) => ({ ...c, capturedAt, rawSha256: rawSha256(c.rawPayload) }));
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (e) {
    const err = e as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
    const codes = err.writeErrors?.map((w) => w.code ?? w.err?.code) ?? [err.code];
    if (!codes.every((c) => c === 11000)) throw e;
  }
  const found = await model
    .find({ $or: comments.map((c) => ({ platform: c.platform, externalId: c.externalId })) }, { _id: 1, platform: 1, externalId: 1 })
    .lean();
  const byKey = new Map(found.map((f) => [`${f.platform}\u0000${f.externalId}`, String(f._id)]));
  return comments.map((c) => {
    const id = byKey.get(`${c.platform}\u0000${c.externalId}`);
    if (!id) throw new Error(`comment ${c.platform}/${c.externalId} was not stored`);
    return id;
  });
}

/** Records the decision once; returns false when the comment was already decided. */
export async function recordDecision(model: CommentModel, id: string, decision: Decision): Promise<boolean> {
  const r = await model.updateOne({ _id: id, decision: { $exists: false } }, { $set: { decision } });
  return r.modifiedCount === 1;
}

export async function recordAction(
  model: CommentModel,
  id: string,
  outcome: ActionRecord,
): Promise<void> {
  await model.updateOne({ _id: id, 'actions.key': { $ne: outcome.key } }, { $push: { actions: outcome } });
}
