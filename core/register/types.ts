// The register of restricted customers as the council records it: a person, and each restriction on
// them with its details, history, reviews, representations and escalations. Plain types, no I/O.
import type { RegisterPerson, Restriction, RestrictionStatus } from '../restriction';

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Policy: escalations are decided by the Head of Legal Services or the Chief Strategy Officer. */
export const ESCALATION_DECIDERS = ['head_of_legal_services', 'chief_strategy_officer'] as const;
export type EscalationDecider = (typeof ESCALATION_DECIDERS)[number];

export const ESCALATION_DECIDER_LABELS: Record<EscalationDecider, string> = {
  head_of_legal_services: 'Head of Legal Services',
  chief_strategy_officer: 'Chief Strategy Officer',
};

/** Policy §15: at review a restriction is kept (with a new review date) or lifted. */
export const REVIEW_OUTCOMES = ['continue', 'lift'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** How a restriction ends: lifted because circumstances changed, or expired at the end of its term. */
export const ENDINGS = ['lifted', 'expired'] as const;
export type Ending = (typeof ENDINGS)[number];

export const SCOPE_LEVELS = ['council', 'service', 'committee', 'meeting'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** The details some kinds need before they mean anything to the customer or to staff. */
export interface KindDetails {
  /** phone_days_times: the days, and the hours on them (24-hour "HH:MM", London time). */
  phone?: { days: Weekday[]; from: string; to: string };
  /** contact_time_limit: the longest one contact may last. */
  timeLimitMinutes?: number;
  /** named_contact and auto_divert: who the customer deals with. */
  namedContact?: { name?: string; team?: string; email?: string; phone?: string };
  /** stop_processing_same_matter: the matter already answered in full. */
  sameMatter?: string;
}

/** One move in a restriction's life: who moved it, when, and why. */
export interface StatusChange {
  from: RestrictionStatus | 'none';
  to: RestrictionStatus;
  at: Date;
  by: string;
  reason: string;
}

export interface ReviewRecord {
  reviewedAt: Date;
  reviewedBy: string;
  outcome: ReviewOutcome;
  reasons: string;
  /** The next review date, computed: absent when the restriction was lifted. */
  nextReviewDue?: Date;
}

/** Policy: the customer's representations are recorded and considered. */
export interface Representation {
  receivedOn: Date;
  summary: string;
  response?: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface Escalation {
  decidedBy: EscalationDecider;
  decision: string;
  decidedOn: Date;
  recordedBy: string;
  recordedAt: Date;
}

export interface Incident {
  occurredOn: Date;
  description: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface SocialAccount {
  platform: string;
  /** May be empty while only the handle is known. */
  accountId: string;
  handle?: string;
  handleHistory: string[];
}

/** A person on the register, with everything the council holds about them. */
export interface PersonRecord extends RegisterPerson {
  addresses: string[];
  socialAccounts: SocialAccount[];
  supportWorker?: string;
  supportWorkerOrganisation?: string;
  supportWorkerArrangement?: string;
  wardCouncillors: string[];
  staffSafetyReference?: string;
  confidentialNotes?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A restriction with its whole record. `reason` is the behaviour that led to it. */
export interface RestrictionRecord extends Restriction {
  reference: string;
  reason: string;
  details: KindDetails;
  proposedBy: string;
  proposedAt: Date;
  proposingService: string;
  approvedBy?: string;
  writtenConfirmationAt?: Date;
  liftReason?: string;
  wardCouncillorArrangements?: string;
  incidents: Incident[];
  reviews: ReviewRecord[];
  representations: Representation[];
  escalations: Escalation[];
  history: StatusChange[];
}
