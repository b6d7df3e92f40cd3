// Starts, stops and reports the project's own Redis and FerretDB on 127.0.0.1, used when no
// REDIS_URL / MONGO_URL is given (development, demo, tests, CI). Never used in production.
// Redis keeps an append-only file under .data/redis so a restart keeps the queues.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, '.data');

export interface LocalServicePorts {
  redisPort: number;
  ferretdbPort: number;
}

export function localPorts(env: NodeJS.ProcessEnv = process.env): LocalServicePorts {
  return {
    redisPort: Number(env.LOCAL_REDIS_PORT ?? 6390),
    ferretdbPort: Number(env.LOCAL_FERRETDB_PORT ?? 27117),
  };
}

function portAnswers(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port: number, name: string, logFile: string, timeoutMs = 20000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await portAnswers(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n') : '';
  throw new Error(`${name} did not start on 127.0.0.1:${port} within ${timeoutMs} ms. Last log lines:\n${tail}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function startRedis(port: number): Promise<string> {
  const url = `redis://127.0.0.1:${port}`;
  if (await portAnswers(port)) return url;
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'redis.log');
  const r = spawnSync(
    'redis-server',
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--dir', dir,
      '--daemonize', 'yes',
      '--pidfile', path.join(dir, 'redis.pid'),
      '--logfile', log,
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`redis-server failed to start (exit ${r.status}); see ${log}`);
  await waitForPort(port, 'Redis', log);
  return url;
}

function isOurFerretDB(pid: number, bin: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === bin;
  } catch {
    return false;
  }
}

export async function startFerretDB(port: number): Promise<string> {
  const url = `mongodb://127.0.0.1:${port}/`;
  const bin = path.join(root, 'scripts', 'ferretdb', 'ferretdb');
  const pidFile = path.join(dataDir, 'ferretdb.pid');
  if (await portAnswers(port)) {
    // Ours, but started from an older build (say, before a `git pull` rebuilt it): restart it.
    const pid = readPid(pidFile);
    if (!pid || !fs.existsSync(bin) || fs.statSync(pidFile).mtimeMs >= fs.statSync(bin).mtimeMs) return url;
    if (!isOurFerretDB(pid, bin)) return url; // the pid file is stale and the number now someone else's
    process.kill(pid, 'SIGTERM');
    const until = Date.now() + 10_000;
    while ((await portAnswers(port)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }
  if (!fs.existsSync(bin)) throw new Error('FerretDB is not built: run `node scripts/bootstrap.js` first');
  const dir = path.join(dataDir, 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dataDir, 'ferretdb.log');
  const out = fs.openSync(log, 'a');
  const child = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-data', dir], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.writeFileSync(pidFile, String(child.pid));
  child.unref();
  await waitForPort(port, 'FerretDB', log);
  return url;
}

/** Starts whatever is not given by REDIS_URL / MONGO_URL and returns the URLs to use. */
export async function ensureLocalServices(env: NodeJS.ProcessEnv = process.env): Promise<{ redisUrl: string; mongoUrl: string }> {
  const ports = localPorts(env);
  const [redisUrl, mongoUrl] = await Promise.all([
    env.REDIS_URL ?? startRedis(ports.redisPort),
    env.MONGO_URL ?? startFerretDB(ports.ferretdbPort),
  ]);
  return { redisUrl, mongoUrl };
}

export async function stopLocalServices(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ports = localPorts(env);
  if (await portAnswers(ports.redisPort)) {
    spawnSync('redis-cli', ['-p', String(ports.redisPort), 'shutdown'], { stdio: 'ignore' });
  }
  const pid = readPid(path.join(dataDir, 'ferretdb.pid'));
  if (pid) process.kill(pid, 'SIGTERM');
}

export async function localServicesStatus(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const ports = localPorts(env);
  const describe = async (given: string | undefined, port: number) =>
    given ? `external (${given.replace(/\/\/[^@]*@/, '//***@')})` : (await portAnswers(port)) ? `running on 127.0.0.1:${port}` : 'stopped';
  return {
    redis: await describe(env.REDIS_URL, ports.redisPort),
    ferretdb: await describe(env.MONGO_URL, ports.ferretdbPort),
  };
}

if (require.main === module) {
  const command = process.argv[2];
  const main = async () => {
    if (command === 'start') {
      const urls = await ensureLocalServices();
      console.log(`Redis:   ${urls.redisUrl}\nMongoDB: ${urls.mongoUrl}`);
    } else if (command === 'stop') {
      await stopLocalServices();
      console.log('Local services stopped.');
    } else if (command === 'status') {
      for (const [name, state] of Object.entries(await localServicesStatus())) console.log(`${name.padEnd(9)}${state}`);
    } else {
      console.error('Usage: tsx scripts/local-services.ts start|stop|status');
      process.exit(2);
    }
  };
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
