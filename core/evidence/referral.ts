// A referral of a person's content to the police: what is suspected and why, who referred it,
// and where it stands (draft → sent → acknowledged → closed). Pure: callers pass the time.

import { Conflict, ValidationFailed } from '../errors';
import type { Platform } from '../platform';
import type { RestrictionKind } from '../restriction';
import type { Characteristic, Offence } from '../detect/types';

export const REFERRAL_STATUSES = ['draft', 'sent', 'acknowledged', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Who the referral is about: enough for the police to identify them, no more of the register. */
export interface PersonSummary {
  personId: string;
  name: string;
  otherNames: string[];
  accounts: { platform: Platform; accountId: string; handle?: string }[];
}

/** One recorded step in the life of a restriction, as the confidential central log holds it. */
export interface RestrictionHistoryEntry {
  at: Date;
  restrictionId: string;
  event:
    | 'proposed'
    | 'approved'
    | 'confirmed_in_writing'
    | 'reviewed'
    | 'representations_received'
    | 'lifted'
    | 'expired';
  kinds: RestrictionKind[];
  /** The officer who acted, by name and role (e.g. "J Smith, Assistant Director"). */
  by: string;
  note?: string;
}

export interface ReferringOfficer {
  id: string;
  name: string;
  jobTitle: string;
  /** Used in exhibit labels ("ABC/1"). */
  initials: string;
}

export interface ReferralCase {
  id: string;
  /** The council's own reference, printed on every page, e.g. "PR-2026-0042". */
  reference: string;
  person: PersonSummary;
  restrictionHistory: RestrictionHistoryEntry[];
  /** The offences the officer suspects (the detector only suggests). */
  suspectedOffences: Offence[];
  /** Policy: reported as hate crime when directed at one of these characteristics. */
  hateCrimeCategories: Characteristic[];
  /** The referring officer's reasons, in their words. */
  officerReasons: string;
  referringOfficer: ReferringOfficer;
  policeForce: string;
  /** Given by the police when they acknowledge the referral. */
  crimeReference?: string;
  status: ReferralStatus;
  sentAt?: Date;
  acknowledgedAt?: Date;
  closedAt?: Date;
}

const NEXT: Record<ReferralStatus, readonly ReferralStatus[]> = {
  draft: ['sent', 'closed'],
  sent: ['acknowledged', 'closed'],
  acknowledged: ['closed'],
  closed: [],
};

export function canMoveReferral(from: ReferralStatus, to: ReferralStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * The referral after a status change. A draft can be withdrawn (closed) before it is sent;
 * acknowledging needs the crime reference the police gave.
 */
export function moveReferral(
  referral: ReferralCase,
  to: ReferralStatus,
  at: Date,
  crimeReference?: string,
): ReferralCase {
  if (!canMoveReferral(referral.status, to)) {
    throw new Conflict(`Referral ${referral.reference} is ${referral.status} and cannot become ${to}.`);
  }
  if (to === 'acknowledged') {
    const ref = (crimeReference ?? referral.crimeReference ?? '').trim();
    if (ref === '')
      throw new ValidationFailed(
        'crimeReference',
        'Enter the crime reference the police gave when they acknowledged the referral.',
      );
    return { ...referral, status: to, acknowledgedAt: at, crimeReference: ref };
  }
  if (to === 'sent') return { ...referral, status: to, sentAt: at };
  return { ...referral, status: to, closedAt: at };
}
