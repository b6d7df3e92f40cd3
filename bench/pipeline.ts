// npm run bench:pipeline — 20,000 simulated comments end to end (ingest, store, assess, act,
// dashboard event) with the server and the workers as separate processes, against the project's
// Redis and FerretDB (or REDIS_URL / MONGO_URL). Then bare BullMQ (the same three queues chained,
// no-op processors, same Redis and concurrency) for the ratio. Last line: one JSON object.
//   BENCH_COMMENTS (default 20000), BENCH_RATE offered comments per second (default 1000),
//   BENCH_CONCURRENCY (default 64), BENCH_WORKER_PROCESSES worker processes sharing the queues (default 1),
//   BENCH_PROFILE a folder for the worker processes' CPU profiles (off by default)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { io } from 'socket.io-client';
import { COMMENT_DECIDED, type LiveCommentEvent } from '../core/live';
import { SimulatedPlatform } from '../platforms/simulated';
import { Pipeline } from '../queues/jobs';
import { connectStore } from '../store/connection';
import { commentIdFor } from '../store/comments';
import { createOfficer } from '../store/officers';
import { ensureLocalServices } from '../scripts/local-services';

const root = path.resolve(__dirname, '..');
const N = Number(process.env.BENCH_COMMENTS ?? 20000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64); // the workers' default (WORKER_CONCURRENCY)
const WORKER_PROCESSES = Number(process.env.BENCH_WORKER_PROCESSES ?? 1);
const PROFILE = process.env.BENCH_PROFILE;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Peak resident memory of a process so far, from Linux's VmHWM. */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function pipelineRun(redisUrl: string, mongoUrl: string) {
  const id = randomBytes(4).toString('hex');
  const db = `bench_${id}`;
  const prefix = `bench_${id}`;
  const port = await freePort();
  const restricted = ['bench-restricted-1', 'bench-restricted-2', 'bench-restricted-3'];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    REDIS_URL: redisUrl,
    MONGO_URL: mongoUrl,
    MONGO_DB: db,
    QUEUE_PREFIX: prefix,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    PORT: String(port),
    LOG_LEVEL: 'error',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    SIMULATED_PLATFORM: 'on',
    SIMULATED_COMMENT_EVERY_MS: '0',
    SIMULATED_RESTRICTED_ACCOUNTS: restricted.join(','),
    PLATFORM_POLL_EVERY_MS: '0',
  };

  const store = await connectStore(mongoUrl, db);
  const now = new Date();
  for (const accountId of restricted) {
    const person = await store.models.people.create({ names: [`Bench ${accountId}`], socialAccounts: [{ platform: 'simulated', accountId }], createdAt: now, updatedAt: now });
    await store.models.restrictions.create({ personId: String(person._id), kinds: ['social_media_block'], status: 'active', scope: { level: 'council' }, approvedAt: now, reviewDue: new Date(now.getTime() + 90 * 86400_000), createdAt: now });
  }
  await createOfficer(store.models, { username: 'bench', displayName: 'Bench', email: 'bench@example.gov.uk', roles: ['moderator'], password: 'bench-password-123' }, 'bench');

  const tsx = ['-r', 'tsx/cjs'];
  const server = spawn(process.execPath, [...tsx, path.join(root, 'server/main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const workers = Array.from({ length: WORKER_PROCESSES }, () =>
    spawn(process.execPath, [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []), ...tsx, path.join(root, 'workers/main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const children: ChildProcess[] = [server, ...workers];
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // Sign in as a moderator and listen as the dashboard does.
  const cookies = new Map<string, string>();
  const keep = (r: Response) =>
    r.headers.getSetCookie().forEach((c) => {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    });
  const jar = { join: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  const form = await fetch(`${base}/sign-in`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signIn = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { cookie: jar.join(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, username: 'bench', password: 'bench-password-123' }) });
  keep(signIn);
  const socket = io(base, { extraHeaders: { cookie: jar.join() }, transports: ['websocket'] });
  socket.on('unauthorised', (m: { error: string }) => console.error(`  the dashboard refused the benchmark's officer: ${m.error}`));
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  await new Promise((r) => setTimeout(r, 200));

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastEvent = 0;
  const allDecided = new Promise<void>((resolve) => {
    socket.on(COMMENT_DECIDED, (e: LiveCommentEvent) => {
      const t = sentAt.get(e.id);
      if (t === undefined) return;
      latencies.push(performance.now() - t);
      sentAt.delete(e.id);
      lastEvent = performance.now();
      if (latencies.length === N) resolve();
    });
  });

  const producer = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const pipeline = new Pipeline(producer, prefix);
  // Offer comments only once the worker process serves every queue (it compiles TypeScript at start).
  for (let i = 0; i < 600; i++) {
    const counts = await Promise.all([pipeline.queues.ingest, pipeline.queues.assess, pipeline.queues.act].map((q) => q.getWorkersCount()));
    if (counts.every((n) => n > 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const comments = new SimulatedPlatform({ seed: 7, restrictedAccountIds: restricted, startsAt: new Date() }).generate(N);
  const start = performance.now();
  const batch = Math.max(1, Math.round(RATE / 10)); // every 100 ms
  for (let i = 0; i < N; i += batch) {
    const slice = comments.slice(i, i + batch);
    const t = performance.now();
    slice.forEach((c) => sentAt.set(commentIdFor(c.platform, c.externalId), t));
    await pipeline.ingestMany(slice);
    const due = start + ((i + batch) / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const offeredSeconds = (performance.now() - start) / 1000;
  // Every comment's live event, or else: all decided in the store and no event for 15 s.
  let decided = 0;
  for (;;) {
    const quiet = performance.now() - Math.max(lastEvent, start) > 15_000;
    if (latencies.length === N) break;
    if (quiet) {
      decided = await store.models.decisions.countDocuments({});
      if (decided >= N) break;
    }
    await Promise.race([allDecided, new Promise((r) => setTimeout(r, 1000))]);
  }
  const seconds = (lastEvent - start) / 1000;
  const memory = { serverMB: peakRssMB(server.pid!), workersMB: Math.max(...workers.map((w) => peakRssMB(w.pid!))) };

  socket.disconnect();
  children.forEach((c) => c.kill('SIGTERM'));
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await pipeline.close();
  for (const q of Object.values(pipeline.queues)) await q.obliterate({ force: true }).catch(() => undefined);
  producer.disconnect();
  await store.conn.dropDatabase();
  await store.close();
  latencies.sort((a, b) => a - b);
  return { seconds, offeredSeconds, latencies, memory, events: latencies.length };
}

/** The same three queues chained with processors that do nothing: what BullMQ alone can do here. */
async function bareBullmq(redisUrl: string) {
  const prefix = `bare_${randomBytes(4).toString('hex')}`;
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const [q1, q2, q3] = ['ingest', 'assess', 'act'].map((n) => new Queue(n, { connection, prefix })) as [Queue, Queue, Queue];
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const workers = [
    new Worker('ingest', async (job) => void (await q2.add('assess', job.data, { jobId: `a-${job.id}` })), { connection, prefix, concurrency: CONCURRENCY }),
    new Worker('assess', async (job) => void (await q3.add('act', job.data, { jobId: `b-${job.id}` })), { connection, prefix, concurrency: CONCURRENCY }),
    new Worker('act', async () => {
      if (++done === N) finish();
    }, { connection, prefix, concurrency: CONCURRENCY }),
  ];
  const start = performance.now();
  for (let i = 0; i < N; i += 1000) await q1.addBulk(Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ name: 'ingest', data: { n: i + k }, opts: { jobId: `c-${i + k}`, removeOnComplete: true } })));
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(workers.map((w) => w.close()));
  for (const q of [q1, q2, q3]) {
    await q.obliterate({ force: true });
    await q.close();
  }
  connection.disconnect();
  return N / seconds;
}

async function main() {
  const { redisUrl, mongoUrl } = await ensureLocalServices();
  console.log(`pipeline: ${N} comments offered at ${RATE}/s, ${WORKER_PROCESSES} worker process(es), worker concurrency ${CONCURRENCY}`);
  const run = await pipelineRun(redisUrl, mongoUrl);
  const commentsPerSec = N / run.seconds;
  if (run.events < N) console.log(`  warning: ${N - run.events} of ${N} dashboard events did not arrive (all comments were decided in the store)`);
  console.log(`  end to end: ${run.seconds.toFixed(1)} s (offering took ${run.offeredSeconds.toFixed(1)} s) → ${commentsPerSec.toFixed(0)} comments/s`);
  const p50 = percentile(run.latencies, 50);
  const p99 = percentile(run.latencies, 99);
  console.log(`  ingest → dashboard event: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
  console.log(`  peak RSS: server ${run.memory.serverMB} MB, workers ${run.memory.workersMB} MB (largest worker process)`);
  const bare = await bareBullmq(redisUrl);
  console.log(`bare BullMQ (3 chained no-op queues, same Redis and concurrency): ${bare.toFixed(0)} jobs/s`);
  const ratio = commentsPerSec / bare;
  console.log(`ratio: ${ratio.toFixed(3)}`);
  console.log(
    JSON.stringify({
      comments: N,
      offeredPerSec: RATE,
      workerProcesses: WORKER_PROCESSES,
      commentsPerSec: Math.round(commentsPerSec),
      bareBullmqPerSec: Math.round(bare),
      ratio: Number(ratio.toFixed(3)),
      p50Ms: Math.round(p50),
      p99Ms: Math.round(p99),
      eventsReceived: run.events,
      peakRssMB: Math.max(run.memory.serverMB, run.memory.workersMB),
      serverPeakRssMB: run.memory.serverMB,
      workersPeakRssMB: run.memory.workersMB,
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e);
    process.exit(1);
  },
);
