// The audit trail carried in an evidence pack is a stretch of the service's own audit log, so
// it is checked with the same hash chain (core/audit.ts), as a segment.
import { checkAuditChain, type ChainCheck, type StoredAuditEntry } from '../audit';

export { auditEntryHash, nextAuditEntry, GENESIS_HASH, type AuditEntry, type StoredAuditEntry, type ChainCheck } from '../audit';

/** Checks a case's consecutive stretch of the log: its first prevHash points outside it. */
export function verifyAuditChain(entries: readonly StoredAuditEntry[]): ChainCheck {
  return checkAuditChain(entries, { segment: true });
}
