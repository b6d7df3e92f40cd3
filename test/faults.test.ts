// When a dependency fails the service says so clearly and keeps running; a bad setting stops a
// process with one line naming it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../server/start';
import { createLogger } from '../config/logger';
import { testConfig, waitFor } from './helpers/stack';

const root = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('healthz when MongoDB stops', () => {
  let ferret: ChildProcess;
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    const port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferret-'));
    ferret = spawn(path.join(root, 'scripts/ferretdb/ferretdb'), ['-listen', `127.0.0.1:${port}`, '-data', dataDir], { stdio: 'ignore' });
    await waitFor('FerretDB to listen', () => new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); }).on('error', () => resolve(false));
    }));
    server = await startServer(testConfig({ MONGO_URL: `mongodb://127.0.0.1:${port}/` }), createLogger('test', 'silent'));
  });

  afterAll(async () => {
    ferret.kill('SIGKILL');
    await server?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 while both answer, then 503 naming MongoDB, and keeps serving', async () => {
    const ok = await fetch(`${server.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ redis: 'ok', mongo: 'ok' });

    ferret.kill('SIGKILL');
    const down = await waitFor('a 503', async () => {
      const r = await fetch(`${server.url}/healthz`);
      return r.status === 503 ? r : undefined;
    });
    expect(await down.json()).toEqual({ redis: 'ok', mongo: 'unavailable' });
    // The process is still serving other requests.
    expect((await fetch(`${server.url}/sign-in`)).status).toBeLessThan(500);
  });
});

describe('a configuration error', () => {
  it.each([
    ['PORT', 'not-a-port', /PORT: expected a port number/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected redis:\/\/host:port/],
    ['SESSION_SECRET', 'short', /SESSION_SECRET: expected at least 32 random characters/],
    ['WORKER_QUEUES', 'ingest,sideways', /WORKER_QUEUES: expected a comma-separated list from/],
  ])('%s=%s stops the process with one clear line', (name, value, message) => {
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: 'redis://127.0.0.1:1',
      MONGO_URL: 'mongodb://127.0.0.1:1/',
      SESSION_SECRET: 'a-long-enough-session-secret-for-this-test',
      [name]: value,
    };
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(root, 'server/main.ts')], { env, encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
