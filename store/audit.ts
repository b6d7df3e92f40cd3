// The append-only audit log: who did what to which record, when, hash-chained (core/audit.ts).
// Entries are only ever inserted; there is no update or delete path in this module.
import { Schema, type Connection, type Model } from 'mongoose';
import { auditEntryHash, checkAuditChain, GENESIS_HASH, type AuditEntry, type ChainCheck } from '../core/audit';

/** The fields of a hash-chained entry (core/audit.ts), shared with each referral case's own trail. */
export const AUDIT_ENTRY_FIELDS = {
  seq: { type: Number, required: true },
  at: { type: Date, required: true },
  actor: { type: String, required: true },
  action: { type: String, required: true },
  subject: { type: { type: String, required: true }, id: { type: String, required: true } },
  details: { type: Schema.Types.Mixed, default: {} },
  prevHash: { type: String, required: true },
  hash: { type: String, required: true },
} as const;

const auditSchema = new Schema(
  {
    /** The sequence number, zero-padded, as the document id: the id is unique, so concurrent
     * writers take turns, and FerretDB looks up an id without scanning the collection. */
    _id: { type: String, required: true },
    ...AUDIT_ENTRY_FIELDS,
  },
  { versionKey: false, minimize: false },
);
auditSchema.index({ seq: 1 }, { unique: true });

/** Where the chain ends, as last recorded: a hint that may lag behind, never the truth. */
const headSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } }, { versionKey: false });

export type AuditModel = Model<AuditEntry & { _id: string }> & { head?: Model<{ _id: string; seq: number; hash: string }> };

export function auditModel(conn: Connection): AuditModel {
  const model = conn.model<AuditEntry & { _id: string }>('AuditEntry', auditSchema, 'audit_log') as AuditModel;
  model.head = conn.models.AuditHead ?? conn.model('AuditHead', headSchema, 'audit_head');
  return model;
}

export interface AuditRecord {
  actor: string;
  action: string;
  subject: { type: string; id: string };
  details?: Record<string, unknown>;
}

const idFor = (seq: number) => String(seq).padStart(12, '0');
const lastKnown = new WeakMap<object, { seq: number; hash: string }>();

/** Appends one entry at the end of the chain. Safe with many writers in many processes. */
export async function appendAudit(model: AuditModel, record: AuditRecord, at: Date = new Date()): Promise<AuditEntry> {
  const details = JSON.parse(JSON.stringify(record.details ?? {})) as Record<string, unknown>;
  let tip = lastKnown.get(model) ?? (await model.head!.findById('head').lean()) ?? { seq: 0, hash: GENESIS_HASH };
  for (let attempt = 0; attempt < 1000; attempt++) {
    // Walk forward past entries written since our hint (each step is a lookup by id).
    for (;;) {
      const next = await model.findById(idFor(tip.seq + 1), { seq: 1, hash: 1 }).lean();
      if (!next) break;
      tip = { seq: next.seq, hash: next.hash };
    }
    const body = { seq: tip.seq + 1, at, actor: record.actor, action: record.action, subject: record.subject, details, prevHash: tip.hash };
    const entry: AuditEntry = { ...body, hash: auditEntryHash(body) };
    try {
      await model.create({ _id: idFor(entry.seq), ...entry });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      continue; // another writer took this number: walk on
    }
    lastKnown.set(model, { seq: entry.seq, hash: entry.hash });
    // The head is only a starting point for the walk above, so it is refreshed now and then.
    if (entry.seq % 50 === 1) await model.head!.updateOne({ _id: 'head', seq: { $lt: entry.seq } }, { $set: { seq: entry.seq, hash: entry.hash } }).then(async (r) => {
      if (r.matchedCount === 0) await model.head!.create({ _id: 'head', seq: entry.seq, hash: entry.hash }).catch(() => undefined);
    });
    return entry;
  }
  throw new Error('audit log: could not append after 1000 attempts (too many concurrent writers)');
}

/** Reads the whole log in order and reports the first broken link, if any. */
export async function verifyAuditLog(model: AuditModel): Promise<ChainCheck> {
  const entries: AuditEntry[] = [];
  for await (const doc of model.find({}, { _id: 0 }).sort({ _id: 1 }).lean().cursor()) {
    entries.push({ ...(doc as AuditEntry), at: new Date(doc.at) });
  }
  return checkAuditChain(entries);
}
