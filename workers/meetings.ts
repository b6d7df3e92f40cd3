// The meetings queue: decides each new speaking request (register match, then one core call),
// e-mails the requester about every decision that concerns them (once each), and runs the
// content check on written statements. Also the producer the server uses to queue these jobs.
import { Queue, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DomainError, NotFound } from '../core/errors';
import { formatCouncilDate, formatCouncilDateTime, formatCouncilTime } from '../core/meetings/london-time';
import {
  escapeHtml,
  writtenSubmissionLetter,
  type EmailBody,
} from '../documents/meetings/written-submission-letter';
import type { Mailer } from '../mail/mailer';
import { jobIdFor } from '../queues/jobs';
import { appendAudit } from '../store/audit';
import {
  addPrivateLink,
  agendaItemOf,
  decideNewRequest,
  markNotified,
  MeetingBusy,
  newPrivateLink,
  recordStatementCheck,
  registrationDeadlineOf,
  statementDeadlineOf,
  type HistoryEntry,
  type Notice,
  type StoredMeeting,
  type StoredSpeakingRequest,
} from '../store/meetings';
import type { WorkerContext } from './context';
import { registerMatchesForRequester } from './meeting-matches';

// ---- Jobs and their producer ----

const objectId = z.string().regex(/^[a-f0-9]{24}$/);

export const meetingsJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assess'), requestId: objectId }),
  z.object({ kind: z.literal('notify'), requestId: objectId, eventId: objectId }),
  z.object({ kind: z.literal('check-statement'), requestId: objectId, submittedAt: z.string().datetime() }),
]);
export type MeetingsJob = z.infer<typeof meetingsJobSchema>;

const retried: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // failed jobs stay for an administrator to see and retry
};

/** Queues the meetings jobs. Job ids name the request and the event, so a repeat is a no-op. */
export class MeetingsQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue('meetings', { connection, prefix, defaultJobOptions: retried });
  }

  assess(requestId: string) {
    const data: MeetingsJob = { kind: 'assess', requestId };
    return this.queue.add('assess', data, { jobId: jobIdFor('meeting-assess', requestId) });
  }

  async notify(notices: Notice[]) {
    if (notices.length === 0) return;
    await this.queue.addBulk(
      notices.map((n) => ({
        name: 'notify',
        data: { kind: 'notify', ...n } satisfies MeetingsJob,
        opts: { ...retried, jobId: jobIdFor('meeting-notify', n.requestId, n.eventId) },
      })),
    );
  }

  checkStatement(requestId: string, submittedAt: Date) {
    const data: MeetingsJob = { kind: 'check-statement', requestId, submittedAt: submittedAt.toISOString() };
    return this.queue.add('check-statement', data, {
      jobId: jobIdFor('meeting-statement', requestId, data.submittedAt),
    });
  }

  close() {
    return this.queue.close();
  }
}

// ---- What the meetings worker needs beyond the shared WorkerContext ----

/**
 * The seam for the content detector (being built in core/detect): whether a written statement
 * must wait for an officer before it is read out at the meeting. Until the detector is wired in,
 * `noContentDetectorYet` passes every statement; replace it in MeetingsSettings.
 */
export type WrittenStatementCheck = (statement: string) => Promise<{ flagged: boolean; reasons: string[] }>;

export const noContentDetectorYet: WrittenStatementCheck = async () => ({ flagged: false, reasons: [] });

export interface MeetingsSettings {
  mailer: Mailer;
  /** Where the public form is served, for the private links in e-mails (config PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  councilName: string;
  /** Democratic services, named in every e-mail to a requester. */
  contact: { email?: string; phone?: string };
  checkWrittenStatement?: WrittenStatementCheck;
}

/** workers/main.ts (or a test) adds `meetings` to the context; without it no e-mail can be sent. */
export type MeetingsWorkerContext = WorkerContext & { meetings?: MeetingsSettings };

// ---- The processor ----

export async function processMeetingsJob(ctx: MeetingsWorkerContext, job: Job): Promise<unknown> {
  const parsed = meetingsJobSchema.safeParse(job.data);
  if (!parsed.success)
    throw new UnrecoverableError(`meetings job ${job.id} is malformed: ${parsed.error.issues[0]?.message}`);
  try {
    const data = parsed.data;
    if (data.kind === 'assess') return await assessSpeakingRequest(ctx, data.requestId);
    if (data.kind === 'notify') return await sendNotices(ctx, data.requestId);
    return await checkWrittenStatement(ctx, data.requestId, new Date(data.submittedAt));
  } catch (e) {
    // A request or meeting that is gone, or a rule that says no, will not change on a retry.
    if (e instanceof DomainError && !(e instanceof MeetingBusy)) {
      throw new UnrecoverableError(`${e.name}: ${e.message}`);
    }
    throw e;
  }
}

async function assessSpeakingRequest(ctx: MeetingsWorkerContext, requestId: string) {
  const models = ctx.store.models;
  const request = await models.speakingRequests.findById(requestId).lean<StoredSpeakingRequest>();
  if (!request) throw new NotFound(`speaking request ${requestId} is not in the store`);
  if (request.status === 'received') {
    const matches = await registerMatchesForRequester(models, request);
    await appendAudit(models.audit, {
      actor: 'system:meetings',
      action: 'register.searched',
      subject: { type: 'speaking_request', id: requestId },
      details: {
        reference: request.reference,
        found: matches.map((m) => ({ personId: m.personId, matchedOn: m.matchedOn })),
      },
    });
    await decideNewRequest(models, { requestId, matches, at: ctx.now() });
  }
  // The decision's e-mail goes out here too; after a crash the retry sends what is still unsent.
  return sendNotices(ctx, requestId);
}

async function checkWrittenStatement(ctx: MeetingsWorkerContext, requestId: string, submittedAt: Date) {
  const request = await ctx.store.models.speakingRequests.findById(requestId).lean<StoredSpeakingRequest>();
  const statement = request?.statement;
  if (
    !statement ||
    statement.check !== 'pending' ||
    statement.submittedAt.getTime() !== submittedAt.getTime()
  ) {
    return { checked: false }; // replaced by a newer statement, or already checked
  }
  const check = ctx.meetings?.checkWrittenStatement ?? noContentDetectorYet;
  const result = await check(statement.text);
  await recordStatementCheck(ctx.store.models, { requestId, submittedAt, ...result, at: ctx.now() });
  return { checked: true, flagged: result.flagged };
}

/** E-mails the requester about every recorded event they have not yet been told about. */
async function sendNotices(ctx: MeetingsWorkerContext, requestId: string) {
  const models = ctx.store.models;
  const request = await models.speakingRequests.findById(requestId).lean<StoredSpeakingRequest>();
  if (!request) throw new NotFound(`speaking request ${requestId} is not in the store`);
  const pending = request.history.filter((h) => h.notify && !request.notifiedEvents.includes(String(h._id)));
  if (pending.length === 0) return { sent: 0 };
  const settings = ctx.meetings;
  if (!settings)
    throw new Error('the meetings worker has no mailer: add `meetings` settings to the WorkerContext');
  const meeting = await models.meetings.findById(request.meetingId).lean<StoredMeeting>();
  if (!meeting) throw new NotFound(`meeting ${request.meetingId} is not in the store`);

  for (const event of pending) {
    // Each e-mail carries a fresh private link; only its hash is kept.
    const { token, hash } = newPrivateLink();
    await addPrivateLink(models, requestId, hash);
    const mail = requesterEmail({
      request,
      meeting,
      event,
      settings,
      link: `${settings.publicBaseUrl.replace(/\/+$/, '')}/speak/requests/${token}`,
    });
    await settings.mailer.send({ to: request.email, ...mail });
    await markNotified(models, requestId, String(event._id));
    await appendAudit(models.audit, {
      actor: 'system:meetings',
      action: 'speaking_request.emailed',
      subject: { type: 'speaking_request', id: requestId },
      details: {
        reference: request.reference,
        event: event.event,
        eventId: String(event._id),
        subject: mail.subject,
      },
    });
  }
  return { sent: pending.length };
}

// ---- What the requester is told ----

interface NoticeInput {
  request: StoredSpeakingRequest;
  meeting: StoredMeeting;
  event: HistoryEntry;
  settings: MeetingsSettings;
  /** The requester's private link (their request page); `/statement` is the statement form. */
  link: string;
}

/** The e-mail for one event in a request's history, in plain words (GOV.UK style). */
export function requesterEmail({ request, meeting, event, settings, link }: NoticeInput): EmailBody {
  const item = agendaItemOf(meeting, event.agendaItemId);
  const itemName = item ? `item ${item.number}, ${item.title}` : 'the agenda item you chose';
  const statementDeadline = formatCouncilDateTime(statementDeadlineOf(meeting));

  if (event.event === 'no_public_participation' || event.event === 'officer_confirmed_match') {
    return writtenSubmissionLetter({
      councilName: settings.councilName,
      requesterName: request.fullName,
      meeting: { title: meeting.title, committee: meeting.committee, startsAt: meeting.startsAt },
      agendaItem: { number: item?.number ?? '', title: item?.title ?? '' },
      restrictionScope: request.restrictionScope ?? { level: 'council' },
      statementDeadline: statementDeadlineOf(meeting),
      privateLink: `${link}/statement`,
      contact: settings.contact,
    });
  }

  const place = meeting.venue ? `in person at ${meeting.venue}` : 'in person';
  const speakingPlace = [
    request.mode === 'remote'
      ? `You have a place to speak remotely.${meeting.remoteLink ? ` Join the meeting using this link: ${meeting.remoteLink}` : ' We will email you the joining details before the meeting.'}`
      : `You have a place to speak ${place}.`,
    `You can speak for up to ${meeting.minutesPerSpeaker} ${meeting.minutesPerSpeaker === 1 ? 'minute' : 'minutes'}. The chair will call you when ${itemName} is discussed.`,
  ];
  const waiting = [
    `All ${meeting.maxSpeakersPerItem} speaking places on ${itemName} are taken, so you are on the waiting list.`,
    'We will email you if a place becomes free.',
  ];
  const sendStatement = [
    'The chair will read your written statement out in full at the meeting.',
    `Please send it by ${statementDeadline} using your private link:\n${link}/statement`,
  ];
  const byStatus = (): { outcome: string; lines: string[] } => {
    if (event.status === 'accepted') return { outcome: 'you have a place to speak', lines: speakingPlace };
    if (event.status === 'waiting_list') return { outcome: 'you are on the waiting list', lines: waiting };
    if (event.status === 'written_submission')
      return { outcome: 'send your written statement', lines: sendStatement };
    return {
      outcome: 'we have received it',
      lines: ['We are checking your request. We will email you to confirm your place.'],
    };
  };

  let outcome: string;
  let lines: string[];
  switch (event.event) {
    case 'registration_deadline':
      outcome = 'received after the deadline';
      lines = [
        `We received your request after the deadline, which was ${formatCouncilDateTime(registrationDeadlineOf(meeting))}.`,
        'We cannot add you to the list of speakers. You can still watch the meeting.',
      ];
      break;
    case 'promoted_from_waiting_list':
      outcome = 'a place has become free';
      lines = ['A speaking place has become free and you were first on the waiting list.', ...speakingPlace];
      break;
    case 'refused_by_officer':
      outcome = 'we cannot accept your request';
      lines = ['We cannot accept your request to speak.', `The reason is: ${event.reason}`];
      break;
    case 'statement_refused_by_officer':
      outcome = 'your written statement will not be read out';
      lines = [
        'Your written statement will not be read out at the meeting.',
        `The reason is: ${event.reason}`,
      ];
      break;
    case 'moved_by_officer': {
      const now = byStatus();
      outcome = `your request is now for ${item ? `item ${item.number}` : 'another item'}`;
      lines = [`We have moved your request to ${itemName}.`, ...now.lines];
      break;
    }
    default:
      ({ outcome, lines } = byStatus());
  }

  const when = `${formatCouncilTime(meeting.startsAt)} on ${formatCouncilDate(meeting.startsAt)}`;
  const contact = [
    settings.contact.email ? `Email: ${settings.contact.email}` : undefined,
    settings.contact.phone ? `Telephone: ${settings.contact.phone}` : undefined,
  ].filter((l): l is string => Boolean(l));
  const paragraphs = [
    `Dear ${request.fullName},`,
    `Your reference number is ${request.reference}.`,
    `This is about your request to speak at the ${meeting.title} at ${when}, on ${itemName}.`,
    ...lines,
    `To see your request or withdraw it, use your private link (do not share it):\n${link}`,
    ...(contact.length
      ? [`If you have any questions, contact democratic services:\n${contact.join('\n')}`]
      : []),
    `Democratic services\n${settings.councilName}`,
  ];
  const subject = `Your request to speak at the ${meeting.title}: ${outcome}`;
  const ours = [link, `${link}/statement`, ...(meeting.remoteLink ? [meeting.remoteLink] : [])];
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">',
    ...paragraphs.map((p) => `<p>${linkify(escapeHtml(p), ours).replace(/\n/g, '<br>')}</p>`),
    '</body></html>',
  ].join('\n');
  return { subject, text: paragraphs.join('\n\n'), html };
}

/**
 * Only our own links become anchors: a web address typed into a name or topic stays text, so a
 * council e-mail can never carry someone else's link.
 */
function linkify(escaped: string, ours: string[]): string {
  const pattern = ours
    .map(escapeHtml)
    .sort((a, b) => b.length - a.length) // the longest first, so ".../statement" is not cut short
    .map((url) => url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  return escaped.replace(new RegExp(pattern, 'g'), (url) => `<a href="${url}">${url}</a>`);
}
