// The kinds of contact restriction the council's policy allows, and the life of a restriction.
// Pure data and rules: no I/O, no clock of its own (callers pass `at`).

/** Policy: each kind is a value, not free text. Only the last three marked `enforced` are applied by this service. */
export const RESTRICTION_KINDS = [
  'phone_days_times',
  'contact_time_limit',
  'writing_or_email_only',
  'postal_only',
  'single_point_of_response',
  'named_contact',
  'auto_divert',
  'stop_processing_same_matter',
  'witness_required',
  'social_media_block',
  'no_public_participation',
  'report_to_police',
] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

/** The kinds this service enforces automatically; all others are recorded and shown to staff. */
export const ENFORCED_KINDS: readonly RestrictionKind[] = ['social_media_block', 'no_public_participation', 'report_to_police'];

export const RESTRICTION_KIND_LABELS: Record<RestrictionKind, string> = {
  phone_days_times: 'Telephone contact limited to set days and times',
  contact_time_limit: 'Time limit on contact',
  writing_or_email_only: 'Contact in writing or by e-mail only',
  postal_only: 'Contact by post only',
  single_point_of_response: 'One line of response',
  named_contact: 'Named contact or team only',
  auto_divert: 'Correspondence automatically diverted',
  stop_processing_same_matter: 'Correspondence on the same matter read and filed, no reply',
  witness_required: 'Witness required for personal contact',
  social_media_block: "Blocked from the council's social media",
  no_public_participation: 'No public participation at meetings: written submission instead',
  report_to_police: 'Reported to the police',
};

export const RESTRICTION_STATUSES = ['proposed', 'active', 'reviewed', 'lifted', 'expired'] as const;
export type RestrictionStatus = (typeof RESTRICTION_STATUSES)[number];

/** A restriction as the rest of the system sees it (store/ adds history, letters and reviews). */
export interface Restriction {
  id: string;
  personId: string;
  kinds: RestrictionKind[];
  status: RestrictionStatus;
  /** Scope: one service, one committee/meeting, or the whole council. */
  scope: { level: 'council' | 'service' | 'committee' | 'meeting'; name?: string };
  approvedAt?: Date;
  reviewDue?: Date;
  liftedAt?: Date;
}

/** Statuses in which a restriction binds (reviewed = active and confirmed at review). */
export function isInForce(r: Pick<Restriction, 'status' | 'reviewDue' | 'liftedAt'>, at: Date): boolean {
  if (r.status !== 'active' && r.status !== 'reviewed') return false;
  if (r.liftedAt && r.liftedAt <= at) return false;
  return true;
}

/** A person on the register, with every identifier the matching engine indexes. */
export interface RegisterPerson {
  id: string;
  names: string[];
  emails: string[];
  phones: string[];
  socialAccounts: { platform: string; accountId: string; handle?: string; handleHistory?: string[] }[];
}
