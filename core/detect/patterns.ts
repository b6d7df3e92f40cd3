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

/**
 * A step every match passes through can only match if the message has one of the step's exact
 * words, or a word with all the tags of one of its other alternatives. Tested against the whole
 * message (its words, and the union of its words' tags), so it never rejects a message the step
 * could match.
 */
interface StepNeed {
  /** Id of the list of the step's exact words (see registerLiteralList), or -1 if it has none. */
  words: number;
  /** The tags of each alternative that is not an exact word. */
  tagAlts: TagSet[];
}

export interface CompiledSteps {
  steps: Step[];
  /** Tags every match needs somewhere in the message: the cheapest test, tried first. */
  needsAll: TagSet;
  /** What each step every match passes through needs: tested before any search. */
  needs: StepNeed[];
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
  const needs: StepNeed[] = [];
  for (const s of steps) {
    if (s.kind !== 'match' || s.optional) continue;
    const tagAlts = s.alts.filter((a) => a.word === undefined).map((a) => a.pos);
    // An alternative of nothing but exclusions ("!POSS") can match almost any word: no test.
    if (tagAlts.some((t) => t.a === 0 && t.b === 0)) continue;
    const words = s.alts.filter((a) => a.word !== undefined).map((a) => a.word!);
    if (words.length === 0) {
      // Tags every alternative needs are needed outright.
      const common = { a: ~0, b: ~0 };
      for (const t of tagAlts) {
        common.a &= t.a;
        common.b &= t.b;
      }
      merge(needsAll, common);
      if (tagAlts.length === 1) continue;
    }
    needs.push({ words: words.length > 0 ? registerLiteralList(words) : -1, tagAlts });
  }
  const compiled: CompiledSteps = {
    steps,
    needsAll,
    needs,
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
  /** A bit per literal list (32 to an element), set where the message has a word of that list. */
  lists: number[];
}

export function indexMessage(words: Word[]): MessageIndex {
  let a = 0;
  let b = 0;
  const lists = new Array<number>((literalListCount + 31) >>> 5).fill(0);
  for (const w of words) {
    a |= w.tags.a;
    b |= w.tags.b;
    const ids = LISTS_OF_WORD.get(w.w);
    if (ids) for (const id of ids) lists[id >>> 5]! |= 1 << (id & 31);
  }
  return { tags: { a, b }, lists };
}

/** Does the message have what every match of these steps needs? A cheap test before any search. */
export function mayMatch(c: CompiledSteps, message: MessageIndex): boolean {
  const ta = message.tags.a;
  const tb = message.tags.b;
  if ((ta & c.needsAll.a) !== c.needsAll.a || (tb & c.needsAll.b) !== c.needsAll.b) return false;
  for (const need of c.needs) {
    const id = need.words;
    if (id >= 0 && ((message.lists[id >>> 5]! >>> (id & 31)) & 1) === 1) continue;
    let found = false;
    for (const t of need.tagAlts) {
      if ((ta & t.a) === t.a && (tb & t.b) === t.b) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
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
  /** Rules by trigger key (see triggerKeys), and the rules that have none. */
  private readonly byTrigger: number[][];
  private readonly untriggered: number[] = [];

  constructor(private readonly rules: readonly CompiledSteps[]) {
    this.everywhere = rules.map(() => false);
    // Dense from the start: an array filled here and there would be kept as a slower dictionary.
    this.byTrigger = Array.from({ length: TRIGGER_LISTS + literalListCount }, () => []);
    rules.forEach((c, r) => {
      const keys = triggerKeys(c);
      if (keys) for (const k of keys) this.byTrigger[k]!.push(r);
      else this.untriggered.push(r);
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

  /**
   * The rules whose quick test (mayMatch) the message passes, in the rules' order. Only the rules
   * woken by one of the message's trigger keys are tested: most comments wake a handful of them.
   */
  mayMatchSome(message: MessageIndex): number[] {
    const woken: Woken = { tested: [], alive: [] };
    this.wake(this.untriggered, message, woken);
    this.wakeBits(message.tags.a, 0, message, woken);
    this.wakeBits(message.tags.b, 30, message, woken);
    const lists = message.lists;
    for (let i = 0; i < lists.length; i++) this.wakeBits(lists[i]!, TRIGGER_LISTS + 32 * i, message, woken);
    return woken.alive.length > 1 ? woken.alive.sort((x, y) => x - y) : woken.alive;
  }

  /** Wakes the rules triggered by each set bit of `bits`, bit 0 being key `offset`. */
  private wakeBits(bits: number, offset: number, message: MessageIndex, woken: Woken): void {
    while (bits !== 0) {
      const low = bits & -bits;
      bits ^= low;
      this.wake(this.byTrigger[offset + 31 - Math.clz32(low)], message, woken);
    }
  }

  private wake(rules: number[] | undefined, message: MessageIndex, woken: Woken): void {
    if (!rules) return;
    for (const r of rules) {
      if (woken.tested.includes(r)) continue;
      woken.tested.push(r);
      if (mayMatch(this.rules[r]!, message)) woken.alive.push(r);
    }
  }

  /** Matches for each rule, in the rules' order; null when no rule matched at all. */
  matchAll(words: Word[], message: MessageIndex): Match[][] | null {
    const rules = this.rules;
    const n = rules.length;
    const some = this.mayMatchSome(message);
    if (some.length === 0) return null;
    const alive = new Array<boolean>(n).fill(false);
    for (const r of some) alive[r] = true;
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
    let anyFound = false;
    for (let r = 0; r < n; r++) {
      if (!alive[r]) out[r] = NONE;
      else if (this.everywhere[r]) out[r] = matchFrom(rules[r]!, words, allIndices(words.length));
      else {
        const list = starts[r];
        out[r] = list ? matchFrom(rules[r]!, words, list) : NONE;
      }
      if (out[r] !== NONE) anyFound = true;
    }
    return anyFound ? out : null;
  }
}

/** Trigger keys: tag bits are 0..59, literal list `id` is TRIGGER_LISTS + id. */
const TRIGGER_LISTS = 60;

/**
 * Keys one of which the message must have for the steps to match: those of one need (the tags
 * needed outright count one key each). The need with fewest keys is taken, and exact words before
 * tags, as the rarer. Null when the steps need nothing.
 */
function triggerKeys(c: CompiledSteps): number[] | null {
  const options: number[][] = [];
  for (let k = 0; k < 60; k++) {
    const has = k < 30 ? (c.needsAll.a >>> k) & 1 : (c.needsAll.b >>> (k - 30)) & 1;
    if (has) options.push([k]);
  }
  for (const need of c.needs) {
    const keys: number[] = need.words >= 0 ? [TRIGGER_LISTS + need.words] : [];
    // An alternative needs each of its tags; its lowest will do.
    for (const t of need.tagAlts)
      keys.push(t.a !== 0 ? 31 - Math.clz32(t.a & -t.a) : 61 - Math.clz32(t.b & -t.b));
    options.push(keys);
  }
  let best: number[] | null = null;
  for (const keys of options) {
    const words = keys[0]! >= TRIGGER_LISTS;
    if (!best || keys.length < best.length || (keys.length === best.length && words)) best = keys;
  }
  return best;
}

/** The rules a message has woken so far (a handful), and those whose quick test it passed. */
interface Woken {
  tested: number[];
  alive: number[];
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
