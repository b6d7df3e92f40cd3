// Comments captured from the platforms, each with its raw payload kept byte for byte and its
// SHA-256; beside them, one decision document per comment and one document per platform action.
// Never rewrites rawPayload or rawSha256 once stored (evidence integrity). What the service decided
// and did is inserted as records of its own, never written onto the comment: a decision is an event,
// and on FerretDB an insert (batched) costs a fraction of an update.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { PLATFORMS, type CapturedComment } from '../core/platform';
import type { Decision } from '../core/decide';
import type { Flag } from '../core/detect';

export interface ActionRecord {
  /** Idempotency key: one per comment and action. */
  key: string;
  action: 'hide' | 'block' | 'mute';
  status: 'done' | 'already_done' | 'refused' | 'failed';
  detail?: string;
  at: Date;
}

/** An officer's review of a flagged comment (dismissed with a reason, hidden, referred). */
export interface CommentReview {
  status: 'dismissed' | 'hidden' | 'referred';
  reason?: string;
  by: string;
  at: Date;
}

/** A comment as stored: what was captured, plus when, its payload hash and any officer's review. */
export interface CommentFields extends CapturedComment {
  capturedAt: Date;
  rawSha256: string;
  review?: CommentReview;
}

/** The decision on one comment (its `_id` is the comment's id) and what the detector found. */
export interface DecisionFields extends Decision {
  _id: string;
  flags?: Flag[];
  detectorVersion?: string;
}

/** A comment with the service's record of it attached: its decision and the detector's flags. */
export type StoredComment = CommentFields & {
  _id: Types.ObjectId;
  decision?: Decision;
  flags?: Flag[];
  detectorVersion?: string;
};

const authorSchema = new Schema(
  // accountId is '' when the platform withholds the author (Graph may): still assessed, never matched.
  { platform: { type: String, enum: PLATFORMS, required: true }, accountId: { type: String, default: '' }, handle: String, displayName: String },
  { _id: false },
);

const reasonSchema = new Schema({ rule: { type: String, required: true }, detail: { type: String, required: true } }, { _id: false });

const decisionSchema = new Schema<DecisionFields>(
  {
    _id: { type: String, required: true },
    outcome: { type: String, enum: ['none', 'hide', 'officer_review'], required: true },
    /** Platform actions the policy ran automatically. */
    actions: { type: [String], default: [] },
    reasons: { type: [reasonSchema], default: [] },
    /** The person on the register this decision concerns, if any. */
    personId: String,
    personName: String,
    restrictionKinds: { type: [String], default: [] },
    decidedAt: { type: Date, required: true },
    /** `rule:<name>` for automated decisions, or the officer's username. */
    decidedBy: { type: String, required: true },
    /** What the content detector found (category, score, spans, reason, offences), if anything. */
    flags: { type: [Schema.Types.Mixed], default: undefined },
    detectorVersion: String,
  },
  { versionKey: false },
);
decisionSchema.index({ decidedAt: -1 });
decisionSchema.index({ personId: 1 });

const commentSchema = new Schema<CommentFields>(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    externalId: { type: String, required: true },
    councilAccountId: { type: String, required: true },
    postId: String,
    parentId: String,
    author: { type: authorSchema, required: true },
    // '' for a comment that is only a photo or a sticker: stored and assessed like any other.
    text: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    capturedAt: { type: Date, required: true },
    permalink: String,
    rawPayload: { type: String, required: true },
    rawSha256: { type: String, required: true },
    /** An officer's review of a flagged comment (dismissed with a reason, or hidden). */
    review: { status: { type: String, enum: ['dismissed', 'hidden', 'referred'] }, reason: String, by: String, at: Date },
  },
  { versionKey: false },
);
commentSchema.index({ platform: 1, externalId: 1 }, { unique: true });
commentSchema.index({ capturedAt: -1 });

export type CommentModel = Model<CommentFields>;

export function commentModel(conn: Connection): CommentModel {
  return conn.model<CommentFields>('Comment', commentSchema, 'comments');
}

export type DecisionModel = Model<DecisionFields>;

export function decisionModel(conn: Connection): DecisionModel {
  return conn.model<DecisionFields>('Decision', decisionSchema, 'decisions');
}

/**
 * The record of each platform action, one document per (comment, action) key. FerretDB rewrites a
 * whole document on update and loses concurrent updates to the same one, so the outcome that
 * decides "never call the platform twice" is an insert against the unique _id, which is atomic.
 */
const commentActionSchema = new Schema<ActionRecord & { _id: string; commentId: string }>(
  {
    _id: { type: String, required: true },
    commentId: { type: String, required: true },
    key: { type: String, required: true },
    action: { type: String, enum: ['hide', 'block', 'mute'], required: true },
    status: { type: String, enum: ['done', 'already_done', 'refused', 'failed'], required: true },
    detail: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export type CommentActionModel = Model<ActionRecord & { _id: string; commentId: string }>;

export function commentActionModel(conn: Connection): CommentActionModel {
  return conn.model('CommentAction', commentActionSchema, 'comment_actions') as CommentActionModel;
}

/**
 * A platform action begun, one document per (comment, action) key, written before the platform is
 * called: one without an outcome in comment_actions means a worker died mid-call.
 */
const actionIntentSchema = new Schema<{ _id: string; commentId: string; at: Date }>(
  { _id: { type: String, required: true }, commentId: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export type ActionIntentModel = Model<{ _id: string; commentId: string; at: Date }>;

export function actionIntentModel(conn: Connection): ActionIntentModel {
  return conn.model('ActionIntent', actionIntentSchema, 'action_intents') as ActionIntentModel;
}
