// Loading and saving comments: capture (once per platform + external id), decisions and the
// outcome of platform actions. Written so a repeat of any step is harmless. The pipeline's writes
// are inserts against unique ids, grouped across concurrent jobs (store/batch.ts); finding a
// comment, a decision or an action outcome is always a lookup by id (FerretDB scans for anything else).
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { PLATFORMS, type CapturedComment } from '../core/platform';
import type { Decision } from '../core/decide';
import type { Flag } from '../core/detect';
import { createOnce, insertBatched, RefusedDocument } from './batch';
import type { ActionIntentModel, ActionRecord, CommentActionModel, CommentFields, CommentModel, DecisionFields, DecisionModel, StoredComment } from './comment';

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

/**
 * A captured comment as this call left it: `isNew` when this call stored it, not an earlier one;
 * `refused` (with the reason) when it could not be stored as it is.
 */
export interface CaptureResult {
  id: string;
  isNew: boolean;
  refused?: string;
}

type CommentDoc = CommentFields & { _id: Types.ObjectId };

/**
 * Stores comments not seen before and says, for each, its id and whether this call stored it.
 * Concurrent calls share one insert. Each document is checked first, so a bad one is refused by
 * itself, with its reason, and never stops the others.
 */
export async function captureComments(model: CommentModel, comments: CapturedComment[], capturedAt: Date): Promise<CaptureResult[]> {
  return Promise.all(
    comments.map(async (c): Promise<CaptureResult> => {
      const id = commentIdFor(c.platform, c.externalId);
      const doc = commentDocument(id, c, capturedAt);
      if (typeof doc === 'string') return { id, isNew: false, refused: doc };
      try {
        return { id, isNew: await insertBatched(model.collection, doc) };
      } catch (e) {
        // The database refused this document (not the whole write): report it, keep the others.
        if (e instanceof RefusedDocument) return { id, isNew: false, refused: e.message };
        throw e;
      }
    }),
  );
}

/**
 * The stored form of a captured comment, or why it cannot be stored. Written by hand rather than
 * through a mongoose document: this runs for every comment, and the schema's checks are these.
 */
function commentDocument(id: string, c: CapturedComment, capturedAt: Date): CommentDoc | string {
  const createdAt = new Date(c.createdAt);
  if (!(PLATFORMS as readonly string[]).includes(c.platform)) return `platform: "${c.platform}" is not one of ${PLATFORMS.join(', ')}`;
  if (!(PLATFORMS as readonly string[]).includes(c.author?.platform)) return `author.platform: "${c.author?.platform}" is not one of ${PLATFORMS.join(', ')}`;
  if (typeof c.externalId !== 'string' || c.externalId === '') return 'externalId: the platform gave no id for the comment';
  if (typeof c.councilAccountId !== 'string' || c.councilAccountId === '') return 'councilAccountId: the council account is not named';
  if (Number.isNaN(createdAt.getTime())) return `createdAt: "${String(c.createdAt)}" is not a valid date`;
  if (typeof c.rawPayload !== 'string' || c.rawPayload === '') return 'rawPayload: the platform payload is missing';
  const { handle, displayName } = c.author;
  const optional = { postId: c.postId, parentId: c.parentId, permalink: c.permalink };
  return {
    _id: new Types.ObjectId(id),
    platform: c.platform,
    externalId: c.externalId,
    councilAccountId: c.councilAccountId,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    author: { platform: c.author.platform, accountId: c.author.accountId ?? '', ...(handle !== undefined ? { handle } : {}), ...(displayName !== undefined ? { displayName } : {}) },
    text: typeof c.text === 'string' ? c.text : '',
    createdAt,
    capturedAt,
    rawPayload: c.rawPayload,
    rawSha256: rawSha256(c.rawPayload),
  };
}

/** The comments a capture refused, with why: for the log, the audit entry and the platform's answer. */
export function refusedOf(captured: CaptureResult[], comments: CapturedComment[]): { externalId: string; reason: string }[] {
  return captured.flatMap((c, i) => (c.refused ? [{ externalId: comments[i]!.externalId, reason: c.refused }] : []));
}

/**
 * Records the decision on a comment, with the detector's flags. Returns false when the comment was
 * already decided (a repeated or retried job): the first decision stands and nothing is rewritten.
 */
export async function recordDecision(models: { decisions: DecisionModel }, commentId: string, decision: Decision, found: { flags?: Flag[]; detectorVersion?: string } = {}): Promise<boolean> {
  // Made by core/decide from validated input, so written as it is (no mongoose document: the hot
  // path); fields left undefined are left out.
  const fields = { ...decision, _id: commentId, ...(found.flags?.length ? { flags: found.flags, detectorVersion: found.detectorVersion } : {}) };
  const doc = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as DecisionFields;
  return insertBatched(models.decisions.collection, doc);
}

/** The decision on a comment, if it has been decided. */
export async function decisionFor(models: { decisions: DecisionModel }, commentId: string): Promise<DecisionFields | undefined> {
  return (await models.decisions.findById(commentId).lean<DecisionFields>()) ?? undefined;
}

/**
 * Records an action's outcome once: the insert into comment_actions is the idempotency record.
 * Returns false when it was already recorded.
 */
export function recordAction(models: { commentActions: CommentActionModel }, id: string, outcome: ActionRecord): Promise<boolean> {
  return createOnce(models.commentActions, { _id: outcome.key, commentId: id, ...outcome });
}

/** The recorded outcome of an action, if any (looked up by its key, without a scan). */
export async function actionOutcome(models: { commentActions: CommentActionModel }, key: string): Promise<ActionRecord | undefined> {
  return (await models.commentActions.findById(key).lean()) ?? undefined;
}

/** The key of a platform action on a comment: one hide per comment, one block request per comment. */
export function actionKey(commentId: string, action: 'hide' | 'block'): string {
  return `${commentId}-${action}`;
}

/**
 * Notes that a platform action is about to be called. Returns false when it had been begun before:
 * an earlier attempt stopped between calling the platform and recording the outcome.
 */
export function recordActionIntent(models: { actionIntents: ActionIntentModel }, commentId: string, key: string, at: Date): Promise<boolean> {
  return createOnce(models.actionIntents, { _id: key, commentId, at });
}

type ModerationModels = { comments: CommentModel; decisions: DecisionModel };

type WithModeration<C> = C & Pick<StoredComment, 'decision' | 'flags' | 'detectorVersion'>;

function attach<C>(c: C, d: DecisionFields | undefined): WithModeration<C> {
  if (!d) return c as WithModeration<C>;
  const { _id: _decisionId, flags, detectorVersion, ...decision } = d;
  return { ...c, decision, ...(flags ? { flags } : {}), ...(detectorVersion ? { detectorVersion } : {}) };
}

/** Attaches to each comment its decision and the detector's flags (each found by id). */
export async function withModeration<C extends { _id: unknown }>(models: { decisions: DecisionModel }, comments: C[]): Promise<WithModeration<C>[]> {
  return Promise.all(comments.map(async (c) => attach(c, await decisionFor(models, String(c._id)))));
}

/** One stored comment with the service's record of it, or undefined. */
export async function loadComment(models: ModerationModels, id: string, projection?: Record<string, 0 | 1>): Promise<StoredComment | undefined> {
  if (!/^[a-f0-9]{24}$/.test(id)) return undefined;
  const [c, d] = await Promise.all([models.comments.findById(id, projection).lean<CommentDoc>(), decisionFor(models, id)]);
  return c ? (attach(c, d) as StoredComment) : undefined;
}

/** Comments by id, in the order asked, each with its record (missing ids are left out). */
export async function loadComments(models: ModerationModels, ids: readonly string[], projection?: Record<string, 0 | 1>): Promise<StoredComment[]> {
  // One lookup by id each: FerretDB finds an id without scanning, where $in would scan.
  const found = await Promise.all(ids.map((id) => loadComment(models, id, projection)));
  return found.filter((c): c is StoredComment => c !== undefined);
}

/**
 * The most recently decided comments, newest first: all, those the detector flagged, or those
 * decided as concerning one person on the register.
 */
export async function recentlyDecided(models: ModerationModels, opts: { limit: number; flaggedOnly?: boolean; personId?: string }, projection?: Record<string, 0 | 1>): Promise<StoredComment[]> {
  const filter: Record<string, unknown> = {};
  if (opts.flaggedOnly) filter['flags.0'] = { $exists: true };
  if (opts.personId !== undefined) filter.personId = { $eq: opts.personId };
  const decided = await models.decisions.find(filter).sort({ decidedAt: -1, _id: -1 }).limit(opts.limit).lean<DecisionFields[]>();
  const found = await Promise.all(decided.map(async (d) => {
    const c = await models.comments.findById(d._id, projection).lean<CommentDoc>();
    return c ? (attach(c, d) as StoredComment) : undefined;
  }));
  return found.filter((c): c is StoredComment => c !== undefined);
}

/** Ids of every comment decided as concerning this person on the register. */
export async function commentIdsDecidedFor(models: { decisions: DecisionModel }, personId: string): Promise<string[]> {
  return (await models.decisions.find({ personId: { $eq: personId } }, { _id: 1 }).lean()).map((d) => String(d._id));
}
