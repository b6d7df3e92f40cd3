// The life of a restriction: proposed by a service → approved (active) by an authorising officer →
// reviewed at least every six months → lifted or expired. Each move names who made it and why.
// Pure rules: they never save anything; the caller passes the clock and stores the move.
import { Conflict, Forbidden, ValidationFailed } from '../errors';
import type { RestrictionStatus } from '../restriction';
import { can } from '../roles';
import { MAX_REVIEW_MONTHS, reviewDueAfter } from './review-date';
import type { Ending, ReviewOutcome, ReviewRecord, RestrictionRecord, StatusChange } from './types';

/** The officer making a move, as the session knows them. */
export interface ActingOfficer {
  username: string;
  roles: readonly string[];
}

/** A move to store: the status it must still be in (so two officers cannot both move it), and what changes. */
export interface Move {
  from: RestrictionStatus;
  to: RestrictionStatus;
  set: Partial<
    Pick<RestrictionRecord, 'status' | 'approvedBy' | 'approvedAt' | 'reviewDue' | 'liftedAt' | 'liftReason'>
  >;
  change: StatusChange;
  review?: ReviewRecord;
}

const IN_FORCE: readonly RestrictionStatus[] = ['active', 'reviewed'];

function required(field: string, value: string | undefined, message: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw new ValidationFailed(field, message);
  return text;
}

function checkReviewPeriod(field: string, months: number): number {
  if (!Number.isInteger(months) || months < 1 || months > MAX_REVIEW_MONTHS) {
    throw new ValidationFailed(
      field,
      'Choose a review period of six months or less: policy says a restriction is reviewed at least every six months',
    );
  }
  return months;
}

function mustAuthorise(officer: ActingOfficer, what: string): void {
  if (!can(officer.roles, 'register.approve')) {
    throw new Forbidden(`Only an authorising officer (a director or assistant director) can ${what}`);
  }
}

/** A service proposes a restriction; nothing is enforced until an authorising officer approves it. */
export function proposal(
  officer: ActingOfficer,
  at: Date,
  reason: string,
): { status: 'proposed'; proposedBy: string; proposedAt: Date; history: StatusChange[] } {
  if (!can(officer.roles, 'register.propose'))
    throw new Forbidden('You do not have permission to propose a restriction');
  const why = required('reason', reason, 'Describe the behaviour that led to this proposal');
  return {
    status: 'proposed',
    proposedBy: officer.username,
    proposedAt: at,
    history: [{ from: 'none', to: 'proposed', at, by: officer.username, reason: why }],
  };
}

/** Whether this officer may approve this restriction (for showing the button; `approve` enforces it). */
export function mayApprove(
  r: Pick<RestrictionRecord, 'status' | 'proposedBy'>,
  officer: ActingOfficer,
): boolean {
  return (
    r.status === 'proposed' && can(officer.roles, 'register.approve') && r.proposedBy !== officer.username
  );
}

/** Whether this officer may review, lift or end this restriction. */
export function mayReviewOrEnd(r: Pick<RestrictionRecord, 'status'>, officer: ActingOfficer): boolean {
  return IN_FORCE.includes(r.status) && can(officer.roles, 'register.approve');
}

/**
 * Approval makes a proposal active. Policy: only an authorising officer approves, never their own
 * proposal; an active restriction has a reason and a review date at most six months away (computed).
 */
export function approve(
  r: Pick<RestrictionRecord, 'status' | 'proposedBy' | 'reason' | 'kinds'>,
  officer: ActingOfficer,
  at: Date,
  input: { reviewInMonths: number; reason: string },
): Move {
  mustAuthorise(officer, 'approve a restriction');
  if (r.proposedBy === officer.username) {
    throw new Forbidden('You proposed this restriction, so a different authorising officer must approve it');
  }
  if (r.status !== 'proposed')
    throw new Conflict(
      `This restriction is ${r.status}, so it cannot be approved. Only a proposed restriction can be approved.`,
    );
  if (r.reason.trim() === '')
    throw new Conflict(
      'This proposal has no reason recorded. Ask the proposing service to record the behaviour before it is approved.',
    );
  if (r.kinds.length === 0) throw new Conflict('This proposal names no kind of restriction.');
  const why = required('reason', input.reason, 'Explain why the restriction is needed and proportionate');
  const months = checkReviewPeriod('reviewInMonths', input.reviewInMonths);
  return {
    from: 'proposed',
    to: 'active',
    set: {
      status: 'active',
      approvedBy: officer.username,
      approvedAt: at,
      reviewDue: reviewDueAfter(at, months),
    },
    change: { from: 'proposed', to: 'active', at, by: officer.username, reason: why },
  };
}

/** Policy §15: a review keeps the restriction with a new review date (at most six months on), or lifts it. */
export function review(
  r: Pick<RestrictionRecord, 'status'>,
  officer: ActingOfficer,
  at: Date,
  input: { outcome: ReviewOutcome; reasons: string; nextReviewInMonths?: number },
): Move {
  mustAuthorise(officer, 'review a restriction');
  if (!IN_FORCE.includes(r.status))
    throw new Conflict(`This restriction is ${r.status}, so there is nothing to review.`);
  const reasons = required('reasons', input.reasons, 'Give the reasons for the outcome of the review');
  if (input.outcome === 'lift') {
    return {
      from: r.status,
      to: 'lifted',
      set: { status: 'lifted', liftedAt: at, liftReason: reasons },
      change: { from: r.status, to: 'lifted', at, by: officer.username, reason: reasons },
      review: { reviewedAt: at, reviewedBy: officer.username, outcome: 'lift', reasons },
    };
  }
  if (input.nextReviewInMonths === undefined)
    throw new ValidationFailed('nextReviewInMonths', 'Choose when the restriction will next be reviewed');
  const nextReviewDue = reviewDueAfter(at, checkReviewPeriod('nextReviewInMonths', input.nextReviewInMonths));
  return {
    from: r.status,
    to: 'reviewed',
    set: { status: 'reviewed', reviewDue: nextReviewDue },
    change: { from: r.status, to: 'reviewed', at, by: officer.username, reason: reasons },
    review: { reviewedAt: at, reviewedBy: officer.username, outcome: 'continue', reasons, nextReviewDue },
  };
}

/** Ends a restriction in force: lifted (circumstances changed) or expired (its term ended). A reason is required. */
export function end(
  r: Pick<RestrictionRecord, 'status'>,
  officer: ActingOfficer,
  at: Date,
  input: { ending: Ending; reason: string },
): Move {
  mustAuthorise(officer, 'lift a restriction');
  if (!IN_FORCE.includes(r.status))
    throw new Conflict(`This restriction is ${r.status}, so it cannot be ${input.ending}.`);
  const reason = required(
    'reason',
    input.reason,
    input.ending === 'lifted'
      ? 'Give the reason for lifting the restriction'
      : 'Give the reason the restriction has expired',
  );
  return {
    from: r.status,
    to: input.ending,
    set: { status: input.ending, liftedAt: at, liftReason: reason },
    change: { from: r.status, to: input.ending, at, by: officer.username, reason },
  };
}
