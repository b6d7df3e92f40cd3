// `npm run demo`: the whole service on one machine — the project's own Redis and FerretDB, demo
// officers and a demo register, the server and the workers as separate processes, and the
// simulated platform posting a new comment every few seconds. Ctrl-C stops it all.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../config/config';
import type { Role } from '../core/roles';
import { DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS } from '../platforms/simulated';
import { appendAudit } from '../store/audit';
import { connectStore, type Store } from '../store/connection';
import { createOfficer } from '../store/officers';
import { ensureLocalServices } from './local-services';

const root = path.resolve(__dirname, '..');
export const DEMO_PASSWORD = 'demo-password-2026';

function sessionSecret(): string {
  const file = path.join(root, '.data', 'demo-session-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

const OFFICERS: { username: string; name: string; roles: Role[] }[] = [
  { username: 'admin', name: 'Alex Admin', roles: ['administrator'] },
  { username: 'moderator', name: 'Morgan Moderator', roles: ['moderator'] },
  { username: 'clerk', name: 'Casey Clerk', roles: ['democratic_services'] },
  { username: 'evidence', name: 'Evan Evidence', roles: ['evidence_officer'] },
  { username: 'director', name: 'Dana Director', roles: ['authorising_officer'] },
  { username: 'auditor', name: 'Ari Auditor', roles: ['auditor'] },
];

async function seed(store: Store): Promise<void> {
  const { officers, people, restrictions, audit } = store.models;
  for (const o of OFFICERS) {
    if (await officers.exists({ username: o.username })) continue;
    await createOfficer(store.models, { username: o.username, displayName: o.name, email: `${o.username}@council.example.gov.uk`, roles: o.roles, password: DEMO_PASSWORD }, 'system:demo-seed');
  }
  if ((await people.countDocuments()) > 0) return;
  const now = new Date();
  const sixMonths = new Date(now.getTime() + 182 * 86400_000);
  const [firstAccount, secondAccount] = DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS;
  const demoPeople = [
    { names: ['Gary Hollis'], emails: ['g.hollis@example.com'], socialAccounts: [{ platform: 'simulated', accountId: firstAccount!, handle: 'garyh_1960' }], kinds: ['social_media_block', 'writing_or_email_only'] },
    { names: ['Pat Renshaw'], emails: ['pat.renshaw@example.net'], socialAccounts: [{ platform: 'simulated', accountId: secondAccount!, handle: 'patr' }], kinds: ['social_media_block', 'no_public_participation'] },
  ];
  for (const p of demoPeople) {
    const person = await people.create({ names: p.names, emails: p.emails, socialAccounts: p.socialAccounts, createdAt: now, updatedAt: now });
    const r = await restrictions.create({
      personId: String(person._id),
      kinds: p.kinds,
      status: 'active',
      scope: { level: 'council' },
      reason: 'Repeated abusive messages to staff (demo data)',
      proposedBy: 'moderator',
      proposingService: 'Communications',
      approvedBy: 'director',
      approvedAt: now,
      writtenConfirmationAt: now,
      reviewDue: sixMonths,
      createdAt: now,
    });
    await appendAudit(audit, { actor: 'system:demo-seed', action: 'restriction.seeded', subject: { type: 'restriction', id: String(r._id) }, details: { personId: String(person._id), kinds: p.kinds } });
  }
}

async function main() {
  const { redisUrl, mongoUrl } = await ensureLocalServices();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redisUrl,
    MONGO_URL: mongoUrl,
    SESSION_SECRET: process.env.SESSION_SECRET ?? sessionSecret(),
    SIMULATED_COMMENT_EVERY_MS: process.env.SIMULATED_COMMENT_EVERY_MS ?? '4000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const config = loadConfigOrExit(env);
  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  await seed(store);
  await store.close();

  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const children: ChildProcess[] = ['server/main.ts', 'workers/main.ts'].map((entry) =>
    spawn(tsx, [path.join(root, entry)], { env, stdio: ['ignore', 'inherit', 'inherit'] }),
  );
  const url = `http://${config.HOST}:${config.PORT}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`
Council moderation demo is running: ${url}

Sign in with any of these (password: ${DEMO_PASSWORD}):
${OFFICERS.map((o) => `  ${o.username.padEnd(10)} ${o.roles.join(', ')}`).join('\n')}

The simulated platform posts a comment every ${Number(env.SIMULATED_COMMENT_EVERY_MS) / 1000} s; comments from the demo
register's restricted accounts are hidden automatically. Mail is written to .data/outbox/.
Press Ctrl-C to stop (the local Redis and FerretDB keep running: npm run services:stop).
`);
  const stop = () => children.forEach((c) => c.kill('SIGTERM'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
