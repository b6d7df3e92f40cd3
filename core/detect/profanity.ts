// Swearing, found with the `obscenity` library's English word list and its matcher. Slurs are left
// to the hate rules and clinical or sexual-health words are removed from the list: "sex education"
// on a council page is not profanity.
import {
  DataSet,
  englishDataset,
  englishRecommendedTransformers,
  parseRawPattern,
  RegExpMatcher,
  SyntaxKind,
  type Node,
} from 'obscenity';
import { z } from 'zod';
import profanityData from './data/profanity.json';

const schema = z.object({
  about: z.string(),
  removeFromObscenity: z.array(z.string()),
  add: z.array(z.object({ word: z.string(), pattern: z.string() })),
  maskable: z.array(z.string().min(2)),
});
const data = schema.parse(profanityData);
const removed = new Set(data.removeFromObscenity);

const dataset = new DataSet<{ originalWord: string }>()
  .addAll(englishDataset)
  .removePhrasesIf((p) => removed.has(p.metadata?.originalWord ?? ''));
for (const extra of data.add) {
  dataset.addPhrase((p) =>
    p.setMetadata({ originalWord: extra.word }).addPattern(parseRawPattern(extra.pattern)),
  );
}
const built = dataset.build();
const matcher = new RegExpMatcher({ ...built, ...englishRecommendedTransformers });

function gateSource(node: Node): string {
  switch (node.kind) {
    case SyntaxKind.Literal:
      return node.chars
        .map((c) => {
          const s = String.fromCodePoint(c);
          return (/[\\^$.*+?()[\]{}|]/.test(s) ? '\\' + s : s) + '+';
        })
        .join('');
    case SyntaxKind.Optional:
      return `(?:${gateSource(node.childNode)})?`;
    case SyntaxKind.Wildcard:
      return '.';
    default:
      return '';
  }
}

/**
 * One regular expression that matches wherever any listed word could: a quick test that lets most
 * comments skip the full matcher (which runs one expression per word). Letters may repeat, so it
 * is never stricter than the matcher's collapse of repeated letters.
 */
const gateSourceText = built.blacklistedTerms
  .map((t) => {
    const body = t.pattern.nodes.map(gateSource).join('');
    return `${t.pattern.requireWordBoundaryAtStart ? '\\b' : ''}${body}${t.pattern.requireWordBoundaryAtEnd ? '\\b' : ''}`;
  })
  .join('|');
const gate = new RegExp(gateSourceText);
const gateAll = new RegExp(gateSourceText, 'g');
/** The few listed phrases of more than one word, tested on the whole text. */
const multiWord = built.blacklistedTerms.filter((t) =>
  t.pattern.nodes.some((n) => n.kind === SyntaxKind.Literal && n.chars.includes(32)),
);
const gateMulti =
  multiWord.length > 0
    ? new RegExp(multiWord.map((t) => t.pattern.nodes.map(gateSource).join('')).join('|'))
    : null;

/**
 * The gate's answer for single words, remembered: comments repeat the same everyday words, so most
 * words are answered from memory. Cleared when it grows large, to bound memory.
 */
const wordGate = new Map<string, boolean>();
const WORD_GATE_LIMIT = 50000;

/** Could any of these words (or the text they make) be profane? Never false when the matcher would match. */
export function mayBeProfane(words: readonly string[], normalised: string): boolean {
  for (const w of words) {
    let r = wordGate.get(w);
    if (r === undefined) {
      r = gate.test(w);
      if (wordGate.size >= WORD_GATE_LIMIT) wordGate.clear();
      wordGate.set(w, r);
    }
    if (r) return true;
  }
  return gateMulti !== null && gateMulti.test(normalised);
}

const MASKABLE = new Map<number, string[]>();
for (const w of data.maskable) MASKABLE.set(w.length, [...(MASKABLE.get(w.length) ?? []), w]);

/** The swear word a starred-out spelling stands for ("f***ing" → fucking), if any. */
export function unmask(word: string): string | undefined {
  if (!word.includes('*') || !/[a-z]/.test(word)) return undefined;
  for (const candidate of MASKABLE.get(word.length) ?? []) {
    let ok = true;
    for (let i = 0; i < word.length && ok; i++) if (word[i] !== '*' && word[i] !== candidate[i]) ok = false;
    if (ok) return candidate;
  }
  return undefined;
}

export interface ProfaneWord {
  /** Offsets into the text given (the detector's normalised reading). */
  start: number;
  end: number;
  word: string;
}

/** Profane words in already-normalised text (lower case, evasions undone, words one space apart). */
export function findProfanity(normalised: string, words?: readonly string[]): ProfaneWord[] {
  if (words ? !mayBeProfane(words, normalised) : !gate.test(normalised)) return [];
  // The full matcher tries every word's expression over its whole input, so give it only a word
  // either side of each place the gate matched.
  const found: ProfaneWord[] = [];
  gateAll.lastIndex = 0;
  let windowStart = -1;
  let windowEnd = -1;
  const flush = (): void => {
    if (windowStart < 0) return;
    const slice = normalised.slice(windowStart, windowEnd);
    for (const m of matcher.getAllMatches(slice, true)) {
      found.push({
        start: windowStart + m.startIndex,
        end: windowStart + m.endIndex + 1,
        word: dataset.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord ?? '',
      });
    }
  };
  for (let m = gateAll.exec(normalised); m; m = gateAll.exec(normalised)) {
    if (m[0].length === 0) gateAll.lastIndex++;
    const from = wordStart(normalised, wordStart(normalised, m.index) - 1);
    const to = wordEnd(normalised, wordEnd(normalised, m.index + m[0].length) + 1);
    if (from <= windowEnd) windowEnd = Math.max(windowEnd, to);
    else {
      flush();
      windowStart = from;
      windowEnd = to;
    }
  }
  flush();
  // Overlapping windows can report a word twice.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.start}:${f.end}:${f.word}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function wordStart(s: string, i: number): number {
  let k = Math.max(0, i);
  while (k > 0 && s[k - 1] !== ' ') k--;
  return k;
}

function wordEnd(s: string, i: number): number {
  let k = Math.min(s.length, Math.max(0, i));
  while (k < s.length && s[k] !== ' ') k++;
  return k;
}
