// The daily review check (policy §15: reviewed at least every six months): the BullMQ job scheduler,
// the "Reviews due" page, and the e-mail to the authorising officer through a real SMTP server.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { addDays, londonDay, londonTimeOn } from '../core/meetings/london-time';
import { createMailer, type Mailer } from '../mail/mailer';
import { redisForProducers } from '../queues/connection';
import {
  checkReviewsNow,
  DAILY_REVIEW_CHECK,
  scheduleDailyReviewCheck,
  sendReviewRemindersWith,
} from '../workers/reviews';
import { Browserless } from './helpers/http';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';
import { addOfficer, startTestStack, waitFor, type TestStack } from './helpers/stack';

const DAY = 86_400_000;

describe('restrictions due for review', () => {
  let stack: TestStack;
  let sink: SmtpSink;
  let mailer: Mailer;
  let redis: Redis;
  let queue: Queue;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack();
    mailer = createMailer({ smtpUrl: sink.url, from: stack.config.MAIL_FROM });
    sendReviewRemindersWith(stack.store, { mailer, serviceUrl: 'https://moderation.example.gov.uk/' });
    redis = redisForProducers(stack.config.REDIS_URL);
    queue = new Queue('reviews', { connection: redis, prefix: stack.config.QUEUE_PREFIX });

    await addOfficer(stack.store, 'ao-reviewer', ['authorising_officer']);
    const { models } = stack.store;
    const now = Date.now();
    const person = await models.people.create({
      names: ['Robin Grey'],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const restriction = (reference: string, reviewInDays: number, status = 'active') => ({
      personId: String(person._id),
      reference,
      kinds: ['social_media_block'],
      status,
      scope: { level: 'council' },
      reason: 'Threats',
      proposedBy: 'jo.patel',
      proposedAt: new Date(now - 200 * DAY),
      proposingService: 'Customer Services',
      approvedBy: 'ao-reviewer',
      approvedAt: new Date(now - 180 * DAY),
      // Midday London time, so the count of days holds whatever the hour and across clock changes.
      reviewDue: londonTimeOn(addDays(londonDay(new Date(now)), reviewInDays), 12, 0),
      createdAt: new Date(now - 200 * DAY),
    });
    await models.restrictions.create([
      restriction('RC-2026-0101', -3),
      restriction('RC-2026-0102', 5),
      restriction('RC-2026-0103', 60),
      restriction('RC-2026-0104', -10, 'lifted'),
    ]);
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    mailer?.close();
    await stack?.stop();
    await sink?.close();
  });

  it('runs every morning as one job scheduler, however many workers start', async () => {
    await scheduleDailyReviewCheck(redis, stack.config.QUEUE_PREFIX);
    await scheduleDailyReviewCheck(redis, stack.config.QUEUE_PREFIX);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: DAILY_REVIEW_CHECK,
      pattern: '0 7 * * *',
      tz: 'Europe/London',
    });
    await queue.removeJobScheduler(DAILY_REVIEW_CHECK);
  });

  it('e-mails the authorising officer the overdue and the due within 14 days — references, never names', async () => {
    await checkReviewsNow(redis, stack.config.QUEUE_PREFIX, 'test');
    const mail = await sink.waitForMessage(
      (m) => m.subject?.startsWith('Restrictions due for review') ?? false,
    );
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ao-reviewer@example.gov.uk');
    expect(mail.subject).toBe('Restrictions due for review: 1 overdue, 1 due within 14 days');
    expect(mail.text).toMatch(/Overdue:\n- RC-2026-0101: the review was due on .+ \(3 days ago\)/);
    expect(mail.text).toMatch(/Due within 14 days:\n- RC-2026-0102: review due on .+ \(in 5 days\)/);
    expect(mail.text).toContain('https://moderation.example.gov.uk/register/reviews');
    expect(mail.text).not.toContain('RC-2026-0103');
    expect(mail.text).not.toContain('RC-2026-0104');
    expect(mail.text).not.toContain('Robin Grey');
    await waitFor('the audit entry', () =>
      stack.store.models.audit.findOne({ action: 'register.review_reminder_sent' }).lean(),
    );
  });

  it('a second run on the same day does not remind again', async () => {
    const before = sink.messages.length;
    const id = await checkReviewsNow(redis, stack.config.QUEUE_PREFIX, 'test');
    const result = await waitFor('the second run to finish', async () => {
      const job = await queue.getJob(id);
      return (await job?.isCompleted())
        ? (job!.returnvalue as { due: number; reminded: string[] })
        : undefined;
    });
    expect(result).toMatchObject({ due: 2, reminded: [] });
    expect(sink.messages.length).toBe(before);
  });

  it('shows them on the "Reviews due" page, most urgent first', async () => {
    await addOfficer(stack.store, 'mod-reviews', ['moderator']);
    const b = new Browserless(stack.server.url);
    await b.signIn('mod-reviews', 'correct horse battery staple');
    const html = await (await b.request('/register/reviews', { headers: { accept: 'text/html' } })).text();
    const order = [...html.matchAll(/data-reference="(RC-[\d-]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['RC-2026-0101', 'RC-2026-0102']);
    expect(html).toContain('Overdue by 3 days');
    expect(html).toContain('Due in 5 days');
    expect(
      await stack.store.models.audit.countDocuments({
        action: 'register.reviews_viewed',
        actor: 'mod-reviews',
      }),
    ).toBe(1);
  });
});
