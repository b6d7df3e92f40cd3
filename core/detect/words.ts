// Reads a comment into tagged words: each token looked up in the lexicon (through its l33t,
// stretched or masked spellings), multi-word phrases and "modifier + person" pairs ("black
// people", "trans women") joined into one word, and names and @mentions marked. Pure.
import { LEXICON, mergeEntry, type Entry, type Phrase } from './lexicon';
import { collapseRuns, tokenise, type Token } from './normalise';
import type { Word } from './patterns';
import { CHARACTERISTICS } from './types';
import { bit, emptyTags, hasAll, merge, remove, VICTIM_SOURCES, type TagSet } from './tags';

export interface ReadComment {
  tokens: Token[];
  words: Word[];
}

// Module exports are read once: under esbuild every access to another module's export is a getter call.
const WORDS = LEXICON.words;
const PHRASES = LEXICON.phrases;
const COLLAPSED = LEXICON.collapsed;
const VOCABULARY = LEXICON.vocabulary;
const MASKABLE = LEXICON.maskable;
const NOT_PEOPLE = LEXICON.notPeople;
const ABSTRACT = LEXICON.abstract;
const PERSON_NOUNS = LEXICON.personNouns;
const PLURAL_PERSON_NOUNS = LEXICON.pluralPersonNouns;
const vocab = { has: (w: string): boolean => VOCABULARY.has(w) };
const VICTIM_FROM = VICTIM_SOURCES;
const INSULT = bit('INSULT');
const GROUP = bit('GROUP');
const COLOUR = bit('COLOUR');
const PERSON = bit('PERSON');
const VICTIM = bit('VICTIM');
const POSS = bit('POSS');
const NUMBER = bit('NUMBER');
const MENTION = bit('MENTION');
const STAFF = bit('STAFF');
const NAME = bit('NAME');
const UNKNOWN = bit('UNKNOWN');
const AGE_BIT = 1 << CHARACTERISTICS.indexOf('age');

/** What the lexicon knows of one spelling, so that reading a token takes one lookup, not four. */
interface Known {
  entry: Entry | undefined;
  /** Phrases that start with this word, by their second word. */
  phrases: Map<string, Phrase[]> | undefined;
  /** A word of the vocabulary (every lexicon word is), so never UNKNOWN. */
  vocabulary: boolean;
}
const KNOWN = new Map<string, Known>();
function known(w: string): Known {
  let k = KNOWN.get(w);
  if (!k) {
    k = { entry: undefined, phrases: undefined, vocabulary: false };
    KNOWN.set(w, k);
  }
  return k;
}
for (const [w, entry] of WORDS) known(w).entry = entry;
for (const [w, bySecond] of PHRASES) known(w).phrases = bySecond;
for (const w of VOCABULARY) known(w).vocabulary = true;

function maskedLookup(letters: string): string | undefined {
  const candidates = MASKABLE.get(letters.length);
  if (!candidates) return undefined;
  let best: string | undefined;
  let bestSev = -1;
  for (const c of candidates) {
    let ok = true;
    for (let i = 0; i < letters.length; i++) {
      const ch = letters[i]!;
      if (ch !== '*' && ch !== c[i]) {
        ok = false;
        break;
      }
    }
    const sev = WORDS.get(c)?.sev ?? 0;
    if (ok && sev > bestSev) {
      best = c;
      bestSev = sev;
    }
  }
  return best;
}

/** The lexicon spelling a token not in the lexicon as written stands for, if any. */
function respelt(t: Token): string {
  const words = WORDS;
  if (t.alt !== undefined && words.has(t.alt)) return t.alt;
  if (t.stretched) {
    const k = COLLAPSED.get(collapseRuns(t.w));
    if (k) return k;
  }
  if (t.w.includes('*') && /[a-z]/.test(t.w)) {
    const m = maskedLookup(t.w);
    if (m) return m;
    const bare = t.w.replace(/\*/g, '');
    if (words.has(bare)) return bare;
  }
  return t.w;
}

function wordFrom(w: string, first: Token, last: Token, entry: Entry | undefined): Word {
  const tags: TagSet = entry ? { a: entry.tags.a, b: entry.tags.b } : { a: 0, b: 0 };
  return {
    w,
    start: first.start,
    end: last.end,
    clause: first.clause,
    soft: first.soft,
    quoted: first.quoted && last.quoted,
    tags,
    sev: entry?.sev ?? 0,
    slur: entry?.slur ?? 0,
    gw: entry?.gw ?? 0,
    chars: entry?.chars ?? 0,
    primary: entry?.primary ?? -1,
  };
}

export function readComment(text: string): ReadComment {
  const tokens = tokenise(text, vocab);
  const n = tokens.length;
  const keys = new Array<string>(n);
  const knowns = new Array<Known | undefined>(n);
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    let k = KNOWN.get(t.w);
    let key = t.w;
    if (k?.entry === undefined) {
      key = respelt(t);
      if (key !== t.w) k = KNOWN.get(key);
    }
    keys[i] = key;
    knowns[i] = k;
  }
  const words: Word[] = [];

  for (let i = 0; i < n;) {
    const t = tokens[i]!;
    const key = keys[i]!;
    const list = i + 1 < n ? knowns[i]?.phrases?.get(keys[i + 1]!) : undefined;
    let merged = false;
    if (list) {
      for (const p of list) {
        const len = p.words.length;
        if (i + len > n) continue;
        let ok = true;
        for (let k = 1; k < len; k++) {
          const u = tokens[i + k]!;
          if (keys[i + k] !== p.words[k] || u.clause !== t.clause || u.soft) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const word = wordFrom(p.key, t, tokens[i + len - 1]!, WORDS.get(p.key));
        markToken(word, t);
        words.push(word);
        i += len;
        merged = true;
        break;
      }
    }
    if (merged) continue;
    const word = wordFrom(key, t, t, knowns[i]?.entry);
    if (word.tags.a === 0 && word.tags.b === 0 && t.kind === 'word') {
      const prev = tokens[i - 1];
      if (t.cap && key.length > 1 && prev && prev.clause === t.clause && !t.soft) merge(word.tags, NAME);
      else if (!knowns[i]?.vocabulary) merge(word.tags, UNKNOWN);
    }
    markToken(word, t);
    words.push(word);
    i++;
  }

  joinModifiers(words);
  for (const w of words) markVictim(w);
  return { tokens, words };
}

function markToken(word: Word, t: Token): void {
  if (t.poss) merge(word.tags, POSS);
  if (t.kind === 'number') merge(word.tags, NUMBER);
  else if (t.kind === 'mention') {
    merge(word.tags, MENTION);
    if (/cllr|councillor|council|mayor|clerk/.test(word.w)) merge(word.tags, STAFF);
  }
}

/** "black" + "people" → one group word naming race; age modifiers only before plurals ("old people"). */
function joinModifiers(words: Word[]): void {
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if (b.clause !== a.clause || b.soft) continue;
    const modifier =
      (a.tags.a & COLOUR.a) !== 0 ||
      (a.tags.b & COLOUR.b) !== 0 ||
      (a.tags.a & GROUP.a) !== 0 ||
      (a.tags.b & GROUP.b) !== 0;
    if (!modifier || ((b.tags.a & PERSON.a) === 0 && (b.tags.b & PERSON.b) === 0)) continue;
    const isAge = (a.chars & AGE_BIT) !== 0 && a.chars === AGE_BIT;
    const nouns = isAge ? PLURAL_PERSON_NOUNS : PERSON_NOUNS;
    if (!nouns.has(b.w)) continue;
    const entry: Entry = {
      tags: emptyTags(),
      sev: Math.max(a.sev, b.sev),
      slur: Math.max(a.slur, b.slur),
      gw: 1, // "disabled people" names the group for certain, though "disabled" alone may not
      chars: a.chars,
      primary: a.primary,
      neutral: false,
    };
    merge(entry.tags, b.tags);
    merge(entry.tags, GROUP);
    remove(entry.tags, COLOUR);
    if (hasAll(a.tags, POSS) || hasAll(b.tags, POSS)) merge(entry.tags, POSS);
    mergeEntry(entry, { ...entry, chars: b.chars, primary: b.primary, tags: emptyTags() });
    words[i] = {
      ...a,
      w: `${a.w}_${b.w}`,
      end: b.end,
      tags: entry.tags,
      sev: entry.sev,
      slur: entry.slur,
      gw: entry.gw,
      chars: entry.chars,
      primary: entry.primary,
      quoted: a.quoted && b.quoted,
    };
    words.splice(i + 1, 1);
  }
}

function markVictim(w: Word): void {
  const t = w.tags;
  if ((t.a & VICTIM_FROM.a) === 0 && (t.b & VICTIM_FROM.b) === 0) return;
  // "destroy islam" attacks a belief: hateful, perhaps, but nobody to hurt.
  if (ABSTRACT.has(w.w) && (t.a & PERSON.a) === 0 && (t.b & PERSON.b) === 0) return;
  // "kill the rats" is pest control: insults that also name animals or things are not people.
  const onlyInsult = (t.a & VICTIM_FROM.a & ~INSULT.a) === 0 && (t.b & VICTIM_FROM.b & ~INSULT.b) === 0;
  if (onlyInsult && (NOT_PEOPLE.has(w.w) || w.sev < 0.8)) return;
  t.a |= VICTIM.a;
  t.b |= VICTIM.b;
}
