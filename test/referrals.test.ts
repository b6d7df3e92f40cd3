// Police referrals end to end over HTTP: an evidence officer refers stored comments, states the
// case, moves it on, records that the platform lost a comment, downloads signed packs (one case,
// and everything by the person), and checks packs on the verification page; every role is walked.
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, type Role } from '../core/roles';
import type { Decision } from '../core/decide';
import { verifyEvidencePack } from '../documents/evidence/verify';
import { captureComments, recordDecision } from '../store/comments';
import { recordPlatformGone, type ReferralRecord } from '../store/referrals';
import express, { type ErrorRequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { ConfigError } from '../config/config';
import { createLogger } from '../config/logger';
import { EvidenceSigningKey, evidencePackUpload } from '../server/routes/referrals';
import { readZip, writeZip } from './evidence/zip-tamper';
import { Browserless } from './helpers/http';
import { addOfficer, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

const EXPORT: readonly Role[] = ['evidence_officer', 'administrator'];
const CHECK: readonly Role[] = ['evidence_officer', 'administrator', 'auditor'];
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('police referrals and evidence packs', () => {
  let stack: TestStack;
  let dir: string;
  let publicKeyPem: string;
  const browsers = new Map<Role, Browserless>();
  const tokens = new Map<Role, string>();
  const ids = { person: '', threat: '', hate: '', unflagged: '', neighbour: '', stranger: '', case: '' };

  const html = { headers: { accept: 'text/html' } };
  const officer = () => browsers.get('evidence_officer')!;
  const form = (role: Role, fields: Record<string, string>) => ({ method: 'POST', ...html, form: { _csrf: tokens.get(role)!, ...fields } });
  const json = (role: Role, body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': tokens.get(role)! },
    body: JSON.stringify(body),
  });
  const theCase = async () => (await stack.store.models.referrals.findById(ids.case).lean<ReferralRecord>())!;

  const decision = (reasons: Decision['reasons'], personId?: string): Decision => ({
    outcome: 'officer_review',
    actions: [],
    reasons,
    personId,
    personName: personId ? 'Robin Grey' : undefined,
    restrictionKinds: [],
    decidedAt: new Date('2026-03-01T10:01:00Z'),
    decidedBy: 'rule:moderation-policy',
  });

  beforeAll(async () => {
    stack = await startTestStack({ workers: false });
    dir = await mkdtemp(join(tmpdir(), 'referrals-test-'));
    for (const role of ROLES) {
      const username = `referrals-${role.replace(/_/g, '-')}`;
      await addOfficer(stack.store, username, [role]);
      const b = new Browserless(stack.server.url);
      expect((await b.signIn(username, 'correct horse battery staple')).status).toBe(303);
      browsers.set(role, b);
      tokens.set(role, await b.csrfFrom('/sign-in'));
    }
    const { models } = stack.store;
    const now = new Date('2026-01-10T09:00:00Z');
    const person = await models.people.create({
      names: ['Robin Grey', 'Rob Grey'],
      emails: ['robin@example.org'],
      socialAccounts: [{ platform: 'simulated', accountId: 'acct-robin', handle: 'robingrey' }],
      createdAt: now,
      updatedAt: now,
    });
    ids.person = String(person._id);
    await models.restrictions.create({
      personId: ids.person,
      reference: 'RC-2026-0001',
      kinds: ['social_media_block'],
      scope: { level: 'council' },
      reason: 'Threats to staff',
      status: 'active',
      proposedBy: 'referrals-moderator',
      proposedAt: now,
      proposingService: 'Communications',
      approvedBy: 'referrals-authorising-officer',
      approvedAt: new Date('2026-01-12T09:00:00Z'),
      writtenConfirmationAt: new Date('2026-01-13T09:00:00Z'),
      history: [
        { from: 'none', to: 'proposed', at: now, by: 'referrals-moderator', reason: 'Threats to staff' },
        { from: 'proposed', to: 'active', at: new Date('2026-01-12T09:00:00Z'), by: 'referrals-authorising-officer', reason: 'Proportionate' },
      ],
      createdAt: now,
    });

    const robin = { authorId: 'acct-robin', author: { platform: 'simulated' as const, accountId: 'acct-robin', handle: 'robingrey', displayName: 'Robin G' } };
    const at = (t: string) => new Date(`2026-03-01T${t}Z`);
    const captured = await captureComments(
      models.comments,
      [
        simulatedComment({ externalId: 'reply-neighbour', postId: 'post-1', text: 'The bins were late again on Elm Road.', createdAt: at('09:00:00') }),
        simulatedComment({ ...robin, externalId: 'reply-threat', postId: 'post-1', text: 'I know where you live and I will burn your house down', createdAt: at('09:05:00') }),
        simulatedComment({ ...robin, externalId: 'reply-hate', postId: 'post-2', text: 'you stupid muslim scum', createdAt: at('11:00:00') }),
        simulatedComment({ ...robin, externalId: 'reply-unflagged', postId: 'post-3', text: 'Why does nobody answer my e-mails?', createdAt: at('12:00:00') }),
        simulatedComment({ authorId: 'acct-stranger', externalId: 'reply-stranger', postId: 'post-4', text: 'You will regret this, I promise', createdAt: at('13:00:00') }),
      ],
      new Date('2026-03-01T14:00:00Z'),
    );
    [ids.neighbour, ids.threat, ids.hate, ids.unflagged, ids.stranger] = captured.map((c) => c.id) as [string, string, string, string, string];
    await recordDecision(models, ids.threat, decision([{ rule: 'content.threat', detail: 'States an intention to burn your house' }], ids.person));
    await recordDecision(models, ids.hate, decision([{ rule: 'content.hate', detail: "Insults someone for their religion or belief ('muslim scum')" }], ids.person));
    await recordDecision(models, ids.stranger, decision([{ rule: 'content.threat', detail: 'A veiled threat' }]));

    // The evidence officer refers the threatening comment: a new case.
    const res = await officer().request('/referrals', form('evidence_officer', { commentId: ids.threat }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/referrals\/[a-f0-9]{24}\?added=TREO%2F1&opened=1$/);
    ids.case = location.slice('/referrals/'.length, '/referrals/'.length + 24);
    publicKeyPem = await (await officer().request('/referrals/signing-key.pem')).text();
  });

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens a case from a flagged comment with the person, their restriction history, the thread and the suggested offences', async () => {
    const record = await theCase();
    expect(record).toMatchObject({
      reference: expect.stringMatching(/^PR-\d{4}-\d{4}$/),
      status: 'draft',
      personId: ids.person,
      subjectName: 'Robin Grey',
      referringOfficer: { username: 'referrals-evidence-officer', initials: 'TREO' },
      suspectedOffences: ['malicious_communications_act_1988_s1', 'communications_act_2003_s127', 'online_safety_act_2023_s181'],
    });
    expect(record.items[0]).toMatchObject({ exhibit: 'TREO/1', commentId: ids.threat, flags: [expect.objectContaining({ category: 'threat' })] });
    // The neighbour's earlier reply to the same post was preserved with it.
    expect(record.items[0]!.threadContext).toEqual([expect.objectContaining({ relation: 'earlier_reply', commentId: ids.neighbour, text: 'The bins were late again on Elm Road.' })]);

    const page = await (await officer().request(`/referrals/${ids.case}`, html)).text();
    expect(page).toContain('Robin Grey (also known as Rob Grey)');
    expect(page).toContain('The bins were late again on Elm Road.');
    expect(page).toContain('Approved by an authorising officer');
    expect(page).toContain('Confirmed to the customer in writing');
    expect(page).toContain("Blocked from the council&#39;s social media");
    expect(page).toContain('Online Safety Act 2023, s181');
    expect(page.match(/undefined|\[object Object\]|NaN|Invalid Date/g)).toBeNull();
    const logged = await stack.store.models.audit.findOne({ action: 'referral.opened', 'subject.id': ids.case }).lean();
    expect(logged!.details).toMatchObject({ caseTrail: { seq: 1, hash: record.trail[0]!.hash } });
  });

  it('another comment by the same person joins their open case as the next exhibit; one by someone else opens another', async () => {
    const res = await officer().request('/referrals', json('evidence_officer', { commentId: ids.hate }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ caseId: ids.case, exhibit: 'TREO/2', opened: false, added: true });
    const again = await officer().request('/referrals', json('evidence_officer', { commentId: ids.hate }));
    expect(await again.json()).toMatchObject({ caseId: ids.case, exhibit: 'TREO/2', added: false });

    const other = await officer().request('/referrals', json('evidence_officer', { commentId: ids.stranger }));
    expect(other.status).toBe(201);
    expect(((await other.json()) as { caseId: string }).caseId).not.toBe(ids.case);
    const page = await (await officer().request(`/referrals/${ids.case}`, html)).text();
    expect(page).toContain('hate crime (religion)'); // suggested by the new exhibit's flag, not yet chosen
  });

  it('the officer states the case, and it moves from draft to sent to acknowledged only when complete', async () => {
    const b = officer();
    const early = await b.request(`/referrals/${ids.case}/status`, form('evidence_officer', { to: 'sent' }));
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('Enter the police force the referral is sent to.');

    const saved = await b.request(`/referrals/${ids.case}/details`, form('evidence_officer', {
      suspectedOffences: 'malicious_communications_act_1988_s1',
      hateCrimeCategories: 'religion',
      officerReasons: 'Threats of arson against a resident, and religious abuse.',
      policeForce: 'West Yorkshire Police',
      crimeReference: '',
    }));
    expect(saved.status).toBe(303);
    expect(await theCase()).toMatchObject({ suspectedOffences: ['malicious_communications_act_1988_s1'], hateCrimeCategories: ['religion'], policeForce: 'West Yorkshire Police' });

    expect((await b.request(`/referrals/${ids.case}/status`, form('evidence_officer', { to: 'sent' }))).status).toBe(303);
    const noReference = await b.request(`/referrals/${ids.case}/status`, form('evidence_officer', { to: 'acknowledged' }));
    expect(noReference.status).toBe(400);
    expect(await noReference.text()).toContain('Enter the crime reference the police gave');
    expect((await b.request(`/referrals/${ids.case}/status`, form('evidence_officer', { to: 'acknowledged', crimeReference: ' 13/123456/26 ' }))).status).toBe(303);
    expect(await theCase()).toMatchObject({ status: 'acknowledged', crimeReference: '13/123456/26', sentAt: expect.any(Date), acknowledgedAt: expect.any(Date) });
    const moved = await b.request(`/referrals/${ids.case}/status`, json('evidence_officer', { to: 'sent' }));
    expect(moved.status).toBe(409);

    const actions = (await theCase()).trail.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['referral.opened', 'referral.item_added', 'referral.details_changed', 'referral.status_changed']));
  });

  it('records that the platform reports an exhibit gone, once, from an officer or from the act and poll code', async () => {
    const b = officer();
    const res = await b.request(`/referrals/${ids.case}/gone`, form('evidence_officer', { commentId: ids.hate, status: 'deleted', detail: 'HTTP 404: comment not found' }));
    expect(res.status).toBe(303);
    const report = { checkedAt: new Date('2026-03-05T08:00:00Z'), status: 'account_suspended' as const, detail: 'HTTP 403: account suspended' };
    expect(await recordPlatformGone(stack.store.models, ids.threat, report, 'system:act', new Date())).toEqual({ recorded: true, cases: [ids.case] });
    expect(await recordPlatformGone(stack.store.models, ids.threat, report, 'system:act', new Date())).toEqual({ recorded: false, cases: [] });
    const page = await (await b.request(`/referrals/${ids.case}`, html)).text();
    expect(page).toContain('Deleted');
    expect(page).toContain('HTTP 403: account suspended');
    expect((await theCase()).trail.filter((e) => e.action === 'referral.platform_gone')).toHaveLength(2);
  });

  it('streams a signed pack that verifies, and records who took it and the manifest hash', async () => {
    const res = await officer().request(`/referrals/${ids.case}/pack.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="PR-\d{4}-\d{4}-evidence-pack\.zip"/);
    expect(res.headers.get('content-length')).toBeNull(); // streamed as written, not buffered
    const pack = Buffer.from(await res.arrayBuffer());

    const result = await verifyEvidencePack(pack, { publicKeyPem });
    expect(result).toMatchObject({ ok: true, problems: [], signature: 'valid', publishedKey: 'matches', manifest: { caseId: ids.case, itemCount: 2, crimeReference: '13/123456/26' } });
    const path = join(dir, 'case.zip');
    await writeFile(path, pack);
    const files = await readZip(path);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['items/TREO-1.json', 'items/TREO-2.json', 'report.pdf', 'audit-trail.json']));
    const trail = JSON.parse(files.get('audit-trail.json')!.toString('utf8')) as { action: string; actor: string }[];
    expect(trail.at(-1)).toMatchObject({ action: 'evidence_pack.requested', actor: 'referrals-evidence-officer' });

    const exported = await waitFor('the export in the audit log', () => stack.store.models.audit.findOne({ action: 'evidence_pack.exported', 'subject.id': ids.case }).lean());
    expect(exported).toMatchObject({ actor: 'referrals-evidence-officer', details: { scope: 'case', manifestSha256: sha256(files.get('manifest.json')!), items: 2 } });
  });

  it('a course-of-conduct pack holds every stored comment by the person, numbered on from the case', async () => {
    const res = await officer().request(`/referrals/${ids.case}/pack.zip?scope=person`);
    expect(res.status).toBe(200);
    const pack = Buffer.from(await res.arrayBuffer());
    const result = await verifyEvidencePack(pack, { publicKeyPem });
    expect(result).toMatchObject({ ok: true, manifest: { itemCount: 3 } });
    const path = join(dir, 'person.zip');
    await writeFile(path, pack);
    expect((await readZip(path)).get('items/TREO-3.json')!.toString('utf8')).toContain('Why does nobody answer my e-mails?');
  });

  it('the verification page passes an intact pack and names the file when one byte is changed', async () => {
    const path = join(dir, 'to-check.zip');
    await writeFile(path, Buffer.from(await (await officer().request(`/referrals/${ids.case}/pack.zip`)).arrayBuffer()));
    const upload = async (role: Role, content: Buffer) => {
      const body = new FormData();
      body.append('_csrf', tokens.get(role)!);
      body.append('pack', new Blob([content], { type: 'application/zip' }), 'pack.zip');
      return browsers.get(role)!.request('/referrals/verify', { method: 'POST', body, ...html });
    };
    const intact = await upload('auditor', await readFile(path));
    expect(intact.status).toBe(200);
    expect(await intact.text()).toContain('The pack checks out');

    const files = await readZip(path);
    const changed = Buffer.from(files.get('items/TREO-1.json')!);
    changed[10] = changed[10]! ^ 0x01;
    files.set('items/TREO-1.json', changed);
    const tamperedPath = join(dir, 'tampered.zip');
    await writeZip(tamperedPath, files);
    const tampered = await upload('evidence_officer', await readFile(tamperedPath));
    const page = await tampered.text();
    expect(page).toContain('data-ok="false"');
    expect(page).toContain('data-path="items/TREO-1.json"');
    expect(page).toContain('items/TREO-1.json has been changed since the pack was made');
    const audited = await stack.store.models.audit.findOne({ action: 'evidence_pack.verified', actor: 'referrals-evidence-officer' }).lean();
    expect(audited!.details).toMatchObject({ ok: false, problems: [{ kind: 'file_changed', path: 'items/TREO-1.json' }] });

    expect((await upload('moderator', changed)).status).toBe(403);
  });

  it('refuses a pack larger than the page takes with a clear 413, before reading it', async () => {
    const url = new URL('/referrals/verify', stack.server.url);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          cookie: officer().cookieHeader,
          accept: 'text/html',
          'content-type': 'multipart/form-data; boundary=pack-boundary',
          'content-length': String(300 * 1024 * 1024),
        },
      });
      req.on('response', resolve);
      req.on('error', reject);
      req.write('--pack-boundary\r\n');
    });
    let body = '';
    for await (const chunk of res) body += String(chunk);
    expect(res.statusCode).toBe(413);
    expect(body).toContain('larger than 200 MB');
    res.destroy();
  });

  it('the auditor reads the case trail, intact and matching the audit log, but may not take a pack', async () => {
    const auditor = browsers.get('auditor')!;
    const trail = await auditor.request(`/referrals/${ids.case}/audit`, html);
    expect(trail.status).toBe(200);
    const page = await trail.text();
    expect(page).toMatch(/The trail of \d+ entries is intact\. Every entry is also in the service’s audit log\./);
    expect((await auditor.request(`/referrals/${ids.case}/pack.zip`, html)).status).toBe(403);
    expect((await auditor.request(`/referrals/${ids.case}`, html)).status).toBe(403);
  });

  const pages = (): { path: string; allowed: readonly Role[] }[] => [
    { path: '/referrals', allowed: EXPORT },
    { path: `/referrals/${ids.case}`, allowed: EXPORT },
    { path: `/referrals/${ids.case}/audit`, allowed: CHECK },
    { path: `/referrals/${ids.case}/pack.zip`, allowed: EXPORT },
    { path: '/referrals/verify', allowed: CHECK },
  ];

  /** Sent with an empty body: an allowed role gets past the permission check to the validation. */
  const actions = (): { path: string; allowed: readonly Role[]; answer: number }[] => [
    { path: '/referrals', allowed: EXPORT, answer: 400 },
    { path: `/referrals/${ids.case}/details`, allowed: EXPORT, answer: 200 },
    { path: `/referrals/${ids.case}/status`, allowed: EXPORT, answer: 400 },
    { path: `/referrals/${ids.case}/gone`, allowed: EXPORT, answer: 400 },
    { path: '/referrals/verify', allowed: CHECK, answer: 400 },
  ];

  it.each(ROLES)('pages and actions, as %s', async (role) => {
    const b = browsers.get(role)!;
    for (const { path, allowed } of pages()) {
      const res = await b.request(path, html);
      const body = Buffer.from(await res.arrayBuffer());
      expect({ path, status: res.status }).toEqual({ path, status: allowed.includes(role) ? 200 : 403 });
      if (allowed.includes(role) && res.headers.get('content-type')?.startsWith('text/html')) expect({ path, slips: body.toString().match(/undefined|\[object Object\]|NaN|Invalid Date/g) }).toEqual({ path, slips: null });
    }
    const before = await theCase();
    for (const { path, allowed, answer } of actions()) {
      const res = await b.request(path, json(role, {}));
      expect({ path, status: res.status }).toEqual({ path, status: allowed.includes(role) ? answer : 403 });
    }
    const after = await theCase();
    expect({ status: after.status, items: after.items.length, reasons: after.officerReasons }).toEqual({ status: before.status, items: before.items.length, reasons: before.officerReasons });
  });

  it('with no session: sign in first', async () => {
    for (const { path } of pages()) {
      const res = await new Browserless(stack.server.url).request(path, html);
      expect({ path, status: res.status }).toEqual({ path, status: 303 });
    }
    expect((await new Browserless(stack.server.url).request('/referrals/signing-key.pem')).status).toBe(200);
  });

  it('an unknown case or comment is answered plainly', async () => {
    const b = browsers.get('administrator')!;
    for (const path of ['/referrals/000000000000000000000000', '/referrals/not-a-case', '/referrals/000000000000000000000000/pack.zip']) {
      expect({ path, status: (await b.request(path, html)).status }).toEqual({ path, status: 404 });
    }
    const res = await b.request('/referrals', form('administrator', { commentId: '000000000000000000000000' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('There is no stored comment with this reference');
  });
});

describe('the verification upload limit', () => {
  it('an upload that passes the limit part way through is refused with 413 when it does', async () => {
    const app = express();
    app.use((req, _res, next) => {
      (req as unknown as { session: unknown }).session = { officer: { id: 'o1', username: 'auditor-1', displayName: 'An Auditor', roles: ['auditor'] } };
      next();
    });
    app.use(evidencePackUpload({ maxBytes: 1024 }));
    app.use((req, res) => void res.send(`parsed ${req.file?.size ?? 0} bytes`));
    const answer: ErrorRequestHandler = (err: { status: number; message: string }, _req, res, _next) => void res.status(err.status).send(err.message);
    app.use(answer);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/referrals/verify`;
      const send = (bytes: number) => {
        const body = new FormData();
        body.append('pack', new Blob([Buffer.alloc(bytes, 1)], { type: 'application/zip' }), 'pack.zip');
        return fetch(url, { method: 'POST', body });
      };
      const small = await send(1000);
      expect([small.status, await small.text()]).toEqual([200, 'parsed 1000 bytes']);
      const large = await send(5000);
      expect([large.status, await large.text()]).toEqual([413, expect.stringContaining('larger than 1 KB')]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the evidence signing key', () => {
  const logger = createLogger('test', 'silent');

  it('is required in production, and must be an Ed25519 private key', async () => {
    expect(() => new EvidenceSigningKey({ production: true, logger })).toThrow(ConfigError);
    const dir = await mkdtemp(join(tmpdir(), 'signing-key-'));
    try {
      const rsa = join(dir, 'rsa.pem');
      await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      expect(() => new EvidenceSigningKey({ file: rsa, production: true, logger })).toThrow(/EVIDENCE_SIGNING_KEY_FILE: .* holds a rsa key/);
      expect(() => new EvidenceSigningKey({ file: join(dir, 'missing.pem'), production: false, logger })).toThrow(/cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('outside production, one is made on first use, readable by its owner only, and then reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signing-key-'));
    try {
      const devFile = join(dir, 'evidence-signing-key.pem');
      const first = new EvidenceSigningKey({ production: false, logger, devFile });
      const second = new EvidenceSigningKey({ production: false, logger, devFile });
      const [a, b] = await Promise.all([first.publicKeyPem(), second.publicKeyPem()]);
      expect(a).toBe(b);
      expect((await stat(devFile)).mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, 'evidence-signing-key.pub.pem'), 'utf8')).toBe(a);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
