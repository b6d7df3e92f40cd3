// The confidential register of restricted customers: people and the restrictions on them, the written
// confirmations sent, and officers' answers to suggested matches. Reads of it are audited by the
// services that call these models (store/register-records.ts), never here implicitly.
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { RESTRICTION_KINDS, RESTRICTION_STATUSES } from '../core/restriction';
import { ESCALATION_DECIDERS, REVIEW_OUTCOMES, SCOPE_LEVELS, WEEKDAYS } from '../core/register/types';

const socialAccountSchema = new Schema(
  {
    platform: { type: String, required: true },
    // Empty while only the handle is known: the matching engine can still suggest on the handle.
    accountId: { type: String, default: '' },
    handle: String,
    handleHistory: { type: [String], default: [] },
  },
  { _id: false },
);

const personSchema = new Schema(
  {
    /** The first is the name the council knows them by; the rest are aliases. */
    names: { type: [String], required: true },
    emails: { type: [String], default: [] },
    phones: { type: [String], default: [] },
    addresses: { type: [String], default: [] },
    socialAccounts: { type: [socialAccountSchema], default: [] },
    /** The support worker's name (policy: involve them where there are mental health or other needs). */
    supportWorker: String,
    supportWorkerOrganisation: String,
    supportWorkerArrangement: String,
    wardCouncillors: { type: [String], default: [] },
    staffSafetyReference: String,
    confidentialNotes: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type PersonDoc = InferSchemaType<typeof personSchema>;

export function personModel(conn: Connection): Model<PersonDoc> {
  return conn.model<PersonDoc>('Person', personSchema, 'people');
}

const statusChangeSchema = new Schema(
  {
    from: { type: String, required: true },
    to: { type: String, enum: RESTRICTION_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    reason: { type: String, required: true },
  },
  { _id: false },
);

const reviewSchema = new Schema(
  {
    reviewedAt: { type: Date, required: true },
    reviewedBy: { type: String, required: true },
    outcome: { type: String, enum: REVIEW_OUTCOMES, required: true },
    reasons: { type: String, required: true },
    nextReviewDue: Date,
  },
  { _id: false },
);

const representationSchema = new Schema(
  {
    receivedOn: { type: Date, required: true },
    summary: { type: String, required: true },
    response: String,
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false },
);

const escalationSchema = new Schema(
  {
    decidedBy: { type: String, enum: ESCALATION_DECIDERS, required: true },
    decision: { type: String, required: true },
    decidedOn: { type: Date, required: true },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false },
);

const incidentSchema = new Schema(
  {
    occurredOn: { type: Date, required: true },
    description: { type: String, required: true },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false },
);

const kindDetailsSchema = new Schema(
  {
    phone: {
      type: new Schema(
        { days: { type: [String], enum: WEEKDAYS }, from: String, to: String },
        { _id: false },
      ),
      default: undefined,
    },
    timeLimitMinutes: Number,
    namedContact: {
      type: new Schema({ name: String, team: String, email: String, phone: String }, { _id: false }),
      default: undefined,
    },
    sameMatter: String,
  },
  { _id: false },
);

const restrictionSchema = new Schema(
  {
    personId: { type: String, required: true },
    /** The council's reference, quoted in the letter: "RC-2026-0007". */
    reference: String,
    kinds: { type: [String], enum: RESTRICTION_KINDS, required: true },
    details: { type: kindDetailsSchema, default: () => ({}) },
    status: { type: String, enum: RESTRICTION_STATUSES, required: true },
    scope: {
      level: { type: String, enum: SCOPE_LEVELS, required: true },
      name: String,
    },
    /** The behaviour that led to the restriction. */
    reason: String,
    incidents: { type: [incidentSchema], default: [] },
    proposedBy: String,
    proposedAt: Date,
    proposingService: String,
    approvedBy: String,
    approvedAt: Date,
    writtenConfirmationAt: Date,
    /** Computed from the approval or the last review (policy §15); never typed. */
    reviewDue: Date,
    reviews: { type: [reviewSchema], default: [] },
    representations: { type: [representationSchema], default: [] },
    wardCouncillorArrangements: String,
    escalations: { type: [escalationSchema], default: [] },
    liftedAt: Date,
    liftReason: String,
    history: { type: [statusChangeSchema], default: [] },
    /** The London day the authorising officer was last reminded of the review, so a retried job does not repeat it. */
    reviewRemindedOn: String,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
restrictionSchema.index({ personId: 1 });
restrictionSchema.index({ status: 1 });

export type RestrictionDoc = InferSchemaType<typeof restrictionSchema>;

export function restrictionModel(conn: Connection): Model<RestrictionDoc> {
  return conn.model<RestrictionDoc>('Restriction', restrictionSchema, 'restrictions');
}

/** Written confirmations (policy §14): the PDF exactly as generated, with its hash. */
const restrictionLetterSchema = new Schema(
  {
    restrictionId: { type: String, required: true },
    personId: { type: String, required: true },
    reference: { type: String, required: true },
    generatedAt: { type: Date, required: true },
    generatedBy: { type: String, required: true },
    sha256: { type: String, required: true },
    pdf: { type: Buffer, required: true },
  },
  { versionKey: false },
);
restrictionLetterSchema.index({ restrictionId: 1, generatedAt: -1 });

export type RestrictionLetterDoc = InferSchemaType<typeof restrictionLetterSchema>;

export function restrictionLetterModel(conn: Connection): Model<RestrictionLetterDoc> {
  return conn.model<RestrictionLetterDoc>(
    'RestrictionLetter',
    restrictionLetterSchema,
    'restriction_letters',
  );
}

/**
 * A suggested match (a name or look-alike handle) between an author and a person on the register, and
 * the officer's answer. Policy: a person is never blocked on a guess; once an officer confirms, the
 * author's later content is enforced; once rejected, the suggestion is not put again.
 */
const registerMatchSchema = new Schema(
  {
    /** core/match identifierKeyFor: "account:x:1234", "email:…" — the author's most stable identifier. */
    identifierKey: { type: String, required: true },
    personId: { type: String, required: true },
    author: {
      platform: String,
      accountId: String,
      handle: String,
      displayName: String,
    },
    evidence: {
      type: [{ _id: false, rule: String, identifier: String, query: String, score: Number }],
      default: [],
    },
    score: { type: Number, required: true },
    status: { type: String, enum: ['awaiting', 'confirmed', 'rejected'], required: true },
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    decidedBy: String,
    decidedAt: Date,
    note: String,
  },
  { versionKey: false },
);
registerMatchSchema.index({ identifierKey: 1, personId: 1 }, { unique: true });
registerMatchSchema.index({ status: 1 });

export type RegisterMatchDoc = InferSchemaType<typeof registerMatchSchema>;

export function registerMatchModel(conn: Connection): Model<RegisterMatchDoc> {
  return conn.model<RegisterMatchDoc>('RegisterMatch', registerMatchSchema, 'register_matches');
}

/** Sequences for references ("RC-2026-0007"): one document per year. */
const registerCounterSchema = new Schema(
  { _id: { type: String, required: true }, next: { type: Number, required: true } },
  { versionKey: false },
);

export type RegisterCounterDoc = InferSchemaType<typeof registerCounterSchema>;

export function registerCounterModel(conn: Connection): Model<RegisterCounterDoc> {
  return conn.model<RegisterCounterDoc>('RegisterCounter', registerCounterSchema, 'register_counters');
}
