// What a comment says: threats, hate, abuse, doxxing, self-harm and plain swearing, each with a
// score, the words that caused it (offsets into the original text), a plain-English reason and the
// offences it may amount to. Pure and synchronous: no I/O, no clock; thresholds are passed in.
// It never decides what happens to the comment — core/decide.ts does, with an officer where policy says.
import { ValidationFailed } from '../errors';
import { CONTACT_WORDS, findContactDetails, RESIDENCE_WORDS, type ContactDetail } from './doxxing';
import { charsOf, LEXICON } from './lexicon';
import { offencesFor } from './offences';
import {
  findMatches,
  indexMessage,
  isPartStart,
  labelled,
  labelledIndex,
  type MessageIndex,
  type Match,
  type Word,
} from './patterns';
import { findProfanity, mayBeProfane, unmask } from './profanity';
import { RULES, type FlagRule } from './rules';
import { bit, hasAll, hasAny, merge, remove, tagsOf, type TagSet } from './tags';
import {
  CHARACTERISTIC_LABELS,
  CHARACTERISTICS,
  DEFAULT_THRESHOLDS,
  DETECT_CATEGORIES,
  type Assessment,
  type AssessOptions,
  type DetectCategory,
  type Flag,
  type Span,
  type Thresholds,
} from './types';
import { readComment } from './words';
import type { Token } from './normalise';

/** Changes when rules, lexicons or scoring change, so a stored assessment can be reproduced. */
export const DETECTOR_VERSION = 'detect-2026.11.2';

const NEGATORS = tagsOf(['NEG', 'ANTI']);
const REPORTING = tagsOf(['REPORT', 'HELP']);
const GROUPISH = tagsOf(['GROUP', 'SLUR', 'COLOUR']);
const PERSON_TARGETS = tagsOf(['YOU', 'THIRD', 'PERSON', 'STAFF', 'NAME', 'MENTION', 'YOUR']);
const FAMILY = bit('FAMILY');
const THIRD = bit('THIRD');
const DEHUMAN = bit('DEHUMAN');
const SLUR = bit('SLUR');
const LIST_WORDS = tagsOf(['PERSON', 'FILLER', 'ALL', 'STAFF', 'GROUP', 'COLOUR', 'INSULT']);
const ABOUT_SOMEONE = tagsOf(['THIRD', 'STAFF', 'NAME', 'MENTION', 'YOU', 'YOUR']);
const PERSON_POSSESSIVE = new Set(['his', 'her', 'their', 'your']);
const OWN = new Set(['my', 'our', 'me', 'us']);
const PLURAL_THIRD = new Set(['they', 'them', 'em', 'themselves', 'both', 'both_of_them']);

/** Negated statements ("I would never hurt anyone") keep this much of their score. */
const NEGATED = 0.15;
/** Words inside quotation marks may be someone else's: the writer may be quoting or reporting. */
const QUOTED = 0.5;
const QUOTED_AND_REPORTED = 0.25;
/** A second, different rule agreeing adds a little confidence. */
const AGREEMENT_BONUS = 0.04;

interface Hit {
  ruleId: string;
  category: DetectCategory;
  score: number;
  /** Word indices [first, last] of the words that matched. */
  first: number;
  last: number;
  reason: string;
  serious: boolean;
  personTarget: boolean;
  /** Hate only: characteristics named. */
  chars: number;
  primary: number;
  /** The word the match is aimed at, or -1. */
  targetIndex: number;
}

export function checkedThresholds(options?: AssessOptions): Thresholds {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [k, v] of Object.entries(options?.thresholds ?? {})) {
    if (!(DETECT_CATEGORIES as readonly string[]).includes(k))
      throw new ValidationFailed(`thresholds.${k}`, `There is no detector category called "${k}".`);
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new ValidationFailed(`thresholds.${k}`, `The ${k} threshold must be a number from 0 to 1.`);
    t[k as DetectCategory] = v;
  }
  return t;
}

/** Assess one comment. `text` is the comment exactly as written; spans index into it. */
export function assessContent(text: string, options?: AssessOptions): Assessment {
  const thresholds = checkedThresholds(options);
  const { tokens, words } = readComment(text);

  const message = indexMessage(words);
  untag(words, message);
  const clauses = tagUnions(words);
  // Untagging changed word classes, not words: only the message's classes need recounting.
  message.tags = unionOfClauses(clauses);
  const hits: Hit[] = [];
  // Most comments give no rule anything to work on: each rule's quick test rejects them.
  const matches = RULES.flagIndex.matchAll(words, message);
  if (matches) {
    const factors = suppressionFactors(words, message);
    for (let r = 0; r < matches.length; r++) {
      const rule = RULES.flag[r]!;
      for (const m of matches[r]!) collectHit(rule, m, words, clauses, message.tags, factors, hits);
    }
  }
  echoBrackets(text, hits, words);
  threatsAgainstGroupsAreHate(hits, words);

  const flags: Flag[] = [];
  const threatening = hits.some((h) => h.category === 'threat' && h.score >= thresholds.threat);
  for (const category of ['threat', 'hate', 'abuse', 'selfharm'] as const) {
    const flag = combine(
      text,
      category,
      hits.filter((h) => h.category === category),
      thresholds[category],
      words,
      threatening,
    );
    if (flag) flags.push(flag);
  }
  const doxxing = doxxingFlag(text, words, hits, thresholds.doxxing);
  if (doxxing) flags.push(doxxing);
  if (!flags.some((f) => f.category === 'threat' || f.category === 'hate' || f.category === 'abuse')) {
    const swearing = profanityFlag(text, tokens, thresholds.profanity);
    if (swearing) flags.push(swearing);
  }
  flags.sort((a, b) => b.score - a.score);
  return { flags, mayBeOffence: flags.some((f) => f.offences.length > 0), detectorVersion: DETECTOR_VERSION };
}

// ---------------------------------------------------------------------------------------------

/**
 * Untag rules, one at a time: a later rule sees what an earlier one changed in the words. Each
 * rule's quick test reads the message as it was read, before any untagging.
 */
function untag(words: Word[], message: MessageIndex): void {
  const rules = RULES.untag;
  for (const r of RULES.untagIndex.mayMatchSome(message)) {
    const rule = rules[r]!;
    for (const m of findMatches(rule.steps, words, message)) {
      const w = words[labelledIndex(rule.steps, m, rule.at)];
      if (!w) continue;
      remove(w.tags, rule.clear);
      merge(w.tags, rule.add);
    }
  }
}

function tagUnions(words: Word[]): TagSet[] {
  const out: TagSet[] = [];
  for (const w of words) {
    const u = out[w.clause] ?? (out[w.clause] = { a: 0, b: 0 });
    u.a |= w.tags.a;
    u.b |= w.tags.b;
  }
  for (let i = 0; i < out.length; i++) out[i] ??= { a: 0, b: 0 };
  return out;
}

interface Suppression {
  from: number;
  to: number;
  factor: number;
}
function unionOfClauses(clauses: TagSet[]): TagSet {
  let a = 0;
  let b = 0;
  for (const c of clauses) {
    a |= c.a;
    b |= c.b;
  }
  return { a, b };
}

type Factors = Map<DetectCategory, Suppression[]>;

function suppressionFactors(words: Word[], message: MessageIndex): Factors {
  const factors: Factors = new Map();
  const matches = RULES.suppressIndex.matchAll(words, message);
  if (!matches) return factors;
  for (let r = 0; r < RULES.suppress.length; r++) {
    const rule = RULES.suppress[r]!;
    for (const m of matches[r]!) {
      const clause = words[m.start]!.clause;
      let from = rule.after ? m.start : clauseStart(words, clause);
      let to = rule.scope === 'following' ? clauseEnd(words, clause + 1) : clauseEnd(words, clause);
      if (rule.scope === 'message') {
        from = 0;
        to = words.length - 1;
      }
      for (const c of rule.categories) {
        const list = factors.get(c) ?? [];
        list.push({ from, to, factor: rule.factor });
        factors.set(c, list);
      }
    }
  }
  return factors;
}

function clauseStart(words: Word[], c: number): number {
  return words.findIndex((w) => w.clause === c);
}

function clauseEnd(words: Word[], c: number): number {
  let k = words.length - 1;
  while (k >= 0 && words[k]!.clause > c) k--;
  return k;
}

function suppressionAt(factors: Factors, category: DetectCategory, word: number): number {
  let f = 1;
  for (const s of factors.get(category) ?? []) if (word >= s.from && word <= s.to) f = Math.min(f, s.factor);
  return f;
}

function wordText(w: Word | undefined): string {
  if (!w) return '';
  return w.w.includes('_') ? w.w.replace(/_/g, ' ') : w.w;
}

/** Reason templates split once into text and {placeholder} names: odd elements are names. */
const REASON_PARTS = new Map<string, string[]>();

function fillReason(template: string, values: Record<string, string>): string {
  let parts = REASON_PARTS.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    REASON_PARTS.set(template, parts);
  }
  let filled = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) filled += (values[parts[i]!] ?? '') + parts[i + 1]!;
  return filled.replace(/\s+/g, ' ').trim();
}

function characteristicOf(
  rule: FlagRule,
  target: Word | undefined,
  words: Word[],
  first: number,
  last: number,
) {
  if (rule.characteristic) {
    const i = CHARACTERISTICS.indexOf(rule.characteristic);
    return { chars: 1 << i, primary: i };
  }
  if (target && target.chars !== 0) return { chars: target.chars, primary: target.primary };
  for (let i = first; i <= last; i++) {
    const w = words[i]!;
    if (w.chars !== 0 && hasAny(w.tags, GROUPISH)) return { chars: w.chars, primary: w.primary };
  }
  return { chars: 0, primary: -1 };
}

/** Is there a "not", "never", "no one", "stop" shortly before the anchor word, in the same part? */
function isNegated(words: Word[], m: Match, anchor: number): boolean {
  const own = new Set(m.at);
  const stop = Math.max(0, m.start - 2);
  for (let j = anchor - 1; j >= stop; j--) {
    const w = words[j]!;
    if (w.clause !== words[anchor]!.clause) break;
    if (!own.has(j) || j < m.start) {
      if (hasAny(w.tags, NEGATORS)) return true;
    }
    if (isPartStart(words, j)) break;
  }
  return false;
}

function collectHit(
  rule: FlagRule,
  m: Match,
  words: Word[],
  clauses: TagSet[],
  messageTags: TagSet,
  factors: Factors,
  hits: Hit[],
): void {
  let first = -1;
  let last = -1;
  for (const i of m.at) {
    if (i < 0) continue;
    if (first < 0 || i < first) first = i;
    if (i > last) last = i;
  }
  if (first < 0) return;
  const clause = words[first]!.clause;
  if (rule.requires && !hasAny(clauses[clause]!, rule.requires)) return;

  const harm = labelled(rule.steps, m, words, 'harm');
  const insult = labelled(rule.steps, m, words, 'insult');
  const target = labelled(rule.steps, m, words, 'target');
  if (rule.minSev > 0 && (harm?.sev ?? 0) < rule.minSev) return;

  let weight = 1;
  if (harm && harm.sev > 0) weight *= harm.sev;
  // Against a protected group even a mild word ("a joke") is hostile; elsewhere the word's strength counts.
  if (insult && insult.sev > 0 && !hasAny(insult.tags, GROUPISH) && !hasAll(insult.tags, SLUR))
    weight *= rule.category === 'hate' ? Math.max(0.8, insult.sev) : insult.sev;
  if (insult && hasAll(insult.tags, SLUR)) weight *= insult.slur;
  // How surely a word names a protected group (or how strong a slur it is) matters for hate, not for
  // whether a threat is a threat.
  let groupWeight = 1;
  if (target && hasAll(target.tags, SLUR)) groupWeight = target.slur;
  else if (target && hasAny(target.tags, GROUPISH) && target.gw > 0) groupWeight = target.gw;

  let factor = 1;
  if (rule.negatable) {
    const anchorIdx =
      labelledIndex(rule.steps, m, 'harm') >= 0
        ? labelledIndex(rule.steps, m, 'harm')
        : labelledIndex(rule.steps, m, 'insult') >= 0
          ? labelledIndex(rule.steps, m, 'insult')
          : last;
    if (isNegated(words, m, anchorIdx)) factor *= NEGATED;
  }
  let allQuoted = true;
  for (let i = first; i <= last; i++) if (!words[i]!.quoted) allQuoted = false;
  if (allQuoted) factor *= hasAny(messageTags, REPORTING) ? QUOTED_AND_REPORTED : QUOTED;

  let { chars, primary } = characteristicOf(rule, target, words, first, last);
  let targetText = wordText(target);
  // "They are animals", "deport these leeches": hate names a group, so look back for the group the
  // pronoun or the dehumanising noun stands for. Only a plural pronoun can stand for a group; "she is
  // racist" is about one person.
  const standsForGroup =
    target !== undefined &&
    ((hasAll(target.tags, THIRD) && PLURAL_THIRD.has(target.w)) || hasAll(target.tags, DEHUMAN));
  if (rule.category === 'hate' && chars === 0 && target && standsForGroup) {
    const antecedent = groupBefore(words, first);
    if (antecedent) {
      chars = antecedent.chars;
      primary = antecedent.primary;
      targetText = `${wordText(target)} (${wordText(antecedent)})`;
      weight *= 0.9;
    }
  }
  const characteristic =
    primary >= 0 ? CHARACTERISTIC_LABELS[CHARACTERISTICS[primary]!] : 'a protected characteristic';
  const reason = fillReason(rule.reason, {
    harm: wordText(harm),
    insult: wordText(insult),
    target: targetText || 'someone',
    characteristic,
  });
  const personTarget = target !== undefined && hasAny(target.tags, PERSON_TARGETS);

  const targetIndex = labelledIndex(rule.steps, m, 'target');
  // The rule's own category first, then each it also counts as.
  for (let k = -1; k < rule.also.length; k++) {
    const [category, base] = k < 0 ? [rule.category, rule.score] : rule.also[k]!;
    if (category === 'hate' && chars === 0) continue; // hate names the characteristic, or it is not hate
    const suppressed = suppressionAt(factors, category, first);
    hits.push({
      ruleId: rule.id,
      category,
      score: base * weight * (category === 'hate' ? groupWeight : 1) * factor * suppressed,
      first,
      last,
      reason,
      serious: rule.serious,
      personTarget,
      chars: category === 'hate' ? chars : 0,
      primary: category === 'hate' ? primary : -1,
      targetIndex,
    });
  }
}

/** "(((them)))": the antisemitic echo around a name or group. */
function echoBrackets(text: string, hits: Hit[], words: Word[]): void {
  const m = /\({3}\s*[^()\n]{1,40}?\s*\){3}/.exec(text);
  if (!m) return;
  const start = m.index;
  const end = start + m[0].length;
  const first = words.findIndex((w) => w.end > start);
  if (first < 0) return;
  let last = first;
  while (last + 1 < words.length && words[last + 1]!.start < end) last++;
  const religion = CHARACTERISTICS.indexOf('religion');
  hits.push({
    ruleId: 'hate.echo-brackets',
    category: 'hate',
    score: 0.8,
    first,
    last,
    reason: "Uses antisemitic 'echo' brackets around a name or group",
    serious: false,
    personTarget: false,
    chars: 1 << religion,
    primary: religion,
    targetIndex: -1,
  });
}

/** The nearest group named before word `i`, in this sentence or the two before it. */
function groupBefore(words: Word[], i: number): Word | undefined {
  const clause = words[i]?.clause ?? 0;
  for (let j = i - 1; j >= 0; j--) {
    const w = words[j]!;
    if (w.clause < clause - 2) break;
    if (w.chars !== 0 && hasAny(w.tags, GROUPISH) && !LEXICON.abstract.has(w.w)) return w;
  }
  return undefined;
}

/** Policy: violence threatened against a protected group is also reported as hate crime. */
function threatsAgainstGroupsAreHate(hits: Hit[], words: Word[]): void {
  const extra: Hit[] = [];
  for (const h of hits) {
    if (h.category !== 'threat') continue;
    let group: Word | undefined;
    let weight = 0.95;
    for (let i = h.first; i <= h.last && !group; i++) {
      const w = words[i]!;
      if (w.chars !== 0 && hasAny(w.tags, GROUPISH)) group = w;
    }
    // "…kill reporters, politicians, and Asians": the rest of a list of targets.
    for (let i = h.last + 1; i < words.length && i <= h.last + 6 && !group; i++) {
      const w = words[i]!;
      if (w.clause !== words[h.last]!.clause) break;
      if (w.chars !== 0 && hasAny(w.tags, GROUPISH)) group = w;
      else if (!hasAny(w.tags, LIST_WORDS)) break;
    }
    // "Kill them all", said of a group named just before.
    if (!group) {
      group = groupBefore(words, h.first);
      weight = 0.85;
    }
    if (!group) continue;
    const label = CHARACTERISTIC_LABELS[CHARACTERISTICS[group.primary]!];
    extra.push({
      ...h,
      ruleId: 'hate.threat-against-group',
      category: 'hate',
      score: h.score * weight,
      reason: `Threatens violence against ${wordText(group)} (${label})`,
      chars: group.chars,
      primary: group.primary,
    });
  }
  hits.push(...extra);
}

function span(text: string, start: number, end: number): Span {
  return { start, end, text: text.slice(start, end) };
}

function mergeSpans(spans: Span[], text: string): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && s.start <= prev.end) {
      if (s.end > prev.end) out[out.length - 1] = span(text, prev.start, s.end);
    } else out.push(s);
  }
  return out;
}

function combine(
  text: string,
  category: DetectCategory,
  hits: Hit[],
  threshold: number,
  words: Word[],
  threatening: boolean,
): Flag | null {
  if (hits.length === 0) return null;
  hits.sort((a, b) => b.score - a.score);
  const best = hits[0]!;
  const strong = hits.filter((h) => h.score >= Math.min(threshold, best.score) * 0.6);
  const rules = [...new Set(strong.map((h) => h.ruleId))];
  const score = Math.min(0.99, best.score + AGREEMENT_BONUS * (rules.length - 1));
  if (score < threshold) return null;

  const reasons = [...new Set(strong.map((h) => h.reason))].slice(0, 2);
  const spans = mergeSpans(
    strong.map((h) => span(text, words[h.first]!.start, words[h.last]!.end)),
    text,
  );
  let chars = 0;
  for (const h of strong) chars |= h.chars;
  const targets = charsOf(chars);
  const flag: Flag = {
    category,
    score: Math.round(score * 100) / 100,
    spans,
    reason: reasons.join('; '),
    offences: offencesFor({
      category,
      score,
      seriousThreatToPerson: strong.some((h) => h.serious && h.personTarget && h.score >= threshold),
      characteristics: targets,
      threatening,
    }),
    rules,
  };
  if (category === 'hate' && best.primary >= 0) {
    flag.target = CHARACTERISTICS[best.primary]!;
    flag.targets = targets;
  }
  return flag;
}

function doxxingFlag(text: string, words: Word[], hits: Hit[], threshold: number): Flag | null {
  const ruleHits = hits.filter((h) => h.category === 'doxxing');
  const contacts = findContactDetails(text);
  if (contacts.length > 0) {
    // Only the sentences that hold the details say whose they are.
    const clausesWithDetails = new Set(words.filter((w) => inContact(w, contacts)).map((w) => w.clause));
    const outside = words.filter((w) => !inContact(w, contacts) && clausesWithDetails.has(w.clause));
    const hasAddress = contacts.some((c) => c.kind === 'address' || c.kind === 'postcode');
    const hasNumber = contacts.some((c) => c.kind === 'phone' || c.kind === 'email');
    // An address is personal when it is where someone lives; a number or e-mail when it is someone's.
    const context = outside.filter(
      (w) =>
        (hasAddress && somePartIn(w, RESIDENCE_WORDS)) ||
        (hasNumber && somePartIn(w, CONTACT_WORDS)) ||
        hasAny(w.tags, FAMILY),
    );
    const aboutSomeone = outside.some(
      (w) => hasAny(w.tags, ABOUT_SOMEONE) || somePartIn(w, PERSON_POSSESSIVE),
    );
    // "my number is…", "call me on…", "our flat": the writer's own details are not doxxing.
    const own = outside.some((w, i) => {
      if (!OWN.has(firstPart(w)) && !OWN.has(w.w)) return false;
      for (let k = Math.max(0, i - 2); k <= i + 2; k++)
        if (k !== i && context.includes(outside[k]!)) return true;
      return context.includes(w);
    });
    let score = context.length > 0 && aboutSomeone ? 0.85 : context.length > 0 ? 0.45 : 0.25;
    if (own) score *= 0.3;
    const kinds = [...new Set(contacts.map((c: ContactDetail) => c.kind))];
    const first = words.findIndex((w) => w.end > contacts[0]!.start);
    ruleHits.push({
      ruleId: 'doxxing.contact-details',
      category: 'doxxing',
      score,
      first: Math.max(0, first),
      last: Math.max(0, first),
      reason: `Publishes personal contact details (${kinds.join(', ')})`,
      serious: false,
      personTarget: aboutSomeone,
      chars: 0,
      primary: -1,
      targetIndex: -1,
    });
    const flag = combine(text, 'doxxing', ruleHits, threshold, words, false);
    if (!flag) return null;
    const contactSpans = contacts.map((c) => span(text, c.start, c.end));
    const contextSpans = context.map((w) => span(text, w.start, w.end));
    flag.spans = mergeSpans([...contactSpans, ...contextSpans, ...flag.spans], text);
    return flag;
  }
  return combine(text, 'doxxing', ruleHits, threshold, words, false);
}

function inContact(w: Word, contacts: ContactDetail[]): boolean {
  return contacts.some((c) => w.start < c.end && w.end > c.start);
}

/** Is any word of a joined phrase ("his_number") in the set? */
function somePartIn(w: Word, set: ReadonlySet<string>): boolean {
  if (!w.w.includes('_')) return set.has(w.w);
  return w.w.split('_').some((p) => set.has(p));
}

function firstPart(w: Word): string {
  const cut = w.w.indexOf('_');
  return cut < 0 ? w.w : w.w.slice(0, cut);
}

function profanityFlag(text: string, tokens: Token[], threshold: number): Flag | null {
  // Read the normalised words, so "f.u.c.k" and "ｆｕｃｋ" are seen as written underneath.
  const plain: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'mention' || t.kind === 'url' || t.kind === 'email') plain.push(' ');
    else plain.push(t.w.includes('*') ? (unmask(t.w) ?? t.w) : t.w); // only a starred word is masked
  }
  const normalised = plain.join(' ');
  if (!mayBeProfane(plain, normalised)) return null;
  const at: number[] = [];
  plain.forEach((w, i) => {
    for (let k = 0; k <= w.length; k++) at.push(i);
  });
  const found = findProfanity(normalised);
  if (found.length === 0) return null;
  const spans: Span[] = [];
  const wordsFound = new Set<string>();
  for (const f of found) {
    const a = tokens[at[f.start]!]!;
    const b = tokens[at[f.end - 1]!]!;
    spans.push(span(text, a.start, b.end));
    if (f.word) wordsFound.add(f.word);
  }
  const score = Math.min(0.95, 0.6 + 0.1 * (found.length - 1));
  if (score < threshold) return null;
  return {
    category: 'profanity',
    score: Math.round(score * 100) / 100,
    spans: mergeSpans(spans, text),
    reason: `Contains swearing (${[...wordsFound].map((w) => `'${w}'`).join(', ')})`,
    offences: [],
    rules: ['profanity.obscenity'],
  };
}
