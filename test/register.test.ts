// The register of restricted customers end to end: officers propose and approve through the real
// server, the change reaches the worker's in-memory index over Redis, and the assess worker acts on
// the author's next comment — against the real Redis, FerretDB, BullMQ and HTTP server.
import { commentIdFor, loadComment } from '../store/comments';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisForProducers } from '../queues/connection';
import type { StoredComment } from '../store/comments';
import { startRegisterSync, type RegisterMatcher } from '../workers/register-matches';
import { Browserless } from './helpers/http';
import { addOfficer, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

type Json = Record<string, unknown>;

describe('the register of restricted customers', () => {
  let stack: TestStack;
  let redis: Redis;
  let sync: { matcher: RegisterMatcher; close(): Promise<void> };
  /** Proposes (a moderator), approves and lifts (authorising officers), reads everything (an administrator). */
  const as: Record<'moderator' | 'proposer' | 'approver' | 'admin' | 'clerk', Browserless> = {} as never;
  const tokens = new Map<Browserless, string>();

  async function api(
    who: Browserless,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json }> {
    const res = await who.request(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined
          ? { 'content-type': 'application/json', 'x-csrf-token': tokens.get(who)! }
          : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Json) : { text } };
  }

  async function decisionFor(externalId: string): Promise<StoredComment> {
    return waitFor(`the decision on ${externalId}`, async () => {
      const c = await loadComment(stack.store.models, commentIdFor('simulated', externalId));
      return c?.decision ? c : undefined;
    });
  }

  /** Waits until this worker process's index knows the change (it arrives over Redis pub/sub). */
  async function workerSees(accountId: string, inForce: boolean, query: { displayName?: string } = {}) {
    await waitFor(
      `the worker's index to ${inForce ? 'enforce' : 'stop enforcing'} ${accountId}`,
      async () => {
        const { matches } = await sync.matcher.matchesFor({ platform: 'simulated', accountId, ...query });
        const enforcing = matches.some((m) =>
          m.restrictions.some((r) => r.status === 'active' || r.status === 'reviewed'),
        );
        return enforcing === inForce;
      },
    );
  }

  const proposalFor = (over: Json = {}) => ({
    names: ['Robin Grey', 'Rob Grey'],
    emails: ['robin.grey@example.org'],
    phones: ['07700 900 982'],
    addresses: ['12 Mill Lane, Exampleton, EX1 2BB'],
    socialAccounts: [
      { platform: 'simulated', accountId: 'rg-1001', handle: 'robingrey', handleHistory: ['robgrey_old'] },
    ],
    supportWorker: 'Lee Brown',
    wardCouncillors: ['Councillor Ann Lewis'],
    staffSafetyReference: 'SSW-0042',
    confidentialNotes: 'Known to carry a knife: meet only with a colleague present.',
    kinds: ['social_media_block', 'phone_days_times'],
    phoneDays: ['tuesday', 'thursday'],
    phoneFrom: '10:00',
    phoneTo: '12:00',
    scopeLevel: 'council',
    reason: 'Threatening comments about a named officer on the council’s Facebook page.',
    proposingService: 'Customer Services',
    incidentOn: '2026-01-14',
    incidentDescription: 'Shouted at staff at the customer service centre.',
    ...over,
  });

  beforeAll(async () => {
    stack = await startTestStack();
    redis = redisForProducers(stack.config.REDIS_URL);
    sync = await startRegisterSync(stack.store.models, redis, stack.config.QUEUE_PREFIX);
    const people = {
      moderator: ['reg-moderator', ['moderator']],
      proposer: ['reg-ao-proposer', ['authorising_officer']],
      approver: ['reg-ao-approver', ['authorising_officer']],
      admin: ['reg-admin', ['administrator']],
      clerk: ['reg-clerk', ['democratic_services']],
    } as const;
    for (const [key, [username, roles]] of Object.entries(people)) {
      await addOfficer(stack.store, username, [...roles]);
      const b = new Browserless(stack.server.url);
      expect((await b.signIn(username, 'correct horse battery staple')).status).toBe(303);
      tokens.set(b, await b.csrfFrom('/register'));
      as[key as keyof typeof as] = b;
    }
  });

  afterAll(async () => {
    await sync?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  let personId: string;
  let restrictionId: string;

  it('propose → approve → active: the assess worker hides that account’s next comment', async () => {
    const proposed = await api(as.proposer, 'POST', '/register/propose', proposalFor());
    expect(proposed.status).toBe(201);
    ({ personId, restrictionId } = proposed.json as { personId: string; restrictionId: string });
    expect(proposed.json.reference).toMatch(/^RC-\d{4}-\d{4}$/);

    // A proposal binds no one.
    const before = simulatedComment({ authorId: 'rg-1001', text: 'Proposed but not approved yet' });
    await stack.pipeline.ingest(before);
    expect((await decisionFor(before.externalId)).decision!.outcome).toBe('none');

    const approved = await api(as.approver, 'POST', `/register/restrictions/${restrictionId}/approve`, {
      reviewInMonths: 6,
      reason: 'Repeated threats: proportionate to block social media and limit calls.',
    });
    expect(approved.status).toBe(200);
    expect(approved.json.status).toBe('active');
    await workerSees('rg-1001', true);

    const after = simulatedComment({ authorId: 'rg-1001', text: 'You will regret ignoring me' });
    await stack.pipeline.ingest(after);
    const decided = await decisionFor(after.externalId);
    expect(decided.decision).toMatchObject({ outcome: 'hide', personId });
    await waitFor('the hide', async () => stack.platform.hidden.includes(after.externalId));

    const moves = await stack.store.models.audit.find({ 'subject.id': restrictionId }).lean();
    expect(moves.map((m) => m.action)).toEqual(
      expect.arrayContaining(['register.restriction_proposed', 'register.restriction_approved']),
    );
  });

  it('an authorising officer may not approve their own proposal', async () => {
    const proposed = await api(
      as.proposer,
      'POST',
      '/register/propose',
      proposalFor({ names: ['Casey Own'], socialAccounts: [], emails: [], phones: [] }),
    );
    const res = await api(
      as.proposer,
      'POST',
      `/register/restrictions/${String(proposed.json.restrictionId)}/approve`,
      { reviewInMonths: 3, reason: 'Self-approval' },
    );
    expect(res.status).toBe(403);
    expect(String(res.json.error)).toMatch(/different authorising officer/);
    const html = await (
      await as.proposer.request(`/register/restrictions/${String(proposed.json.restrictionId)}/approve`, {
        headers: { accept: 'text/html' },
      })
    ).text();
    expect(html).toContain('id="own-proposal"');
  });

  it('a moderator sees only the name, the kinds and the dates — never confidential notes', async () => {
    const page = await (
      await as.moderator.request(`/register/people/${personId}`, { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Robin Grey');
    expect(page).toContain('Blocked from the council&#39;s social media');
    for (const secret of [
      'carry a knife',
      'robin.grey@example.org',
      '07700',
      'rg-1001',
      'SSW-0042',
      'Threatening comments',
      'Lee Brown',
      'Mill Lane',
    ]) {
      expect(page).not.toContain(secret);
    }
    const json = await api(as.moderator, 'GET', `/api/register/people/${personId}`);
    expect(Object.keys(json.json)).toEqual(['person']);
    expect(JSON.stringify(json.json)).not.toMatch(/knife|example\.org|rg-1001|Threatening/);
    expect(Object.keys(json.json.person as Json).sort()).toEqual(['id', 'name', 'restrictions']);

    const full = await (
      await as.admin.request(`/register/people/${personId}`, { headers: { accept: 'text/html' } })
    ).text();
    expect(full).toContain('Known to carry a knife');
    expect(full).toContain('Restriction approved');
    expect(full).toContain('You will regret ignoring me'); // matched content on the timeline

    const views = await stack.store.models.audit
      .find({ action: 'register.person_viewed', 'subject.id': personId })
      .lean();
    expect(views.map((v) => v.actor)).toEqual(expect.arrayContaining(['reg-moderator', 'reg-admin']));
  });

  it('the list filters by status, kind, service and review date, and searches names', async () => {
    const ids = async (query: string) =>
      ((await api(as.clerk, 'GET', `/api/register${query}`)).json.items as { personId: string }[]).map(
        (i) => i.personId,
      );
    expect(await ids('?status=active&kind=social_media_block')).toContain(personId);
    expect(await ids('?status=lifted')).not.toContain(personId);
    expect(await ids('?service=Customer%20Services&q=rob%20GREY')).toContain(personId);
    expect(await ids('?q=nobody-by-this-name')).toEqual([]);
    expect(await ids('?reviewDue=overdue')).not.toContain(personId);
    const list = await api(as.clerk, 'GET', '/api/register?status=active');
    expect(JSON.stringify(list.json)).not.toMatch(/Customer Services|knife/); // a clerk sees no service or reasons
    expect(
      await stack.store.models.audit.countDocuments({ action: 'register.listed', actor: 'reg-clerk' }),
    ).toBeGreaterThanOrEqual(5);
  });

  it('the written confirmation is generated from the restriction, stored with it, audited and downloadable', async () => {
    const generated = await api(as.approver, 'POST', `/register/restrictions/${restrictionId}/letter`, {});
    expect(generated.status).toBe(201);
    const res = await as.admin.request(`/register/restrictions/${restrictionId}/letter.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(generated.json.sha256);
    expect(
      (await stack.store.models.restrictions.findById(restrictionId).lean())!.writtenConfirmationAt,
    ).toBeInstanceOf(Date);
    expect(
      await stack.store.models.audit.countDocuments({
        action: 'register.letter_generated',
        'subject.id': restrictionId,
      }),
    ).toBe(1);
    expect(
      await stack.store.models.audit.countDocuments({
        action: 'register.letter_downloaded',
        'subject.id': restrictionId,
      }),
    ).toBe(1);
    expect((await as.moderator.request(`/register/restrictions/${restrictionId}/letter.pdf`)).status).toBe(
      403,
    );
  });

  it('exports the register for the six-monthly review meeting as CSV, audited', async () => {
    const res = await as.admin.request('/register/export.csv?status=active');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="register-review-meeting-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const csv = (await res.text()).replace(/^\ufeff/, '');
    expect(csv.split('\n')[0]).toMatch(/^Reference,Name,Status,Restrictions/);
    expect(csv).toContain('Robin Grey');
    expect(
      await stack.store.models.audit.countDocuments({ action: 'register.exported', actor: 'reg-admin' }),
    ).toBe(1);
    expect((await as.moderator.request('/register/export.csv')).status).toBe(403);
  });

  it('records representations, escalations and incidents on the restriction', async () => {
    const rep = await api(
      as.admin,
      'POST',
      `/register/restrictions/${restrictionId}/records/representation`,
      { receivedOn: '2026-02-01', summary: 'Says the posts were jokes.' },
    );
    expect(rep.status).toBe(201);
    const esc = await api(as.admin, 'POST', `/register/restrictions/${restrictionId}/records/escalation`, {
      decidedBy: 'head_of_legal_services',
      decidedOn: '2026-02-02',
      decision: 'Refer to the police.',
    });
    expect(esc.status).toBe(201);
    const bad = await api(as.admin, 'POST', `/register/restrictions/${restrictionId}/records/escalation`, {
      decidedBy: 'the_mayor',
      decidedOn: '2026-02-02',
      decision: 'x',
    });
    expect(bad).toMatchObject({ status: 400, json: { field: 'decidedBy' } });
    const page = await (
      await as.admin.request(`/register/people/${personId}`, { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Says the posts were jokes.');
    expect(page).toContain('Escalation decided by the Head of Legal Services');
  });

  it('a lifted restriction stops hiding the person’s comments', async () => {
    const refused = await api(as.approver, 'POST', `/register/restrictions/${restrictionId}/lift`, {
      reason: '',
    });
    expect(refused).toMatchObject({ status: 400, json: { field: 'reason' } });
    const lifted = await api(as.approver, 'POST', `/register/restrictions/${restrictionId}/lift`, {
      reason: 'No contact for a year; circumstances changed.',
    });
    expect(lifted).toMatchObject({ status: 200, json: { status: 'lifted' } });
    await workerSees('rg-1001', false);

    const comment = simulatedComment({ authorId: 'rg-1001', text: 'Thank you for fixing the streetlight' });
    await stack.pipeline.ingest(comment);
    expect((await decisionFor(comment.externalId)).decision!.outcome).toBe('none');
    expect(stack.platform.hidden).not.toContain(comment.externalId);
    const again = await api(as.approver, 'POST', `/register/restrictions/${restrictionId}/lift`, {
      reason: 'Twice',
    });
    expect(again.status).toBe(409);
  });

  describe('a match on a name only', () => {
    let thornburyId: string;

    beforeAll(async () => {
      const proposed = await api(as.proposer, 'POST', '/register/propose', {
        names: ['Margaret Thornbury'],
        kinds: ['social_media_block'],
        reason: 'Abusive messages to the planning team.',
        proposingService: 'Planning',
      });
      thornburyId = String(proposed.json.personId);
      const approved = await api(
        as.approver,
        'POST',
        `/register/restrictions/${String(proposed.json.restrictionId)}/approve`,
        { reviewInMonths: 6, reason: 'Proportionate' },
      );
      expect(approved.status).toBe(200);
      await waitFor('the worker to know Margaret Thornbury', async () =>
        (await sync.matcher.matchesFor({ displayName: 'Margaret Thornbury' })).matches.some((m) =>
          m.restrictions.some((r) => r.status === 'active'),
        ),
      );
    });

    it('a look-alike handle on another account is not enforceable either', async () => {
      const { matches } = await sync.matcher.matchesFor({
        platform: 'simulated',
        accountId: 'someone-else',
        handle: 'r0bingrey',
      });
      expect(matches).toEqual([
        expect.objectContaining({ personId, enforceable: false, rule: 'match.lookalike_handle' }),
      ]);
    });

    it('comes back not enforceable and lands in the officers’ confirmation queue instead of hiding', async () => {
      const { matches } = await sync.matcher.matchesFor({
        platform: 'simulated',
        accountId: 'mt-77',
        displayName: 'Margaret Thornbury',
      });
      expect(matches).toEqual([expect.objectContaining({ personId: thornburyId, enforceable: false })]);

      const comment = simulatedComment({
        authorId: 'mt-77',
        author: {
          platform: 'simulated',
          accountId: 'mt-77',
          handle: 'mags77',
          displayName: 'Margaret Thornbury',
        },
        text: 'Planning is a joke',
      });
      await stack.pipeline.ingest(comment);
      const decided = await decisionFor(comment.externalId);
      expect(decided.decision!.outcome).toBe('officer_review');
      expect(stack.platform.hidden).not.toContain(comment.externalId);

      const page = await (
        await as.moderator.request('/register/matches', { headers: { accept: 'text/html' } })
      ).text();
      expect(page).toContain('Margaret Thornbury may be Margaret Thornbury');
      expect(page).toContain('Planning is a joke');
    });

    it('once an officer confirms, the author’s next comment is hidden', async () => {
      const match = await stack.store.models.registerMatches
        .findOne({ personId: thornburyId, status: 'awaiting' })
        .lean();
      const token = await as.moderator.csrfFrom('/register/matches');
      const res = await as.moderator.request(`/register/matches/${String(match!._id)}/confirm`, {
        method: 'POST',
        form: { _csrf: token },
        headers: { accept: 'text/html' },
      });
      expect(res.status).toBe(303);
      expect((await stack.store.models.registerMatches.findById(match!._id).lean())!.status).toBe(
        'confirmed',
      );
      await waitFor('the worker to know the confirmation', async () =>
        (await sync.matcher.matchesFor({ platform: 'simulated', accountId: 'mt-77' })).matches.some(
          (m) => m.enforceable,
        ),
      );

      const next = simulatedComment({
        authorId: 'mt-77',
        author: { platform: 'simulated', accountId: 'mt-77', handle: 'mags77', displayName: 'M' },
        text: 'Still a joke',
      });
      await stack.pipeline.ingest(next);
      expect((await decisionFor(next.externalId)).decision!.outcome).toBe('hide');
      expect(
        await stack.store.models.audit.countDocuments({
          action: 'register.match_confirmed',
          'subject.id': thornburyId,
        }),
      ).toBe(1);
    });

    it('once an officer rejects, that author is not suggested again', async () => {
      const first = simulatedComment({
        authorId: 'mt-other',
        author: { platform: 'simulated', accountId: 'mt-other', displayName: 'Margaret Thornbury' },
        text: 'A different Margaret',
      });
      await stack.pipeline.ingest(first);
      await decisionFor(first.externalId);
      const match = await waitFor('the suggestion', () =>
        stack.store.models.registerMatches
          .findOne({ 'author.accountId': 'mt-other', status: 'awaiting' })
          .lean(),
      );
      const rejected = await api(as.moderator, 'POST', `/register/matches/${String(match._id)}/reject`, {
        note: 'Different person: lives in Leeds',
      });
      expect(rejected).toMatchObject({ status: 200, json: { status: 'rejected' } });
      await waitFor(
        'the worker to know the rejection',
        async () =>
          (
            await sync.matcher.matchesFor({
              platform: 'simulated',
              accountId: 'mt-other',
              displayName: 'Margaret Thornbury',
            })
          ).matches.length === 0,
      );

      const second = simulatedComment({
        authorId: 'mt-other',
        author: { platform: 'simulated', accountId: 'mt-other', displayName: 'Margaret Thornbury' },
        text: 'Me again',
      });
      await stack.pipeline.ingest(second);
      expect((await decisionFor(second.externalId)).decision!.outcome).toBe('none');
      expect(
        await stack.store.models.registerMatches.countDocuments({
          'author.accountId': 'mt-other',
          status: 'awaiting',
        }),
      ).toBe(0);
      expect(
        (await api(as.moderator, 'POST', `/register/matches/${String(match._id)}/confirm`, {})).status,
      ).toBe(409);
    });
  });

  describe('bad input is refused with the field named', () => {
    let proposalId: string;
    beforeAll(async () => {
      const proposed = await api(
        as.proposer,
        'POST',
        '/register/propose',
        proposalFor({ names: ['Dana Field'], socialAccounts: [], emails: [], phones: [] }),
      );
      proposalId = String(proposed.json.restrictionId);
    });

    test.each([
      ['an invalid e-mail address', { emails: ['dana@@example'] }, 'emails'],
      ['an invalid telephone number', { phones: ['call me'] }, 'phones'],
      ['an invalid date', { incidentOn: '2026-13-01' }, 'incidentOn'],
      ['a kind that does not exist', { kinds: ['banish'] }, 'kinds'],
      ['an operator instead of a name', { names: { $gt: '' } }, 'names'],
      ['an operator instead of the reason', { reason: { $gt: '' } }, 'reason'],
      ['a status typed in', { status: 'active' }, 'status'],
    ])('proposing with %s', async (_name, over, field) => {
      const res = await api(
        as.moderator,
        'POST',
        '/register/propose',
        proposalFor({ socialAccounts: [], ...over }),
      );
      expect(res.status).toBe(400);
      expect(res.json.field).toBe(field);
    });

    test.each([
      ['a review date beyond six months', { reviewInMonths: 7, reason: 'x' }, 'reviewInMonths'],
      ['a review date typed in', { reviewInMonths: 6, reviewDue: '2030-01-01', reason: 'x' }, 'reviewDue'],
      ['an operator for the period', { reviewInMonths: { $gt: '' }, reason: 'x' }, 'reviewInMonths'],
      ['no reason', { reviewInMonths: 6 }, 'reason'],
    ])('approving with %s', async (_name, body, field) => {
      const res = await api(as.approver, 'POST', `/register/restrictions/${proposalId}/approve`, body);
      expect(res.status).toBe(400);
      expect(res.json.field).toBe(field);
      expect((await stack.store.models.restrictions.findById(proposalId).lean())!.status).toBe('proposed');
    });

    test.each([
      '/api/register?status[$ne]=x',
      '/api/register?status=active&status=lifted',
      '/api/register?q[$regex]=.*',
      '/register?kind[$in]=x',
    ])('filters with operators: %s', async (path) => {
      const res = await as.clerk.request(path, {
        headers: { accept: path.startsWith('/api/') ? 'application/json' : 'text/html' },
      });
      expect(res.status).toBe(400);
    });

    it('a form shows every problem in the GOV.UK error summary, linked to its field', async () => {
      const token = await as.moderator.csrfFrom('/register/propose');
      const res = await as.moderator.request('/register/propose', {
        method: 'POST',
        headers: { accept: 'text/html' },
        form: {
          _csrf: token,
          names: 'Evan Form',
          emails: 'not-an-email',
          scopeLevel: 'council',
          reason: '',
          proposingService: 'Housing',
          'incidentOn-day': '31',
          'incidentOn-month': '2',
          'incidentOn-year': '2026',
        },
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('govuk-error-summary');
      for (const href of ['#emails', '#kinds', '#reason', '#incidentOn-day'])
        expect(html).toContain(`href="${href}"`);
      expect(html).toContain('Evan Form'); // what was typed is kept
    });

    it('the approval form refuses a period beyond six months on the page too', async () => {
      const token = await as.approver.csrfFrom(`/register/restrictions/${proposalId}/approve`);
      const res = await as.approver.request(`/register/restrictions/${proposalId}/approve`, {
        method: 'POST',
        headers: { accept: 'text/html' },
        form: { _csrf: token, reviewInMonths: '12', reason: 'x' },
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('href="#reviewInMonths"');
    });
  });
});
