// How long an evidence pack of one person's months of posts takes to write, and how much memory
// it needs: 1,000, 2,500 and 5,000 items, each written to a temp file in its own process so each
// peak RSS is its own. Memory should stay flat as items grow (the pack streams).
// Aim: 5,000 items in under 30 s and 250 MB.  Run: npm run bench:evidence
//
// The runs use a V8 heap cap (HEAP_CAP_MB), as the evidence worker should be deployed: without
// one V8 lets garbage pile up before collecting (peak RSS ~300 MB) although what the pack keeps
// alive stays ~20-50 MB whatever the item count (liveHeapMB). One uncapped 5,000-item run is
// reported too. The last line printed is a JSON object with the 5,000-item figures and every run.

import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeEvidencePack } from '../documents/evidence/pack';
import { auditTrail, bulkItems, councilSigningKey, createdBy, packTime, referral } from '../test/evidence/fixtures';

interface RunFigures {
  items: number;
  seconds: number;
  /** CPU time used (user + system): the work done, whatever else the machine is running. */
  cpuSeconds: number;
  peakRssMB: number;
  bytes: number;
  /** Heap still in use after a full collection at the end: what the pack kept alive. */
  liveHeapMB: number;
  heapCapMB?: number;
}

const SIZES = [1000, 2500, 5000];
const HEAP_CAP_MB = 160;

/** One pack in this process: the child side. */
async function writeOne(items: number): Promise<RunFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-evidence-'));
  try {
    const path = join(dir, 'pack.zip');
    const key = councilSigningKey();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    await writeEvidencePack({ referral, items: bulkItems(items), auditTrail: auditTrail() }, createWriteStream(path), {
      signingKey: key.privateKeyPem,
      createdBy,
      now: packTime,
      councilName: 'Example Borough Council',
      tmpDir: dir,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    // maxRSS (KiB) covers the whole process life, including moments between samples.
    const peakRssMB = Math.max(peak / 2 ** 20, process.resourceUsage().maxRSS / 1024);
    (globalThis as { gc?: () => void }).gc?.();
    const liveHeapMB = process.memoryUsage().heapUsed / 2 ** 20;
    return { items, seconds: round(seconds), cpuSeconds: round((cpu.user + cpu.system) / 1e6), peakRssMB: round(peakRssMB), bytes: (await stat(path)).size, liveHeapMB: round(liveHeapMB) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function main(): Promise<void> {
  const childItems = process.argv.indexOf('--items');
  if (childItems !== -1) {
    console.log(JSON.stringify(await writeOne(Number(process.argv[childItems + 1]))));
    return;
  }
  const runs: RunFigures[] = [];
  const runChild = (items: number, heapCapMB?: number): RunFigures => {
    const flags = ['--expose-gc', ...(heapCapMB ? [`--max-old-space-size=${heapCapMB}`] : [])];
    // tsx as a loader in this one process (its CLI would start another, out of reach of the flags).
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawnSync(process.execPath, [...flags, '--import', tsx, __filename, '--items', String(items)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`the ${items}-item run failed:\n${child.stderr}`);
    const figures = { ...(JSON.parse(child.stdout.trim().split('\n').pop()!) as RunFigures), heapCapMB };
    const cap = heapCapMB ? `heap cap ${heapCapMB} MB` : 'no heap cap';
    console.log(
      `${items} items (${cap}): ${figures.seconds} s (${figures.cpuSeconds} s CPU), peak RSS ${figures.peakRssMB} MB, live heap ${figures.liveHeapMB} MB, ${(figures.bytes / 2 ** 20).toFixed(1)} MiB pack`,
    );
    return figures;
  };
  for (const items of SIZES) runs.push(runChild(items, HEAP_CAP_MB));
  const uncapped = runChild(SIZES[SIZES.length - 1]!);
  const largest = runs[runs.length - 1]!;
  const smallest = runs[0]!;
  console.log(`peak RSS growth from ${smallest.items} to ${largest.items} items: ${round(largest.peakRssMB - smallest.peakRssMB)} MB`);
  console.log(JSON.stringify({ ...largest, aimSeconds: 30, aimPeakRssMB: 250, runs, uncapped }));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
