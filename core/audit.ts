// The audit log's hash chain: every entry carries the hash of the one before, so an edited,
// removed or reordered entry is detectable — in the whole log (store/audit.ts) and in the
// stretch of it exported with an evidence pack. Pure: storing entries is store/'s job.
import { canonicalJson } from './evidence/canonical-json';
import { sha256Hex } from './evidence/digest';

export interface AuditEntryBody {
  seq: number;
  at: Date | string;
  /** The signed-in officer's username, or `system:<component>` for automated steps. */
  actor: string;
  action: string;
  subject: { type: string; id: string };
  details: Record<string, unknown>;
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  at: Date;
  hash: string;
}

/** An entry read back from JSON: the time as ISO text. Hashes the same as the Date form. */
export type StoredAuditEntry = AuditEntryBody & { hash: string };

/** The prevHash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export { canonicalJson, sha256Hex };

export function auditEntryHash(body: AuditEntryBody): string {
  const { seq, at, actor, action, subject, details, prevHash } = body;
  return sha256Hex(canonicalJson({ seq, at: new Date(at), actor, action, subject, details, prevHash }));
}

/** The next entry after `last` (undefined for a new log). */
export function nextAuditEntry(
  last: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  event: Pick<AuditEntry, 'at' | 'actor' | 'action' | 'subject' | 'details'>,
): AuditEntry {
  const body = { ...event, seq: last ? last.seq + 1 : 1, prevHash: last ? last.hash : GENESIS_HASH };
  return { ...body, hash: auditEntryHash(body) };
}

export type ChainCheck =
  | { ok: true; entries: number }
  | {
      ok: false;
      entries: number;
      /** Index in the list given, and the entry's own seq, of the first broken link. */
      index: number;
      brokenAt: number;
      problem: 'entry_altered' | 'link_broken' | 'sequence_gap';
      reason: string;
    };

/**
 * Walks entries in order and reports the first broken link. With `segment`, the entries are a
 * consecutive stretch of a longer log (a case's trail): the first one's prevHash points outside it.
 */
export function checkAuditChain(entries: Iterable<StoredAuditEntry>, opts: { segment?: boolean } = {}): ChainCheck {
  let previous: StoredAuditEntry | undefined;
  let index = 0;
  const broken = (e: StoredAuditEntry, problem: 'entry_altered' | 'link_broken' | 'sequence_gap', reason: string): ChainCheck => ({
    ok: false,
    entries: index + 1,
    index,
    brokenAt: e.seq,
    problem,
    reason,
  });
  for (const e of entries) {
    if (auditEntryHash(e) !== e.hash) return broken(e, 'entry_altered', `Audit entry ${e.seq} was changed after it was written: its contents no longer match its hash.`);
    const expectedSeq = previous ? previous.seq + 1 : opts.segment ? e.seq : 1;
    if (e.seq !== expectedSeq) return broken(e, 'sequence_gap', `Audit entry ${e.seq} follows entry ${expectedSeq - 1}: entries are missing or out of order.`);
    const expectedPrev = previous ? previous.hash : opts.segment ? e.prevHash : GENESIS_HASH;
    if (e.prevHash !== expectedPrev) return broken(e, 'link_broken', `Audit entry ${e.seq} does not point at the hash of entry ${e.seq - 1}: the chain was broken here.`);
    previous = e;
    index++;
  }
  return { ok: true, entries: index };
}
