// The small rule language the detector's rules are written in (data/rules.json), and its matcher.
// A rule is a sequence of steps over tagged words, e.g. "SELF INTENT ~2 HARM@harm ~3{FILLER} VICTIM@target":
//   TAG / word      a word with that class, or that exact word (phrases are joined with _)
//   A|B, A&B, A&!B  either, both, and not
//   STEP?           optional;  STEP@label  remembers the word (harm, insult, target...)
//   ~N, ~N{A|B}     skip up to N words (only words matching A|B when given)
//   ^ / $           the start / end of a sentence or of a comma-separated part of one
//   -A|B            the next word (if any in this part) is not A or B; matches no word itself
// Pure: compiles once at load, then only reads the words it is given.
import { isTagName, tagsOf, emptyTags, merge, type TagName, type TagSet } from './tags';

/** A word of the comment after lookup: what the rules match against. */
export interface Word {
  w: string;
  start: number;
  end: number;
  clause: number;
  soft: boolean;
  quoted: boolean;
  tags: TagSet;
  sev: number;
  slur: number;
  gw: number;
  chars: number;
  primary: number;
}

interface Atom {
  pos: TagSet;
  neg: TagSet;
  word?: string;
  notWords: string[];
}

type Step =
  | { kind: 'match'; alts: Atom[]; optional: boolean; label?: string }
  | { kind: 'notNext'; alts: Atom[] }
  | { kind: 'gap'; max: number; allow?: Atom[] }
  | { kind: 'start' }
  | { kind: 'end' };

export interface CompiledSteps {
  steps: Step[];
  /** Tags every match needs somewhere in the message: a cheap test before trying each word. */
  needsAll: TagSet;
  needsAnyOf: TagSet[];
  /** Steps made only of exact words: the message must contain one of each list (ids of LITERAL_LISTS). */
  needsWordLists: number[];
  /** The first step, when it must match the first word of a match: tested before any search. */
  firstAlts?: Atom[];
  /** The first step's exact words, or the tags one of which it needs: a quick rejection. */
  firstWords?: Set<string>;
  firstAnyTags?: TagSet;
  startsAtPart: boolean;
  /** Index of each label's step. */
  labels: Map<string, number>;
}

function parseAtom(text: string, where: string): Atom {
  const atom: Atom = { pos: emptyTags(), neg: emptyTags(), notWords: [] };
  for (const part of text.split('&')) {
    const negated = part.startsWith('!');
    const name = negated ? part.slice(1) : part;
    if (name === '') throw new Error(`${where}: empty step part in "${text}"`);
    if (/^[A-Z_]+$/.test(name)) {
      if (!isTagName(name)) throw new Error(`${where}: unknown tag ${name}`);
      merge(negated ? atom.neg : atom.pos, tagsOf([name as TagName]));
    } else if (negated) atom.notWords.push(name);
    else if (atom.word !== undefined) throw new Error(`${where}: two words in one step "${text}"`);
    else atom.word = name;
  }
  return atom;
}

function parseAlts(text: string, where: string): Atom[] {
  return text.split('|').map((a) => parseAtom(a, where));
}

export function compileSteps(source: string, where: string): CompiledSteps {
  const steps: Step[] = [];
  const labels = new Map<string, number>();
  for (const raw of source.trim().split(/\s+/)) {
    if (raw === '^') steps.push({ kind: 'start' });
    else if (raw.startsWith('-') && raw.length > 1)
      steps.push({ kind: 'notNext', alts: parseAlts(raw.slice(1), where) });
    else if (raw === '$') steps.push({ kind: 'end' });
    else if (raw.startsWith('~')) {
      const m = /^~(\d+)(?:\{(.+)\})?$/.exec(raw);
      if (!m) throw new Error(`${where}: bad gap "${raw}"`);
      const gap: Step = { kind: 'gap', max: Number(m[1]) };
      if (m[2]) gap.allow = parseAlts(m[2], where);
      steps.push(gap);
    } else {
      let text = raw;
      const optional = text.endsWith('?');
      if (optional) text = text.slice(0, -1);
      let label: string | undefined;
      const at = text.indexOf('@');
      if (at > 0) {
        label = text.slice(at + 1);
        text = text.slice(0, at);
      }
      const step: Step = { kind: 'match', alts: parseAlts(text, where), optional };
      if (label) {
        step.label = label;
        labels.set(label, steps.length);
      }
      steps.push(step);
    }
  }
  const needsAll = emptyTags();
  const needsAnyOf: TagSet[] = [];
  const needsWords: string[][] = [];
  for (const s of steps) {
    if (s.kind !== 'match' || s.optional) continue;
    if (s.alts.length === 1) merge(needsAll, s.alts[0]!.pos);
    else if (s.alts.every((a) => a.word === undefined && (a.pos.a !== 0 || a.pos.b !== 0))) {
      // Tags every alternative needs are needed outright; otherwise at least one alternative's.
      const common = { a: s.alts[0]!.pos.a, b: s.alts[0]!.pos.b };
      const any = emptyTags();
      for (const a of s.alts) {
        common.a &= a.pos.a;
        common.b &= a.pos.b;
        merge(any, a.pos);
      }
      merge(needsAll, common);
      needsAnyOf.push(any);
    }
    if (s.alts.every((a) => a.word !== undefined && a.pos.a === 0 && a.pos.b === 0)) {
      needsWords.push(s.alts.map((a) => a.word!));
    }
  }
  const compiled: CompiledSteps = {
    steps,
    needsAll,
    needsAnyOf,
    needsWordLists: needsWords.map(registerLiteralList),
    startsAtPart: false,
    labels,
  };
  const first = steps[0];
  if (first?.kind === 'match' && !first.optional) {
    compiled.firstAlts = first.alts;
    if (first.alts.every((a) => a.word !== undefined))
      compiled.firstWords = new Set(first.alts.map((a) => a.word!));
    else if (first.alts.every((a) => a.pos.a !== 0 || a.pos.b !== 0)) {
      const any = emptyTags();
      for (const a of first.alts) merge(any, a.pos);
      compiled.firstAnyTags = any;
    }
  }
  if (first?.kind === 'start') compiled.startsAtPart = true;
  return compiled;
}

// The bit tests are written out here rather than calling tags.ts: this is the innermost loop.
/** Every list of exact words some rule needs, by id; and for each word, the lists it belongs to. */
let literalListCount = 0;
const LISTS_OF_WORD = new Map<string, number[]>();

function registerLiteralList(words: string[]): number {
  const id = literalListCount++;
  for (const w of new Set(words)) {
    const ids = LISTS_OF_WORD.get(w) ?? [];
    ids.push(id);
    LISTS_OF_WORD.set(w, ids);
  }
  return id;
}

function atomMatches(a: Atom, word: Word): boolean {
  if (a.word !== undefined && a.word !== word.w) return false;
  const t = word.tags;
  if ((t.a & a.pos.a) !== a.pos.a || (t.b & a.pos.b) !== a.pos.b) return false;
  if ((t.a & a.neg.a) !== 0 || (t.b & a.neg.b) !== 0) return false;
  return a.notWords.length === 0 || !a.notWords.includes(word.w);
}

function anyMatches(alts: Atom[], word: Word): boolean {
  for (const a of alts) if (atomMatches(a, word)) return true;
  return false;
}

export function isPartStart(words: Word[], i: number): boolean {
  if (i === 0) return true;
  const w = words[i];
  const prev = words[i - 1];
  return !w || !prev || w.clause !== prev.clause || w.soft;
}

function isPartEnd(words: Word[], i: number, clause: number): boolean {
  const w = words[i];
  return !w || w.clause !== clause || w.soft;
}

/** A successful match: words [start, end) and the word index of each step (-1 when skipped). */
export interface Match {
  start: number;
  end: number;
  at: number[];
}

function run(c: CompiledSteps, words: Word[], si: number, i: number, clause: number, at: number[]): number {
  if (si === c.steps.length) return i;
  const step = c.steps[si]!;
  switch (step.kind) {
    case 'start':
      return isPartStart(words, i) ? run(c, words, si + 1, i, clause, at) : -1;
    case 'end':
      return isPartEnd(words, i, clause) ? run(c, words, si + 1, i, clause, at) : -1;
    case 'notNext': {
      const next = words[i];
      if (next && !isPartEnd(words, i, clause) && anyMatches(step.alts, next)) return -1;
      return run(c, words, si + 1, i, clause, at);
    }
    case 'gap': {
      for (let k = 0; k <= step.max; k++) {
        if (k > 0) {
          const skipped = words[i + k - 1];
          if (!skipped || skipped.clause !== clause) return -1;
          if (step.allow && !anyMatches(step.allow, skipped)) return -1;
        }
        const r = run(c, words, si + 1, i + k, clause, at);
        if (r >= 0) return r;
      }
      return -1;
    }
    case 'match': {
      const w = words[i];
      if (w && w.clause === clause && anyMatches(step.alts, w)) {
        at[si] = i;
        const r = run(c, words, si + 1, i + 1, clause, at);
        if (r >= 0) return r;
      }
      if (step.optional) {
        at[si] = -1;
        return run(c, words, si + 1, i, clause, at);
      }
      return -1;
    }
  }
}

/** What a message offers, computed once and shared by every rule. */
export interface MessageIndex {
  tags: TagSet;
  words: Set<string>;
  /** 1 where the message contains a word of that literal list. */
  lists: Uint8Array;
}

export function indexMessage(words: Word[]): MessageIndex {
  let a = 0;
  let b = 0;
  const set = new Set<string>();
  const lists = new Uint8Array(literalListCount);
  for (const w of words) {
    a |= w.tags.a;
    b |= w.tags.b;
    set.add(w.w);
    const ids = LISTS_OF_WORD.get(w.w);
    if (ids) for (const id of ids) lists[id] = 1;
  }
  return { tags: { a, b }, words: set, lists };
}

/** Does the message have what every match of these steps needs? A cheap test before any search. */
export function mayMatch(c: CompiledSteps, message: MessageIndex): boolean {
  const t = message.tags;
  if ((t.a & c.needsAll.a) !== c.needsAll.a || (t.b & c.needsAll.b) !== c.needsAll.b) return false;
  for (const any of c.needsAnyOf) if ((t.a & any.a) === 0 && (t.b & any.b) === 0) return false;
  for (const id of c.needsWordLists) if (message.lists[id] !== 1) return false;
  return true;
}

/** Matches of the steps starting at the given word indices (ascending), without overlaps. */
function matchFrom(c: CompiledSteps, words: Word[], starts: readonly number[]): Match[] {
  let found: Match[] | null = null;
  let at: number[] | null = null;
  let next = 0;
  const count = Math.min(starts.length, words.length);
  for (let k = 0; k < count; k++) {
    const i = starts[k]!;
    if (i < next) continue;
    const w = words[i]!;
    if (c.firstAlts && !anyMatches(c.firstAlts, w)) continue;
    if (c.startsAtPart && !isPartStart(words, i)) continue;
    at ??= new Array<number>(c.steps.length).fill(-1);
    const end = run(c, words, 0, i, w.clause, at);
    if (end > i) {
      (found ??= []).push({ start: i, end, at });
      at = null;
      next = end;
    } else at.fill(-1);
  }
  return found ?? NONE;
}

const INDICES: number[] = [];
/** 0, 1, … n-1 (shared; never modified by callers). */
function allIndices(n: number): number[] {
  while (INDICES.length < n) INDICES.push(INDICES.length);
  return INDICES; // callers stop at the number of words
}

/** Every non-overlapping match of the steps in the words, left to right. */
export function findMatches(c: CompiledSteps, words: Word[], message: MessageIndex): Match[] {
  if (!mayMatch(c, message)) return NONE;
  return matchFrom(c, words, allIndices(words.length));
}

/**
 * Many rules matched together. Each rule is filed under what its first word must be (an exact
 * word, or one of some tags), so a comment's words wake only the rules that could start on them.
 */
export class RuleIndex {
  private readonly byWord = new Map<string, number[]>();
  private readonly byTag: number[][] = [];
  private readonly everywhere: boolean[];

  constructor(private readonly rules: readonly CompiledSteps[]) {
    this.everywhere = rules.map(() => false);
    rules.forEach((c, r) => {
      if (c.firstWords) {
        for (const w of c.firstWords) {
          const list = this.byWord.get(w) ?? [];
          list.push(r);
          this.byWord.set(w, list);
        }
      } else if (c.firstAnyTags) {
        for (let b = 0; b < 60; b++) {
          const has = b < 30 ? (c.firstAnyTags.a >>> b) & 1 : (c.firstAnyTags.b >>> (b - 30)) & 1;
          if (has) (this.byTag[b] ??= []).push(r);
        }
      } else this.everywhere[r] = true;
    });
  }

  /** Could any rule match, if the message also had `extra` tags? A shortcut for ordinary comments. */
  anyMayMatch(message: MessageIndex, extra: TagSet): boolean {
    const widened: MessageIndex = {
      ...message,
      tags: { a: message.tags.a | extra.a, b: message.tags.b | extra.b },
    };
    for (const c of this.rules) if (mayMatch(c, widened)) return true;
    return false;
  }

  /** Matches for each rule, in the rules' order. */
  matchAll(words: Word[], message: MessageIndex): Match[][] {
    const rules = this.rules;
    const n = rules.length;
    const alive: boolean[] = new Array<boolean>(n);
    for (let r = 0; r < n; r++) alive[r] = mayMatch(rules[r]!, message);
    const starts: (number[] | undefined)[] = new Array<number[] | undefined>(n);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const byWord = this.byWord.get(w.w);
      if (byWord) for (const r of byWord) addStart(starts, alive, r, i);
      let bits = w.tags.a;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const list = this.byTag[31 - Math.clz32(low)];
        if (list) for (const r of list) addStart(starts, alive, r, i);
      }
      bits = w.tags.b;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const list = this.byTag[61 - Math.clz32(low)];
        if (list) for (const r of list) addStart(starts, alive, r, i);
      }
    }
    const out: Match[][] = new Array<Match[]>(n);
    for (let r = 0; r < n; r++) {
      if (!alive[r]) out[r] = NONE;
      else if (this.everywhere[r]) out[r] = matchFrom(rules[r]!, words, allIndices(words.length));
      else {
        const list = starts[r];
        out[r] = list ? matchFrom(rules[r]!, words, list) : NONE;
      }
    }
    return out;
  }
}

function addStart(starts: (number[] | undefined)[], alive: boolean[], r: number, i: number): void {
  if (!alive[r]) return;
  const list = starts[r];
  if (!list) starts[r] = [i];
  else if (list[list.length - 1] !== i) list.push(i);
}

const NONE: Match[] = [];

/** The word a labelled step matched, if it matched one. */
export function labelled(c: CompiledSteps, m: Match, words: Word[], label: string): Word | undefined {
  const si = c.labels.get(label);
  if (si === undefined) return undefined;
  const idx = m.at[si];
  return idx === undefined || idx < 0 ? undefined : words[idx];
}

export function labelledIndex(c: CompiledSteps, m: Match, label: string): number {
  const si = c.labels.get(label);
  if (si === undefined) return -1;
  return m.at[si] ?? -1;
}
