// One exhibit in a police referral: a captured comment with everything a court needs to trust
// it — the platform's raw payload exactly as received and its SHA-256, when it was written and
// when we captured it, why it was flagged, and what the platform later said about it.
// Plain data: the store builds these, the evidence pack renders them.

import type { Flag } from '../detect/types';
import { ValidationFailed } from '../errors';
import type { Platform } from '../platform';
import { sha256Hex } from './digest';

/**
 * Why the assessment flagged an item: the detector's own flag (core/detect), of which the pack
 * needs the category, the reason, the characteristic targeted and the offences it may amount to.
 */
export type DetectorFlag = Pick<Flag, 'category' | 'reason' | 'offences'> & Partial<Pick<Flag, 'score' | 'target' | 'targets' | 'rules'>>;

/** A comment around the exhibit (the post it replied to, earlier replies), shown so it is read in context. */
export interface ThreadContextItem {
  relation: 'post' | 'parent' | 'earlier_reply' | 'later_reply';
  externalId: string;
  accountId: string;
  handle?: string;
  displayName?: string;
  text: string;
  createdAt: Date;
  permalink?: string;
}

/** The platform told us the item is no longer there (deleted, hidden by its author, account gone). */
export interface PlatformGoneRecord {
  checkedAt: Date;
  status:
    'deleted' | 'hidden_by_author' | 'account_suspended' | 'account_deleted' | 'not_found' | 'unavailable';
  /** What the platform answered, in its words (HTTP status and error message). */
  detail: string;
}

export interface EvidenceItem {
  /** Police-style exhibit label, e.g. "ABC/1" (see exhibitReference). */
  exhibit: string;
  platform: Platform;
  externalId: string;
  accountId: string;
  handle?: string;
  displayName?: string;
  text: string;
  permalink?: string;
  /** When the platform says it was written (UTC). */
  createdAt: Date;
  /** When this service captured it (UTC). */
  capturedAt: Date;
  /** How it was captured, for the witness statement: e.g. "X API v2 mentions timeline". */
  capturedVia: string;
  /** The platform's payload exactly as received; never re-serialised. */
  rawPayload: string;
  /** SHA-256 (hex) of rawPayload's UTF-8 bytes, recorded at capture. */
  rawPayloadSha256: string;
  flags: DetectorFlag[];
  threadContext: ThreadContextItem[];
  platformGone: PlatformGoneRecord[];
}

/**
 * Police exhibit labels are the producing officer's initials and a running number ("ABC/1"),
 * unique within a case. The case reference does not appear in the label — it is printed beside
 * every label in the report and carried in the manifest — but a number is never issued without one.
 */
export function exhibitReference(caseRef: string, officerInitials: string, n: number): string {
  if (caseRef.trim() === '')
    throw new ValidationFailed('caseRef', 'An exhibit number needs the referral case it belongs to.');
  const initials = officerInitials.trim().toUpperCase();
  if (!/^[A-Z]{2,4}$/.test(initials)) {
    throw new ValidationFailed(
      'officerInitials',
      `Officer initials must be 2 to 4 letters (got "${officerInitials}").`,
    );
  }
  if (!Number.isInteger(n) || n < 1)
    throw new ValidationFailed('n', `Exhibit numbers start at 1 (got ${n}).`);
  return `${initials}/${n}`;
}

const EXHIBIT_LABEL = /^[A-Z]{2,4}\/[1-9][0-9]*$/;

export function isExhibitReference(label: string): boolean {
  return EXHIBIT_LABEL.test(label);
}

/** The label as a file name inside a pack ("ABC/1" → "ABC-1"): a slash would make a folder. */
export function exhibitFileStem(label: string): string {
  if (!isExhibitReference(label))
    throw new ValidationFailed('exhibit', `"${label}" is not an exhibit reference like ABC/1.`);
  return label.replace('/', '-');
}

/** Evidence integrity: the payload we hold must still be the one whose hash we recorded at capture. */
export function rawPayloadIsIntact(item: Pick<EvidenceItem, 'rawPayload' | 'rawPayloadSha256'>): boolean {
  return sha256Hex(item.rawPayload) === item.rawPayloadSha256.toLowerCase();
}
