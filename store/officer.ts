// Officer accounts: who may sign in and with which roles. Password hashes only (scrypt).
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { ROLES } from '../core/roles';

const officerSchema = new Schema(
  {
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    email: { type: String, required: true },
    roles: { type: [String], enum: ROLES, required: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    failedSignIns: { type: Number, default: 0 },
    lockedUntil: Date,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
officerSchema.index({ username: 1 }, { unique: true });

export type OfficerDoc = InferSchemaType<typeof officerSchema>;

export function officerModel(conn: Connection): Model<OfficerDoc> {
  return conn.model<OfficerDoc>('Officer', officerSchema, 'officers');
}
