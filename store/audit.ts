// The append-only audit log: who did what to which record, when, hash-chained (core/audit.ts).
// Entries are only ever inserted; there is no update or delete path in this module.
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { checkAuditChain, GENESIS_HASH, nextAuditEntry, type AuditEntry, type ChainCheck } from '../core/audit';
import { ValidationFailed } from '../core/errors';
import { insertBatched, WriteBatcher } from './batch';

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

/** That an event which must be audited once (a decision, a platform action) has its entry: `_id` names the event. */
const markSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false });

export type AuditModel = Model<AuditEntry & { _id: string }> & {
  head?: Model<{ _id: string; seq: number; hash: string }>;
  marks?: Model<{ _id: string; seq: number }>;
};

export function auditModel(conn: Connection): AuditModel {
  const model = conn.model<AuditEntry & { _id: string }>('AuditEntry', auditSchema, 'audit_log') as AuditModel;
  model.head = conn.models.AuditHead ?? conn.model('AuditHead', headSchema, 'audit_head');
  model.marks = conn.models.AuditMark ?? conn.model('AuditMark', markSchema, 'audit_marks');
  return model;
}

export interface AuditRecord {
  actor: string;
  action: string;
  subject: { type: string; id: string };
  details?: Record<string, unknown>;
}

const idFor = (seq: number) => String(seq).padStart(12, '0');

type ChainEnd = { seq: number; hash: string };

/**
 * One insert carries at most this many entries; the rest wait for the next one. FerretDB 1.24
 * inserts in chunks of 100 and, after a chunk fails, goes on with the next one even for an ordered
 * insert: a batch larger than one chunk could leave entries stored past a refused one (a gap).
 */
const MAX_BATCH = 100;
/** Rounds of "another process took our numbers" before a batch gives up. */
const MAX_ROUNDS = 1000;
/** The head hint is refreshed when an entry numbered 1, 51, 101… is stored. */
const HEAD_EVERY = 50;

interface WaitingAppend {
  record: AuditRecord & { details: Record<string, unknown> };
  at: Date;
}

/** The first write error of an ordered insert: the entries before `index` are stored, none after. */
function firstWriteError(e: unknown): { index: number; code?: number; errmsg?: string } | undefined {
  const errors = (e as { writeErrors?: unknown }).writeErrors;
  const first = (Array.isArray(errors) ? errors[0] : errors) as
    { index?: unknown; code?: number; errmsg?: string } | undefined;
  return typeof first?.index === 'number'
    ? { index: first.index, code: first.code, errmsg: first.errmsg }
    : undefined;
}

/**
 * The one writer of a process for one audit collection. Appends made while an insert is in
 * flight wait and then share the next insert: a round trip costs the server far more than the
 * documents in it, and writers of one process no longer race each other for the same number.
 * Other processes still can, so every batch starts from the end of the stored chain.
 */
class AuditWriter {
  /** The last entry this process knows is stored; the chain may have grown past it since. */
  private end?: ChainEnd;
  private readonly batcher = new WriteBatcher<WaitingAppend, AuditEntry>((calls) => this.write(calls), MAX_BATCH);

  constructor(private readonly model: AuditModel) {}

  append(record: WaitingAppend['record'], at: Date): Promise<AuditEntry> {
    return this.batcher.add({ record, at });
  }

  /** Stores every call of the batch; answers, for each, its entry or the reason it could not be stored. */
  private async write(batch: WaitingAppend[]): Promise<(AuditEntry | Error)[]> {
    const answers = new Map<WaitingAppend, AuditEntry | Error>();
    try {
      await this.writeRounds(batch, answers);
    } catch (e) {
      // Calls already stored keep their entry; only the rest fail, and the next batch walks on
      // from the last entry known.
      const failure = e instanceof Error ? e : new Error(String(e));
      for (const call of batch) if (!answers.has(call)) answers.set(call, failure);
    }
    return batch.map((call) => answers.get(call)!);
  }

  private async writeRounds(batch: WaitingAppend[], answers: Map<WaitingAppend, AuditEntry | Error>): Promise<void> {
    let calls = batch;
    let end = this.end ?? (await this.startingPoint());
    for (let round = 0; calls.length > 0; round++) {
      if (round === MAX_ROUNDS)
        throw new Error(
          `audit log: could not append after ${MAX_ROUNDS} attempts (too many concurrent writers)`,
        );
      end = await this.walkToEnd(end);
      const chained = this.chain(end, calls, answers);
      let stored = chained.length;
      let refused: WaitingAppend | undefined;
      try {
        if (chained.length > 0)
          await this.collection().insertMany(
            chained.map(({ entry }) => ({ _id: idFor(entry.seq), ...entry })),
            { ordered: true },
          );
      } catch (e) {
        const failed = firstWriteError(e);
        // Nothing says what was stored: the calls not yet answered fail (see write).
        if (!failed || failed.index >= chained.length) throw e;
        stored = failed.index;
        // A duplicate number means another process took it: that entry and the rest are re-chained.
        // Any other refusal is about that one entry, so only its own call fails.
        if (failed.code !== 11000) {
          refused = chained[failed.index]!.call;
          const { action, subject } = refused.record;
          answers.set(refused, new Error(`audit log: the database refused the entry for ${action} on ${subject.type} ${subject.id}: ${failed.errmsg ?? String(e)}`, { cause: e }));
        }
      }
      const written = chained.slice(0, stored);
      const last = written.at(-1)?.entry;
      if (last) {
        end = { seq: last.seq, hash: last.hash };
        this.end = end;
        // Before answering, so no write of this module is still in flight once its callers have their entries.
        if (written.some(({ entry }) => entry.seq % HEAD_EVERY === 1)) await this.refreshHead(end);
      }
      for (const { call, entry } of written) answers.set(call, entry);
      calls = chained.slice(stored + (refused ? 1 : 0)).map(({ call }) => call);
    }
  }

  /** The driver's collection: entries are built field by field here, so mongoose has nothing to cast or hydrate. */
  private collection(): mongo.Collection<AuditEntry & { _id: string }> {
    return this.model.collection as unknown as mongo.Collection<AuditEntry & { _id: string }>;
  }

  /** Entries for the calls, numbered on from `end`. A record that cannot be hashed fails its own call. */
  private chain(end: ChainEnd, calls: WaitingAppend[], answers: Map<WaitingAppend, AuditEntry | Error>): { call: WaitingAppend; entry: AuditEntry }[] {
    const chained: { call: WaitingAppend; entry: AuditEntry }[] = [];
    let previous = end;
    for (const call of calls) {
      const { actor, action, subject, details } = call.record;
      let entry: AuditEntry;
      try {
        entry = nextAuditEntry(previous, { at: call.at, actor, action, subject, details });
      } catch (e) {
        answers.set(call, e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      chained.push({ call, entry });
      previous = entry;
    }
    return chained;
  }

  private async startingPoint(): Promise<ChainEnd> {
    const head = await this.model.head!.findById('head').lean();
    return head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * The last stored entry at or after `from`. Each entry is inserted only after the one before
   * it, so the stored numbers have no gaps: stepping by 1, 2, 4… then halving finds the end in a
   * few lookups however far other processes have gone. Lookups are by id, the one filter
   * FerretDB answers without scanning the collection.
   */
  private async walkToEnd(from: ChainEnd): Promise<ChainEnd> {
    const stored = (seq: number) => this.model.findById(idFor(seq), { seq: 1, hash: 1 }).lean();
    let end = from;
    let missing: number;
    for (let step = 1; ; step *= 2) {
      const next = await stored(end.seq + step);
      if (!next) {
        missing = end.seq + step;
        break;
      }
      end = { seq: next.seq, hash: next.hash };
    }
    while (missing - end.seq > 1) {
      const middle = Math.floor((end.seq + missing) / 2);
      const found = await stored(middle);
      if (found) end = { seq: found.seq, hash: found.hash };
      else missing = middle;
    }
    return end;
  }

  /** The head is only where a new process starts its walk: refreshed now and then, never moved back. */
  private async refreshHead(end: ChainEnd): Promise<void> {
    const head = this.model.head!;
    try {
      const r = await head.updateOne(
        { _id: 'head', seq: { $lt: end.seq } },
        { $set: { seq: end.seq, hash: end.hash } },
      );
      if (r.matchedCount === 0) await head.create({ _id: 'head', seq: end.seq, hash: end.hash });
    } catch {
      // Not the callers' failure: their entries are stored. Either another process created the
      // head first (E11000; its hint serves as well) or the database failed, which the next
      // insert reports to its own callers. A stale hint only lengthens a new process's walk.
    }
  }
}

const writers = new WeakMap<AuditModel, AuditWriter>();

/**
 * Appends one entry at the end of the chain and resolves with it once it is stored. Safe with
 * many writers in many processes; calls made together in one process share one insert.
 */
export async function appendAudit(
  model: AuditModel,
  record: AuditRecord,
  at: Date = new Date(),
): Promise<AuditEntry> {
  const { actor, action, subject } = record;
  for (const [field, value] of [
    ['actor', actor],
    ['action', action],
    ['subject.type', subject.type],
    ['subject.id', subject.id],
  ] as const) {
    if (typeof value !== 'string' || value === '')
      throw new ValidationFailed(field, `An audit entry needs its ${field}; it was ${JSON.stringify(value)}.`);
  }
  // A copy as JSON: what is hashed is exactly what is stored, and later edits by the caller change neither.
  const details = JSON.parse(JSON.stringify(record.details ?? {})) as Record<string, unknown>;
  let writer = writers.get(model);
  if (!writer) writers.set(model, (writer = new AuditWriter(model)));
  return writer.append({ actor, action, subject: { type: subject.type, id: subject.id }, details }, at);
}

/**
 * Appends the entry for an event that must be audited exactly once, named by `eventKey`, and marks
 * it done. A retried job passes `retry` so an entry already written is not written again; a job
 * stopped between the append and the mark writes it twice on retry (at least once, never lost).
 */
export async function appendAuditOnce(model: AuditModel, eventKey: string, record: AuditRecord, opts: { at?: Date; retry?: boolean } = {}): Promise<AuditEntry | undefined> {
  const marks = model.marks!;
  if (opts.retry && (await marks.findById(eventKey).lean())) return undefined;
  const entry = await appendAudit(model, record, opts.at);
  await insertBatched(marks.collection, { _id: eventKey, seq: entry.seq });
  return entry;
}

/** Reads the whole log in order and reports the first broken link, if any. */
export async function verifyAuditLog(model: AuditModel): Promise<ChainCheck> {
  const entries: AuditEntry[] = [];
  for await (const doc of model.find({}, { _id: 0 }).sort({ _id: 1 }).lean().cursor()) {
    entries.push({ ...(doc as AuditEntry), at: new Date(doc.at) });
  }
  return checkAuditChain(entries);
}
