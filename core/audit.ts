// The audit log's hash chain: every entry carries the hash of the one before, so an edited,
// removed or reordered entry is detectable. Pure: storing entries is store/audit.ts's job.
import { createHash } from 'node:crypto';

export interface AuditEntryBody {
  seq: number;
  at: Date;
  /** The signed-in officer's username, or `system:<component>` for automated steps. */
  actor: string;
  action: string;
  subject: { type: string; id: string };
  details: Record<string, unknown>;
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level and dates as ISO strings: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function auditEntryHash(body: AuditEntryBody): string {
  const { seq, at, actor, action, subject, details, prevHash } = body;
  return sha256Hex(canonicalJson({ seq, at, actor, action, subject, details, prevHash }));
}

export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks entries in sequence order and reports the first broken link. */
export function checkAuditChain(entries: Iterable<AuditEntry>, startPrevHash = GENESIS_HASH, startSeq = 1): ChainCheck {
  let prev = startPrevHash;
  let expectedSeq = startSeq;
  let count = 0;
  for (const e of entries) {
    count++;
    if (e.seq !== expectedSeq) {
      return { ok: false, entries: count, brokenAt: e.seq, reason: `expected entry ${expectedSeq} but found ${e.seq}: an entry is missing or out of order` };
    }
    if (e.prevHash !== prev) {
      return { ok: false, entries: count, brokenAt: e.seq, reason: `entry ${e.seq} does not point at the hash of entry ${e.seq - 1}` };
    }
    if (auditEntryHash(e) !== e.hash) {
      return { ok: false, entries: count, brokenAt: e.seq, reason: `entry ${e.seq} was changed after it was written` };
    }
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count };
}
