// The daily review check (policy §15: every restriction is reviewed at least every six months): finds
// restrictions overdue or due within 14 days and e-mails each authorising officer the references of
// theirs. The e-mail carries references and dates only, never names: the register is confidential.
import { Queue, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { COUNCIL_TIME_ZONE, formatCouncilDate, londonDay } from '../core/meetings/london-time';
import { REVIEW_WARNING_DAYS, reviewsDue, type ReviewDue } from '../core/register/reviews-due';
import type { RestrictionRecord } from '../core/register/types';
import type { Mailer } from '../mail/mailer';
import { appendAudit } from '../store/audit';
import type { Store } from '../store/connection';
import { toRestrictionRecord } from '../store/register-records';
import type { WorkerContext } from './context';

export const reviewCheckJobSchema = z.object({ requestedBy: z.string().max(100).optional() }).strict();

/** What the reminder needs that a worker context does not carry: the mail relay and the link to the service. */
export interface ReviewReminderSettings {
  mailer: Mailer;
  /** The dashboard's address, for the link in the e-mail (PUBLIC_BASE_URL). */
  serviceUrl: string;
}

const settingsByStore = new WeakMap<Store, ReviewReminderSettings>();

/** Gives this worker process's reviews processor its mailer. Call once at start (workers/main.ts). */
export function sendReviewRemindersWith(store: Store, settings: ReviewReminderSettings): void {
  settingsByStore.set(store, settings);
}

const REVIEWS_QUEUE = 'reviews';
export const DAILY_REVIEW_CHECK = 'daily-review-check';

/** Registers the daily check (a BullMQ job scheduler: one per deployment however many workers run), 7am London time. */
export async function scheduleDailyReviewCheck(connection: Redis, prefix: string): Promise<void> {
  const queue = new Queue(REVIEWS_QUEUE, { connection, prefix });
  try {
    await queue.upsertJobScheduler(
      DAILY_REVIEW_CHECK,
      { pattern: '0 7 * * *', tz: COUNCIL_TIME_ZONE },
      {
        name: 'reviews-due',
        data: {},
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 60_000 },
          removeOnComplete: { count: 100 },
          removeOnFail: false,
        },
      },
    );
  } finally {
    await queue.close();
  }
}

/** Runs the check now, outside the schedule (an administrator's request, or a test). */
export async function checkReviewsNow(
  connection: Redis,
  prefix: string,
  requestedBy?: string,
): Promise<string> {
  const queue = new Queue(REVIEWS_QUEUE, { connection, prefix });
  try {
    const job = await queue.add(
      'reviews-due',
      { requestedBy } satisfies z.input<typeof reviewCheckJobSchema>,
      { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 } },
    );
    return job.id!;
  } finally {
    await queue.close();
  }
}

function reminderText(officerName: string, due: ReviewDue<RestrictionRecord>[], serviceUrl: string): string {
  const line = (d: ReviewDue<RestrictionRecord>) => {
    const when = formatCouncilDate(d.restriction.reviewDue!);
    if (d.state === 'overdue')
      return `- ${d.restriction.reference}: the review was due on ${when} (${-d.daysLeft} ${-d.daysLeft === 1 ? 'day' : 'days'} ago)`;
    return `- ${d.restriction.reference}: review due on ${when}${d.daysLeft === 0 ? ' (today)' : ` (in ${d.daysLeft} ${d.daysLeft === 1 ? 'day' : 'days'})`}`;
  };
  const overdue = due.filter((d) => d.state === 'overdue');
  const soon = due.filter((d) => d.state === 'due_soon');
  return [
    `Dear ${officerName},`,
    '',
    'These restrictions you authorised need reviewing. Policy says a restriction is reviewed at least every six months, and lifted when circumstances change.',
    ...(overdue.length ? ['', 'Overdue:', ...overdue.map(line)] : []),
    ...(soon.length ? ['', `Due within ${REVIEW_WARNING_DAYS} days:`, ...soon.map(line)] : []),
    '',
    `Review them from the Reviews due page: ${serviceUrl.replace(/\/$/, '')}/register/reviews`,
    '',
    'This e-mail gives references only, because the register of restricted customers is confidential.',
  ].join('\n');
}

/** The daily processor: find what is due, e-mail each authorising officer once a day, audit it. */
export async function remindReviewsDue(
  ctx: WorkerContext,
  job: Job,
): Promise<{ due: number; overdue: number; reminded: string[]; undeliverable: string[] }> {
  reviewCheckJobSchema.parse(job.data);
  const settings = settingsByStore.get(ctx.store);
  if (!settings)
    throw new UnrecoverableError(
      'reviews: this worker process has no mailer; start it with sendReviewRemindersWith(store, { mailer, serviceUrl })',
    );
  const { restrictions, officers, audit } = ctx.store.models;
  const at = ctx.now();
  const today = londonDay(at);

  const docs = await restrictions.find({ status: { $in: ['active', 'reviewed'] } }).lean();
  // A retried or repeated run on the same day does not send the same reminder twice.
  const remindedToday = new Set(docs.filter((d) => d.reviewRemindedOn === today).map((d) => String(d._id)));
  const due = reviewsDue(
    docs.map((d) => toRestrictionRecord(d)),
    at,
  );

  const byOfficer = new Map<string, ReviewDue<RestrictionRecord>[]>();
  for (const d of due) {
    if (remindedToday.has(d.restriction.id)) continue;
    const who = d.restriction.approvedBy ?? '';
    byOfficer.set(who, [...(byOfficer.get(who) ?? []), d]);
  }

  const reminded: string[] = [];
  const undeliverable: string[] = [];
  for (const [username, items] of byOfficer) {
    const officer = username ? await officers.findOne({ username: { $eq: username } }).lean() : null;
    if (!officer || officer.disabled) {
      undeliverable.push(...items.map((d) => d.restriction.reference));
      ctx.logger.warn(
        { officer: username, references: items.map((d) => d.restriction.reference) },
        'reviews: the authorising officer has no active account to remind',
      );
      continue;
    }
    const overdue = items.filter((d) => d.state === 'overdue').length;
    const subject = `Restrictions due for review: ${overdue} overdue, ${items.length - overdue} due within ${REVIEW_WARNING_DAYS} days`;
    await settings.mailer.send({
      to: officer.email,
      subject,
      text: reminderText(officer.displayName, items, settings.serviceUrl),
    });
    const ids = items.map((d) => d.restriction.id);
    await restrictions.updateMany({ _id: { $in: ids } }, { $set: { reviewRemindedOn: today } });
    await appendAudit(
      audit,
      {
        actor: 'system:reviews',
        action: 'register.review_reminder_sent',
        subject: { type: 'officer', id: String(officer._id) },
        details: { to: officer.username, references: items.map((d) => d.restriction.reference), overdue },
      },
      at,
    );
    reminded.push(...items.map((d) => d.restriction.reference));
  }
  return {
    due: due.length,
    overdue: due.filter((d) => d.state === 'overdue').length,
    reminded,
    undeliverable,
  };
}
