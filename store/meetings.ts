// Public meetings, their agenda items, and the speaking requests made for them. A request's state
// is the result of the decisions recorded in its history (who or which rule, when, why); every
// change here goes through one of the operations below, which lock the meeting, ask core/meetings,
// save, and append to the audit log. Requesters' private links are kept only as SHA-256 hashes.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { isValidObjectId, Schema, Types, type Connection, type Model } from 'mongoose';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../core/errors';
import {
  DEFAULT_REGISTRATION_DEADLINE_RULE,
  registrationDeadline,
  type RegistrationDeadlineRule,
} from '../core/meetings/deadline';
import { englandBankHolidays } from '../core/meetings/england-bank-holidays';
import {
  decideSpeakingRequest,
  promoteFromWaitingList,
  recordOfficerConfirmation,
  SPEAKING_MODES,
  SPEAKING_REQUEST_STATUSES,
  speakingOrder,
  waitingList,
  withdrawSpeakingRequest,
  type AgendaItemForSpeaking,
  type DeadlineRules,
  type HeldPlace,
  type MeetingForSpeaking,
  type RegisterMatch,
  type SpeakingMode,
  type SpeakingRequest,
  type SpeakingRequestStatus,
  type SpeakingRule,
} from '../core/meetings/speakers';
import type { Restriction } from '../core/restriction';
import type { MeetingPackInput } from '../documents/meetings/meeting-pack';
import { appendAudit, type AuditModel } from './audit';
import type { RestrictionDoc } from './register';

// ---- What is stored ----

/** `received`: stored, not yet decided by the meetings worker. `refused`: an officer refused it. */
export const REQUEST_STATES = ['received', ...SPEAKING_REQUEST_STATUSES, 'refused'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Decisions core/meetings makes, and those an officer or the requester makes on the dashboard. */
export type RequestEvent =
  | 'received'
  | SpeakingRule
  | 'accepted_by_officer'
  | 'refused_by_officer'
  | 'moved_by_officer'
  | 'statement_received'
  | 'statement_checked'
  | 'statement_accepted_by_officer'
  | 'statement_refused_by_officer';

export const STATEMENT_CHECKS = ['pending', 'clear', 'flagged'] as const;
export type StatementCheck = (typeof STATEMENT_CHECKS)[number];

export interface AgendaItemFields {
  _id: Types.ObjectId;
  /** As printed on the agenda, e.g. "5" or "5(a)". */
  number: string;
  title: string;
}

export interface MeetingFields {
  title: string;
  committee: string;
  startsAt: Date;
  venue?: string;
  remoteLink?: string;
  chair?: string;
  clerk?: string;
  /** Standing orders: the most public speakers heard on one agenda item. */
  maxSpeakersPerItem: number;
  minutesPerSpeaker: number;
  agendaItems: AgendaItemFields[];
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface HistoryEntry {
  _id: Types.ObjectId;
  at: Date;
  /** An officer's username, `system:meetings`, or `requester`. */
  by: string;
  event: RequestEvent;
  status: RequestState;
  heldPlace?: HeldPlace;
  agendaItemId: string;
  reason: string;
  /** Whether the requester is e-mailed about this event (the meetings worker sends it once). */
  notify: boolean;
}

export interface StatementFields {
  text: string;
  submittedAt: Date;
  /** The content check (workers/meetings.ts): a flagged statement waits for an officer. */
  check: StatementCheck;
  checkReasons: string[];
  checkedAt?: Date;
  officerDecision?: 'accepted' | 'refused';
  officerReason?: string;
  decidedBy?: string;
  decidedAt?: Date;
}

export interface SpeakingRequestFields {
  /** Given to the requester on the confirmation page and in every e-mail. */
  reference: string;
  meetingId: string;
  agendaItemId: string;
  fullName: string;
  email: string;
  emailNormalised: string;
  phone: string;
  phoneE164?: string;
  address?: string;
  mode: SpeakingMode;
  topic: string;
  submittedAt: Date;
  status: RequestState;
  heldPlace?: HeldPlace;
  /** The register entry whose restriction converted the request (matched or officer-confirmed). */
  personId?: string;
  restrictionId?: string;
  restrictionScope?: Restriction['scope'];
  /** A name-only match waiting for an officer: who it may be. */
  suggestedPersonId?: string;
  /** SHA-256 of each private link sent to the requester; the links themselves are never stored. */
  privateLinkHashes: string[];
  /**
   * One open request per e-mail address and agenda item: `item|email` while open, `closed:<id>`
   * once withdrawn. A unique index makes a repeated submission fail even when two arrive together.
   */
  activeKey: string;
  statement?: StatementFields;
  previousStatements: StatementFields[];
  history: HistoryEntry[];
  /** History entries the requester has been e-mailed about. */
  notifiedEvents: string[];
}

export type StoredMeeting = MeetingFields & { _id: Types.ObjectId };
export type StoredSpeakingRequest = SpeakingRequestFields & { _id: Types.ObjectId };

const agendaItemSchema = new Schema<AgendaItemFields>({
  number: { type: String, required: true },
  title: { type: String, required: true },
});

const meetingSchema = new Schema<MeetingFields>(
  {
    title: { type: String, required: true },
    committee: { type: String, required: true },
    startsAt: { type: Date, required: true },
    venue: String,
    remoteLink: String,
    chair: String,
    clerk: String,
    maxSpeakersPerItem: { type: Number, required: true },
    minutesPerSpeaker: { type: Number, required: true },
    agendaItems: { type: [agendaItemSchema], default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false },
);
meetingSchema.index({ startsAt: 1 });

const historySchema = new Schema<HistoryEntry>({
  at: { type: Date, required: true },
  by: { type: String, required: true },
  event: { type: String, required: true },
  status: { type: String, enum: REQUEST_STATES, required: true },
  heldPlace: { type: String, enum: ['speaking', 'waiting_list'] },
  agendaItemId: { type: String, required: true },
  reason: { type: String, required: true },
  notify: { type: Boolean, required: true },
});

const statementSchema = new Schema<StatementFields>(
  {
    text: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    check: { type: String, enum: STATEMENT_CHECKS, required: true },
    checkReasons: { type: [String], default: [] },
    checkedAt: Date,
    officerDecision: { type: String, enum: ['accepted', 'refused'] },
    officerReason: String,
    decidedBy: String,
    decidedAt: Date,
  },
  { _id: false },
);

const speakingRequestSchema = new Schema<SpeakingRequestFields>(
  {
    reference: { type: String, required: true },
    meetingId: { type: String, required: true },
    agendaItemId: { type: String, required: true },
    fullName: { type: String, required: true },
    email: { type: String, required: true },
    emailNormalised: { type: String, required: true },
    phone: { type: String, required: true },
    phoneE164: String,
    address: String,
    mode: { type: String, enum: SPEAKING_MODES, required: true },
    topic: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    status: { type: String, enum: REQUEST_STATES, required: true },
    heldPlace: { type: String, enum: ['speaking', 'waiting_list'] },
    personId: String,
    restrictionId: String,
    restrictionScope: { type: { level: String, name: String }, default: undefined, _id: false },
    suggestedPersonId: String,
    privateLinkHashes: { type: [String], default: [] },
    activeKey: { type: String, required: true },
    statement: { type: statementSchema, default: undefined },
    previousStatements: { type: [statementSchema], default: [] },
    history: { type: [historySchema], default: [] },
    notifiedEvents: { type: [String], default: [] },
  },
  { versionKey: false },
);
speakingRequestSchema.index({ reference: 1 }, { unique: true });
speakingRequestSchema.index({ activeKey: 1 }, { unique: true });
speakingRequestSchema.index({ meetingId: 1 });
speakingRequestSchema.index({ privateLinkHashes: 1 });

export interface MeetingLockFields {
  meetingId: string;
  seq: number;
  holder: string;
  /** When a held lock lapses if its holder never releases it (a crashed process). */
  until?: Date;
  released: boolean;
}

const meetingLockSchema = new Schema<MeetingLockFields>(
  {
    meetingId: { type: String, required: true },
    seq: { type: Number, required: true },
    holder: { type: String, required: true },
    until: Date,
    released: { type: Boolean, required: true },
  },
  { versionKey: false },
);
// The atomic step of the lock (see withMeetingLock): one entry per number per meeting.
meetingLockSchema.index({ meetingId: 1, seq: 1 }, { unique: true });

export type MeetingLockModel = Model<MeetingLockFields>;

export function meetingLockModel(conn: Connection): MeetingLockModel {
  return conn.model<MeetingLockFields>('MeetingLock', meetingLockSchema, 'meeting_locks');
}

export type MeetingModel = Model<MeetingFields>;
export type SpeakingRequestModel = Model<SpeakingRequestFields>;

export function meetingModel(conn: Connection): MeetingModel {
  return conn.model<MeetingFields>('Meeting', meetingSchema, 'meetings');
}

export function speakingRequestModel(conn: Connection): SpeakingRequestModel {
  return conn.model<SpeakingRequestFields>('SpeakingRequest', speakingRequestSchema, 'speaking_requests');
}

/** The models the operations below need (a subset of store/connection's `Models`). */
export interface MeetingsModels {
  meetings: MeetingModel;
  meetingLocks: MeetingLockModel;
  speakingRequests: SpeakingRequestModel;
  restrictions: Model<RestrictionDoc>;
  audit: AuditModel;
}

// ---- Identifiers, links and the calendar ----

/** Standing orders for speaking requests, with England's bank holidays. */
let englandCalendar: ReturnType<typeof englandBankHolidays> | undefined;

export const SPEAKING_DEADLINES: DeadlineRules = {
  rule: DEFAULT_REGISTRATION_DEADLINE_RULE,
  // Built on first use: loading the holiday rules costs time every process need not spend.
  calendar: { isBankHoliday: (day) => (englandCalendar ??= englandBankHolidays()).isBankHoliday(day) },
};

/**
 * Written statements are due by midday one working day before the meeting, so the clerk can put
 * them in the meeting pack. A setting once the council's standing orders say otherwise.
 */
export const STATEMENT_DEADLINE_RULE: RegistrationDeadlineRule = { workingDaysBefore: 1, time: '12:00' };

export function registrationDeadlineOf(meeting: Pick<MeetingFields, 'startsAt'>): Date {
  return registrationDeadline(meeting.startsAt, SPEAKING_DEADLINES.rule, SPEAKING_DEADLINES.calendar);
}

export function statementDeadlineOf(meeting: Pick<MeetingFields, 'startsAt'>): Date {
  return registrationDeadline(meeting.startsAt, STATEMENT_DEADLINE_RULE, SPEAKING_DEADLINES.calendar);
}

/** Letters and digits that cannot be misread for each other on the phone (no 0/O, 1/I/L). */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `SR-${code}`;
}

/** 256 random bits: a link that cannot be guessed. Only its hash is stored. */
export function newPrivateLink(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashPrivateLink(token) };
}

export function hashPrivateLink(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikePrivateLink(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function phoneE164(phone: string): string | undefined {
  return parsePhoneNumberFromString(phone, 'GB')?.number;
}

export function activeKeyFor(agendaItemId: string, emailNormalised: string): string {
  return `${agendaItemId}|${emailNormalised}`;
}

export function isMeetingId(id: string): boolean {
  return /^[a-f0-9]{24}$/.test(id) && isValidObjectId(id);
}

// ---- From stored documents to what core/meetings reasons about ----

export function meetingForSpeaking(meeting: StoredMeeting): MeetingForSpeaking {
  return { id: String(meeting._id), committee: meeting.committee, startsAt: meeting.startsAt };
}

export function agendaItemOf(meeting: StoredMeeting, agendaItemId: string): AgendaItemFields | undefined {
  return meeting.agendaItems.find((i) => String(i._id) === agendaItemId);
}

export function itemForSpeaking(meeting: StoredMeeting, agendaItemId: string): AgendaItemForSpeaking {
  if (!agendaItemOf(meeting, agendaItemId)) throw new NotFound('That agenda item is not on this meeting');
  return { id: agendaItemId, maxSpeakers: meeting.maxSpeakersPerItem };
}

const CORE_STATUSES: readonly string[] = SPEAKING_REQUEST_STATUSES;

/** Requests the rules count: not those still being received, nor those an officer refused (they hold nothing). */
export function coreRequests(requests: StoredSpeakingRequest[]): SpeakingRequest[] {
  return requests
    .filter((r) => CORE_STATUSES.includes(r.status))
    .map((r) => ({
      id: String(r._id),
      agendaItemId: r.agendaItemId,
      mode: r.mode,
      submittedAt: r.submittedAt,
      status: r.status as SpeakingRequestStatus,
      ...(r.heldPlace ? { heldPlace: r.heldPlace } : {}),
    }));
}

function byId(requests: StoredSpeakingRequest[]): Map<string, StoredSpeakingRequest> {
  return new Map(requests.map((r) => [String(r._id), r]));
}

/** A request holding a speaking place on an item, a place on its waiting list, or waiting for an officer. */
export function itemPlaces(meeting: StoredMeeting, requests: StoredSpeakingRequest[], agendaItemId: string) {
  const core = coreRequests(requests).filter((r) => r.agendaItemId === agendaItemId);
  const docs = byId(requests);
  const pick = (list: SpeakingRequest[]) => list.map((r) => docs.get(r.id)!);
  const speakers = pick(speakingOrder(core));
  return {
    speakers,
    waiting: pick(waitingList(core)),
    placesLeft: Math.max(0, meeting.maxSpeakersPerItem - speakers.length),
  };
}

// ---- Recording decisions ----

/** Events the requester is e-mailed about (see workers/meetings.ts for the wording). */
const NOTIFIED: ReadonlySet<RequestEvent> = new Set<RequestEvent>([
  'registration_deadline',
  'no_public_participation',
  'chose_written_submission',
  'name_match_needs_officer',
  'speaking_place_free',
  'item_full',
  'promoted_from_waiting_list',
  'officer_confirmed_match',
  'officer_rejected_match',
  'accepted_by_officer',
  'refused_by_officer',
  'moved_by_officer',
  'statement_refused_by_officer',
]);

function notifies(event: RequestEvent, status: RequestState): boolean {
  // A place held while an officer checks a name match is not news for the requester yet.
  if (event === 'promoted_from_waiting_list') return status === 'accepted';
  return NOTIFIED.has(event);
}

/** One change to one request: a core SpeakingDecision, or an officer's or requester's. */
export interface RequestChange {
  requestId: string;
  status: RequestState;
  heldPlace?: HeldPlace;
  rule: RequestEvent;
  reason: string;
  personId?: string;
  restrictionId?: string;
  restrictionScope?: Restriction['scope'];
  suggestedPersonId?: string;
  agendaItemId?: string;
  activeKey?: string;
}

/** A history entry the requester must be e-mailed about. */
export interface Notice {
  requestId: string;
  eventId: string;
}

async function recordChanges(
  models: MeetingsModels,
  requests: StoredSpeakingRequest[],
  changes: RequestChange[],
  by: string,
  at: Date,
): Promise<Notice[]> {
  const docs = byId(requests);
  const notices: Notice[] = [];
  for (const change of changes) {
    const doc = docs.get(change.requestId);
    if (!doc) throw new NotFound(`No speaking request ${change.requestId} on this meeting`);
    const agendaItemId = change.agendaItemId ?? doc.agendaItemId;
    const entry: HistoryEntry = {
      _id: new Types.ObjectId(),
      at,
      by,
      event: change.rule,
      status: change.status,
      ...(change.heldPlace ? { heldPlace: change.heldPlace } : {}),
      agendaItemId,
      reason: change.reason,
      notify: notifies(change.rule, change.status),
    };
    const set: Record<string, unknown> = { status: change.status, agendaItemId };
    for (const key of [
      'heldPlace',
      'personId',
      'restrictionId',
      'restrictionScope',
      'suggestedPersonId',
      'activeKey',
    ] as const) {
      if (change[key] !== undefined) set[key] = change[key];
    }
    const unset: Record<string, 1> = change.heldPlace ? {} : { heldPlace: 1 };
    await models.speakingRequests.updateOne(
      { _id: doc._id },
      { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}), $push: { history: entry } },
    );
    Object.assign(doc, set, change.heldPlace ? {} : { heldPlace: undefined });
    if (entry.notify) notices.push({ requestId: change.requestId, eventId: String(entry._id) });
  }
  return notices;
}

/** The meeting's lock stayed taken: a moment later the change will go through (a job retries). */
export class MeetingBusy extends Conflict {
  constructor() {
    super('Someone else is changing the speakers for this meeting. Try again in a moment.');
  }
}

const LOCK_LEASE_MS = 30_000;
const LOCK_WAIT_MS = 15_000;

/**
 * Runs `change` while holding the meeting's lock, so two requests for the last place on an item
 * are decided one after the other, and no two writers touch a request at once.
 *
 * FerretDB applies an update by reading and rewriting the document without isolation: concurrent
 * updates to one document are lost, and a conditional update can have two winners. Its one atomic
 * step is an insert against a unique index, so the lock is a ledger of numbered entries per
 * meeting: whoever inserts the next number holds it; a `released` entry (or an expired lease: a
 * crashed holder) frees it. Every write to a meeting or a request goes through here.
 */
export async function withMeetingLock<T>(
  models: Pick<MeetingsModels, 'meetings' | 'meetingLocks'>,
  meetingId: string,
  change: () => Promise<T>,
): Promise<T> {
  if (!isMeetingId(meetingId) || !(await models.meetings.exists({ _id: meetingId }))) {
    throw new NotFound('There is no meeting with that reference');
  }
  const holder = randomUUID();
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  let seq = 0;
  for (;;) {
    const now = new Date();
    const last = await models.meetingLocks.findOne({ meetingId }).sort({ seq: -1 }).lean();
    if (!last || last.released || last.until! <= now) {
      seq = (last?.seq ?? 0) + 1;
      try {
        await models.meetingLocks.create({
          meetingId,
          seq,
          holder,
          until: new Date(now.getTime() + LOCK_LEASE_MS),
          released: false,
        });
        break;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e; // another writer took this number first
      }
    }
    if (Date.now() > giveUpAt) throw new MeetingBusy();
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
  }
  const release = async () => {
    try {
      await models.meetingLocks.create({ meetingId, seq: seq + 1, holder, released: true });
    } catch (e) {
      // Our lease ran out and someone else holds the next number: the lock is already theirs.
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    // Every fiftieth hold, the old entries go: only the last one is ever read.
    if (Math.floor(seq / 2) % 50 === 0)
      await models.meetingLocks.deleteMany({ meetingId, seq: { $lt: seq - 10 } });
  };
  let result: T;
  try {
    result = await change();
  } catch (error) {
    // The change's error is the one to report; if releasing fails too, the lease lapses in 30 seconds.
    await release().catch(() => undefined);
    throw error;
  }
  await release();
  return result;
}

async function loadMeeting(models: MeetingsModels, meetingId: string) {
  const meeting = await models.meetings.findById(meetingId).lean<StoredMeeting>();
  if (!meeting) throw new NotFound('There is no meeting with that reference');
  const requests = await models.speakingRequests.find({ meetingId }).lean<StoredSpeakingRequest[]>();
  return { meeting, requests };
}

async function requestOrNotFound(models: MeetingsModels, requestId: string): Promise<StoredSpeakingRequest> {
  const request = isMeetingId(requestId)
    ? await models.speakingRequests.findById(requestId).lean<StoredSpeakingRequest>()
    : null;
  if (!request) throw new NotFound('There is no speaking request with that reference');
  return request;
}

/** Loads the request and its meeting under the meeting's lock, then runs `change` on them. */
async function changeRequest<T>(
  models: MeetingsModels,
  requestId: string,
  change: (ctx: {
    meeting: StoredMeeting;
    requests: StoredSpeakingRequest[];
    request: StoredSpeakingRequest;
  }) => Promise<T>,
): Promise<T> {
  const first = await requestOrNotFound(models, requestId);
  return withMeetingLock(models, first.meetingId, async () => {
    const { meeting, requests } = await loadMeeting(models, first.meetingId);
    const request = requests.find((r) => String(r._id) === requestId);
    if (!request) throw new NotFound('There is no speaking request with that reference');
    return change({ meeting, requests, request });
  });
}

/** The request alone, re-read under its meeting's lock (for changes that move no one's place). */
async function withRequestLocked<T>(
  models: MeetingsModels,
  requestId: string,
  change: (request: StoredSpeakingRequest) => Promise<T>,
): Promise<T> {
  const first = await requestOrNotFound(models, requestId);
  return withMeetingLock(models, first.meetingId, async () =>
    change(await requestOrNotFound(models, requestId)),
  );
}

function audited(
  models: MeetingsModels,
  actor: string,
  action: string,
  request: StoredSpeakingRequest,
  details: Record<string, unknown>,
) {
  return appendAudit(models.audit, {
    actor,
    action,
    subject: { type: 'speaking_request', id: String(request._id) },
    details: { reference: request.reference, meetingId: request.meetingId, ...details },
  });
}

// ---- Operations: the requester's, the worker's and the officers' ----

export interface NewRequestInput {
  meetingId: string;
  agendaItemId: string;
  fullName: string;
  email: string;
  phone: string;
  address?: string;
  mode: SpeakingMode;
  topic: string;
}

/**
 * Stores a new request as `received` (the meetings worker decides it). Throws Conflict when the
 * same e-mail address already has an open request on that agenda item.
 */
export async function receiveSpeakingRequest(
  models: MeetingsModels,
  input: NewRequestInput,
  at: Date,
): Promise<StoredSpeakingRequest> {
  const emailNormalised = normaliseEmail(input.email);
  const activeKey = activeKeyFor(input.agendaItemId, emailNormalised);
  if (await models.speakingRequests.exists({ activeKey })) throw new Conflict(ALREADY_ASKED);
  const e164 = phoneE164(input.phone);
  for (let attempt = 0; attempt < 5; attempt++) {
    const _id = new Types.ObjectId();
    const doc: StoredSpeakingRequest = {
      _id,
      reference: newReference(),
      ...input,
      ...(input.address ? { address: input.address } : {}),
      emailNormalised,
      ...(e164 ? { phoneE164: e164 } : {}),
      submittedAt: at,
      status: 'received',
      privateLinkHashes: [],
      activeKey,
      previousStatements: [],
      history: [
        {
          _id: new Types.ObjectId(),
          at,
          by: 'requester',
          event: 'received',
          status: 'received',
          agendaItemId: input.agendaItemId,
          reason: 'Request received through the public form.',
          notify: false,
        },
      ],
      notifiedEvents: [],
    };
    try {
      await models.speakingRequests.create(doc);
      return doc;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      if (await models.speakingRequests.exists({ activeKey })) throw new Conflict(ALREADY_ASKED);
      // Otherwise the reference clashed with another request's: draw again.
    }
  }
  throw new Error('could not draw a unique speaking request reference in 5 attempts');
}

export const ALREADY_ASKED =
  'You have already asked to speak on this agenda item. Check your email for your reference number, or choose a different agenda item.';

/** Takes back a request whose job could not be queued, so nothing is left half-way. */
export async function discardReceivedRequest(models: MeetingsModels, requestId: string): Promise<void> {
  await withRequestLocked(models, requestId, async (request) => {
    if (request.status === 'received') await models.speakingRequests.deleteOne({ _id: request._id });
  });
}

/** Keeps the hash of a private link about to be e-mailed to the requester. */
export async function addPrivateLink(models: MeetingsModels, requestId: string, hash: string): Promise<void> {
  await withRequestLocked(models, requestId, async (request) => {
    await models.speakingRequests.updateOne({ _id: request._id }, { $push: { privateLinkHashes: hash } });
  });
}

/** Records that the requester was e-mailed about a history entry, so the e-mail is never sent twice. */
export async function markNotified(
  models: MeetingsModels,
  requestId: string,
  eventId: string,
): Promise<void> {
  await withRequestLocked(models, requestId, async (request) => {
    await models.speakingRequests.updateOne({ _id: request._id }, { $addToSet: { notifiedEvents: eventId } });
  });
}

/** The worker's decision on a new request, from the register matches it found. */
export async function decideNewRequest(
  models: MeetingsModels,
  input: { requestId: string; matches: RegisterMatch[]; at: Date },
): Promise<Notice[]> {
  return changeRequest(models, input.requestId, async ({ meeting, requests, request }) => {
    if (request.status !== 'received') return []; // already decided, or withdrawn first
    const decision = decideSpeakingRequest({
      request: {
        id: input.requestId,
        agendaItemId: request.agendaItemId,
        mode: request.mode,
        submittedAt: request.submittedAt,
      },
      meeting: meetingForSpeaking(meeting),
      item: itemForSpeaking(meeting, request.agendaItemId),
      existing: coreRequests(requests),
      registerMatches: input.matches,
      deadline: SPEAKING_DEADLINES,
      at: input.at,
    });
    const restriction = input.matches
      .flatMap((m) => m.restrictions)
      .find((r) => r.id === decision.restrictionId);
    const change: RequestChange = {
      ...decision,
      ...(decision.status === 'awaiting_officer_confirmation'
        ? { suggestedPersonId: decision.personId, personId: undefined }
        : {}),
      ...(restriction ? { restrictionScope: restriction.scope } : {}),
    };
    const notices = await recordChanges(models, requests, [change], 'system:meetings', input.at);
    await audited(models, 'system:meetings', 'speaking_request.decided', request, {
      status: decision.status,
      rule: decision.rule,
      reason: decision.reason,
      personId: decision.personId,
      restrictionId: decision.restrictionId,
    });
    return notices;
  });
}

/** The requester withdraws through their private link; the waiting list moves up. */
export async function withdrawByRequester(
  models: MeetingsModels,
  requestId: string,
  at: Date,
): Promise<Notice[]> {
  return changeRequest(models, requestId, async ({ meeting, requests, request }) => {
    if (request.status === 'withdrawn') throw new Conflict('You have already withdrawn this request.');
    if (request.status === 'refused')
      throw new Conflict('This request was refused, so there is nothing to withdraw.');
    const closed = { activeKey: `closed:${requestId}` };
    const changes: RequestChange[] =
      request.status === 'received'
        ? [
            {
              requestId,
              status: 'withdrawn',
              rule: 'withdrawn_by_requester',
              reason: 'Withdrawn by the requester.',
            },
          ]
        : withdrawSpeakingRequest({
            item: itemForSpeaking(meeting, request.agendaItemId),
            requests: coreRequests(requests),
            requestId,
          });
    const notices = await recordChanges(
      models,
      requests,
      changes.map((c) => (c.requestId === requestId ? { ...c, ...closed } : c)),
      'requester',
      at,
    );
    await audited(models, `requester:${request.reference}`, 'speaking_request.withdrawn', request, {
      promoted: changes.filter((c) => c.requestId !== requestId).map((c) => c.requestId),
    });
    return notices;
  });
}

/** A register restriction as core/restriction sees it. */
export function asRestriction(r: RestrictionDoc & { _id: unknown }): Restriction {
  return {
    id: String(r._id),
    personId: r.personId,
    kinds: r.kinds as Restriction['kinds'],
    status: r.status,
    scope: {
      level: (r.scope?.level ?? 'council') as Restriction['scope']['level'],
      name: r.scope?.name ?? undefined,
    },
    approvedAt: r.approvedAt ?? undefined,
    reviewDue: r.reviewDue ?? undefined,
    liftedAt: r.liftedAt ?? undefined,
  };
}

async function registerMatchFor(
  models: MeetingsModels,
  personId: string,
  officer: string,
  request: StoredSpeakingRequest,
): Promise<RegisterMatch> {
  const found = await models.restrictions.find({ personId }).lean();
  await audited(models, officer, 'register.read', request, {
    personId,
    purpose: 'officer confirming a name match',
  });
  return { personId, matchedOn: 'officer_confirmed', restrictions: found.map(asRestriction) };
}

/** An officer says whether a name-only match is the person on the register. */
export async function decideSuggestedMatch(
  models: MeetingsModels,
  input: { requestId: string; samePerson: boolean; officer: string; at: Date },
): Promise<Notice[]> {
  return changeRequest(models, input.requestId, async ({ meeting, requests, request }) => {
    if (request.status !== 'awaiting_officer_confirmation' || !request.suggestedPersonId) {
      throw new Conflict('This request is not waiting for a match decision.');
    }
    const confirmedMatch = input.samePerson
      ? await registerMatchFor(models, request.suggestedPersonId, input.officer, request)
      : null;
    const decisions = recordOfficerConfirmation({
      meeting: meetingForSpeaking(meeting),
      item: itemForSpeaking(meeting, request.agendaItemId),
      requests: coreRequests(requests),
      requestId: input.requestId,
      confirmedMatch,
      at: input.at,
    });
    const changes: RequestChange[] = decisions.map((d) => {
      if (d.requestId !== input.requestId) return d;
      const restriction = confirmedMatch?.restrictions.find((r) => r.id === d.restrictionId);
      return {
        ...d,
        ...(input.samePerson ? { personId: request.suggestedPersonId } : {}),
        ...(restriction ? { restrictionScope: restriction.scope } : {}),
      };
    });
    const notices = await recordChanges(models, requests, changes, input.officer, input.at);
    await audited(
      models,
      input.officer,
      input.samePerson ? 'speaking_request.match_confirmed' : 'speaking_request.match_rejected',
      request,
      {
        personId: request.suggestedPersonId,
        outcome: decisions[0]?.status,
        promoted: decisions.slice(1).map((d) => d.requestId),
      },
    );
    return notices;
  });
}

/** An officer gives a late, waiting-list or refused request a place, when one is free. */
export async function acceptByOfficer(
  models: MeetingsModels,
  input: { requestId: string; officer: string; at: Date },
): Promise<Notice[]> {
  return changeRequest(models, input.requestId, async ({ meeting, requests, request }) => {
    if (!['late', 'waiting_list', 'refused'].includes(request.status)) {
      throw new Conflict('Only a late, waiting-list or refused request can be accepted.');
    }
    // Policy: a restriction on public participation is never overridden from the meetings dashboard.
    if (request.restrictionId) {
      throw new Forbidden(
        'This requester is restricted from public participation: the request stays a written submission.',
      );
    }
    let change: RequestChange;
    if (request.mode === 'written_only') {
      change = {
        requestId: input.requestId,
        status: 'written_submission',
        rule: 'accepted_by_officer',
        reason: 'Accepted by an officer as a written submission.',
      };
    } else {
      const { placesLeft } = itemPlaces(meeting, requests, request.agendaItemId);
      if (placesLeft === 0) {
        throw new Conflict(
          `All ${meeting.maxSpeakersPerItem} speaking places on this item are taken. Refuse or move a speaker first, or raise the number of speakers for the meeting.`,
        );
      }
      change = {
        requestId: input.requestId,
        status: 'accepted',
        rule: 'accepted_by_officer',
        reason: 'Accepted by an officer: a speaking place was free.',
      };
    }
    const notices = await recordChanges(models, requests, [change], input.officer, input.at);
    await audited(models, input.officer, 'speaking_request.accepted', request, {
      from: request.status,
      to: change.status,
    });
    return notices;
  });
}

/** An officer refuses a request, giving the reason the requester is sent; the waiting list moves up. */
export async function refuseByOfficer(
  models: MeetingsModels,
  input: { requestId: string; reason: string; officer: string; at: Date },
): Promise<Notice[]> {
  return changeRequest(models, input.requestId, async ({ meeting, requests, request }) => {
    if (request.status === 'withdrawn' || request.status === 'refused') {
      throw new Conflict(`This request is already ${request.status}.`);
    }
    const refusal: RequestChange = {
      requestId: input.requestId,
      status: 'refused',
      rule: 'refused_by_officer',
      reason: input.reason,
    };
    const after = requests.map((r) =>
      String(r._id) === input.requestId ? { ...r, status: 'refused' as const } : r,
    );
    const promotions = promoteFromWaitingList(
      itemForSpeaking(meeting, request.agendaItemId),
      coreRequests(after),
    );
    const notices = await recordChanges(models, requests, [refusal, ...promotions], input.officer, input.at);
    await audited(models, input.officer, 'speaking_request.refused', request, {
      from: request.status,
      reason: input.reason,
      promoted: promotions.map((p) => p.requestId),
    });
    return notices;
  });
}

/** An officer moves a request to another agenda item of the same meeting. */
export async function moveByOfficer(
  models: MeetingsModels,
  input: { requestId: string; toAgendaItemId: string; officer: string; at: Date },
): Promise<Notice[]> {
  return changeRequest(models, input.requestId, async ({ meeting, requests, request }) => {
    if (['received', 'withdrawn', 'refused'].includes(request.status)) {
      throw new Conflict(`A ${request.status} request cannot be moved.`);
    }
    const from = agendaItemOf(meeting, request.agendaItemId);
    const to = agendaItemOf(meeting, input.toAgendaItemId);
    if (!to) throw new ValidationFailed('toAgendaItemId', 'Select an agenda item on this meeting');
    if (input.toAgendaItemId === request.agendaItemId) {
      throw new ValidationFailed(
        'toAgendaItemId',
        'Select a different agenda item from the one the request is on',
      );
    }
    const activeKey = activeKeyFor(input.toAgendaItemId, request.emailNormalised);
    if (requests.some((r) => r.activeKey === activeKey)) {
      throw new Conflict(`This requester already has a request on item ${to.number}.`);
    }
    const { placesLeft } = itemPlaces(meeting, requests, input.toAgendaItemId);
    const holdsPlace = ['accepted', 'waiting_list', 'awaiting_officer_confirmation'].includes(request.status);
    const heldPlace: HeldPlace = placesLeft > 0 ? 'speaking' : 'waiting_list';
    const move: RequestChange = {
      requestId: input.requestId,
      agendaItemId: input.toAgendaItemId,
      activeKey,
      rule: 'moved_by_officer',
      reason: `Moved by an officer from item ${from?.number ?? '?'} to item ${to.number}.`,
      ...(!holdsPlace
        ? { status: request.status }
        : request.status === 'awaiting_officer_confirmation'
          ? { status: request.status, heldPlace }
          : { status: heldPlace === 'speaking' ? 'accepted' : 'waiting_list' }),
    };
    const after = requests.map((r) =>
      String(r._id) === input.requestId ? { ...r, agendaItemId: input.toAgendaItemId } : r,
    );
    const promotions = promoteFromWaitingList(
      itemForSpeaking(meeting, request.agendaItemId),
      coreRequests(after),
    );
    const notices = await recordChanges(models, requests, [move, ...promotions], input.officer, input.at);
    await audited(models, input.officer, 'speaking_request.moved', request, {
      fromAgendaItemId: request.agendaItemId,
      toAgendaItemId: input.toAgendaItemId,
      status: move.status,
      promoted: promotions.map((p) => p.requestId),
    });
    return notices;
  });
}

// ---- Written statements ----

/** Whether a statement goes in the meeting pack to be read out: checked clear, or accepted by an officer. */
export function statementToReadOut(statement: StatementFields | undefined): boolean {
  if (!statement) return false;
  if (statement.officerDecision) return statement.officerDecision === 'accepted';
  return statement.check === 'clear';
}

/** The requester sends (or replaces) their written statement; it waits for the content check. */
export async function saveWrittenStatement(
  models: MeetingsModels,
  input: { requestId: string; text: string; at: Date },
): Promise<StoredSpeakingRequest> {
  return withRequestLocked(models, input.requestId, async (request) => {
    if (request.status !== 'written_submission') {
      throw new Conflict('You can only send a written statement when your request is a written submission.');
    }
    const meeting = await models.meetings.findById(request.meetingId).lean<StoredMeeting>();
    if (!meeting) throw new NotFound('There is no meeting with that reference');
    if (input.at > statementDeadlineOf(meeting)) {
      throw new ValidationFailed(
        'statement',
        'The deadline for written statements for this meeting has passed.',
      );
    }
    const statement: StatementFields = {
      text: input.text,
      submittedAt: input.at,
      check: 'pending',
      checkReasons: [],
    };
    const entry: HistoryEntry = {
      _id: new Types.ObjectId(),
      at: input.at,
      by: 'requester',
      event: 'statement_received',
      status: request.status,
      agendaItemId: request.agendaItemId,
      reason: request.statement
        ? 'A new written statement replaced the earlier one.'
        : 'Written statement received.',
      notify: false,
    };
    await models.speakingRequests.updateOne(
      { _id: request._id },
      {
        $set: { statement },
        $push: { history: entry, ...(request.statement ? { previousStatements: request.statement } : {}) },
      },
    );
    await audited(models, `requester:${request.reference}`, 'speaking_request.statement_received', request, {
      characters: input.text.length,
      replaced: Boolean(request.statement),
    });
    return { ...request, statement };
  });
}

/** Puts the earlier statement back when the check could not be queued (nothing half-way). */
export async function restoreStatement(models: MeetingsModels, before: StoredSpeakingRequest): Promise<void> {
  await withRequestLocked(models, String(before._id), async () => {
    await models.speakingRequests.updateOne(
      { _id: before._id },
      before.statement ? { $set: { statement: before.statement } } : { $unset: { statement: 1 } },
    );
  });
}

/** The content check's result for the statement sent at `submittedAt` (a newer one is left alone). */
export async function recordStatementCheck(
  models: MeetingsModels,
  input: { requestId: string; submittedAt: Date; flagged: boolean; reasons: string[]; at: Date },
): Promise<boolean> {
  return withRequestLocked(models, input.requestId, async (request) => {
    if (
      request.statement?.check !== 'pending' ||
      request.statement.submittedAt.getTime() !== input.submittedAt.getTime()
    ) {
      return false; // replaced by a newer statement, or already checked
    }
    const entry: HistoryEntry = {
      _id: new Types.ObjectId(),
      at: input.at,
      by: 'system:meetings',
      event: 'statement_checked',
      status: request.status,
      agendaItemId: request.agendaItemId,
      reason: input.flagged
        ? `The written statement was flagged for an officer: ${input.reasons.join('; ') || 'no reason given'}. It is not read out until an officer accepts it.`
        : 'The written statement passed the content check.',
      notify: false,
    };
    await models.speakingRequests.updateOne(
      { _id: request._id },
      {
        $set: {
          'statement.check': input.flagged ? 'flagged' : 'clear',
          'statement.checkReasons': input.reasons,
          'statement.checkedAt': input.at,
        },
        $push: { history: entry },
      },
    );
    await audited(models, 'system:meetings', 'speaking_request.statement_checked', request, {
      flagged: input.flagged,
      reasons: input.reasons,
    });
    return true;
  });
}

/** An officer accepts a flagged statement to be read out, or refuses it with a reason. */
export async function decideOnStatement(
  models: MeetingsModels,
  input: { requestId: string; accept: boolean; reason?: string; officer: string; at: Date },
): Promise<Notice[]> {
  return withRequestLocked(models, input.requestId, async (request) => {
    if (request.statement?.check !== 'flagged' || request.statement.officerDecision) {
      throw new Conflict('This written statement is not waiting for an officer.');
    }
    const entry: HistoryEntry = {
      _id: new Types.ObjectId(),
      at: input.at,
      by: input.officer,
      event: input.accept ? 'statement_accepted_by_officer' : 'statement_refused_by_officer',
      status: request.status,
      agendaItemId: request.agendaItemId,
      reason: input.accept
        ? 'An officer accepted the written statement to be read out.'
        : (input.reason ?? 'Refused by an officer.'),
      notify: !input.accept,
    };
    await models.speakingRequests.updateOne(
      { _id: request._id },
      {
        $set: {
          'statement.officerDecision': input.accept ? 'accepted' : 'refused',
          'statement.decidedBy': input.officer,
          'statement.decidedAt': input.at,
          ...(input.reason ? { 'statement.officerReason': input.reason } : {}),
        },
        $push: { history: entry },
      },
    );
    await audited(
      models,
      input.officer,
      input.accept ? 'speaking_request.statement_accepted' : 'speaking_request.statement_refused',
      request,
      {
        reason: input.reason,
      },
    );
    return entry.notify ? [{ requestId: input.requestId, eventId: String(entry._id) }] : [];
  });
}

// ---- Meetings ----

/** What democratic services enter for a meeting: its fields without ids or who-and-when. */
export type MeetingInput = Omit<MeetingFields, 'agendaItems' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'> & {
  agendaItems: { number: string; title: string }[];
};

function optionalFields(input: MeetingInput) {
  const set: Record<string, string> = {};
  const unset: Record<string, 1> = {};
  for (const key of ['venue', 'remoteLink', 'chair', 'clerk'] as const) {
    if (input[key]) set[key] = input[key];
    else unset[key] = 1;
  }
  return { set, unset };
}

export async function createMeeting(
  models: MeetingsModels,
  input: MeetingInput,
  officer: string,
  at: Date,
): Promise<StoredMeeting> {
  const { set } = optionalFields(input);
  const doc = await models.meetings.create({
    title: input.title,
    committee: input.committee,
    startsAt: input.startsAt,
    ...set,
    maxSpeakersPerItem: input.maxSpeakersPerItem,
    minutesPerSpeaker: input.minutesPerSpeaker,
    agendaItems: input.agendaItems.map((i) => ({ _id: new Types.ObjectId(), ...i })),
    createdAt: at,
    createdBy: officer,
    updatedAt: at,
    updatedBy: officer,
  });
  const meeting = doc.toObject() as StoredMeeting;
  await appendAudit(models.audit, {
    actor: officer,
    action: 'meeting.created',
    subject: { type: 'meeting', id: String(meeting._id) },
    details: {
      title: input.title,
      committee: input.committee,
      startsAt: input.startsAt,
      agendaItems: input.agendaItems.length,
    },
  });
  return meeting;
}

/**
 * Changes a meeting. Agenda items keep their identity by number; an item with open requests
 * cannot be removed. More speakers per item offers the new places to the waiting lists.
 */
export async function updateMeeting(
  models: MeetingsModels,
  meetingId: string,
  input: MeetingInput,
  officer: string,
  at: Date,
): Promise<Notice[]> {
  return withMeetingLock(models, meetingId, async () => {
    const { meeting, requests } = await loadMeeting(models, meetingId);
    const items = input.agendaItems.map((i) => {
      const existing = meeting.agendaItems.find((e) => e.number === i.number);
      return { _id: existing?._id ?? new Types.ObjectId(), number: i.number, title: i.title };
    });
    const kept = new Set(items.map((i) => String(i._id)));
    for (const removed of meeting.agendaItems.filter((i) => !kept.has(String(i._id)))) {
      if (
        requests.some(
          (r) => r.agendaItemId === String(removed._id) && !['withdrawn', 'refused'].includes(r.status),
        )
      ) {
        throw new ValidationFailed(
          'agendaItems',
          `Item ${removed.number} has speaking requests. Move or refuse them before you remove the item.`,
        );
      }
    }
    const { set, unset } = optionalFields(input);
    await models.meetings.updateOne(
      { _id: meeting._id },
      {
        $set: {
          title: input.title,
          committee: input.committee,
          startsAt: input.startsAt,
          ...set,
          maxSpeakersPerItem: input.maxSpeakersPerItem,
          minutesPerSpeaker: input.minutesPerSpeaker,
          agendaItems: items,
          updatedAt: at,
          updatedBy: officer,
        },
        ...(Object.keys(unset).length ? { $unset: unset } : {}),
      },
    );
    const changed = { ...meeting, ...input, agendaItems: items };
    const promotions = items.flatMap((i) =>
      promoteFromWaitingList(
        { id: String(i._id), maxSpeakers: changed.maxSpeakersPerItem },
        coreRequests(requests),
      ),
    );
    const notices = await recordChanges(models, requests, promotions, officer, at);
    await appendAudit(models.audit, {
      actor: officer,
      action: 'meeting.updated',
      subject: { type: 'meeting', id: meetingId },
      details: {
        title: input.title,
        startsAt: input.startsAt,
        maxSpeakersPerItem: input.maxSpeakersPerItem,
        promoted: promotions.map((p) => p.requestId),
      },
    });
    return notices;
  });
}

// ---- The meeting pack ----

/** What the chair's pack shows: speakers in order, reserves, and statements cleared to be read out. */
export function meetingPackInputFor(
  meeting: StoredMeeting,
  requests: StoredSpeakingRequest[],
  preparedAt: Date,
): MeetingPackInput {
  return {
    meeting: {
      title: meeting.title,
      committee: meeting.committee,
      startsAt: meeting.startsAt,
      ...(meeting.venue ? { venue: meeting.venue } : {}),
      ...(meeting.remoteLink ? { remoteLink: meeting.remoteLink } : {}),
      ...(meeting.chair ? { chair: meeting.chair } : {}),
      ...(meeting.clerk ? { clerk: meeting.clerk } : {}),
    },
    items: meeting.agendaItems.map((item) => {
      const id = String(item._id);
      const { speakers, waiting } = itemPlaces(meeting, requests, id);
      return {
        number: item.number,
        title: item.title,
        speakers: speakers.map((s) => ({
          name: s.fullName,
          mode: s.mode === 'remote' ? ('remote' as const) : ('in_person' as const),
          minutes: meeting.minutesPerSpeaker,
        })),
        writtenSubmissions: requests
          .filter(
            (r) =>
              r.agendaItemId === id && r.status === 'written_submission' && statementToReadOut(r.statement),
          )
          .sort((a, b) => a.statement!.submittedAt.getTime() - b.statement!.submittedAt.getTime())
          .map((r) => ({ submitterName: r.fullName, statement: r.statement!.text })),
        reserves: waiting.map((w) => w.fullName),
      };
    }),
    preparedAt,
  };
}
