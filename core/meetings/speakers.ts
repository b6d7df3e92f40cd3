// Who speaks on an agenda item at a public meeting: the outcome of a speaking request, the order
// of speakers, the waiting list and its promotions, and the public forms. Pure: the clock, the
// register matches and the deadline rule are passed in; changes come back as decisions to record.

import { z } from 'zod';
import { isPossiblePhoneNumber } from 'libphonenumber-js';
import { Conflict, NotFound, ValidationFailed } from '../errors';
import { isInForce, type Restriction } from '../restriction';
import { isLate, type BankHolidayCalendar, type RegistrationDeadlineRule } from './deadline';

export const SPEAKING_MODES = ['in_person', 'remote', 'written_only'] as const;
export type SpeakingMode = (typeof SPEAKING_MODES)[number];

export const SPEAKING_MODE_LABELS: Record<SpeakingMode, string> = {
  in_person: 'In person',
  remote: 'Remotely (online)',
  written_only: 'Written statement only',
};

export const SPEAKING_REQUEST_STATUSES = [
  'accepted',
  'waiting_list',
  'awaiting_officer_confirmation',
  'written_submission',
  'late',
  'withdrawn',
] as const;
export type SpeakingRequestStatus = (typeof SPEAKING_REQUEST_STATUSES)[number];

/**
 * The place a request awaiting officer confirmation keeps meanwhile. Policy: a person is never
 * restricted on a guess, so a name-only match must not cost them their place in the queue.
 */
export type HeldPlace = 'speaking' | 'waiting_list';

export interface MeetingForSpeaking {
  id: string;
  /** The committee's name as restrictions scoped to a committee name it. */
  committee: string;
  startsAt: Date;
}

export interface AgendaItemForSpeaking {
  id: string;
  /** Standing orders: the most public speakers heard on one item. */
  maxSpeakers: number;
}

/** A speaking request as the rules see it (store/ keeps the requester's details). */
export interface SpeakingRequest {
  id: string;
  agendaItemId: string;
  mode: SpeakingMode;
  submittedAt: Date;
  status: SpeakingRequestStatus;
  heldPlace?: HeldPlace;
}

/**
 * A person on the register the requester was matched to, and how. A match on e-mail or phone,
 * or one an officer has confirmed, can be enforced; a match on name alone cannot.
 */
export interface RegisterMatch {
  personId: string;
  matchedOn: 'email' | 'phone' | 'name' | 'officer_confirmed';
  restrictions: Restriction[];
}

export type SpeakingRule =
  | 'registration_deadline'
  | 'no_public_participation'
  | 'chose_written_submission'
  | 'name_match_needs_officer'
  | 'speaking_place_free'
  | 'item_full'
  | 'promoted_from_waiting_list'
  | 'withdrawn_by_requester'
  | 'officer_confirmed_match'
  | 'officer_rejected_match';

/** What was decided about one request, by which rule and why: an event to record, not a flag to flip. */
export interface SpeakingDecision {
  requestId: string;
  status: SpeakingRequestStatus;
  heldPlace?: HeldPlace;
  rule: SpeakingRule;
  /** Plain words for the clerk and the audit log. */
  reason: string;
  restrictionId?: string;
  personId?: string;
}

export interface DeadlineRules {
  rule: RegistrationDeadlineRule;
  calendar: BankHolidayCalendar;
}

/**
 * Policy: an in-force "no public participation" restriction bars speaking at a meeting when it
 * covers the whole council, the meeting's committee, or that meeting (scope name = meeting id).
 * A restriction on one service does not reach meetings.
 */
export function restrictionBarsSpeaking(
  restriction: Restriction,
  meeting: MeetingForSpeaking,
  at: Date,
): boolean {
  if (!restriction.kinds.includes('no_public_participation') || !isInForce(restriction, at)) return false;
  const { level, name } = restriction.scope;
  if (level === 'council') return true;
  if (level === 'committee') return sameName(name, meeting.committee);
  if (level === 'meeting') return name === meeting.id;
  return false;
}

function sameName(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function barringRestriction(
  matches: RegisterMatch[],
  meeting: MeetingForSpeaking,
  at: Date,
  enforceable: boolean,
): { match: RegisterMatch; restriction: Restriction } | undefined {
  for (const match of matches) {
    if ((match.matchedOn !== 'name') !== enforceable) continue;
    const restriction = match.restrictions.find((r) => restrictionBarsSpeaking(r, meeting, at));
    if (restriction) return { match, restriction };
  }
  return undefined;
}

function holdsSpeakingPlace(r: SpeakingRequest): boolean {
  return (
    r.status === 'accepted' || (r.status === 'awaiting_officer_confirmation' && r.heldPlace === 'speaking')
  );
}

function holdsWaitingListPlace(r: SpeakingRequest): boolean {
  return (
    r.status === 'waiting_list' ||
    (r.status === 'awaiting_officer_confirmation' && r.heldPlace === 'waiting_list')
  );
}

/** First come, first served; the request id settles a tie so every copy of the service agrees. */
function bySubmission(a: SpeakingRequest, b: SpeakingRequest): number {
  return a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The speakers on an item in the order the chair calls them (including those awaiting an officer). */
export function speakingOrder(requests: SpeakingRequest[]): SpeakingRequest[] {
  return requests.filter(holdsSpeakingPlace).sort(bySubmission);
}

/** The waiting list in the order places are offered. */
export function waitingList(requests: SpeakingRequest[]): SpeakingRequest[] {
  return requests.filter(holdsWaitingListPlace).sort(bySubmission);
}

function checkCapacity(item: AgendaItemForSpeaking): void {
  if (!Number.isInteger(item.maxSpeakers) || item.maxSpeakers < 0) {
    throw new ValidationFailed(
      'maxSpeakers',
      'Maximum speakers for an agenda item must be a whole number, 0 or more',
    );
  }
}

function forItem(item: AgendaItemForSpeaking, requests: SpeakingRequest[]): SpeakingRequest[] {
  return requests.filter((r) => r.agendaItemId === item.id);
}

export interface NewSpeakingRequest {
  id: string;
  agendaItemId: string;
  mode: SpeakingMode;
  submittedAt: Date;
}

/**
 * The outcome of a new speaking request. In order: late requests are late for everyone; an
 * enforceable restriction converts the request to a written submission; a written-only request
 * is a written submission; a name-only match waits for an officer (keeping its place); then
 * the item's capacity decides between a speaking place and the waiting list.
 */
export function decideSpeakingRequest(input: {
  request: NewSpeakingRequest;
  meeting: MeetingForSpeaking;
  item: AgendaItemForSpeaking;
  /** Requests already recorded (other items' requests are ignored). */
  existing: SpeakingRequest[];
  registerMatches: RegisterMatch[];
  deadline: DeadlineRules;
  at: Date;
}): SpeakingDecision {
  const { request, meeting, item, registerMatches, deadline, at } = input;
  checkCapacity(item);
  if (request.agendaItemId !== item.id) {
    throw new ValidationFailed('agendaItemId', 'Select an agenda item from this meeting');
  }
  const requestId = request.id;

  if (isLate(request.submittedAt, meeting.startsAt, deadline.rule, deadline.calendar)) {
    return {
      requestId,
      status: 'late',
      rule: 'registration_deadline',
      reason: 'Received after the registration deadline for this meeting.',
    };
  }

  const enforced = barringRestriction(registerMatches, meeting, at, true);
  if (enforced) {
    return {
      requestId,
      status: 'written_submission',
      rule: 'no_public_participation',
      reason: `Converted to a written submission: the requester is restricted from public participation (matched on ${enforced.match.matchedOn.replace('_', ' ')}).`,
      restrictionId: enforced.restriction.id,
      personId: enforced.match.personId,
    };
  }

  if (request.mode === 'written_only') {
    return {
      requestId,
      status: 'written_submission',
      rule: 'chose_written_submission',
      reason: 'The requester asked to submit a written statement only.',
    };
  }

  const existing = forItem(item, input.existing).filter((r) => r.id !== requestId);
  const placeFree = speakingOrder(existing).length < item.maxSpeakers;
  const heldPlace: HeldPlace = placeFree ? 'speaking' : 'waiting_list';

  const guessed = barringRestriction(registerMatches, meeting, at, false);
  if (guessed) {
    return {
      requestId,
      status: 'awaiting_officer_confirmation',
      heldPlace,
      rule: 'name_match_needs_officer',
      reason: `The name matches someone restricted from public participation. An officer must confirm it is the same person; until then the request keeps its ${heldPlace === 'speaking' ? 'speaking place' : 'place on the waiting list'}.`,
      personId: guessed.match.personId,
    };
  }

  return placeFree
    ? {
        requestId,
        status: 'accepted',
        rule: 'speaking_place_free',
        reason: 'A speaking place was free on this item.',
      }
    : {
        requestId,
        status: 'waiting_list',
        rule: 'item_full',
        reason: `All ${item.maxSpeakers} speaking places on this item are taken: added to the waiting list.`,
      };
}

/**
 * Offers free speaking places to the waiting list, first come first served. Call after any
 * change that frees a place (a withdrawal, a conversion, a larger item capacity).
 */
export function promoteFromWaitingList(
  item: AgendaItemForSpeaking,
  requests: SpeakingRequest[],
): SpeakingDecision[] {
  checkCapacity(item);
  const onItem = forItem(item, requests);
  const free = item.maxSpeakers - speakingOrder(onItem).length;
  if (free <= 0) return [];
  return waitingList(onItem)
    .slice(0, free)
    .map((r) =>
      r.status === 'awaiting_officer_confirmation'
        ? {
            requestId: r.id,
            status: r.status,
            heldPlace: 'speaking' as const,
            rule: 'promoted_from_waiting_list' as const,
            reason: 'A speaking place became free; it is held while an officer confirms the name match.',
          }
        : {
            requestId: r.id,
            status: 'accepted' as const,
            rule: 'promoted_from_waiting_list' as const,
            reason: 'A speaking place became free and this request was first on the waiting list.',
          },
    );
}

function applyDecision(requests: SpeakingRequest[], d: SpeakingDecision): SpeakingRequest[] {
  return requests.map((r) => (r.id === d.requestId ? { ...r, status: d.status, heldPlace: d.heldPlace } : r));
}

function find(requests: SpeakingRequest[], requestId: string): SpeakingRequest {
  const found = requests.find((r) => r.id === requestId);
  if (!found) throw new NotFound(`No speaking request ${requestId} on this agenda item`);
  return found;
}

/** The requester withdraws; the first on the waiting list takes any place this frees. */
export function withdrawSpeakingRequest(input: {
  item: AgendaItemForSpeaking;
  requests: SpeakingRequest[];
  requestId: string;
}): SpeakingDecision[] {
  const request = find(forItem(input.item, input.requests), input.requestId);
  if (request.status === 'withdrawn') throw new Conflict('This speaking request has already been withdrawn');
  const withdrawal: SpeakingDecision = {
    requestId: request.id,
    status: 'withdrawn',
    rule: 'withdrawn_by_requester',
    reason: 'Withdrawn by the requester.',
  };
  return [withdrawal, ...promoteFromWaitingList(input.item, applyDecision(input.requests, withdrawal))];
}

/**
 * An officer's answer to a name-only match. `confirmedMatch` is the register entry the officer
 * confirmed is this requester, or null when it is someone else: then the request simply takes
 * the place it kept.
 */
export function recordOfficerConfirmation(input: {
  meeting: MeetingForSpeaking;
  item: AgendaItemForSpeaking;
  requests: SpeakingRequest[];
  requestId: string;
  confirmedMatch: RegisterMatch | null;
  at: Date;
}): SpeakingDecision[] {
  const { meeting, item, confirmedMatch, at } = input;
  const request = find(forItem(item, input.requests), input.requestId);
  if (request.status !== 'awaiting_officer_confirmation') {
    throw new Conflict('This speaking request is not awaiting officer confirmation');
  }
  const barring = confirmedMatch
    ? barringRestriction([{ ...confirmedMatch, matchedOn: 'officer_confirmed' }], meeting, at, true)
    : undefined;

  if (barring) {
    const conversion: SpeakingDecision = {
      requestId: request.id,
      status: 'written_submission',
      rule: 'officer_confirmed_match',
      reason:
        'An officer confirmed the requester is restricted from public participation: converted to a written submission.',
      restrictionId: barring.restriction.id,
      personId: barring.match.personId,
    };
    return [conversion, ...promoteFromWaitingList(item, applyDecision(input.requests, conversion))];
  }

  const place = request.heldPlace ?? 'waiting_list';
  return [
    {
      requestId: request.id,
      status: place === 'speaking' ? 'accepted' : 'waiting_list',
      rule: 'officer_rejected_match',
      reason: confirmedMatch
        ? 'An officer confirmed the match, but no restriction now bars this person from speaking at this meeting: the request keeps its place.'
        : 'An officer confirmed the requester is not the restricted person: the request keeps its place.',
    },
  ];
}

// ---- The public forms (GOV.UK error messages: say what to do, name the field) ----

const MAX = { name: 100, email: 254, phone: 30, address: 500, id: 64, topic: 500, statementChars: 5000 };
/** Standing orders: a written statement is read out in full, in about three minutes. */
export const MAX_STATEMENT_WORDS = 500;

function requiredText(missing: string, max: number, tooLong: string) {
  return z
    .string({ required_error: missing, invalid_type_error: missing })
    .trim()
    .min(1, missing)
    .max(max, tooLong);
}

const idField = (missing: string) =>
  z
    .string({ required_error: missing, invalid_type_error: missing })
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, missing);

const fullName = requiredText(
  'Enter your full name',
  MAX.name,
  `Full name must be ${MAX.name} characters or less`,
);

const email = requiredText(
  'Enter your email address',
  MAX.email,
  `Email address must be ${MAX.email} characters or less`,
).email('Enter your email address in the correct format, like name@example.com');

const phone = requiredText(
  'Enter your phone number',
  MAX.phone,
  `Phone number must be ${MAX.phone} characters or less`,
).refine(
  // Possible rather than valid: lenient by design, so real numbers are never turned away.
  (value) => value === '' || value.length > MAX.phone || isPossiblePhoneNumber(value, 'GB'),
  'Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
);

const optionalAddress = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z
    .string({ invalid_type_error: 'Enter your address' })
    .trim()
    .max(MAX.address, `Address must be ${MAX.address} characters or less`)
    .optional(),
);

const meetingId = idField('Select the meeting you want to speak at');
const agendaItemId = idField('Select the agenda item you want to speak about');

export const speakingRequestFormSchema = z.object({
  fullName,
  email,
  phone,
  address: optionalAddress,
  meetingId,
  agendaItemId,
  mode: z.enum(SPEAKING_MODES, {
    errorMap: () => ({ message: 'Select how you want to take part in the meeting' }),
  }),
  topic: requiredText(
    'Enter what you want to speak about',
    MAX.topic,
    `What you want to speak about must be ${MAX.topic} characters or less`,
  ),
});
export type SpeakingRequestForm = z.infer<typeof speakingRequestFormSchema>;

function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

export const writtenStatementFormSchema = z.object({
  fullName,
  email,
  meetingId,
  agendaItemId,
  statement: requiredText(
    'Enter your written statement',
    MAX.statementChars,
    `Your written statement must be ${MAX.statementChars} characters or less`,
  ).refine(
    (text) => text === '' || wordCount(text) <= MAX_STATEMENT_WORDS,
    `Your written statement must be ${MAX_STATEMENT_WORDS} words or fewer`,
  ),
});
export type WrittenStatementForm = z.infer<typeof writtenStatementFormSchema>;
