// Runs the fake platform server on its own (`npm run fake-platform`), seeded with demo accounts and
// comments, and prints the environment that points the service at it. Port: FAKE_PLATFORM_PORT (default 4010).

import { seedDemo } from './demo';
import { startFakePlatform } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.FAKE_PLATFORM_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`FAKE_PLATFORM_PORT: expected a port number, got "${process.env.FAKE_PLATFORM_PORT}"`);
  const fake = await startFakePlatform({ port, host: process.env.FAKE_PLATFORM_HOST ?? '127.0.0.1' });
  const environment = seedDemo(fake.state, fake.url);
  process.stdout.write(`fake platform listening on ${fake.url} (control API under ${fake.url}/_fake)\n`);
  process.stdout.write(`${JSON.stringify({ url: fake.url, environment })}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`fake platform failed to start: ${e.message}\n`);
  process.exit(1);
});
