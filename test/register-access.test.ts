// Every register page and action, walked with every role and with none, on real records: the
// permission table test (server-security) cannot reach routes with ids or forms that need a token.
// Also renders every page once, so a template mistake shows here rather than in front of an officer.
import { ROLES, type Role } from '../core/roles';
import { Browserless } from './helpers/http';
import { addOfficer, startTestStack, type TestStack } from './helpers/stack';

const VIEW: readonly Role[] = [
  'moderator',
  'democratic_services',
  'evidence_officer',
  'authorising_officer',
  'administrator',
];
const CONFIDENTIAL: readonly Role[] = ['authorising_officer', 'administrator'];
const APPROVE: readonly Role[] = ['authorising_officer'];
const CONFIRM: readonly Role[] = ['moderator', 'authorising_officer', 'administrator'];

describe('who may use each part of the register', () => {
  let stack: TestStack;
  const browsers = new Map<Role, Browserless>();
  const tokens = new Map<Role, string>();
  const ids = { person: '', proposed: '', active: '', match: '' };

  beforeAll(async () => {
    stack = await startTestStack({ workers: false });
    for (const role of ROLES) {
      const username = `access-${role.replace(/_/g, '-')}`;
      await addOfficer(stack.store, username, [role]);
      const b = new Browserless(stack.server.url);
      expect((await b.signIn(username, 'correct horse battery staple')).status).toBe(303);
      browsers.set(role, b);
      tokens.set(role, await b.csrfFrom('/sign-in').catch(() => b.csrfFrom('/register')));
    }
    const { models } = stack.store;
    const now = new Date();
    const person = await models.people.create({
      names: ['Robin Grey'],
      emails: ['robin@example.org'],
      socialAccounts: [{ platform: 'x', accountId: '1234', handle: 'robingrey', handleHistory: ['rgrey'] }],
      confidentialNotes: 'Confidential note',
      createdAt: now,
      updatedAt: now,
    });
    ids.person = String(person._id);
    const base = {
      personId: ids.person,
      kinds: ['social_media_block'],
      scope: { level: 'council' },
      reason: 'Threats',
      proposedBy: 'someone-else',
      proposedAt: now,
      proposingService: 'Customer Services',
      createdAt: now,
    };
    ids.proposed = String(
      (await models.restrictions.create({ ...base, reference: 'RC-2026-0001', status: 'proposed' }))._id,
    );
    ids.active = String(
      (
        await models.restrictions.create({
          ...base,
          reference: 'RC-2026-0002',
          status: 'active',
          approvedBy: 'access-authorising-officer',
          approvedAt: now,
          reviewDue: new Date(now.getTime() + 5 * 86_400_000),
        })
      )._id,
    );
    ids.match = String(
      (
        await models.registerMatches.create({
          identifierKey: 'account:x:999',
          personId: ids.person,
          author: { platform: 'x', accountId: '999', displayName: 'Robin Grey' },
          evidence: [{ rule: 'same_name', identifier: 'name', query: 'robin grey', score: 0.6 }],
          score: 0.6,
          status: 'awaiting',
          firstSeenAt: now,
          lastSeenAt: now,
        })
      )._id,
    );
    // A written confirmation to download.
    const b = browsers.get('authorising_officer')!;
    const res = await b.request(`/register/restrictions/${ids.active}/letter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': tokens.get('authorising_officer')! },
      body: '{}',
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => stack?.stop());

  const pages = (): { path: string; allowed: readonly Role[] }[] => [
    { path: '/register?status=active&q=robin', allowed: VIEW },
    { path: '/api/register', allowed: VIEW },
    { path: '/register/reviews', allowed: VIEW },
    { path: '/register/matches', allowed: CONFIRM },
    { path: '/register/propose', allowed: VIEW },
    { path: `/register/people/${ids.person}`, allowed: VIEW },
    { path: `/api/register/people/${ids.person}`, allowed: VIEW },
    { path: `/register/people/${ids.person}/edit`, allowed: CONFIDENTIAL },
    { path: `/register/people/${ids.person}/propose`, allowed: VIEW },
    { path: `/register/restrictions/${ids.proposed}/approve`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/review`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/lift`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/letter.pdf`, allowed: CONFIDENTIAL },
    { path: `/register/restrictions/${ids.active}/records/representation`, allowed: CONFIDENTIAL },
    { path: `/register/restrictions/${ids.active}/records/escalation`, allowed: CONFIDENTIAL },
    { path: `/register/restrictions/${ids.active}/records/incident`, allowed: CONFIDENTIAL },
    { path: '/register/export.csv', allowed: CONFIDENTIAL },
  ];

  it.each(ROLES)('pages, as %s', async (role) => {
    for (const { path, allowed } of pages()) {
      const res = await browsers
        .get(role)!
        .request(path, { headers: { accept: path.startsWith('/api/') ? 'application/json' : 'text/html' } });
      const body = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: allowed.includes(role) ? 200 : 403 });
      if (res.headers.get('content-type')?.startsWith('text/html') && allowed.includes(role)) {
        expect(body).toContain('</html>');
        expect({ path, slips: body.match(/undefined|\[object Object\]|NaN|Invalid Date/g) }).toEqual({
          path,
          slips: null,
        });
      }
    }
  });

  it('pages, with no session: sign in first', async () => {
    for (const { path } of pages()) {
      const res = await new Browserless(stack.server.url).request(path, { headers: { accept: 'text/html' } });
      if (path.startsWith('/api/')) expect(res.status).toBe(401);
      else
        expect({ path, status: res.status, to: res.headers.get('location')?.slice(0, 17) }).toEqual({
          path,
          status: 303,
          to: '/sign-in?next=%2F',
        });
    }
  });

  /** Actions, sent with an empty body: an allowed role gets past the permission check to the validation (400). */
  const actions = (): { path: string; allowed: readonly Role[] }[] => [
    { path: '/register/propose', allowed: VIEW },
    { path: `/register/people/${ids.person}/propose`, allowed: VIEW },
    { path: `/register/people/${ids.person}/edit`, allowed: CONFIDENTIAL },
    { path: `/register/restrictions/${ids.proposed}/approve`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/review`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/lift`, allowed: APPROVE },
    { path: `/register/restrictions/${ids.active}/records/incident`, allowed: CONFIDENTIAL },
    { path: `/register/matches/${ids.match}/confirm`, allowed: CONFIRM },
    { path: `/register/matches/${ids.match}/reject`, allowed: CONFIRM },
    { path: `/register/restrictions/${ids.active}/letter`, allowed: APPROVE },
  ];

  it.each(ROLES)('actions, as %s', async (role) => {
    for (const { path, allowed } of actions()) {
      const body =
        path.endsWith('/confirm') || path.endsWith('/reject')
          ? { note: 1 }
          : path.endsWith('/letter')
            ? { unexpected: true }
            : {};
      const res = await browsers
        .get(role)!
        .request(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': tokens.get(role)!,
            accept: 'application/json',
          },
          body: JSON.stringify(body),
        });
      expect({ path, status: res.status }).toEqual({ path, status: allowed.includes(role) ? 400 : 403 });
    }
    // Nothing was changed by any of it.
    expect((await stack.store.models.restrictions.findById(ids.proposed).lean())!.status).toBe('proposed');
    expect((await stack.store.models.registerMatches.findById(ids.match).lean())!.status).toBe('awaiting');
  });

  it('an unknown person or restriction is a 404 with a message, and a record kind that does not exist too', async () => {
    const b = browsers.get('administrator')!;
    for (const path of [
      '/register/people/000000000000000000000000',
      '/register/people/not-an-id',
      '/register/restrictions/000000000000000000000000/records/incident',
      `/register/restrictions/${ids.active}/records/complaint`,
    ]) {
      const res = await b.request(path, { headers: { accept: 'text/html' } });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('the edit form keeps every social media account, and saving it announces the change', async () => {
    const b = browsers.get('administrator')!;
    const html = await (
      await b.request(`/register/people/${ids.person}/edit`, { headers: { accept: 'text/html' } })
    ).text();
    expect(html).toContain('value="1234"');
    expect(html).toContain('value="rgrey"');
    const res = await b.request(`/register/people/${ids.person}/edit`, {
      method: 'POST',
      headers: { accept: 'text/html' },
      form: {
        _csrf: tokens.get('administrator')!,
        names: 'Robin Grey\nRob Grey',
        emails: 'robin@example.org',
        'socialPlatform-1': 'x',
        'socialAccountId-1': '1234',
        'socialHandle-1': '@robingrey',
        'socialFormerHandles-1': 'rgrey',
        'socialPlatform-2': 'facebook',
        'socialAccountId-2': '',
        'socialHandle-2': '',
        'socialFormerHandles-2': '',
        confidentialNotes: 'Updated note',
      },
    });
    expect(res.status).toBe(303);
    const person = await stack.store.models.people.findById(ids.person).lean();
    expect(person!.names).toEqual(['Robin Grey', 'Rob Grey']);
    expect(person!.socialAccounts).toEqual([
      { platform: 'x', accountId: '1234', handle: 'robingrey', handleHistory: ['rgrey'] },
    ]);
    expect(person!.confidentialNotes).toBe('Updated note');
    const audit = await stack.store.models.audit
      .findOne({ action: 'register.person_updated', 'subject.id': ids.person })
      .lean();
    expect(audit!.details).toEqual({ fields: ['names', 'confidentialNotes'] });
  });
});
