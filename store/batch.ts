// Groups writes made at the same moment by concurrent jobs into one database round trip. A lone
// write goes out at once (no timer); writes that arrive while one is in flight go out together
// when it returns. Each caller gets its own item's result or error: nothing is acknowledged
// before the database has it.

import type { mongo } from 'mongoose';

export class WriteBatcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = false;
  private scheduled = false;

  /**
   * `write` stores every item it is given and answers, for each in order, its result or an Error
   * of its own (a failure of the whole write rejects every item of that write).
   */
  constructor(
    private readonly write: (items: T[]) => Promise<(R | Error)[]>,
    private readonly maxItems = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled) return;
    this.scheduled = true;
    // After the current burst of synchronous work, so the calls it made share one write.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.pending.length === 0) return;
    this.inFlight = true;
    const batch = this.pending.splice(0, this.maxItems);
    try {
      const results = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else p.resolve(r as R);
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight = false;
      if (this.pending.length) this.schedule();
    }
  }
}

/** The database refused one document of a write (and stored the others). */
export class RefusedDocument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedDocument';
  }
}

/** Per-index results of an unordered insertMany: `true` stored, `false` already there, or the error. */
export function insertOutcomes(count: number, error?: unknown): (boolean | Error)[] {
  const out: (boolean | Error)[] = Array.from({ length: count }, () => true);
  if (error === undefined) return out;
  const writeErrors = (error as { writeErrors?: { index?: number; code?: number; errmsg?: string; err?: { index?: number; code?: number; errmsg?: string } }[] }).writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw error;
  for (const w of writeErrors) {
    const index = w.index ?? w.err?.index;
    const code = w.code ?? w.err?.code;
    if (index === undefined) throw error;
    out[index] = code === 11000 ? false : new RefusedDocument(w.errmsg ?? w.err?.errmsg ?? `insert failed with code ${code}`);
  }
  return out;
}

const inserters = new WeakMap<mongo.Collection, WriteBatcher<object, boolean>>();

/**
 * Inserts one document against its unique _id, sharing one unordered insertMany with the other
 * inserts into the same collection at the same moment. True when stored, false when a document with
 * that _id was already there; a RefusedDocument when the database refused this document alone.
 */
export function insertBatched(collection: mongo.Collection, doc: object): Promise<boolean> {
  let batcher = inserters.get(collection);
  if (!batcher) {
    batcher = new WriteBatcher<object, boolean>(async (docs) => {
      try {
        await collection.insertMany(docs as mongo.OptionalId<mongo.Document>[], { ordered: false });
        return insertOutcomes(docs.length);
      } catch (e) {
        return insertOutcomes(docs.length, e);
      }
    });
    inserters.set(collection, batcher);
  }
  return batcher.add(doc);
}

/**
 * Creates one document through its mongoose model (checked against the schema) unless one with its
 * _id exists: true when created, false when it was already there. The insert against the unique
 * _id is atomic, which is why idempotency records are made this way (FerretDB loses concurrent
 * updates to one document).
 */
export async function createOnce<D>(model: { create(doc: D): Promise<unknown> }, doc: D): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 11000) return false;
    throw e;
  }
}
