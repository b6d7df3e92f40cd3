// Public-meeting speaking requests end to end, over HTTP: the public form and its answers, the
// meetings worker's decisions and e-mails (a real SMTP server), the requester's private link,
// and democratic services acting on requests — against real FerretDB/MongoDB, Redis and BullMQ.
import type { ParsedMail } from 'mailparser';
import { redisForProducers } from '../queues/connection';
import { pdfText } from './documents/pdf-text';
import { Browserless } from './helpers/http';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';
import { addOfficer, startTestStack, waitFor, type TestStack } from './helpers/stack';
import {
  createMeeting,
  receiveSpeakingRequest,
  withMeetingLock,
  type StoredMeeting,
  type StoredSpeakingRequest,
} from '../store/meetings';
import type { Store } from '../store/connection';

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
    (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.toLowerCase().includes(email.toLowerCase())) &&
    (m.subject ?? '').includes(subject);
}

function privateLinkIn(mail: ParsedMail): string {
  const m = /http:\/\/127\.0\.0\.1:\d+(\/speak\/requests\/[A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
  if (!m) throw new Error(`no private link in: ${mail.text}`);
  return m[1]!;
}

async function restrictedPerson(
  store: Store,
  p: { names: string[]; emails?: string[]; phones?: string[] },
  scope: { level: 'council' | 'committee' | 'meeting'; name?: string } = { level: 'council' },
) {
  const now = new Date();
  const person = await store.models.people.create({
    names: p.names,
    emails: p.emails ?? [],
    phones: p.phones ?? [],
    createdAt: now,
    updatedAt: now,
  });
  await store.models.restrictions.create({
    personId: String(person._id),
    kinds: ['no_public_participation'],
    status: 'active',
    scope,
    approvedAt: now,
    reviewDue: new Date(now.getTime() + 90 * DAY),
    createdAt: now,
  });
  return String(person._id);
}

function meetingOn(startsAt: Date, over: Partial<Parameters<typeof createMeeting>[1]> = {}) {
  return {
    title: 'Planning Committee',
    committee: 'Planning Committee',
    startsAt,
    venue: 'Council Chamber, Town Hall',
    remoteLink: 'https://meet.example.gov.uk/planning',
    maxSpeakersPerItem: 2,
    minutesPerSpeaker: 3,
    agendaItems: [
      { number: '4', title: 'Minutes of the last meeting' },
      { number: '5', title: 'Land at Mill Lane: 40 homes' },
      { number: '6', title: 'Tree preservation order, Elm Road' },
    ],
    ...over,
  };
}

let counter = 0;
function person(over: Record<string, string> = {}) {
  counter += 1;
  return {
    fullName: `Resident Number ${counter}`,
    email: `resident${counter}@example.org`,
    phone: `07700 900${String(100 + counter).padStart(3, '0')}`,
    mode: 'in_person',
    topic: 'I object to the number of homes on this site',
    ...over,
  };
}

describe('public-meeting speaking requests', () => {
  let sink: SmtpSink;
  let stack: TestStack;
  let meeting: StoredMeeting;
  let clerk: Browserless;
  const itemId = (m: StoredMeeting, n: string) => String(m.agendaItems.find((i) => i.number === n)!._id);

  /** Fills in and sends the public form as a person would (fresh cookies and CSRF token each time). */
  async function ask(
    fields: Record<string, string>,
    m: StoredMeeting = meeting,
    b = new Browserless(stack.server.url),
  ) {
    const token = await b.csrfFrom(`/speak/meetings/${String(m._id)}`);
    const res = await b.request(`/speak/meetings/${String(m._id)}`, {
      method: 'POST',
      form: { _csrf: token, website: '', agendaItemId: itemId(m, '5'), ...fields },
      headers: { accept: 'text/html' },
    });
    return { res, b, html: res.status === 303 ? '' : await res.text() };
  }

  async function sentReference(b: Browserless): Promise<string> {
    const html = await (await b.request('/speak/request-sent', { headers: { accept: 'text/html' } })).text();
    const m = /id="reference">(SR-[A-Z0-9]{8})</.exec(html);
    if (!m) throw new Error('no reference on the confirmation page');
    return m[1]!;
  }

  async function decided(reference: string): Promise<StoredSpeakingRequest> {
    return waitFor(`request ${reference} to be decided`, async () => {
      const r = await stack.store.models.speakingRequests
        .findOne({ reference })
        .lean<StoredSpeakingRequest>();
      return r && r.status !== 'received' ? r : undefined;
    });
  }

  async function askAndDecide(fields: Record<string, string>, m: StoredMeeting = meeting) {
    const { res, b } = await ask(fields, m);
    expect(res.status).toBe(303);
    return decided(await sentReference(b));
  }

  const requestCount = () => stack.store.models.speakingRequests.countDocuments();

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack({
      smtpUrl: sink.url,
      meetings: {
        // Stands in for the content detector: a statement naming "burn it down" is flagged.
        checkWrittenStatement: async (text) =>
          /burn it down/i.test(text)
            ? { flagged: true, reasons: ['threat of criminal damage'] }
            : { flagged: false, reasons: [] },
      },
    });
    meeting = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 30 * DAY)),
      'test',
      new Date(),
    );
    await addOfficer(stack.store, 'clerk1', ['democratic_services']);
    clerk = new Browserless(stack.server.url);
    expect((await clerk.signIn('clerk1', 'correct horse battery staple')).status).toBe(303);
  });

  // Every form here comes from 127.0.0.1: each test starts with a fresh count (the limit has its own test).
  afterEach(() => forgetRateLimits(stack));

  afterAll(async () => {
    if (stack) await forgetRateLimits(stack);
    await stack?.stop();
    await sink?.close();
  });

  it('a member of the public asks to speak, gets a reference number, a place and an e-mail saying so', async () => {
    const who = person();
    const { res, b } = await ask(who);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/speak/request-sent');
    const reference = await sentReference(b);

    const request = await decided(reference);
    expect(request.status).toBe('accepted');
    const mail = await sink.waitForMessage(mailTo(who.email, 'you have a place to speak'));
    expect(mail.text).toContain(`Your reference number is ${reference}.`);
    expect(mail.text).toContain('You have a place to speak in person at Council Chamber, Town Hall.');
    expect(mail.text).toContain('You can speak for up to 3 minutes.');
    const actions = await waitFor('the e-mail to be audited', async () => {
      const found = (await stack.store.models.audit.find({ 'subject.id': String(request._id) }).lean()).map(
        (a) => a.action,
      );
      return found.includes('speaking_request.emailed') && found;
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        'speaking_request.received',
        'register.searched',
        'speaking_request.decided',
        'speaking_request.emailed',
      ]),
    );
  });

  it('a full item offers the waiting list, and a withdrawal gives the place to the first person waiting', async () => {
    const m = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 40 * DAY), { maxSpeakersPerItem: 1 }),
      'test',
      new Date(),
    );
    const speaker = person();
    expect((await askAndDecide(speaker, m)).status).toBe('accepted');

    const before = await requestCount();
    const waiter = person();
    const full = await ask(waiter, m);
    expect(full.res.status).toBe(200);
    expect(full.html).toContain('All speaking places on item 5 are taken');
    expect(full.html).toContain('Join the waiting list');
    expect(await requestCount()).toBe(before); // nothing stored until they choose

    const noChoice = await ask({ ...waiter, fullItemQuestion: '1' }, m);
    expect(noChoice.res.status).toBe(400);
    expect(noChoice.html).toContain(
      'Select whether you want to join the waiting list or send a written statement',
    );

    const joined = await askAndDecide({ ...waiter, waitingList: 'yes' }, m);
    expect(joined.status).toBe('waiting_list');
    await sink.waitForMessage(mailTo(waiter.email, 'you are on the waiting list'));

    // The speaker withdraws through the private link in their e-mail.
    const link = privateLinkIn(await sink.waitForMessage(mailTo(speaker.email, 'you have a place to speak')));
    const b = new Browserless(stack.server.url);
    const page = await (await b.request(link, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('You have a place to speak');
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const withdrawn = await b.request(`${link}/withdraw`, {
      method: 'POST',
      form: { _csrf: token },
      headers: { accept: 'text/html' },
    });
    expect(withdrawn.status).toBe(303);
    const after = await (await b.request(link, { headers: { accept: 'text/html' } })).text();
    expect(after).toContain('You have withdrawn your request to speak.');
    expect(after).toContain('Withdrawn');

    const promoted = await stack.store.models.speakingRequests
      .findById(joined._id)
      .lean<StoredSpeakingRequest>();
    expect(promoted!.status).toBe('accepted');
    const mail = await sink.waitForMessage(mailTo(waiter.email, 'a place has become free'));
    expect(mail.text).toContain('A speaking place has become free and you were first on the waiting list.');

    // Withdrawing twice gets a clear answer, not a crash.
    const again = await b.request(`${link}/withdraw`, {
      method: 'POST',
      form: { _csrf: token },
      headers: { accept: 'text/html' },
    });
    expect(again.status).toBe(409);
  });

  it('requests decided at the same time never give the last place twice', async () => {
    const m = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 60 * DAY), { maxSpeakersPerItem: 1 }),
      'test',
      new Date(),
    );
    const requests = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        receiveSpeakingRequest(
          stack.store.models,
          {
            meetingId: String(m._id),
            agendaItemId: itemId(m, '5'),
            fullName: `Same Time ${n}`,
            email: `same.time.${n}@example.org`,
            phone: '07700 900 777',
            mode: 'remote',
            topic: 'Traffic',
          },
          new Date(),
        ),
      ),
    );
    await Promise.all(requests.map((r) => stack.meetingsQueue.assess(String(r._id))));
    const statuses = await Promise.all(requests.map(async (r) => (await decided(r.reference)).status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'waiting_list')).toHaveLength(4);
  });

  it('the meeting lock lets one writer at a time, and a crashed holder does not block the meeting', async () => {
    const { models } = stack.store;
    const m = await createMeeting(
      models,
      meetingOn(new Date(Date.now() + 70 * DAY), { minutesPerSpeaker: 1 }),
      'test',
      new Date(),
    );
    const id = String(m._id);
    // A holder that crashed long ago left its entry behind.
    await models.meetingLocks.create({
      meetingId: id,
      seq: 1,
      holder: 'crashed',
      until: new Date(Date.now() - 1000),
      released: false,
    });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withMeetingLock(models, id, async () => {
          const now = await models.meetings.findById(id).lean<StoredMeeting>();
          await models.meetings.updateOne(
            { _id: id },
            { $set: { minutesPerSpeaker: now!.minutesPerSpeaker + 1 } },
          );
        }),
      ),
    );
    expect((await models.meetings.findById(id).lean<StoredMeeting>())!.minutesPerSpeaker).toBe(21);
  });

  it('a name-only match waits for an officer, keeps its place, and the officer confirming it makes a written submission', async () => {
    const personId = await restrictedPerson(stack.store, {
      names: ['Morgan Blake'],
      emails: ['morgan.blake@other.example'],
    });
    const who = person({ fullName: 'morgan blake', email: 'mb1987@example.org' });
    const request = await askAndDecide(who);
    expect(request.status).toBe('awaiting_officer_confirmation');
    expect(request.heldPlace).toBe('speaking');
    expect(request.suggestedPersonId).toBe(personId);
    const received = await sink.waitForMessage(mailTo(who.email, 'we have received it'));
    expect(received.text).not.toMatch(/restrict|register/i); // nothing is said on a guess

    const page = await (
      await clerk.request(`/meetings/${String(meeting._id)}`, { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Requests waiting for a match decision');
    const requestPath = `/meetings/${String(meeting._id)}/requests/${String(request._id)}`;
    const detail = await (await clerk.request(requestPath, { headers: { accept: 'text/html' } })).text();
    expect(detail).toContain('Is this the person on the register?');
    expect(detail).toContain('Morgan Blake');
    const token = /name="_csrf" value="([^"]+)"/.exec(detail)![1]!;

    const noAnswer = await clerk.request(`${requestPath}/match`, {
      method: 'POST',
      form: { _csrf: token },
      headers: { accept: 'text/html' },
    });
    expect(noAnswer.status).toBe(400);
    expect(await noAnswer.text()).toContain('Select whether the requester is the person on the register');

    const confirmed = await clerk.request(`${requestPath}/match`, {
      method: 'POST',
      form: { _csrf: token, samePerson: 'yes' },
      headers: { accept: 'text/html' },
    });
    expect(confirmed.status).toBe(303);
    const after = await stack.store.models.speakingRequests
      .findById(request._id)
      .lean<StoredSpeakingRequest>();
    expect(after!.status).toBe('written_submission');
    expect(after!.personId).toBe(personId);
    const letter = await sink.waitForMessage(mailTo(who.email, 'send a written statement'));
    expect(letter.text).toContain('Under those arrangements you cannot speak at council meetings.');

    const audit = await stack.store.models.audit
      .find({ 'subject.id': { $in: [String(request._id), personId] } })
      .lean();
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(
      expect.arrayContaining(['clerk1 register.read', 'clerk1 speaking_request.match_confirmed']),
    );
  });

  it('an officer who finds the name match is someone else leaves the request its place', async () => {
    await restrictedPerson(stack.store, { names: ['Sam Jones'] });
    const request = await askAndDecide(
      person({ fullName: 'Sam Jones' }),
      await createMeeting(stack.store.models, meetingOn(new Date(Date.now() + 45 * DAY)), 'test', new Date()),
    );
    expect(request.status).toBe('awaiting_officer_confirmation');
    const path = `/meetings/${request.meetingId}/requests/${String(request._id)}`;
    const token = await clerk.csrfFrom(path);
    expect(
      (await clerk.request(`${path}/match`, { method: 'POST', form: { _csrf: token, samePerson: 'no' } }))
        .status,
    ).toBe(303);
    const after = await stack.store.models.speakingRequests
      .findById(request._id)
      .lean<StoredSpeakingRequest>();
    expect(after!.status).toBe('accepted');
    expect(after!.history.at(-1)!.event).toBe('officer_rejected_match');
  });

  it('a restricted requester (exact e-mail) gets the letter, sends a statement through the private link, and it is in the meeting pack', async () => {
    await restrictedPerson(stack.store, { names: ['Alex Rowe'], emails: ['Alex.Rowe@Example.org'] });
    const who = person({
      fullName: 'A. Rowe',
      email: 'alex.rowe@example.org',
      agendaItemId: itemId(meeting, '4'),
    });
    const request = await askAndDecide(who);
    expect(request.status).toBe('written_submission');
    expect(request.restrictionScope).toEqual({ level: 'council' });
    const letter = await sink.waitForMessage(mailTo(who.email, 'send a written statement'));
    expect(letter.text).toContain('we have changed your request into a written submission');
    const link = privateLinkIn(letter);
    expect(letter.text).toContain(`${link}/statement`);
    expect(
      await stack.store.models.speakingRequests.countDocuments({ privateLinkHashes: link.split('/').pop() }),
    ).toBe(0); // only hashes are kept

    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom(`${link}/statement`);
    const empty = await b.request(`${link}/statement`, {
      method: 'POST',
      form: { _csrf: token, statement: '  ' },
      headers: { accept: 'text/html' },
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter your written statement');
    const tooLong = await b.request(`${link}/statement`, {
      method: 'POST',
      form: { _csrf: token, statement: 'word '.repeat(501) },
      headers: { accept: 'text/html' },
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('Your written statement must be 500 words or fewer');

    const statement =
      'The Mill Lane site floods every winter. Please ask the developer for a drainage survey.';
    const sent = await b.request(`${link}/statement`, {
      method: 'POST',
      form: { _csrf: token, statement },
      headers: { accept: 'text/html' },
    });
    expect(sent.status).toBe(303);
    await waitFor('the statement to be checked', async () => {
      const r = await stack.store.models.speakingRequests.findById(request._id).lean<StoredSpeakingRequest>();
      return r?.statement?.check === 'clear';
    });

    const pack = await clerk.request(`/meetings/${String(meeting._id)}/pack.pdf`);
    expect(pack.status).toBe(200);
    expect(pack.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await pack.arrayBuffer()));
    expect(text).toContain('Written submissions to be read out in full');
    expect(text).toContain(statement);
    expect(text).not.toMatch(/restrict/i); // the pack never says why a submission is in writing
    expect(
      await stack.store.models.audit.countDocuments({
        action: 'meeting.pack_generated',
        'subject.id': String(meeting._id),
      }),
    ).toBe(1);
  });

  it('a flagged statement is not read out until an officer accepts it', async () => {
    const m = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 50 * DAY)),
      'test',
      new Date(),
    );
    const who = person({ mode: 'written_only' });
    const request = await askAndDecide(who, m);
    expect(request.status).toBe('written_submission');
    const link = privateLinkIn(await sink.waitForMessage(mailTo(who.email, 'send your written statement')));
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom(`${link}/statement`);
    const statement = 'If this is approved we will burn it down.';
    expect(
      (await b.request(`${link}/statement`, { method: 'POST', form: { _csrf: token, statement } })).status,
    ).toBe(303);
    await waitFor('the statement to be flagged', async () => {
      const r = await stack.store.models.speakingRequests.findById(request._id).lean<StoredSpeakingRequest>();
      return r?.statement?.check === 'flagged';
    });
    const packText = async () =>
      pdfText(Buffer.from(await (await clerk.request(`/meetings/${String(m._id)}/pack.pdf`)).arrayBuffer()));
    expect(await packText()).not.toContain(statement);
    expect(
      await (await clerk.request(`/meetings/${String(m._id)}`, { headers: { accept: 'text/html' } })).text(),
    ).toContain('Written statements waiting for an officer');

    const path = `/meetings/${String(m._id)}/requests/${String(request._id)}`;
    const csrf = await clerk.csrfFrom(path);
    const noReason = await clerk.request(`${path}/statement`, {
      method: 'POST',
      form: { _csrf: csrf, statementDecision: 'refuse' },
      headers: { accept: 'text/html' },
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Enter the reason: the requester is sent it');
    expect(
      (
        await clerk.request(`${path}/statement`, {
          method: 'POST',
          form: { _csrf: csrf, statementDecision: 'accept' },
        })
      ).status,
    ).toBe(303);
    expect(await packText()).toContain(statement);
  });

  it('democratic services refuse a request with a reason the requester is e-mailed, accept it again, and move it', async () => {
    const m = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 55 * DAY)),
      'test',
      new Date(),
    );
    const who = person();
    const request = await askAndDecide(who, m);
    const path = `/meetings/${String(m._id)}/requests/${String(request._id)}`;
    const csrf = await clerk.csrfFrom(path);

    const noReason = await clerk.request(`${path}/refuse`, {
      method: 'POST',
      form: { _csrf: csrf, reason: '' },
      headers: { accept: 'text/html' },
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Enter the reason: the requester is sent it');

    const reason = 'The item is a report for noting, so the committee does not hear speakers on it.';
    expect(
      (await clerk.request(`${path}/refuse`, { method: 'POST', form: { _csrf: csrf, reason } })).status,
    ).toBe(303);
    const refusal = await sink.waitForMessage(mailTo(who.email, 'we cannot accept your request'));
    expect(refusal.text).toContain(`The reason is: ${reason}`);

    expect((await clerk.request(`${path}/accept`, { method: 'POST', form: { _csrf: csrf } })).status).toBe(
      303,
    );
    expect(
      (await stack.store.models.speakingRequests.findById(request._id).lean<StoredSpeakingRequest>())!.status,
    ).toBe('accepted');

    const toItem = itemId(m, '6');
    const moveRes = await clerk.request(`${path}/move`, {
      method: 'POST',
      form: { _csrf: csrf, toAgendaItemId: toItem },
    });
    expect(moveRes.status).toBe(303);
    const moved = await stack.store.models.speakingRequests
      .findById(request._id)
      .lean<StoredSpeakingRequest>();
    expect(moved!.agendaItemId).toBe(toItem);
    expect(moved!.status).toBe('accepted');
    await sink.waitForMessage(mailTo(who.email, 'your request is now for item 6'));

    const history = await (await clerk.request(path, { headers: { accept: 'text/html' } })).text();
    for (const label of [
      'Request received',
      'Speaking place given',
      'Refused by an officer',
      'Accepted by an officer',
      'Moved by an officer',
    ]) {
      expect(history).toContain(label);
    }
    const actions = (
      await stack.store.models.audit.find({ 'subject.id': String(request._id), actor: 'clerk1' }).lean()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'speaking_request.refused',
        'speaking_request.accepted',
        'speaking_request.moved',
      ]),
    );
  });

  it('democratic services create a meeting on the dashboard, with GOV.UK errors for what is missing', async () => {
    const csrf = await clerk.csrfFrom('/meetings/new');
    const bad = await clerk.request('/meetings/new', {
      method: 'POST',
      form: {
        _csrf: csrf,
        title: '',
        time: '25:00',
        maxSpeakersPerItem: 'x',
        minutesPerSpeaker: '3',
        agendaItems: 'no number here',
      },
      headers: { accept: 'text/html' },
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    for (const message of [
      'Enter the meeting title',
      'Enter the committee',
      'Enter the date of the meeting as a real date',
      'Enter the start time, like 6:30pm or 18:30',
      'Enter the venue, the remote meeting link, or both',
      'Agenda line 1: start with the item number',
    ]) {
      expect(html).toContain(message);
    }
    const year = new Date(Date.now() + 400 * DAY).getUTCFullYear();
    const ok = await clerk.request('/meetings/new', {
      method: 'POST',
      form: {
        _csrf: csrf,
        title: 'Licensing Committee',
        committee: 'Licensing Committee',
        'startsOn-day': '12',
        'startsOn-month': '3',
        'startsOn-year': String(year),
        time: '6:30pm',
        venue: 'Room 2, Town Hall',
        remoteLink: '',
        maxSpeakersPerItem: '3',
        minutesPerSpeaker: '5',
        agendaItems: '1 Apologies\n2. The Red Lion: new licence',
      },
    });
    expect(ok.status).toBe(303);
    const created = await stack.store.models.meetings
      .findOne({ title: 'Licensing Committee' })
      .lean<StoredMeeting>();
    expect(created!.agendaItems.map((i) => i.number)).toEqual(['1', '2']);
    expect(created!.startsAt.toISOString()).toBe(`${year}-03-12T18:30:00.000Z`);
    expect(
      await stack.store.models.audit.countDocuments({ action: 'meeting.created', actor: 'clerk1' }),
    ).toBe(1);
    const publicList = await (await new Browserless(stack.server.url).request('/speak')).text();
    expect(publicList).toContain('Licensing Committee');
  });

  it('a request after the registration deadline gets a clear answer and is not stored', async () => {
    const soon = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + DAY)),
      'test',
      new Date(),
    );
    const page = await (
      await new Browserless(stack.server.url).request(`/speak/meetings/${String(soon._id)}`)
    ).text();
    expect(page).toContain('The deadline to ask to speak at the Planning Committee has passed');
    const before = await requestCount();
    // The form was opened before the deadline and sent after it.
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom(`/speak/meetings/${String(meeting._id)}`);
    const res = await b.request(`/speak/meetings/${String(soon._id)}`, {
      method: 'POST',
      form: { _csrf: token, website: '', agendaItemId: itemId(soon, '5'), ...person() },
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Your request arrived after it, so we have not kept it.');
    expect(await requestCount()).toBe(before);
  });

  describe('bad input gets a GOV.UK error and stores nothing', () => {
    const cases: [string, () => Record<string, string>, number, string[]][] = [
      [
        'an empty form',
        () => ({ agendaItemId: '', fullName: '', email: '', phone: '', mode: '', topic: '' }),
        400,
        [
          'There is a problem',
          'Select the agenda item you want to speak about',
          'Select how you want to take part in the meeting',
          'Enter what you want to speak about',
          'Enter your full name',
          'Enter your email address',
          'Enter your phone number',
        ],
      ],
      [
        'over-long fields',
        () => person({ fullName: 'N'.repeat(101), topic: 'T'.repeat(501), address: 'A'.repeat(501) }),
        400,
        [
          'Full name must be 100 characters or less',
          'What you want to speak about must be 500 characters or less',
          'Address must be 500 characters or less',
        ],
      ],
      [
        'an invalid e-mail address',
        () => person({ email: 'not-an-email' }),
        400,
        ['Enter your email address in the correct format, like name@example.com'],
      ],
      [
        'a phone number that is not one',
        () => person({ phone: '12' }),
        400,
        ['Enter a phone number, like 01632 960 001'],
      ],
      [
        'an agenda item not on this meeting',
        () => person({ agendaItemId: '0123456789abcdef01234567' }),
        400,
        ['Select the agenda item you want to speak about'],
      ],
      [
        'a tampered agenda item',
        () => person({ agendaItemId: '{"$gt":""}' }),
        400,
        ['Select the agenda item you want to speak about'],
      ],
      [
        'a filled-in honeypot',
        () => person({ website: 'http://spam.example' }),
        400,
        ['Your request could not be sent'],
      ],
    ];

    it.each(cases)('%s', async (_name, fields, status, messages) => {
      const before = await requestCount();
      const { res, html } = await ask(fields());
      expect(res.status).toBe(status);
      for (const message of messages) expect(html).toContain(message);
      if (status === 400 && !messages[0]!.startsWith('Your request')) {
        expect(html).toContain('govuk-error-summary');
        expect(html).toMatch(/<title>Error: /);
      }
      expect(await requestCount()).toBe(before);
    });

    it('a way of taking part the meeting does not offer', async () => {
      const inPersonOnly = await createMeeting(
        stack.store.models,
        meetingOn(new Date(Date.now() + 35 * DAY), { remoteLink: undefined }),
        'test',
        new Date(),
      );
      const before = await requestCount();
      const { res, html } = await ask(
        person({ mode: 'remote', agendaItemId: itemId(inPersonOnly, '5') }),
        inPersonOnly,
      );
      expect(res.status).toBe(400);
      expect(html).toContain('Select how you want to take part in the meeting');
      expect(html).not.toContain('Remotely (online)');
      expect(await requestCount()).toBe(before);
    });

    it('an unknown meeting', async () => {
      const b = new Browserless(stack.server.url);
      const token = await b.csrfFrom(`/speak/meetings/${String(meeting._id)}`);
      for (const id of ['0123456789abcdef01234567', 'not-a-meeting']) {
        const res = await b.request(`/speak/meetings/${id}`, {
          method: 'POST',
          form: { _csrf: token, website: '', ...person() },
          headers: { accept: 'text/html' },
        });
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('We could not find that meeting');
      }
    });

    it('a tampered private link', async () => {
      const b = new Browserless(stack.server.url);
      for (const path of [
        `/speak/requests/${'A'.repeat(43)}`,
        '/speak/requests/short',
        `/speak/requests/${'A'.repeat(43)}/statement`,
      ]) {
        const res = await b.request(path, { headers: { accept: 'text/html' } });
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('This link does not work');
      }
      const token = await b.csrfFrom(`/speak/meetings/${String(meeting._id)}`);
      const res = await b.request(`/speak/requests/${'B'.repeat(43)}/withdraw`, {
        method: 'POST',
        form: { _csrf: token },
        headers: { accept: 'text/html' },
      });
      expect(res.status).toBe(404);
    });

    it('a repeated submission', async () => {
      const who = person({ mode: 'written_only' });
      await askAndDecide(who);
      const before = await requestCount();
      const again = await ask(who);
      expect(again.res.status).toBe(409);
      expect(again.html).toContain('You have already asked to speak on this agenda item');
      const sameButShouting = await ask({ ...who, email: who.email.toUpperCase() });
      expect(sameButShouting.res.status).toBe(409);
      expect(await requestCount()).toBe(before);
    });
  });
});

describe('the public form is rate limited per address', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ workers: false });
  });
  afterAll(async () => {
    if (stack) await forgetRateLimits(stack);
    await stack?.stop();
  });

  it('answers 429 with a message after 30 forms in 15 minutes', async () => {
    const m = await createMeeting(
      stack.store.models,
      meetingOn(new Date(Date.now() + 30 * DAY)),
      'test',
      new Date(),
    );
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom(`/speak/meetings/${String(m._id)}`);
    const send = () =>
      b.request(`/speak/meetings/${String(m._id)}`, {
        method: 'POST',
        form: { _csrf: token, website: '' },
        headers: { accept: 'text/html' },
      });
    for (let i = 0; i < 30; i++) expect((await send()).status).toBe(400);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('You have sent too many forms from this connection');
  });
});
