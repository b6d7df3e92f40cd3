// Throughput and latency of the content detector on one core, over a generated mixed corpus of
// council comments: mostly ordinary (bins, potholes, planning, meetings), some hostile, some
// written to evade. Prints its figures; the last line is one JSON object with perSec and p99Ms.
// Usage: npm run bench:detect [-- --comments 60000]
import { assessContent } from '../core/detect';

const ORDINARY = [
  'When is the {bin} collection on {street} going to be sorted? Third week running it has been missed.',
  'The pothole outside number {n} {street} is getting worse, someone will come off their bike soon.',
  'Can the council explain why the library on {street} is closing on {day}s? My kids rely on it.',
  'Objection to planning application {ref}: the extension will overlook our garden.',
  'Great to see the park being tidied up, thank you to the team who did it.',
  'Parking on {street} is a nightmare since the new flats went up. Any chance of residents permits?',
  'Why has council tax gone up again when services keep getting cut? Not happy.',
  'Is the {meeting} meeting on {day} open to the public? I would like to speak about the bus lane.',
  'Fly tipping behind the shops on {street} again, mattresses and a fridge this time.',
  'The bin strike is killing me, the smell is unbearable in this heat.',
  'Killer deal on the leisure centre memberships this month, well done.',
  'Fire safety inspection at the community centre went fine, thanks for organising.',
  'Shooting range planning application {ref} should be refused, it is too close to the school.',
  'This traffic is killing me, the roadworks on {street} have gone on for months.',
  'Councillor {name} promised a crossing outside the school two years ago. Still nothing.',
  'I would never hurt anyone but I am so frustrated with how long this is taking.',
  'Thanks for fixing the streetlight so quickly, really appreciated.',
  'Dog fouling on the playing field is disgusting, can we have more bins please?',
  'My neighbour is elderly and disabled and has been waiting six weeks for a blue badge.',
  'Calling disabled people that is disgusting, the council should condemn it.',
  'He said he would kill me if I reported him again, please help, what should I do?',
  'The consultation closes on {day}, make sure you have your say on the new cycle routes.',
  'Brilliant turnout at the Diwali celebration in the town square last night.',
  'Any update on the damp in our council flat? We have a newborn and it is getting worse.',
];

const HOSTILE = [
  'I will kill you {name} if you close our library.',
  'You are a useless fucking idiot and everyone knows it.',
  'I know where you live councillor, watch your back.',
  'Kill all the {group}, they are vermin.',
  '{group} are parasites and should be deported.',
  'Cllr {name} lives at {n} {street}, his number is 07700 900{n3}. Pay him a visit.',
  'I cant go on anymore, I want to end my life.',
  'This is shit, absolute bollocks from start to finish.',
  'go k i l l yourself you pathetic c*nt',
  'I h0pe you d1e in a f1re',
  'Someone should shoot the lot of them 🔫',
  'You will regret this. Sleep with one eye open.',
  'kïll ａll {group} now',
  'f\u200Buck off back to where you came from',
  'Those {group} are animals and do not belong here.',
];

const FILL: Record<string, string[]> = {
  bin: ['recycling', 'brown bin', 'black bin', 'garden waste'],
  street: ['Mill Lane', 'Station Road', 'Acacia Avenue', 'High Street', 'Church Close', 'Park View'],
  n: ['2', '14', '27', '103', '56'],
  n3: ['123', '456', '789'],
  day: ['Monday', 'Tuesday', 'Thursday', 'Saturday'],
  ref: ['23/01234/FUL', '24/00567/HOU', '22/04411/OUT'],
  meeting: ['planning committee', 'full council', 'scrutiny'],
  name: ['Smith', 'Patel', 'Jones', 'Okafor', 'Nowak'],
  group: ['immigrants', 'muslims', 'gays', 'travellers', 'disabled people'],
};

/** A small deterministic generator, so every run measures the same corpus. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(size: number): string[] {
  const random = mulberry32(20261123);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const template = random() < 0.85 ? pick(ORDINARY) : pick(HOSTILE);
    let text = template.replace(/\{(\w+)\}/g, (_, k: string) => pick(FILL[k] ?? ['']));
    // Some comments carry a second sentence, as replies often do.
    if (random() < 0.3)
      text += ' ' + pick(ORDINARY).replace(/\{(\w+)\}/g, (_, k: string) => pick(FILL[k] ?? ['']));
    out.push(text);
  }
  return out;
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name} expects a positive number`);
    process.exit(2);
  }
  return v;
}

function main(): void {
  const n = argNumber('--comments', 60000);
  const texts = corpus(n);
  const meanLength = Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length);

  // Warm up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < Math.min(5000, n); i++) assessContent(texts[i]!);

  const latencies = new Float64Array(n);
  let flagged = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const a = assessContent(texts[i]!);
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    if (a.flags.length > 0) flagged++;
  }
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;

  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  // One core: throughput from the CPU time this process used, so other work on the machine does not
  // count against the detector; the wall-clock figure is printed beside it.
  const perSec = Math.round((n / cpuMs) * 1000);
  const wallPerSec = Math.round((n / wallMs) * 1000);

  console.log(`comments: ${n} (mean ${meanLength} characters, ${flagged} flagged)`);
  console.log(`throughput: ${perSec}/s on one core (CPU time), ${wallPerSec}/s wall clock`);
  console.log(
    `latency: p50 ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms, max ${q(1).toFixed(3)} ms`,
  );
  console.log(
    JSON.stringify({
      comments: n,
      meanLength,
      flagged,
      perSec,
      wallPerSec,
      p50Ms: Number(q(0.5).toFixed(4)),
      p99Ms: Number(q(0.99).toFixed(4)),
    }),
  );
}

main();
