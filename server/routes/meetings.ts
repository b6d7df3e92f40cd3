// Democratic services' dashboard for public meetings: create and edit meetings, see who speaks in
// what order, the written submissions and the requests waiting for a match decision, act on a
// request (confirm or reject a match, accept, refuse, move) and produce the meeting pack. Every
// action is audited by store/meetings.ts; every e-mail to a requester goes out through the queue.
import { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { z, type ZodIssue } from 'zod';
import type { Config } from '../../config/config';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../core/errors';
import {
  formatCouncilDate,
  formatCouncilDateTime,
  formatCouncilTime,
  londonDay,
  londonTimeOn,
} from '../../core/meetings/london-time';
import { SPEAKING_MODE_LABELS } from '../../core/meetings/speakers';
import { RESTRICTION_KIND_LABELS, type RestrictionKind } from '../../core/restriction';
import { meetingPackPdf } from '../../documents/meetings/meeting-pack';
import { appendAudit } from '../../store/audit';
import type { Store } from '../../store/connection';
import {
  acceptByOfficer,
  agendaItemOf,
  createMeeting,
  decideOnStatement,
  decideSuggestedMatch,
  isMeetingId,
  itemPlaces,
  meetingPackInputFor,
  moveByOfficer,
  refuseByOfficer,
  registrationDeadlineOf,
  statementDeadlineOf,
  statementToReadOut,
  updateMeeting,
  type MeetingInput,
  type Notice,
  type RequestEvent,
  type RequestState,
  type StoredMeeting,
  type StoredSpeakingRequest,
} from '../../store/meetings';
import { MeetingsQueue } from '../../workers/meetings';
import { requirePermission } from '../auth';
import { HttpError } from '../http-errors';

declare module 'express-session' {
  interface SessionData {
    meetingsNotice?: string;
  }
}

/** A path parameter as text (Express types them loosely when a route has several handlers). */
function param(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

export const REQUEST_STATE_LABELS: Record<RequestState, { text: string; colour: string }> = {
  received: { text: 'Being checked', colour: 'grey' },
  accepted: { text: 'Speaking', colour: 'green' },
  waiting_list: { text: 'Waiting list', colour: 'yellow' },
  awaiting_officer_confirmation: { text: 'Needs a match decision', colour: 'orange' },
  written_submission: { text: 'Written submission', colour: 'blue' },
  late: { text: 'Late', colour: 'grey' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
  refused: { text: 'Refused', colour: 'red' },
};

const EVENT_LABELS: Record<RequestEvent, string> = {
  received: 'Request received',
  registration_deadline: 'Late',
  no_public_participation: 'Converted to a written submission (restriction)',
  chose_written_submission: 'Written submission chosen',
  name_match_needs_officer: 'Name match: needs an officer',
  speaking_place_free: 'Speaking place given',
  item_full: 'Added to the waiting list',
  promoted_from_waiting_list: 'Moved up from the waiting list',
  withdrawn_by_requester: 'Withdrawn by the requester',
  officer_confirmed_match: 'Officer confirmed the match',
  officer_rejected_match: 'Officer rejected the match',
  accepted_by_officer: 'Accepted by an officer',
  refused_by_officer: 'Refused by an officer',
  moved_by_officer: 'Moved by an officer',
  statement_received: 'Written statement received',
  statement_checked: 'Written statement checked',
  statement_accepted_by_officer: 'Statement accepted by an officer',
  statement_refused_by_officer: 'Statement refused by an officer',
};

// ---- The meeting form ----

const text = (missing: string, max: number, name: string) =>
  z
    .string({ required_error: missing, invalid_type_error: missing })
    .trim()
    .min(1, missing)
    .max(max, `${name} must be ${max} characters or fewer`);

const optionalText = (max: number, name: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string({ invalid_type_error: `Enter the ${name.toLowerCase()}` })
      .trim()
      .max(max, `${name} must be ${max} characters or fewer`)
      .optional(),
  );

const wholeNumber = (missing: string, min: number, max: number, range: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : undefined),
    z
      .number({ required_error: missing, invalid_type_error: missing })
      .int(range)
      .min(min, range)
      .max(max, range),
  );

const meetingFormSchema = z.object({
  title: text('Enter the meeting title', 200, 'The meeting title'),
  committee: text('Enter the committee', 200, 'The committee'),
  'startsOn-day': z.string().optional(),
  'startsOn-month': z.string().optional(),
  'startsOn-year': z.string().optional(),
  time: text('Enter the start time, like 6:30pm or 18:30', 10, 'The start time'),
  venue: optionalText(300, 'The venue'),
  remoteLink: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .max(500, 'The remote meeting link must be 500 characters or fewer')
      .url('Enter the remote meeting link as a full web address, starting https://')
      .refine(
        (u) => u.startsWith('https://'),
        'Enter the remote meeting link as a full web address, starting https://',
      )
      .optional(),
  ),
  chair: optionalText(100, 'The chair'),
  clerk: optionalText(100, 'The clerk'),
  maxSpeakersPerItem: wholeNumber(
    'Enter the most speakers on one agenda item',
    0,
    50,
    'The most speakers on one item must be a whole number from 0 to 50',
  ),
  minutesPerSpeaker: wholeNumber(
    'Enter the minutes each speaker has',
    1,
    30,
    'The minutes each speaker has must be a whole number from 1 to 30',
  ),
  agendaItems: text('Enter the agenda items, one on each line', 20_000, 'The agenda'),
});

const MEETING_FIELDS = [
  'title',
  'committee',
  'startsOn-day',
  'time',
  'venue',
  'remoteLink',
  'chair',
  'clerk',
  'maxSpeakersPerItem',
  'minutesPerSpeaker',
  'agendaItems',
];

type Issue = { field: string; message: string };

function parseTime(raw: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(raw.trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.toLowerCase();
  if (minute > 59) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (m[2] === undefined || hour > 23) return undefined;
  return { hour, minute };
}

function parseDay(d?: string, m?: string, y?: string): string | undefined {
  const [day, month, year] = [d, m, y].map((v) =>
    v && /^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : NaN,
  ) as [number, number, number];
  if (
    !Number.isInteger(day) ||
    !Number.isInteger(month) ||
    !Number.isInteger(year) ||
    year < 2000 ||
    year > 2100
  )
    return undefined;
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day)
    return undefined;
  return t.toISOString().slice(0, 10);
}

function parseAgenda(raw: string): { items: { number: string; title: string }[]; issues: Issue[] } {
  const items: { number: string; title: string }[] = [];
  const issues: Issue[] = [];
  raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const m = /^(\S{1,12}?)[.:]?\s+(.+)$/.exec(line);
      if (!m || !/\d/.test(m[1]!)) {
        issues.push({
          field: 'agendaItems',
          message: `Agenda line ${i + 1}: start with the item number, then the title, like "5 Land at Mill Lane"`,
        });
      } else if (m[2]!.length > 300) {
        issues.push({
          field: 'agendaItems',
          message: `Agenda line ${i + 1}: the title must be 300 characters or fewer`,
        });
      } else if (items.some((it) => it.number === m[1])) {
        issues.push({
          field: 'agendaItems',
          message: `Agenda line ${i + 1}: item ${m[1]} is on the agenda twice`,
        });
      } else items.push({ number: m[1]!, title: m[2]! });
    });
  if (items.length > 100)
    issues.push({ field: 'agendaItems', message: 'A meeting can have at most 100 agenda items' });
  return { items, issues };
}

function parseMeetingForm(
  body: Record<string, unknown>,
  now: Date,
  mustBeFuture: boolean,
): { input?: MeetingInput; issues: Issue[] } {
  const parsed = meetingFormSchema.safeParse(body);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((i: ZodIssue) => ({ field: String(i.path[0]), message: i.message }));
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const day = parseDay(str('startsOn-day'), str('startsOn-month'), str('startsOn-year'));
  if (!day)
    issues.push({
      field: 'startsOn-day',
      message: 'Enter the date of the meeting as a real date, like 27 3 2027',
    });
  const time = typeof body.time === 'string' && body.time.trim() ? parseTime(body.time) : undefined;
  if (typeof body.time === 'string' && body.time.trim() && !time)
    issues.push({ field: 'time', message: 'Enter the start time, like 6:30pm or 18:30' });
  const given = (k: string) => typeof body[k] === 'string' && (body[k] as string).trim() !== '';
  if (!given('venue') && !given('remoteLink'))
    issues.push({ field: 'venue', message: 'Enter the venue, the remote meeting link, or both' });
  const agenda = parseAgenda(typeof body.agendaItems === 'string' ? body.agendaItems : '');
  issues.push(...agenda.issues);
  if (!parsed.success || !day || !time || issues.length) return { issues };
  const startsAt = londonTimeOn(day, time.hour, time.minute);
  if (mustBeFuture && startsAt <= now)
    return { issues: [{ field: 'startsOn-day', message: 'The date of the meeting must be in the future' }] };
  const v = parsed.data;
  return {
    issues: [],
    input: {
      title: v.title,
      committee: v.committee,
      startsAt,
      ...(v.venue ? { venue: v.venue } : {}),
      ...(v.remoteLink ? { remoteLink: v.remoteLink } : {}),
      ...(v.chair ? { chair: v.chair } : {}),
      ...(v.clerk ? { clerk: v.clerk } : {}),
      maxSpeakersPerItem: v.maxSpeakersPerItem,
      minutesPerSpeaker: v.minutesPerSpeaker,
      agendaItems: agenda.items,
    },
  };
}

function errorsFrom(issues: Issue[], order: string[]) {
  const byField: Record<string, string> = {};
  for (const i of issues) byField[i.field] ??= i.message;
  const fields = [...order, ...Object.keys(byField).filter((f) => !order.includes(f))];
  return {
    list: fields.filter((f) => byField[f]).map((f) => ({ text: byField[f]!, href: `#${f}` })),
    byField,
  };
}

function formValuesOf(meeting: StoredMeeting): Record<string, string> {
  const [year, month, day] = londonDay(meeting.startsAt).split('-');
  return {
    title: meeting.title,
    committee: meeting.committee,
    'startsOn-day': String(Number(day)),
    'startsOn-month': String(Number(month)),
    'startsOn-year': year ?? '',
    time: formatCouncilTime(meeting.startsAt).replace('midday', '12pm').replace('midnight', '12am'),
    venue: meeting.venue ?? '',
    remoteLink: meeting.remoteLink ?? '',
    chair: meeting.chair ?? '',
    clerk: meeting.clerk ?? '',
    maxSpeakersPerItem: String(meeting.maxSpeakersPerItem),
    minutesPerSpeaker: String(meeting.minutesPerSpeaker),
    agendaItems: meeting.agendaItems.map((i) => `${i.number} ${i.title}`).join('\n'),
  };
}

function typedValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => [k, (v as string).slice(0, 20_000)]),
  );
}

// ---- Views of a meeting and its requests ----

function meetingView(meeting: StoredMeeting) {
  return {
    id: String(meeting._id),
    title: meeting.title,
    committee: meeting.committee,
    date: formatCouncilDate(meeting.startsAt),
    time: formatCouncilTime(meeting.startsAt),
    venue: meeting.venue,
    remoteLink: meeting.remoteLink,
    chair: meeting.chair,
    clerk: meeting.clerk,
    deadline: formatCouncilDateTime(registrationDeadlineOf(meeting)),
    statementDeadline: formatCouncilDateTime(statementDeadlineOf(meeting)),
    maxSpeakersPerItem: meeting.maxSpeakersPerItem,
    minutesPerSpeaker: meeting.minutesPerSpeaker,
  };
}

function statementState(r: StoredSpeakingRequest): { text: string; colour: string } {
  const s = r.statement;
  if (!s) return { text: 'No statement yet', colour: 'grey' };
  if (s.officerDecision === 'refused') return { text: 'Refused by an officer', colour: 'red' };
  if (statementToReadOut(s)) return { text: 'To be read out', colour: 'green' };
  if (s.check === 'flagged') return { text: 'Flagged: needs an officer', colour: 'orange' };
  return { text: 'Waiting for the content check', colour: 'grey' };
}

function requestRow(meeting: StoredMeeting, r: StoredSpeakingRequest) {
  const item = agendaItemOf(meeting, r.agendaItemId);
  return {
    id: String(r._id),
    href: `/meetings/${String(meeting._id)}/requests/${String(r._id)}`,
    reference: r.reference,
    name: r.fullName,
    item: item ? `Item ${item.number}` : 'Removed item',
    mode: SPEAKING_MODE_LABELS[r.mode],
    status: REQUEST_STATE_LABELS[r.status],
    submitted: formatCouncilDateTime(r.submittedAt),
    statement: statementState(r),
  };
}

export function meetingsRoutes(store: Store, deps: { config: Config; redis: Redis }): Router {
  const router = Router();
  const models = store.models;
  const { meetings, speakingRequests, audit } = models;
  const queue = new MeetingsQueue(deps.redis, deps.config.QUEUE_PREFIX);
  const manage = requirePermission('meetings.manage');
  const officerOf = (req: Request) => req.session.officer!.username;

  async function findMeeting(meetingId: string): Promise<StoredMeeting> {
    const meeting = isMeetingId(meetingId) ? await meetings.findById(meetingId).lean<StoredMeeting>() : null;
    if (!meeting)
      throw new HttpError(404, 'There is no meeting with that reference. Go back to the list of meetings.');
    return meeting;
  }

  /** Queues the requester's e-mails; if Redis fails now, the saved change stands and the page says so. */
  async function notifyAfter(req: Request, notices: Notice[], done: string) {
    try {
      await queue.notify(notices);
      req.session.meetingsNotice = done;
    } catch (e) {
      req.log.error({ err: e }, 'could not queue requester e-mails');
      req.session.meetingsNotice = `${done} The e-mail to the requester could not be queued yet: the request's history shows it as not sent.`;
    }
  }

  router.get('/meetings', manage, async (_req, res, next) => {
    try {
      const now = new Date();
      const all = await meetings.find({}).sort({ startsAt: 1 }).lean<StoredMeeting[]>();
      const requests = await speakingRequests
        .find({ meetingId: { $in: all.map((m) => String(m._id)) } }, { meetingId: 1, status: 1 })
        .lean();
      const count = (id: string, statuses: string[]) =>
        requests.filter((r) => r.meetingId === id && statuses.includes(r.status)).length;
      const row = (m: StoredMeeting) => ({
        ...meetingView(m),
        speakers: count(String(m._id), ['accepted']),
        written: count(String(m._id), ['written_submission']),
        needsDecision: count(String(m._id), ['awaiting_officer_confirmation']),
      });
      const dayAgo = new Date(now.getTime() - 86_400_000);
      res.render('meetings/list.njk', {
        upcoming: all.filter((m) => m.startsAt >= dayAgo).map(row),
        past: all
          .filter((m) => m.startsAt < dayAgo)
          .reverse()
          .slice(0, 20)
          .map(row),
      });
    } catch (e) {
      next(e);
    }
  });

  router.get('/meetings/new', manage, (_req, res) => {
    res.render('meetings/edit.njk', {
      values: { maxSpeakersPerItem: '3', minutesPerSpeaker: '3' },
      errors: { list: [], byField: {} },
    });
  });

  router.post('/meetings/new', manage, async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { input, issues } = parseMeetingForm(body, new Date(), true);
      if (!input)
        return res
          .status(400)
          .render('meetings/edit.njk', {
            values: typedValues(body),
            errors: errorsFrom(issues, MEETING_FIELDS),
          });
      const meeting = await createMeeting(models, input, officerOf(req), new Date());
      req.session.meetingsNotice = `Meeting created. Members of the public can ask to speak until ${formatCouncilDateTime(registrationDeadlineOf(meeting))}.`;
      res.redirect(303, `/meetings/${String(meeting._id)}`);
    } catch (e) {
      next(e);
    }
  });

  router.get('/meetings/:meetingId', manage, async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      const requests = await speakingRequests
        .find({ meetingId: String(meeting._id) })
        .sort({ submittedAt: 1 })
        .lean<StoredSpeakingRequest[]>();
      const notice = req.session.meetingsNotice;
      delete req.session.meetingsNotice;
      res.render('meetings/meeting.njk', {
        notice,
        meeting: meetingView(meeting),
        needsDecision: requests
          .filter((r) => r.status === 'awaiting_officer_confirmation')
          .map((r) => requestRow(meeting, r)),
        statementsNeedOfficer: requests
          .filter(
            (r) =>
              r.status === 'written_submission' &&
              r.statement?.check === 'flagged' &&
              !r.statement.officerDecision,
          )
          .map((r) => requestRow(meeting, r)),
        beingChecked: requests.filter((r) => r.status === 'received').length,
        items: meeting.agendaItems.map((item) => {
          const id = String(item._id);
          const { speakers, waiting, placesLeft } = itemPlaces(meeting, requests, id);
          return {
            number: item.number,
            title: item.title,
            placesLeft,
            speakers: speakers.map((r) => requestRow(meeting, r)),
            waiting: waiting.map((r) => requestRow(meeting, r)),
            written: requests
              .filter((r) => r.agendaItemId === id && r.status === 'written_submission')
              .map((r) => requestRow(meeting, r)),
          };
        }),
        requests: requests.map((r) => requestRow(meeting, r)),
      });
    } catch (e) {
      next(e);
    }
  });

  router.get('/meetings/:meetingId/edit', manage, async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      res.render('meetings/edit.njk', {
        meetingId: String(meeting._id),
        values: formValuesOf(meeting),
        errors: { list: [], byField: {} },
      });
    } catch (e) {
      next(e);
    }
  });

  router.post('/meetings/:meetingId/edit', manage, async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const rerender = (issues: Issue[]) =>
        res
          .status(400)
          .render('meetings/edit.njk', {
            meetingId: String(meeting._id),
            values: typedValues(body),
            errors: errorsFrom(issues, MEETING_FIELDS),
          });
      const { input, issues } = parseMeetingForm(body, new Date(), false);
      if (!input) return rerender(issues);
      let notices: Notice[];
      try {
        notices = await updateMeeting(models, String(meeting._id), input, officerOf(req), new Date());
      } catch (e) {
        if (e instanceof ValidationFailed) return rerender([{ field: e.field, message: e.message }]);
        throw e;
      }
      await notifyAfter(req, notices, 'Meeting saved.');
      res.redirect(303, `/meetings/${String(meeting._id)}`);
    } catch (e) {
      next(e);
    }
  });

  router.get('/meetings/:meetingId/pack.pdf', manage, async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      const requests = await speakingRequests
        .find({ meetingId: String(meeting._id) })
        .lean<StoredSpeakingRequest[]>();
      const preparedAt = new Date();
      const input = meetingPackInputFor(meeting, requests, preparedAt);
      const pdf = await meetingPackPdf(input);
      await appendAudit(audit, {
        actor: officerOf(req),
        action: 'meeting.pack_generated',
        subject: { type: 'meeting', id: String(meeting._id) },
        details: {
          speakers: input.items.reduce((n, i) => n + i.speakers.length, 0),
          writtenSubmissions: input.items.reduce((n, i) => n + i.writtenSubmissions.length, 0),
          bytes: pdf.length,
        },
      });
      res.setHeader('content-type', 'application/pdf');
      res.setHeader(
        'content-disposition',
        `attachment; filename="meeting-pack-${londonDay(meeting.startsAt)}.pdf"`,
      );
      res.setHeader('cache-control', 'no-store');
      res.end(pdf);
    } catch (e) {
      next(e);
    }
  });

  // ---- One request ----

  async function findRequest(meeting: StoredMeeting, requestId: string): Promise<StoredSpeakingRequest> {
    const request = isMeetingId(requestId)
      ? await speakingRequests.findById(requestId).lean<StoredSpeakingRequest>()
      : null;
    if (!request || request.meetingId !== String(meeting._id)) {
      throw new HttpError(404, 'There is no speaking request with that reference on this meeting.');
    }
    return request;
  }

  async function renderRequest(
    req: Request,
    res: Response,
    status: number,
    meeting: StoredMeeting,
    request: StoredSpeakingRequest,
    issues: Issue[] = [],
    values: Record<string, string> = {},
  ) {
    let suggested;
    if (request.status === 'awaiting_officer_confirmation' && request.suggestedPersonId) {
      // Reading the register to show who the requester may be: audited (ARCHITECTURE: least privilege).
      const person = isMeetingId(request.suggestedPersonId)
        ? await models.people.findById(request.suggestedPersonId, { names: 1 }).lean()
        : null;
      const restrictions = await models.restrictions
        .find({ personId: request.suggestedPersonId }, { kinds: 1, status: 1, scope: 1 })
        .lean();
      await appendAudit(audit, {
        actor: officerOf(req),
        action: 'register.read',
        subject: { type: 'person', id: request.suggestedPersonId },
        details: {
          purpose: 'name match on a speaking request',
          speakingRequestId: String(request._id),
          reference: request.reference,
        },
      });
      suggested = {
        name: person?.names[0] ?? 'A person no longer on the register',
        aliases: person?.names.slice(1) ?? [],
        restrictions: restrictions.map((r) => ({
          status: r.status,
          scope:
            r.scope?.level === 'council'
              ? 'the whole council'
              : `${r.scope?.level ?? ''} ${r.scope?.name ?? ''}`.trim(),
          kinds: (r.kinds as RestrictionKind[]).map((k) => RESTRICTION_KIND_LABELS[k] ?? k),
        })),
      };
    }
    const notice = req.session.meetingsNotice;
    delete req.session.meetingsNotice;
    const item = agendaItemOf(meeting, request.agendaItemId);
    const row = requestRow(meeting, request);
    res.status(status).render('meetings/request.njk', {
      notice,
      errors: errorsFrom(issues, [
        'samePerson',
        'toAgendaItemId',
        'reason',
        'statementDecision',
        'statementReason',
        'actions',
      ]),
      values,
      meeting: meetingView(meeting),
      request: {
        ...row,
        item: item ? `Item ${item.number}: ${item.title}` : 'An item no longer on the agenda',
        email: request.email,
        phone: request.phone,
        address: request.address,
        topic: request.topic,
        statementText: request.statement?.text,
        statementChecks: request.statement?.checkReasons ?? [],
        statementNeedsOfficer: request.statement?.check === 'flagged' && !request.statement.officerDecision,
        history: [...request.history].reverse().map((h) => ({
          at: formatCouncilDateTime(h.at),
          iso: h.at.toISOString(),
          by: h.by,
          label: EVENT_LABELS[h.event] ?? h.event,
          status: REQUEST_STATE_LABELS[h.status],
          reason: h.reason,
          emailed: h.notify
            ? request.notifiedEvents.includes(String(h._id))
              ? 'E-mailed'
              : 'E-mail not sent yet'
            : undefined,
        })),
      },
      suggested,
      allowed: {
        accept: ['late', 'waiting_list', 'refused'].includes(request.status) && !request.restrictionId,
        refuse: !['withdrawn', 'refused'].includes(request.status),
        move:
          !['received', 'withdrawn', 'refused'].includes(request.status) && meeting.agendaItems.length > 1,
      },
      moveTo: meeting.agendaItems
        .filter((i) => String(i._id) !== request.agendaItemId)
        .map((i) => ({ value: String(i._id), text: `Item ${i.number}: ${i.title}` })),
    });
  }

  router.get('/meetings/:meetingId/requests/:requestId', manage, async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      await renderRequest(req, res, 200, meeting, await findRequest(meeting, param(req, 'requestId')));
    } catch (e) {
      next(e);
    }
  });

  /** Each officer action: validate, call the store operation, queue the e-mails, back to the request. */
  function action(
    path: string,
    run: (ctx: {
      body: Record<string, unknown>;
      requestId: string;
      officer: string;
      at: Date;
    }) => Promise<{ notices: Notice[]; done: string } | Issue[]>,
  ) {
    router.post(`/meetings/:meetingId/requests/:requestId/${path}`, manage, async (req, res, next) => {
      try {
        const meeting = await findMeeting(param(req, 'meetingId'));
        const request = await findRequest(meeting, param(req, 'requestId'));
        const body = (req.body ?? {}) as Record<string, unknown>;
        const values = typedValues(body);
        let outcome;
        try {
          outcome = await run({
            body,
            requestId: String(request._id),
            officer: officerOf(req),
            at: new Date(),
          });
        } catch (e) {
          if (e instanceof ValidationFailed)
            return await renderRequest(
              req,
              res,
              400,
              meeting,
              request,
              [{ field: e.field, message: e.message }],
              values,
            );
          if (e instanceof Conflict || e instanceof Forbidden || e instanceof NotFound) {
            return await renderRequest(
              req,
              res,
              e instanceof Forbidden ? 403 : 409,
              meeting,
              request,
              [{ field: 'actions', message: e.message }],
              values,
            );
          }
          throw e;
        }
        if (Array.isArray(outcome))
          return await renderRequest(req, res, 400, meeting, request, outcome, values);
        await notifyAfter(req, outcome.notices, outcome.done);
        res.redirect(303, `/meetings/${String(meeting._id)}/requests/${String(request._id)}`);
      } catch (e) {
        next(e);
      }
    });
  }

  const reasonSchema = z
    .string({
      required_error: 'Enter the reason: the requester is sent it',
      invalid_type_error: 'Enter the reason: the requester is sent it',
    })
    .trim()
    .min(1, 'Enter the reason: the requester is sent it')
    .max(1000, 'The reason must be 1000 characters or fewer');

  action('match', async ({ body, requestId, officer, at }) => {
    if (body.samePerson !== 'yes' && body.samePerson !== 'no') {
      return [{ field: 'samePerson', message: 'Select whether the requester is the person on the register' }];
    }
    const samePerson = body.samePerson === 'yes';
    const notices = await decideSuggestedMatch(models, { requestId, samePerson, officer, at });
    return {
      notices,
      done: samePerson ? 'Match confirmed.' : 'Match rejected: the request keeps its place.',
    };
  });

  action('accept', async ({ requestId, officer, at }) => ({
    notices: await acceptByOfficer(models, { requestId, officer, at }),
    done: 'Request accepted.',
  }));

  action('refuse', async ({ body, requestId, officer, at }) => {
    const reason = reasonSchema.safeParse(body.reason);
    if (!reason.success) return [{ field: 'reason', message: reason.error.issues[0]!.message }];
    return {
      notices: await refuseByOfficer(models, { requestId, reason: reason.data, officer, at }),
      done: 'Request refused. The requester will be e-mailed the reason.',
    };
  });

  action('move', async ({ body, requestId, officer, at }) => {
    if (typeof body.toAgendaItemId !== 'string' || !body.toAgendaItemId) {
      return [{ field: 'toAgendaItemId', message: 'Select the agenda item to move the request to' }];
    }
    return {
      notices: await moveByOfficer(models, { requestId, toAgendaItemId: body.toAgendaItemId, officer, at }),
      done: 'Request moved.',
    };
  });

  action('statement', async ({ body, requestId, officer, at }) => {
    if (body.statementDecision !== 'accept' && body.statementDecision !== 'refuse') {
      return [{ field: 'statementDecision', message: 'Select whether the statement is read out' }];
    }
    const accept = body.statementDecision === 'accept';
    let reason: string | undefined;
    if (!accept) {
      const parsed = reasonSchema.safeParse(body.statementReason);
      if (!parsed.success) return [{ field: 'statementReason', message: parsed.error.issues[0]!.message }];
      reason = parsed.data;
    }
    return {
      notices: await decideOnStatement(models, {
        requestId,
        accept,
        ...(reason ? { reason } : {}),
        officer,
        at,
      }),
      done: accept
        ? 'Statement accepted: it is in the meeting pack.'
        : 'Statement refused. The requester will be e-mailed the reason.',
    };
  });

  return router;
}
