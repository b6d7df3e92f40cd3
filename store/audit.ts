// The append-only audit log: who did what to which record, when, hash-chained (core/audit.ts).
// Entries are only ever inserted; there is no update or delete path in this module.
import { Schema, type Connection, type Model } from 'mongoose';
import { auditEntryHash, checkAuditChain, GENESIS_HASH, type AuditEntry, type ChainCheck } from '../core/audit';

const auditSchema = new Schema(
  {
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: { type: String, required: true }, id: { type: String, required: true } },
    details: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, minimize: false },
);
// The unique sequence makes concurrent writers (many processes) take turns: a clash retries.
auditSchema.index({ seq: 1 }, { unique: true });
auditSchema.index({ 'subject.id': 1 });

export type AuditModel = Model<AuditEntry>;

export function auditModel(conn: Connection): AuditModel {
  return conn.model<AuditEntry>('AuditEntry', auditSchema, 'audit_log');
}

export interface AuditRecord {
  actor: string;
  action: string;
  subject: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** Appends one entry at the end of the chain. Safe with many writers: a lost race retries. */
export async function appendAudit(model: AuditModel, record: AuditRecord, at: Date = new Date()): Promise<AuditEntry> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const last = await model.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
    const body = {
      seq: (last?.seq ?? 0) + 1,
      at,
      actor: record.actor,
      action: record.action,
      subject: record.subject,
      details: JSON.parse(JSON.stringify(record.details ?? {})) as Record<string, unknown>,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...body, hash: auditEntryHash(body) };
    try {
      await model.create(entry);
      return entry;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
  }
  throw new Error('audit log: could not append after 50 attempts (too many concurrent writers)');
}

/** Reads the whole log in order and reports the first broken link, if any. */
export async function verifyAuditLog(model: AuditModel): Promise<ChainCheck> {
  const entries: AuditEntry[] = [];
  for await (const doc of model.find({}, { _id: 0 }).sort({ seq: 1 }).lean().cursor()) {
    entries.push({ ...(doc as AuditEntry), at: new Date(doc.at) });
  }
  return checkAuditChain(entries);
}
