// Every route checks the signed-in officer's role; bad input gets a clear 4xx and changes nothing.
import { ROLES, type Role } from '../core/roles';
import { Browserless } from './helpers/http';
import { addOfficer, startTestStack, type TestStack } from './helpers/stack';

/** Every route and who may use it. A new route must be added here, or the walk below fails. */
const ROUTES: { method: 'GET' | 'POST'; path: string; allowed: readonly Role[] | 'public' }[] = [
  { method: 'GET', path: '/healthz', allowed: 'public' },
  { method: 'GET', path: '/sign-in', allowed: 'public' },
  { method: 'GET', path: '/live', allowed: ['moderator', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/api/comments/recent', allowed: ['moderator', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/audit', allowed: ['auditor', 'administrator'] },
  { method: 'GET', path: '/api/audit/verify', allowed: ['auditor', 'administrator'] },
  { method: 'GET', path: '/admin/jobs', allowed: ['administrator'] },
  { method: 'GET', path: '/flagged', allowed: ['moderator', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/register', allowed: ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/api/register', allowed: ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/register/export.csv', allowed: ['authorising_officer', 'administrator'] },
  { method: 'GET', path: '/register/reviews', allowed: ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/register/matches', allowed: ['moderator', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/register/propose', allowed: ['moderator', 'democratic_services', 'evidence_officer', 'authorising_officer', 'administrator'] },
  { method: 'GET', path: '/meetings', allowed: ['democratic_services', 'administrator'] },
  { method: 'GET', path: '/meetings/new', allowed: ['democratic_services', 'administrator'] },
  { method: 'GET', path: '/speak', allowed: 'public' },
  { method: 'GET', path: '/speak/request-sent', allowed: 'public' },
  { method: 'GET', path: '/referrals', allowed: ['evidence_officer', 'administrator'] },
  { method: 'GET', path: '/referrals/verify', allowed: ['evidence_officer', 'administrator', 'auditor'] },
  { method: 'GET', path: '/referrals/signing-key.pem', allowed: 'public' },
];

/** Routes tested elsewhere: the front door and sign-in/out (this file); platform webhooks, which are
 * signed by the platform rather than an officer's session (test/webhooks.test.ts). */
const EXEMPT = ['POST /admin/jobs/:queue/:id/retry', 'GET /', 'POST /sign-in', 'POST /sign-out', 'GET /webhooks/facebook', 'POST /webhooks/facebook', 'GET /webhooks/instagram', 'POST /webhooks/instagram'];

describe('officers, roles and bad input', () => {
  let stack: TestStack;
  const browsers = new Map<Role, Browserless>();

  beforeAll(async () => {
    stack = await startTestStack({ workers: false });
    for (const role of ROLES) {
      await addOfficer(stack.store, `${role.replace(/_/g, '-')}-1`, [role]);
      const b = new Browserless(stack.server.url);
      expect((await b.signIn(`${role.replace(/_/g, '-')}-1`, 'correct horse battery staple')).status).toBe(303);
      browsers.set(role, b);
    }
  });
  afterAll(() => stack?.stop());

  describe.each(ROUTES)('$method $path', ({ method, path, allowed }) => {
    it('with no session: sign in first (or public)', async () => {
      const res = await new Browserless(stack.server.url).request(path, { method, headers: { accept: 'text/html' } });
      if (allowed === 'public') expect(res.status).toBeLessThan(400);
      else if (path.startsWith('/api/')) expect(res.status).toBe(401);
      else {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toMatch(/^\/sign-in\?next=/);
      }
    });

    it.each(ROLES)('as %s', async (role) => {
      const res = await browsers.get(role)!.request(path, { method, headers: { accept: 'text/html' } });
      const mayUse = allowed === 'public' || allowed.includes(role);
      expect(mayUse ? res.status : res.status).toBe(mayUse ? 200 : 403);
      if (!mayUse) expect(await res.text()).toMatch(/do not have permission/);
    });
  });

  it('the table above names every route the server has', () => {
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const found: string[] = [];
    const walk = (stack: Layer[]) =>
      stack.forEach((l) => {
        if (l.route) Object.keys(l.route.methods).forEach((m) => found.push(`${m.toUpperCase()} ${l.route!.path}`));
        else if (l.handle?.stack) walk(l.handle.stack);
      });
    walk((stack.server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    const listed = new Set(ROUTES.map((r) => `${r.method} ${r.path}`).concat(EXEMPT));
    expect(found.length).toBeGreaterThanOrEqual(ROUTES.length);
    // Pages without ids must be walked here. Routes with ids, and POST actions, need a real record
    // and a form: each feature's access test walks those with every role (e.g. register-access).
    const pages = found.filter((r) => r.startsWith('GET ') && !r.includes(':'));
    expect(pages.filter((r) => !listed.has(r))).toEqual([]);
  });

  it('a wrong password gets 401 with a message, and the failure is audited', async () => {
    const b = new Browserless(stack.server.url);
    const res = await b.signIn('moderator-1', 'not the password at all');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Enter a correct username and password');
    expect(await stack.store.models.audit.countDocuments({ action: 'officer.sign_in_failed' })).toBeGreaterThan(0);
  });

  it('five wrong passwords lock the account for a while', async () => {
    await addOfficer(stack.store, 'lockme', ['moderator']);
    const b = new Browserless(stack.server.url);
    for (let i = 0; i < 5; i++) await b.signIn('lockme', 'wrong password number ' + i);
    const res = await b.signIn('lockme', 'correct horse battery staple');
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/locked/);
  });

  it('a form without its CSRF token gets 403 with a message', async () => {
    const b = new Browserless(stack.server.url);
    await b.request('/sign-in');
    const res = await b.request('/sign-in', { method: 'POST', form: { username: 'moderator-1', password: 'correct horse battery staple' }, headers: { accept: 'text/html' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/form has expired or was not sent from this service/);
  });

  it('an oversized body gets 413 with the limit named', async () => {
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom('/sign-in');
    const res = await b.request('/sign-in', { method: 'POST', form: { _csrf: token, username: 'x'.repeat(400_000), password: 'y' }, headers: { accept: 'application/json' } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large: the limit is 256 KB/);
  });

  it('operator injection in the username is treated as text, not a query', async () => {
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom('/sign-in');
    const res = await b.request('/sign-in', {
      method: 'POST',
      body: JSON.stringify({ _csrf: token, username: { $gt: '' }, password: { $gt: '' } }),
      headers: { 'content-type': 'application/json', accept: 'text/html' },
    });
    expect(res.status).toBe(400);
  });

  it('sign-in never redirects to another site', async () => {
    const b = new Browserless(stack.server.url);
    const token = await b.csrfFrom('/sign-in');
    const res = await b.request('/sign-in', { method: 'POST', form: { _csrf: token, username: 'moderator-1', password: 'correct horse battery staple', next: '//evil.example/x' } });
    expect(res.headers.get('location')).toBe('/live');
  });

  it('an unknown page is a 404 with a helpful message', async () => {
    const res = await browsers.get('moderator')!.request('/no-such-page', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Page not found/);
  });

  it('sets secure headers', async () => {
    const res = await new Browserless(stack.server.url).request('/sign-in');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie') ?? '').toMatch(/HttpOnly/i);
  });
});
