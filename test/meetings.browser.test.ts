// In a real headless Chromium: a member of the public asks to speak at a meeting; a requester
// restricted from public participation is turned into a written submission, gets the letter by
// e-mail (a real SMTP server), sends a statement through the private link, and the statement is
// in the meeting pack. Every public page passes axe-core's WCAG 2.2 AA rules.
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { redisForProducers } from '../queues/connection';
import { pdfText } from './documents/pdf-text';
import { launchChromium } from './helpers/browser';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';
import { addOfficer, startTestStack, waitFor, type TestStack } from './helpers/stack';
import { createMeeting, type StoredMeeting, type StoredSpeakingRequest } from '../store/meetings';

const DAY = 86_400_000;

/** The rate limiter's counts live in Redis under the stack's prefix: removed with the stack. */
async function forgetRateLimits(stack: TestStack): Promise<void> {
  const redis = redisForProducers(stack.config.REDIS_URL);
  try {
    const keys = await redis.keys(`${stack.config.QUEUE_PREFIX}:speak-rate:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

function mailTo(email: string, subject: string) {
  return (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.toLowerCase().includes(email)) &&
    (m.subject ?? '').includes(subject);
}

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}

/**
 * axe-core in the page, WCAG 2.0 A to 2.2 AA: the list of violations, empty when the page passes.
 * Our CSP refuses inline scripts, so `addScriptTag` is blocked; evaluating the file through the
 * DevTools protocol is not subject to it, and the pages keep their real CSP while they are checked.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe.run(
      (globalThis as unknown as { document: unknown }).document,
      {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      },
    ),
  );
  return (result as AxeResult).violations.map(
    (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe('asking to speak at a council meeting, in a browser', () => {
  let sink: SmtpSink;
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let meeting: StoredMeeting;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack({ smtpUrl: sink.url });
    meeting = await createMeeting(
      stack.store.models,
      {
        title: 'Planning Committee',
        committee: 'Planning Committee',
        startsAt: new Date(Date.now() + 30 * DAY),
        venue: 'Council Chamber, Town Hall',
        remoteLink: 'https://meet.example.gov.uk/planning',
        maxSpeakersPerItem: 1,
        minutesPerSpeaker: 3,
        agendaItems: [
          { number: '4', title: 'Minutes of the last meeting' },
          { number: '5', title: 'Land at Mill Lane: 40 homes' },
        ],
      },
      'test',
      new Date(),
    );
    const now = new Date();
    const restricted = await stack.store.models.people.create({
      names: ['Pat Fenwick'],
      emails: ['pat.fenwick@example.org'],
      createdAt: now,
      updatedAt: now,
    });
    await stack.store.models.restrictions.create({
      personId: String(restricted._id),
      kinds: ['no_public_participation'],
      status: 'active',
      scope: { level: 'committee', name: 'Planning Committee' },
      approvedAt: now,
      reviewDue: new Date(now.getTime() + 90 * DAY),
      createdAt: now,
    });
    await addOfficer(stack.store, 'clerk1', ['democratic_services']);
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (stack) await forgetRateLimits(stack);
    await stack?.stop();
    await sink?.close();
  });

  async function fillRequest(p: { name: string; email: string; phone: string }) {
    await page.getByLabel('Item 5: Land at Mill Lane: 40 homes').check();
    await page.getByLabel('In person').check();
    await page
      .getByLabel('What do you want to speak about?')
      .fill('The junction onto Mill Lane is already dangerous.');
    await page.getByLabel('Full name').fill(p.name);
    await page.getByLabel('Email address').fill(p.email);
    await page.getByLabel('Phone number').fill(p.phone);
  }

  it('a member of the public finds the meeting, corrects a mistake and gets a reference number', async () => {
    await page.goto(`${stack.server.url}/speak`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('link', { name: 'Planning Committee' }).click();
    await page.getByRole('heading', { name: 'Ask to speak at the Planning Committee' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Send request' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Enter your full name');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await accessibilityProblems(page)).toEqual([]);

    await fillRequest({ name: 'Jo Bloggs', email: 'jo.bloggs@example.org', phone: '07700 900 982' });
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/speak\/request-sent$/);
    const reference = await page.locator('#reference').innerText();
    expect(reference).toMatch(/^SR-[A-Z0-9]{8}$/);
    expect(await accessibilityProblems(page)).toEqual([]);

    const mail = await sink.waitForMessage(mailTo('jo.bloggs@example.org', 'you have a place to speak'));
    expect(mail.text).toContain(`Your reference number is ${reference}.`);
  });

  it('a restricted requester is offered the waiting list, becomes a written submission, sends a statement, and it is in the pack', async () => {
    await page.goto(`${stack.server.url}/speak/meetings/${String(meeting._id)}`);
    await fillRequest({ name: 'Pat Fenwick', email: 'pat.fenwick@example.org', phone: '01632 960 001' });
    await page.getByRole('button', { name: 'Send request' }).click();

    // Item 5's only place is taken: the form offers the waiting list.
    await page.getByRole('heading', { name: 'All speaking places on item 5 are taken' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Join the waiting list').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/speak\/request-sent$/);

    const letter = await sink.waitForMessage(mailTo('pat.fenwick@example.org', 'send a written statement'));
    expect(letter.text).toContain(
      'Under those arrangements you cannot speak at meetings of the Planning Committee.',
    );
    const link = /(http:\/\/127\.0\.0\.1:\d+\/speak\/requests\/[A-Za-z0-9_-]{43})\/statement/.exec(
      letter.text ?? '',
    )?.[1];
    expect(link).toBeDefined();

    await page.goto(link!);
    await page.getByText('Written statement', { exact: true }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('link', { name: 'Write your statement' }).click();
    await page.getByLabel('Your written statement').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    const statement =
      'Mill Lane has no pavement past the school. Please require one before any homes are built.';
    await page.getByLabel('Your written statement').fill(statement);
    await page.getByRole('button', { name: 'Send statement' }).click();
    await page.getByText('We have received your written statement.').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await waitFor('the statement to pass the content check', async () => {
      const r = await stack.store.models.speakingRequests
        .findOne({ email: 'pat.fenwick@example.org' })
        .lean<StoredSpeakingRequest>();
      return r?.statement?.check === 'clear';
    });

    // Democratic services sign in and produce the meeting pack.
    await page.goto(`${stack.server.url}/meetings/${String(meeting._id)}`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Username').fill('clerk1');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`/meetings/${String(meeting._id)}$`));
    expect(await page.locator('#written-5').innerText()).toContain('Pat Fenwick');
    const pack = await page.request.get(`${stack.server.url}/meetings/${String(meeting._id)}/pack.pdf`);
    expect(pack.status()).toBe(200);
    const text = pdfText(await pack.body());
    expect(text).toContain('Written submission 1 of 1, from Pat Fenwick:');
    expect(text).toContain(statement);
    expect(text).toContain('1. Jo Bloggs');
  });

  it('a tampered private link and a closed meeting get clear, accessible pages', async () => {
    const response = await page.goto(`${stack.server.url}/speak/requests/${'x'.repeat(43)}`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    const soon = await createMeeting(
      stack.store.models,
      {
        title: 'Licensing Committee',
        committee: 'Licensing Committee',
        startsAt: new Date(Date.now() + DAY),
        venue: 'Room 2',
        maxSpeakersPerItem: 3,
        minutesPerSpeaker: 3,
        agendaItems: [{ number: '1', title: 'The Red Lion' }],
      },
      'test',
      new Date(),
    );
    await page.goto(`${stack.server.url}/speak/meetings/${String(soon._id)}`);
    await page
      .getByRole('heading', { name: 'The deadline to ask to speak at the Licensing Committee has passed' })
      .waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
