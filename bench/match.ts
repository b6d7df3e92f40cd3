// Benchmark of the identity-matching engine on a synthetic register of 100,000 people: index build
// time and heap, exact and fuzzy lookups per second with p99 latency, and the same lookups by a plain
// linear scan for comparison. Deterministic (seeded PRNG). Last line: one JSON object.
// Run: npx tsx bench/match.ts [people]

import v8 from 'node:v8';
import vm from 'node:vm';
import type { RegisterPerson } from '../core/restriction';
import {
  canonicalEmail,
  foldHandle,
  foldName,
  nameSimilarity,
  NAME_SIMILARITY_THRESHOLD,
  phoneToE164,
} from '../core/identity';
import { accountKey, matchAuthor, RegisterIndex, type AuthorQuery } from '../core/match';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const PEOPLE = Number(process.argv[2] ?? 100_000);

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261123);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;

const FIRST_NAMES = (
  'Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie Joshua Freddie ' +
  'Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur Lucas Mohammed Logan Theo Harrison Benjamin ' +
  'Mason Sebastian Finley Adam Dylan Zachary Riley Teddy Theodore David Elijah Jake Toby Louie Reuben Arlo Hugo ' +
  'Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Sophia Grace Evie Sophie Charlotte Freya Daisy Alice ' +
  'Jessica Florence Ruby Evelyn Harper Sienna Phoebe Chloe Matilda Millie Elsie Rosie Layla Ivy Willow Emma Holly ' +
  'John Jon Jonathan Mary Margaret Susan Sarah Karen Helen Peter Paul Michael Christopher Anthony Stephen Steven ' +
  'Andrew Mark Richard Robert Patricia Linda Barbara Elizabeth Jennifer Maria Nancy Lisa Betty Dorothy Sandra Ashley ' +
  'Kimberly Donna Carol Michelle Amanda Melissa Deborah Stephanie Rebecca Laura Sharon Cynthia Kathleen Amy Shirley ' +
  'Priya Aisha Fatima Zainab Amir Hassan Ahmed Ali Omar Yusuf Ibrahim Kwame Ade Chidi Ngozi Wei Jun Mei Hiroshi Yuki ' +
  'Siobhan Niamh Aoife Ciaran Sean Padraig Rhys Dafydd Gareth Angharad Morag Fiona Callum Hamish Eilidh Mairi Iain'
).split(' ');

const SURNAMES = (
  'Smith Jones Williams Taylor Davies Brown Wilson Evans Thomas Johnson Roberts Walker Wright Robinson Thompson White ' +
  'Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris Ward Moore ' +
  'King Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson Phillips Lee Bell Parker Davis Kelly ' +
  'Bennett Miller Shaw Cook Carter Griffiths Murphy Price Bailey Richardson Marshall Campbell Adams Chapman Ellis ' +
  'Mason Stewart Webb Rogers Palmer Gray Hunt Holmes Mills Owen Graham Kennedy Lloyd Knight Butler Russell Barnes ' +
  'Fisher Pearson Cox Hussain Khan Ahmed Ali Begum Singh Kaur Shah Rahman Islam Okafor Okonkwo Mensah Boateng Nguyen ' +
  'Chen Wang Li Zhang Liu Kowalski Nowak Wisniewski OBrien OConnor Murray Quinn Doyle Byrne Ryan Walsh Gallagher ' +
  'MacDonald Fraser Robertson Reid Ross Paterson Henderson Hamilton Ferguson Sinclair Mackenzie Jenkins Pritchard'
).split(' ');

const SYLLABLES =
  'al an ar ba be bo ca ce da de do el en er fa fe ga ha he in ka ke la le li lo ma me mi mo na ne no or pa pe ra re ri ro sa se si so ta te ti to va ve wa we wi ya'.split(
    ' ',
  );
const DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.co.uk',
  'yahoo.co.uk',
  'btinternet.com',
  'icloud.com',
  'example.org',
];
const PLATFORMS = ['x', 'facebook', 'instagram'] as const;

/** A made-up surname for two in five people, so the register is not a few hundred names repeated. */
function surname(): string {
  if (chance(0.6)) return pick(SURNAMES);
  const word = pick(SYLLABLES) + pick(SYLLABLES) + (chance(0.5) ? pick(SYLLABLES) : '');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function mobile(): string {
  return `07${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
}

let nextAccountId = 10_000_000;
const register: RegisterPerson[] = [];
for (let i = 0; i < PEOPLE; i++) {
  const first = pick(FIRST_NAMES);
  const last = surname();
  const middle = chance(0.15) ? ` ${pick(FIRST_NAMES)}` : '';
  const tag = Math.floor(random() * 1000);
  const handleBase = `${first.toLowerCase()}${chance(0.5) ? '_' : ''}${last.toLowerCase()}${chance(0.5) ? tag : ''}`;
  register.push({
    id: `p${i}`,
    names: [`${first}${middle} ${last}`],
    emails: chance(0.7) ? [`${first}.${last}${tag}@${pick(DOMAINS)}`] : [],
    phones: chance(0.5) ? [mobile()] : [],
    socialAccounts: chance(0.5)
      ? [
          {
            platform: pick(PLATFORMS),
            accountId: String(nextAccountId++),
            handle: handleBase,
            ...(chance(0.2) ? { handleHistory: [`${handleBase}_old`] } : {}),
          },
        ]
      : [],
  });
}

// ---- Index build and heap --------------------------------------------------------------------------
gc();
const heapBefore = process.memoryUsage().heapUsed;
const buildStart = process.hrtime.bigint();
const index = new RegisterIndex(register);
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
gc();
const indexMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

// ---- Queries ---------------------------------------------------------------------------------------
const LOOKALIKE: Record<string, string> = { o: '0', i: '1', e: '3', a: '\u0430', s: '$', l: '1' };
function disguise(handle: string): string {
  const at = Math.floor(random() * handle.length);
  const letter = handle.charAt(at);
  return handle.slice(0, at) + (LOOKALIKE[letter] ?? letter.toUpperCase()) + handle.slice(at + 1);
}
/** A spelling slip: a letter doubled, dropped, or i/y swapped. */
function misspell(name: string): string {
  const at = 1 + Math.floor(random() * (name.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return name.slice(0, at) + name.charAt(at) + name.slice(at);
  if (kind === 1) return name.slice(0, at) + name.slice(at + 1);
  return name.replace(/i/, 'y');
}

const withAccount = register.filter((p) => p.socialAccounts.length > 0);
const withEmail = register.filter((p) => p.emails.length > 0);
const withPhone = register.filter((p) => p.phones.length > 0);

const N_EXACT = 200_000;
const N_FUZZY = 20_000;
const accountQueries: AuthorQuery[] = [];
const emailQueries: AuthorQuery[] = [];
const phoneQueries: AuthorQuery[] = [];
for (let i = 0; i < N_EXACT; i++) {
  // Four in five authors are on the register; the rest are strangers.
  const known = chance(0.8);
  const account = pick(withAccount).socialAccounts[0]!;
  accountQueries.push({
    platform: account.platform,
    accountId: known ? account.accountId : String(nextAccountId + i),
  });
  const email = pick(withEmail).emails[0]!;
  emailQueries.push({
    email: known ? email.toUpperCase().replace('@', '+meeting@') : `nobody${i}@example.org`,
  });
  const phone = pick(withPhone).phones[0]!;
  phoneQueries.push({ phone: known ? `+44 ${phone.slice(1, 5)} ${phone.slice(5)}` : mobile() });
}
const fuzzyQueries: AuthorQuery[] = [];
for (let i = 0; i < N_FUZZY; i++) {
  const person = pick(register);
  const [first = '', ...rest] = (person.names[0] ?? '').split(' ');
  const handle = person.socialAccounts[0]?.handle;
  const stranger = !chance(0.8);
  fuzzyQueries.push({
    platform: pick(PLATFORMS),
    accountId: String(nextAccountId + N_EXACT + i),
    displayName: stranger ? `${pick(FIRST_NAMES)} ${surname()}` : `${misspell(first)} ${rest.join(' ')}`,
    ...(handle !== undefined && !stranger ? { handle: disguise(handle) } : {}),
  });
}

interface Figures {
  perSec: number;
  p99Ms: number;
  hits: number;
}
/**
 * Throughput: the median of three passes, each after a full GC (so the index build's garbage is not
 * billed to lookups, and other work on this shared machine shows as spread, not as the figure).
 * p99: one more pass timing each call.
 */
function measure(queries: AuthorQuery[]): Figures {
  let hits = 0;
  for (const q of queries) hits += matchAuthor(index, q).length > 0 ? 1 : 0; // warms up the JIT
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    gc();
    const start = process.hrtime.bigint();
    for (const q of queries) matchAuthor(index, q);
    passes.push(queries.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  const latencies = new Float64Array(queries.length);
  gc();
  queries.forEach((q, i) => {
    const t = process.hrtime.bigint();
    matchAuthor(index, q);
    latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
  });
  latencies.sort();
  return {
    perSec: passes.sort((a, b) => a - b)[1] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    hits,
  };
}

const account = measure(accountQueries);
const email = measure(emailQueries);
const phone = measure(phoneQueries.slice(0, 20_000));
const mixed = measure(
  accountQueries
    .map((q, i) => (i % 3 === 0 ? q : i % 3 === 1 ? emailQueries[i]! : phoneQueries[i]!))
    .slice(0, 30_000),
);
const fuzzy = measure(fuzzyQueries);

// ---- The same lookups by a linear scan over pre-normalised people ------------------------------------
interface Flat {
  id: string;
  accounts: string[];
  emails: string[];
  phones: string[];
  handles: string[];
  names: NonNullable<ReturnType<typeof foldName>>[];
}
const flat: Flat[] = register.map((p) => ({
  id: p.id,
  accounts: p.socialAccounts.map((a) => accountKey(a.platform, a.accountId) ?? ''),
  emails: p.emails.flatMap((e) => {
    const r = canonicalEmail(e);
    return r.ok ? [r.canonical] : [];
  }),
  phones: p.phones.flatMap((n) => {
    const r = phoneToE164(n);
    return r.ok ? [r.e164] : [];
  }),
  handles: p.socialAccounts.flatMap((a) => {
    const r = foldHandle(a.handle ?? '');
    return r.ok ? [r.lookAlikeKey] : [];
  }),
  names: p.names.flatMap((n) => foldName(n) ?? []),
}));
function linearExact(q: AuthorQuery): string[] {
  const key =
    q.platform !== undefined && q.accountId !== undefined ? accountKey(q.platform, q.accountId) : undefined;
  return flat.filter((p) => key !== undefined && p.accounts.includes(key)).map((p) => p.id);
}
function linearFuzzy(q: AuthorQuery): string[] {
  const name = foldName(q.displayName ?? '');
  const handle = foldHandle(q.handle ?? '');
  return flat
    .filter(
      (p) =>
        (handle.ok && p.handles.includes(handle.lookAlikeKey)) ||
        (name !== undefined && p.names.some((n) => nameSimilarity(name, n) >= NAME_SIMILARITY_THRESHOLD)),
    )
    .map((p) => p.id);
}
function measureLinear(queries: AuthorQuery[], scan: (q: AuthorQuery) => string[]): number {
  const start = process.hrtime.bigint();
  for (const q of queries) scan(q);
  return queries.length / (Number(process.hrtime.bigint() - start) / 1e9);
}
const linearPerSec = measureLinear(accountQueries.slice(0, 300), linearExact);
const linearFuzzyPerSec = measureLinear(fuzzyQueries.slice(0, 20), linearFuzzy);

const round = (n: number, places = 0) => Number(n.toFixed(places));
const result = {
  people: index.size,
  identifiers: index.identifierCount,
  buildMs: round(buildMs),
  indexMB: round(indexMB, 1),
  exactPerSec: round(account.perSec),
  exactP99Ms: round(account.p99Ms, 4),
  emailPerSec: round(email.perSec),
  emailP99Ms: round(email.p99Ms, 4),
  phonePerSec: round(phone.perSec),
  phoneP99Ms: round(phone.p99Ms, 4),
  exactMixedPerSec: round(mixed.perSec),
  fuzzyPerSec: round(fuzzy.perSec),
  fuzzyP99Ms: round(fuzzy.p99Ms, 4),
  fuzzyHitRate: round(fuzzy.hits / fuzzyQueries.length, 3),
  linearPerSec: round(linearPerSec),
  linearFuzzyPerSec: round(linearFuzzyPerSec, 1),
  exactVsLinear: round(account.perSec / linearPerSec),
  fuzzyVsLinear: round(fuzzy.perSec / linearFuzzyPerSec),
};

console.log(`register: ${result.people} people, ${result.identifiers} identifiers`);
console.log(`index build: ${result.buildMs} ms, heap used by the index: ${result.indexMB} MB`);
console.log(`exact by platform account id: ${result.exactPerSec}/s, p99 ${result.exactP99Ms} ms`);
console.log(`exact by e-mail: ${result.emailPerSec}/s, p99 ${result.emailP99Ms} ms`);
console.log(`exact by phone (libphonenumber-js parse): ${result.phonePerSec}/s, p99 ${result.phoneP99Ms} ms`);
console.log(`exact, thirds of each: ${result.exactMixedPerSec}/s`);
console.log(
  `fuzzy (look-alike handle + display name): ${result.fuzzyPerSec}/s, p99 ${result.fuzzyP99Ms} ms, ${result.fuzzyHitRate} with a candidate`,
);
console.log(
  `linear scan: exact ${result.linearPerSec}/s (index ×${result.exactVsLinear}), fuzzy ${result.linearFuzzyPerSec}/s (index ×${result.fuzzyVsLinear})`,
);
console.log(JSON.stringify(result));
