// Loads the word lists under data/ into one lookup table: word or phrase → word classes, severity
// and protected characteristic. Checked with zod when the module loads, so a mistake in a data
// file stops the service at start-up with the file and field named, never mid-assessment.
import { z } from 'zod';
import { CHARACTERISTICS, type Characteristic } from './types';
import { collapseRuns, tokenise } from './normalise';
import { addTag, emptyTags, hasAll, isTagName, merge, tagsOf, type TagName, type TagSet } from './tags';
import lexiconData from './data/lexicon.json';
// AFINN-165 (Finn Årup Nielsen's valence ratings, -5..5) as shipped with the `sentiment` package.
import afinnData from 'sentiment/languages/en/labels.json';
import groupsData from './data/groups.json';
import idiomsData from './data/idioms.json';

/** What the detector knows about a word or phrase. */
export interface Entry {
  tags: TagSet;
  /** Strength 0..1 of a harm word or insult (1 = unambiguous). */
  sev: number;
  /** Strength 0..1 of the word as a slur, kept apart: "bitches" is a strong insult but a weaker slur. */
  slur: number;
  /** How surely a group word names a protected group (country names and the like are weaker). */
  gw: number;
  /** Bit set over CHARACTERISTICS. */
  chars: number;
  /** Index into CHARACTERISTICS of the characteristic the word names first, or -1. */
  primary: number;
  /** An idiom: a phrase that reads as no harm at all. */
  neutral: boolean;
}

export interface Phrase {
  words: string[];
  key: string;
}

export interface Lexicon {
  words: Map<string, Entry>;
  /** Phrases by first and second word, longest first. */
  phrases: Map<string, Map<string, Phrase[]>>;
  /** Stretched spellings: collapsed form → the one word it stands for. */
  collapsed: Map<string, string>;
  /** Words a masked spelling ("f*ck", "n****r") may stand for, by length. */
  maskable: Map<number, string[]>;
  /** Person nouns a group modifier combines with ("black" + "people"). */
  personNouns: Set<string>;
  /** Plural person nouns: age modifiers combine only with these ("old people", not "old man"). */
  pluralPersonNouns: Set<string>;
  vocabulary: Set<string>;
  /** Insults that also name animals or things ("rat", "trash"): never read as a person to harm. */
  notPeople: Set<string>;
  /** Group words that name a belief, condition or place rather than people ("islam", "autism"). */
  abstract: Set<string>;
}

const wordList = z.array(z.string().min(1));
const severityMap = z.record(z.string(), z.number().min(0).max(1));

const lexiconSchema = z.object({
  about: z.string(),
  words: z.record(z.string(), wordList),
  insults: z.object({ strong: wordList, medium: wordList, mild: wordList }),
  insultSeverity: z.object({ strong: z.number(), medium: z.number(), mild: z.number() }),
  harm: z.object({ strong: wordList, medium: wordList, weak: wordList }),
  harmSeverity: z.object({ strong: z.number(), medium: z.number(), weak: z.number() }),
  harmOverrides: severityMap,
  harmIrregular: z.record(z.string(), wordList),
  dieWords: severityMap,
  selfHarm: severityMap,
  vocabulary: wordList,
  insultsNotPeople: wordList,
  evaluative: z.object({
    about: z.string(),
    maxValence: z.number().int().max(0),
    minPositive: z.number().int().min(1),
    strength: z.record(z.string().regex(/^-\d$/), z.number().min(0).max(1)),
    exclude: wordList,
  }),
});

const characteristicSchema = z.object({
  groups: wordList,
  modifiers: wordList,
  weights: severityMap,
  slurs: severityMap,
  slurCharacteristics: z.record(z.string(), z.array(z.enum(CHARACTERISTICS))),
});

const groupsSchema = z.object({
  about: z.string(),
  personNouns: wordList,
  abstract: wordList,
  characteristics: z.record(z.enum(CHARACTERISTICS), characteristicSchema),
});

const idiomsSchema = z.object({ about: z.string(), phrases: wordList });

function parseData<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `core/detect/data/${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return result.data;
}

/** The words of a lexicon entry, read exactly as a comment would be ("don't" → do, not). */
export function wordsOf(text: string): string[] {
  return tokenise(text).map((t) => t.w);
}

const charBit = (c: Characteristic): number => 1 << CHARACTERISTICS.indexOf(c);

export function charsOf(bits: number): Characteristic[] {
  return CHARACTERISTICS.filter((c) => (bits & charBit(c)) !== 0);
}

function inflect(lemma: string): { vb: string[]; vbn: string[]; vbg: string[] } {
  const parts = lemma.split(' ');
  const head = parts[0]!;
  const rest = parts.slice(1).join(' ');
  const withRest = (w: string): string => (rest ? `${w} ${rest}` : w);
  const vowel = /[aeiou]/;
  let stem = head;
  if (/^[^aeiou]*[aeiou][bdgkmnprtvz]$/.test(head) && head.length <= 5) stem = head + head[head.length - 1];
  const vb = [head, /(s|sh|ch|x|z|o)$/.test(head) ? head + 'es' : head + 's'];
  let vbn: string;
  let vbg: string;
  if (head.endsWith('e')) {
    vbn = head + 'd';
    vbg = head.endsWith('ee') ? head + 'ing' : head.slice(0, -1) + 'ing';
  } else if (head.endsWith('y') && !vowel.test(head[head.length - 2] ?? '')) {
    vbn = head.slice(0, -1) + 'ied';
    vbg = head + 'ing';
  } else {
    vbn = stem + 'ed';
    vbg = stem + 'ing';
  }
  return { vb: vb.map(withRest), vbn: [withRest(vbn)], vbg: [withRest(vbg)] };
}

const HARM_ONLY = tagsOf(['HARM']);
const NEG_EVAL_ONLY = tagsOf(['NEG_EVAL']);
function harmTagged(e: Entry): boolean {
  return hasAll(e.tags, HARM_ONLY);
}

function buildLexicon(): Lexicon {
  const lex = parseData(lexiconSchema, lexiconData, 'lexicon.json');
  const groups = parseData(groupsSchema, groupsData, 'groups.json');
  const idioms = parseData(idiomsSchema, idiomsData, 'idioms.json');

  const words = new Map<string, Entry>();
  const phrases = new Map<string, Map<string, Phrase[]>>();

  const entryFor = (key: string): Entry => {
    let e = words.get(key);
    if (!e) {
      e = { tags: emptyTags(), sev: 0, slur: 0, gw: 0, chars: 0, primary: -1, neutral: false };
      words.set(key, e);
    }
    return e;
  };

  const add = (
    text: string,
    tags: readonly TagName[],
    opts: { sev?: number; slur?: number; gw?: number; chars?: Characteristic[]; neutral?: boolean } = {},
  ): void => {
    const ws = wordsOf(text);
    if (ws.length === 0) return;
    const key = ws.join('_');
    if (ws.length > 1) {
      const bySecond = phrases.get(ws[0]!) ?? new Map<string, Phrase[]>();
      const list = bySecond.get(ws[1]!) ?? [];
      if (!list.some((p) => p.key === key)) list.push({ words: ws, key });
      bySecond.set(ws[1]!, list);
      phrases.set(ws[0]!, bySecond);
    }
    const e = entryFor(key);
    for (const t of tags) addTag(e.tags, t);
    if (opts.sev !== undefined) e.sev = Math.max(e.sev, opts.sev);
    if (opts.slur !== undefined) e.slur = Math.max(e.slur, opts.slur);
    if (opts.gw !== undefined) e.gw = Math.max(e.gw, opts.gw);
    for (const c of opts.chars ?? []) {
      if (e.primary < 0) e.primary = CHARACTERISTICS.indexOf(c);
      e.chars |= charBit(c);
    }
    if (opts.neutral) e.neutral = true;
  };

  for (const [tag, list] of Object.entries(lex.words)) {
    if (!isTagName(tag)) throw new Error(`core/detect/data/lexicon.json: words.${tag} is not a known tag`);
    for (const w of list) add(w, [tag]);
  }
  for (const level of ['strong', 'medium', 'mild'] as const) {
    for (const w of lex.insults[level]) add(w, ['INSULT'], { sev: lex.insultSeverity[level] });
  }
  for (const level of ['strong', 'medium', 'weak'] as const) {
    for (const lemma of lex.harm[level]) {
      const sevOf = (form: string): number =>
        lex.harmOverrides[form] ?? lex.harmOverrides[lemma] ?? lex.harmSeverity[level];
      const f = inflect(lemma);
      for (const w of f.vb) add(w, ['HARM', 'VB'], { sev: sevOf(w) });
      for (const w of f.vbn) add(w, ['HARM', 'VBN'], { sev: sevOf(w) });
      for (const w of f.vbg) add(w, ['HARM', 'VBG'], { sev: sevOf(w) });
      for (const w of lex.harmIrregular[lemma] ?? []) {
        const form: TagName = /(ing|in)$/.test(w.split(' ')[0]!) ? 'VBG' : f.vb.includes(w) ? 'VB' : 'VBN';
        add(w, ['HARM', form], { sev: sevOf(w) });
      }
    }
  }
  // A harm phrase that names its victim ("smash your face in") is a threat at someone by itself.
  for (const [key, e] of words) {
    if (!key.includes('_') || (e.tags.a === 0 && e.tags.b === 0)) continue;
    if (/(^|_)(you|your|him|his|her|them|their|yourself)(_|$)/.test(key) && harmTagged(e))
      addTag(e.tags, 'VICTIM');
  }
  for (const [w, sev] of Object.entries(lex.dieWords)) add(w, ['DIE'], { sev });
  for (const [w, sev] of Object.entries(lex.selfHarm)) add(w, ['SELFHARM'], { sev });

  const personNouns = new Set(groups.personNouns.map((w) => wordsOf(w).join('_')));
  const pluralPersonNouns = new Set(
    [...personNouns].filter((w) => /(s|men|people|folk|children|lives)$/.test(w) && w !== 'bitches'),
  );
  for (const w of personNouns) add(w, ['PERSON']);

  for (const [name, data] of Object.entries(groups.characteristics)) {
    const c = name as Characteristic;
    const weightOf = (w: string): number => data.weights[w] ?? 1;
    for (const g of data.groups) {
      const forms = [g];
      if (!/s$/.test(g) && !g.includes(' ')) forms.push(g + 's');
      for (const f of forms) add(f, ['GROUP'], { gw: weightOf(g), chars: [c] });
    }
    for (const m of data.modifiers) add(m, ['COLOUR'], { gw: weightOf(m), chars: [c] });
    for (const [s, sev] of Object.entries(data.slurs)) {
      if (sev < 0.05) continue;
      add(s, ['SLUR'], { slur: sev, chars: data.slurCharacteristics[s] ?? [c] });
    }
  }

  // Negative judgements from AFINN, for words no list above knows: "selfish", "greedy", "a menace".
  // Only plain words (no inflected verbs or adverbs), so that they stand as a predicate after a group.
  const excluded = new Set(lex.evaluative.exclude);
  const afinn = z.record(z.string(), z.number().int()).parse(afinnData);
  for (const [w, valence] of Object.entries(afinn)) {
    if (!/^[a-z]+$/.test(w) || words.has(w) || excluded.has(w)) continue;
    if (valence >= lex.evaluative.minPositive) add(w, ['POS_EVAL']);
    if (valence > lex.evaluative.maxValence || /(ing|ed|ly)$/.test(w)) continue;
    const sev = lex.evaluative.strength[String(Math.max(valence, -5))] ?? 1;
    add(w, ['NEG_EVAL'], { sev });
  }

  for (const p of idioms.phrases) add(p, [], { neutral: true });

  for (const bySecond of phrases.values())
    for (const list of bySecond.values()) list.sort((a, b) => b.words.length - a.words.length);

  const collapsed = new Map<string, string>();
  for (const w of words.keys()) {
    if (w.includes('_')) continue;
    const k = collapseRuns(w);
    const prev = collapsed.get(k);
    // Two words collapse alike ("kill", "kil"): keep the fuller spelling.
    if (prev === undefined || w.length > prev.length) collapsed.set(k, w);
  }

  const maskable = new Map<number, string[]>();
  for (const [w, e] of words) {
    if (w.includes('_') || Math.max(e.sev, e.slur) < 0.5) continue;
    if (e.tags.a === 0 && e.tags.b === 0) continue;
    // A starred-out word is read as a harm word, insult or slur, never as a mere judgement.
    if (hasAll(NEG_EVAL_ONLY, e.tags) && hasAll(e.tags, NEG_EVAL_ONLY)) continue;
    const list = maskable.get(w.length) ?? [];
    list.push(w);
    maskable.set(w.length, list);
  }

  const vocabulary = new Set<string>(lex.vocabulary);
  for (const w of words.keys()) if (!w.includes('_')) vocabulary.add(w);

  const notPeople = new Set(lex.insultsNotPeople.map((w) => wordsOf(w).join('_')));
  const abstract = new Set(groups.abstract.map((w) => wordsOf(w).join('_')));
  return {
    words,
    phrases,
    collapsed,
    maskable,
    personNouns,
    pluralPersonNouns,
    vocabulary,
    notPeople,
    abstract,
  };
}

export const LEXICON: Lexicon = buildLexicon();

/** Adds another entry's classes to `into` (used when phrases and modifiers merge into one word). */
export function mergeEntry(into: Entry, from: Entry): void {
  merge(into.tags, from.tags);
  into.sev = Math.max(into.sev, from.sev);
  into.slur = Math.max(into.slur, from.slur);
  into.gw = Math.max(into.gw, from.gw);
  if (into.primary < 0) into.primary = from.primary;
  into.chars |= from.chars;
}
