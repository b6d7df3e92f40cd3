// The confidential register of restricted customers: people and the restrictions on them.
// Reads of it are audited by the services that call these models, never here implicitly.
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { RESTRICTION_KINDS, RESTRICTION_STATUSES } from '../core/restriction';

const socialAccountSchema = new Schema(
  { platform: { type: String, required: true }, accountId: { type: String, required: true }, handle: String, handleHistory: { type: [String], default: [] } },
  { _id: false },
);

const personSchema = new Schema(
  {
    names: { type: [String], required: true },
    emails: { type: [String], default: [] },
    phones: { type: [String], default: [] },
    addresses: { type: [String], default: [] },
    socialAccounts: { type: [socialAccountSchema], default: [] },
    supportWorker: String,
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

const restrictionSchema = new Schema(
  {
    personId: { type: String, required: true },
    kinds: { type: [String], enum: RESTRICTION_KINDS, required: true },
    status: { type: String, enum: RESTRICTION_STATUSES, required: true },
    scope: {
      level: { type: String, enum: ['council', 'service', 'committee', 'meeting'], required: true },
      name: String,
    },
    reason: String,
    proposedBy: String,
    proposingService: String,
    approvedBy: String,
    approvedAt: Date,
    writtenConfirmationAt: Date,
    reviewDue: Date,
    liftedAt: Date,
    liftReason: String,
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
