// Creates an officer account from the command line — how the first administrator is made.
//   npm run user:create -- --username jo.bloggs --name "Jo Bloggs" --email jo@council.gov.uk --roles administrator
// The password is read from the OFFICER_PASSWORD environment variable or asked for on the terminal.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { ValidationFailed } from '../core/errors';
import { connectStore } from '../store/connection';
import { createOfficer } from '../store/officers';
import { ensureLocalServices } from './local-services';

async function main() {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, roles: { type: 'string', default: 'administrator' } },
  });
  const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET: process.env.SESSION_SECRET ?? 'x'.repeat(32) };
  if (!env.REDIS_URL || !env.MONGO_URL) Object.assign(env, await localUrls());
  const config = loadConfigOrExit(env);
  let password = process.env.OFFICER_PASSWORD;
  if (!password) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question('Password (at least 12 characters): ');
    rl.close();
  }
  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  try {
    const id = await createOfficer(
      store.models,
      { username: values.username ?? '', displayName: values.name ?? values.username ?? '', email: values.email ?? '', roles: (values.roles ?? '').split(',') as never, password },
      'system:user-create',
    );
    console.log(`Created officer ${values.username} (${id}) with roles ${values.roles}.`);
  } finally {
    await store.close();
  }
}

async function localUrls() {
  const { redisUrl, mongoUrl } = await ensureLocalServices();
  return { REDIS_URL: redisUrl, MONGO_URL: mongoUrl };
}

main().catch((e: Error) => {
  console.error(e instanceof ValidationFailed ? `${e.field}: ${e.message}` : e.message);
  process.exit(1);
});
