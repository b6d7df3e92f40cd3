// The public form for asking to speak at a council meeting (no sign-in), and the requester's
// private page, reached only through the link in their e-mail, to withdraw or send a written
// statement. Nothing is stored until the whole form is valid; the meetings worker decides.
import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { ZodIssue } from 'zod';
import type { Config } from '../../config/config';
import { Conflict, ValidationFailed } from '../../core/errors';
import { formatCouncilDate, formatCouncilDateTime, formatCouncilTime } from '../../core/meetings/london-time';
import {
  SPEAKING_MODE_LABELS,
  SPEAKING_MODES,
  speakingRequestFormSchema,
  writtenStatementFormSchema,
  type SpeakingMode,
  type SpeakingRequestForm,
} from '../../core/meetings/speakers';
import { appendAudit } from '../../store/audit';
import type { Store } from '../../store/connection';
import {
  agendaItemOf,
  ALREADY_ASKED,
  discardReceivedRequest,
  hashPrivateLink,
  isMeetingId,
  itemPlaces,
  looksLikePrivateLink,
  receiveSpeakingRequest,
  registrationDeadlineOf,
  restoreStatement,
  saveWrittenStatement,
  statementDeadlineOf,
  withdrawByRequester,
  type StoredMeeting,
  type StoredSpeakingRequest,
} from '../../store/meetings';
import { MeetingsQueue } from '../../workers/meetings';
import { HttpError } from '../http-errors';

declare module 'express-session' {
  interface SessionData {
    /** Shown once on the confirmation page after a request is sent (post, redirect, get). */
    speakingRequestSent?: {
      reference: string;
      meetingTitle: string;
      itemName: string;
      waitingList: boolean;
      writtenOnly: boolean;
    };
    speakNotice?: string;
  }
}

/** A path parameter as text (Express types them loosely when a route has several handlers). */
function param(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** A person filling in the form may need a few goes; a script sending hundreds may not. */
const RATE_LIMIT = { windowMinutes: 15, limit: 30 };

const FORM_FIELDS = ['agendaItemId', 'mode', 'topic', 'fullName', 'email', 'phone', 'address'] as const;

type FieldErrors = { list: { text: string; href: string }[]; byField: Record<string, string> };

/** GOV.UK error summary: one message per field, in the order the fields are on the page. */
function fieldErrors(issues: { field: string; message: string }[], order: readonly string[]): FieldErrors {
  const byField: Record<string, string> = {};
  for (const i of issues) byField[i.field] ??= i.message;
  const fields = [...order, ...Object.keys(byField).filter((f) => !order.includes(f))];
  return {
    list: fields.filter((f) => byField[f]).map((f) => ({ text: byField[f]!, href: `#${f}` })),
    byField,
  };
}

function fromZod(issues: ZodIssue[]) {
  return issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message }));
}

function place(meeting: StoredMeeting): string {
  if (meeting.venue && meeting.remoteLink) return `${meeting.venue}, or online`;
  return meeting.venue ?? 'Online';
}

/** In person needs a venue; remotely needs a meeting link; a written statement is always possible. */
function offeredModes(meeting: StoredMeeting): SpeakingMode[] {
  return SPEAKING_MODES.filter((m) =>
    m === 'in_person' ? meeting.venue : m === 'remote' ? meeting.remoteLink : true,
  );
}

function meetingSummary(meeting: StoredMeeting, now: Date) {
  const deadline = registrationDeadlineOf(meeting);
  return {
    id: String(meeting._id),
    title: meeting.title,
    committee: meeting.committee,
    date: formatCouncilDate(meeting.startsAt),
    time: formatCouncilTime(meeting.startsAt),
    place: place(meeting),
    online: Boolean(meeting.remoteLink),
    inPerson: Boolean(meeting.venue),
    deadline: formatCouncilDateTime(deadline),
    closed: now > deadline,
    minutesPerSpeaker: meeting.minutesPerSpeaker,
  };
}

/** Values sent back into the form, as typed (strings only: never an injected object). */
function typedValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of [...FORM_FIELDS, 'waitingList']) {
    const v = body[f];
    if (typeof v === 'string') values[f] = v.slice(0, 6000);
  }
  return values;
}

function publicStatus(
  request: StoredSpeakingRequest,
  requests: StoredSpeakingRequest[],
  meeting: StoredMeeting,
) {
  switch (request.status) {
    case 'accepted':
      return { tag: 'You have a place to speak', colour: 'green' };
    case 'waiting_list': {
      const position =
        itemPlaces(meeting, requests, request.agendaItemId).waiting.findIndex(
          (r) => String(r._id) === String(request._id),
        ) + 1;
      return {
        tag: 'On the waiting list',
        colour: 'yellow',
        detail: position > 0 ? `You are number ${position} on the waiting list.` : undefined,
      };
    }
    case 'written_submission':
      return { tag: 'Written statement', colour: 'blue' };
    case 'late':
      return { tag: 'Received after the deadline', colour: 'grey' };
    case 'withdrawn':
      return { tag: 'Withdrawn', colour: 'grey' };
    case 'refused': {
      const refusal = [...request.history].reverse().find((h) => h.event === 'refused_by_officer');
      return {
        tag: 'Refused',
        colour: 'red',
        detail: refusal ? `The reason is: ${refusal.reason}` : undefined,
      };
    }
    default:
      // A name match waiting for an officer is not the requester's business until it is decided.
      return { tag: 'We are checking your request', colour: 'grey' };
  }
}

export function speakRoutes(store: Store, deps: { config: Config; redis: Redis }): Router {
  const router = Router();
  const models = store.models;
  const { meetings, speakingRequests } = models;
  const queue = new MeetingsQueue(deps.redis, deps.config.QUEUE_PREFIX);

  // Counted in Redis so every server process shares one count per address.
  const limiter = rateLimit({
    windowMs: RATE_LIMIT.windowMinutes * 60_000,
    limit: RATE_LIMIT.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${deps.config.QUEUE_PREFIX}:speak-rate:`,
      sendCommand: (command: string, ...args: string[]) =>
        deps.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, _res, next) =>
      next(
        new HttpError(
          429,
          `You have sent too many forms from this connection. Wait ${RATE_LIMIT.windowMinutes} minutes and try again, or contact democratic services.`,
        ),
      ),
  });

  async function findMeeting(meetingId: string): Promise<StoredMeeting> {
    const meeting = isMeetingId(meetingId) ? await meetings.findById(meetingId).lean<StoredMeeting>() : null;
    if (!meeting)
      throw new HttpError(
        404,
        'We could not find that meeting. Choose a meeting from the list of meetings at /speak.',
      );
    return meeting;
  }

  async function renderForm(
    res: Response,
    status: number,
    meeting: StoredMeeting,
    values: Record<string, string>,
    errors?: FieldErrors,
  ) {
    const requests = await speakingRequests
      .find({ meetingId: String(meeting._id) })
      .lean<StoredSpeakingRequest[]>();
    const items = meeting.agendaItems.map((item) => {
      const { placesLeft } = itemPlaces(meeting, requests, String(item._id));
      return {
        value: String(item._id),
        text: `Item ${item.number}: ${item.title}`,
        hint: {
          text:
            placesLeft === 0
              ? 'All speaking places are taken: you can join the waiting list or send a written statement'
              : `${placesLeft} of ${meeting.maxSpeakersPerItem} speaking ${meeting.maxSpeakersPerItem === 1 ? 'place' : 'places'} left`,
        },
        checked: values.agendaItemId === String(item._id),
      };
    });
    const modes = offeredModes(meeting).map((m) => ({
      value: m,
      text: SPEAKING_MODE_LABELS[m],
      hint:
        m === 'written_only'
          ? { text: 'The chair reads your statement out in full at the meeting' }
          : undefined,
      checked: values.mode === m,
    }));
    res.status(status).render('speak/form.njk', {
      meeting: meetingSummary(meeting, new Date()),
      items,
      modes,
      values,
      errors: errors ?? { list: [], byField: {} },
    });
  }

  router.get('/speak', async (_req, res, next) => {
    try {
      const now = new Date();
      const upcoming = await meetings
        .find({ startsAt: { $gt: now } })
        .sort({ startsAt: 1 })
        .limit(50)
        .lean<StoredMeeting[]>();
      res.render('speak/meetings.njk', { meetings: upcoming.map((m) => meetingSummary(m, now)) });
    } catch (e) {
      next(e);
    }
  });

  router.get('/speak/meetings/:meetingId', async (req, res, next) => {
    try {
      const meeting = await findMeeting(param(req, 'meetingId'));
      const now = new Date();
      if (now > registrationDeadlineOf(meeting))
        return res.render('speak/closed.njk', { meeting: meetingSummary(meeting, now) });
      await renderForm(res, 200, meeting, {});
    } catch (e) {
      next(e);
    }
  });

  router.post('/speak/meetings/:meetingId', limiter, async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const meeting = await findMeeting(param(req, 'meetingId'));
      const now = new Date();
      // A filled-in honeypot is a script: nothing is stored and nothing is explained.
      if (body.website !== undefined && body.website !== '') {
        req.log.warn(
          { meetingId: param(req, 'meetingId') },
          'speaking request refused: the honeypot field was filled in',
        );
        throw new HttpError(400, 'Your request could not be sent. Go back, reload the form and try again.');
      }
      if (now > registrationDeadlineOf(meeting)) {
        return res
          .status(400)
          .render('speak/closed.njk', { meeting: meetingSummary(meeting, now), late: true });
      }
      const values = typedValues(body);
      const parsed = speakingRequestFormSchema.safeParse({ ...body, meetingId: String(meeting._id) });
      if (!parsed.success)
        return await renderForm(
          res,
          400,
          meeting,
          values,
          fieldErrors(fromZod(parsed.error.issues), FORM_FIELDS),
        );
      const form: SpeakingRequestForm = parsed.data;
      if (!offeredModes(meeting).includes(form.mode)) {
        return await renderForm(
          res,
          400,
          meeting,
          values,
          fieldErrors(
            [{ field: 'mode', message: 'Select how you want to take part in the meeting' }],
            FORM_FIELDS,
          ),
        );
      }
      const item = agendaItemOf(meeting, form.agendaItemId);
      if (!item) {
        return await renderForm(
          res,
          400,
          meeting,
          values,
          fieldErrors(
            [{ field: 'agendaItemId', message: 'Select the agenda item you want to speak about' }],
            FORM_FIELDS,
          ),
        );
      }

      // Full items offer the waiting list, or a written statement instead.
      const choice =
        body.waitingList === 'yes' || body.waitingList === 'written' ? body.waitingList : undefined;
      const mode = choice === 'written' ? 'written_only' : form.mode;
      if (mode !== 'written_only' && choice !== 'yes') {
        const requests = await speakingRequests
          .find({ meetingId: String(meeting._id) })
          .lean<StoredSpeakingRequest[]>();
        if (itemPlaces(meeting, requests, form.agendaItemId).placesLeft === 0) {
          const asked = body.fullItemQuestion === '1';
          return res.status(asked ? 400 : 200).render('speak/item-full.njk', {
            meeting: meetingSummary(meeting, now),
            item: { number: item.number, title: item.title },
            max: meeting.maxSpeakersPerItem,
            values,
            errors: asked
              ? fieldErrors(
                  [
                    {
                      field: 'waitingList',
                      message: 'Select whether you want to join the waiting list or send a written statement',
                    },
                  ],
                  ['waitingList'],
                )
              : { list: [], byField: {} },
          });
        }
      }

      let request: StoredSpeakingRequest;
      try {
        request = await receiveSpeakingRequest(
          models,
          {
            meetingId: String(meeting._id),
            agendaItemId: form.agendaItemId,
            fullName: form.fullName,
            email: form.email,
            phone: form.phone,
            ...(form.address ? { address: form.address } : {}),
            mode,
            topic: form.topic,
          },
          now,
        );
      } catch (e) {
        if (e instanceof Conflict)
          return await renderForm(
            res,
            409,
            meeting,
            values,
            fieldErrors([{ field: 'agendaItemId', message: ALREADY_ASKED }], FORM_FIELDS),
          );
        throw e;
      }
      try {
        await appendAudit(models.audit, {
          actor: `requester:${request.reference}`,
          action: 'speaking_request.received',
          subject: { type: 'speaking_request', id: String(request._id) },
          details: {
            reference: request.reference,
            meetingId: request.meetingId,
            agendaItemId: request.agendaItemId,
            mode,
            ip: req.ip,
          },
        });
        await queue.assess(String(request._id));
      } catch (e) {
        // Without its job nobody would decide the request: take it back so the person can try again.
        await discardReceivedRequest(models, String(request._id));
        throw e;
      }
      req.session.speakingRequestSent = {
        reference: request.reference,
        meetingTitle: meeting.title,
        itemName: `item ${item.number}, ${item.title}`,
        waitingList: choice === 'yes',
        writtenOnly: mode === 'written_only',
      };
      res.redirect(303, '/speak/request-sent');
    } catch (e) {
      next(e);
    }
  });

  router.get('/speak/request-sent', (req, res) => {
    // Without a request just sent (a bookmark, another browser) the page says where to start.
    res.render('speak/sent.njk', { sent: req.session.speakingRequestSent });
  });

  // ---- The requester's private link ----

  async function fromPrivateLink(token: string): Promise<StoredSpeakingRequest | null> {
    if (!looksLikePrivateLink(token)) return null;
    return speakingRequests
      .findOne({ privateLinkHashes: { $eq: hashPrivateLink(token) } })
      .lean<StoredSpeakingRequest>();
  }

  function linkNotValid(res: Response) {
    res.status(404).render('speak/link-not-valid.njk');
  }

  async function renderRequest(
    req: Request,
    res: Response,
    status: number,
    request: StoredSpeakingRequest,
    errors?: FieldErrors,
  ) {
    const meeting = await meetings.findById(request.meetingId).lean<StoredMeeting>();
    if (!meeting) return linkNotValid(res);
    const requests = await speakingRequests
      .find({ meetingId: request.meetingId })
      .lean<StoredSpeakingRequest[]>();
    const item = agendaItemOf(meeting, request.agendaItemId);
    const notice = req.session.speakNotice;
    delete req.session.speakNotice;
    const now = new Date();
    res.status(status).render('speak/request.njk', {
      token: param(req, 'token'),
      notice,
      errors: errors ?? { list: [], byField: {} },
      meeting: meetingSummary(meeting, now),
      request: {
        reference: request.reference,
        fullName: request.fullName,
        item: item ? `Item ${item.number}: ${item.title}` : 'An item no longer on the agenda',
        mode: SPEAKING_MODE_LABELS[request.mode],
        topic: request.topic,
        status: publicStatus(request, requests, meeting),
        written: request.status === 'written_submission',
        statement: request.statement
          ? {
              submitted: formatCouncilDateTime(request.statement.submittedAt),
              refused: request.statement.officerDecision === 'refused',
            }
          : undefined,
        canWithdraw: !['withdrawn', 'refused'].includes(request.status) && meeting.startsAt > now,
      },
      statementDeadline: formatCouncilDateTime(statementDeadlineOf(meeting)),
      statementOpen: now <= statementDeadlineOf(meeting),
    });
  }

  router.get('/speak/requests/:token', async (req, res, next) => {
    try {
      const request = await fromPrivateLink(param(req, 'token'));
      if (!request) return linkNotValid(res);
      await renderRequest(req, res, 200, request);
    } catch (e) {
      next(e);
    }
  });

  router.post('/speak/requests/:token/withdraw', limiter, async (req, res, next) => {
    try {
      const request = await fromPrivateLink(param(req, 'token'));
      if (!request) return linkNotValid(res);
      let notices;
      try {
        notices = await withdrawByRequester(models, String(request._id), new Date());
      } catch (e) {
        if (e instanceof Conflict)
          return await renderRequest(
            req,
            res,
            409,
            request,
            fieldErrors([{ field: 'withdraw', message: e.message }], ['withdraw']),
          );
        throw e;
      }
      await queue.notify(notices);
      req.session.speakNotice = 'You have withdrawn your request to speak.';
      res.redirect(303, `/speak/requests/${param(req, 'token')}`);
    } catch (e) {
      next(e);
    }
  });

  async function renderStatement(
    req: Request,
    res: Response,
    status: number,
    request: StoredSpeakingRequest,
    value: string,
    errors?: FieldErrors,
  ) {
    const meeting = await meetings.findById(request.meetingId).lean<StoredMeeting>();
    if (!meeting) return linkNotValid(res);
    const item = agendaItemOf(meeting, request.agendaItemId);
    const deadline = statementDeadlineOf(meeting);
    res.status(status).render('speak/statement.njk', {
      token: param(req, 'token'),
      meeting: meetingSummary(meeting, new Date()),
      item: item ? `item ${item.number}, ${item.title}` : 'your agenda item',
      deadline: formatCouncilDateTime(deadline),
      open: new Date() <= deadline,
      value,
      errors: errors ?? { list: [], byField: {} },
    });
  }

  router.get('/speak/requests/:token/statement', async (req, res, next) => {
    try {
      const request = await fromPrivateLink(param(req, 'token'));
      if (!request) return linkNotValid(res);
      if (request.status !== 'written_submission')
        return res.redirect(303, `/speak/requests/${param(req, 'token')}`);
      await renderStatement(req, res, 200, request, request.statement?.text ?? '');
    } catch (e) {
      next(e);
    }
  });

  router.post('/speak/requests/:token/statement', limiter, async (req, res, next) => {
    try {
      const request = await fromPrivateLink(param(req, 'token'));
      if (!request) return linkNotValid(res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const value = typeof body.statement === 'string' ? body.statement.slice(0, 6000) : '';
      if (request.status !== 'written_submission') {
        return await renderStatement(
          req,
          res,
          409,
          request,
          value,
          fieldErrors(
            [
              {
                field: 'statement',
                message: 'You can only send a written statement when your request is a written submission.',
              },
            ],
            ['statement'],
          ),
        );
      }
      const parsed = writtenStatementFormSchema.safeParse({
        fullName: request.fullName,
        email: request.email,
        meetingId: request.meetingId,
        agendaItemId: request.agendaItemId,
        statement: body.statement,
      });
      if (!parsed.success)
        return await renderStatement(
          req,
          res,
          400,
          request,
          value,
          fieldErrors(fromZod(parsed.error.issues), ['statement']),
        );
      let saved: StoredSpeakingRequest;
      try {
        saved = await saveWrittenStatement(models, {
          requestId: String(request._id),
          text: parsed.data.statement,
          at: new Date(),
        });
      } catch (e) {
        if (e instanceof ValidationFailed || e instanceof Conflict) {
          return await renderStatement(
            req,
            res,
            e instanceof Conflict ? 409 : 400,
            request,
            value,
            fieldErrors([{ field: 'statement', message: e.message }], ['statement']),
          );
        }
        throw e;
      }
      try {
        await queue.checkStatement(String(request._id), saved.statement!.submittedAt);
      } catch (e) {
        await restoreStatement(models, request);
        throw e;
      }
      req.session.speakNotice = 'We have received your written statement.';
      res.redirect(303, `/speak/requests/${param(req, 'token')}`);
    } catch (e) {
      next(e);
    }
  });

  return router;
}
