// Turns a comment into the words the detector looks up, undoing the usual evasions — look-alike
// letters, zero-width characters, l33t, s p a c e d and d.o.t.t.e.d letters, emoji stand-ins —
// while keeping, for every word, where it sits in the ORIGINAL text. Flags point at what the person
// actually wrote, so this module must never lose or shift an offset.
import { resolveConfusablesTransformer, type SimpleTransformerContainer } from 'obscenity';
import contractionsData from './data/contractions.json';
import emojiData from './data/emoji.json';

export type TokenKind = 'word' | 'number' | 'emoji' | 'mention' | 'hashtag' | 'url' | 'email';

export interface Token {
  /** Lower-case ASCII reading of the word. */
  w: string;
  /** A second reading where l33t is ambiguous ('1' as 'l' rather than 'i'). */
  alt?: string;
  /** UTF-16 offsets into the original text: [start, end). */
  start: number;
  end: number;
  /** Sentence number: rules never match across a sentence end. */
  clause: number;
  /** A comma, colon, dash or bracket comes just before this word. */
  soft: boolean;
  quoted: boolean;
  /** Written in Title case: a possible name when mid-sentence. */
  cap: boolean;
  /** Possessive ("councillor's"): the thing owned, not the owner, is what follows. */
  poss: boolean;
  /** Has a letter repeated three or more times ("kiiill"). */
  stretched: boolean;
  kind: TokenKind;
  /** Whitespace characters before the word (0 inside a chunk): s p a c e d letters have 1. */
  gap: number;
}

/** Words the tokeniser may re-join split-up letters into. */
export interface Vocabulary {
  has(word: string): boolean;
}

// ---------------------------------------------------------------------------------------------
// Characters

const confusables = resolveConfusablesTransformer() as SimpleTransformerContainer;
const foldCache = new Map<number, string>();
const ASCII_ONLY = /^[\x20-\x7e]+$/;
const MARKS = /\p{M}/gu;

/** Zero-width and formatting characters that are invisible but split words. */
function isInvisible(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f && cp !== 0x85) ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff)
  );
}

function isSpace(cp: number): boolean {
  return (
    cp === 0x20 ||
    cp === 0x09 ||
    cp === 0x0b ||
    cp === 0x0c ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function computeFold(cp: number): string {
  if (isInvisible(cp)) return '';
  if (isSpace(cp)) return ' ';
  if (cp === 0x2028 || cp === 0x2029 || cp === 0x85) return '\n';
  // Quotes and apostrophes of every kind.
  if (
    cp === 0x2018 ||
    cp === 0x2019 ||
    cp === 0x201b ||
    cp === 0x02bc ||
    cp === 0x60 ||
    cp === 0xb4 ||
    cp === 0x2032
  )
    return "'";
  if (
    cp === 0x201c ||
    cp === 0x201d ||
    cp === 0x201e ||
    cp === 0x201f ||
    cp === 0xab ||
    cp === 0xbb ||
    cp === 0x2033
  )
    return '"';
  if (cp === 0x2026) return '...';
  if (cp === 0x2013 || cp === 0x2014 || cp === 0x2015 || cp === 0x2212) return '-';
  // Letters spelt with flags and boxed letters: 🇰🇮🇱🇱, 🅺🅸🅻🅻.
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return String.fromCharCode(97 + cp - 0x1f1e6);
  for (const base of [0x1f130, 0x1f150, 0x1f170]) {
    if (cp >= base && cp < base + 26) return String.fromCharCode(97 + cp - base);
  }
  const viaConfusables = confusables.transform(cp);
  if (typeof viaConfusables === 'number' && viaConfusables !== cp && viaConfusables < 128) {
    return String.fromCharCode(viaConfusables).toLowerCase();
  }
  const ch = String.fromCodePoint(cp);
  const decomposed = ch.normalize('NFKD').replace(MARKS, '');
  if (decomposed === '') return '';
  if (ASCII_ONLY.test(decomposed)) return decomposed.toLowerCase();
  return ch.toLowerCase();
}

function fold(cp: number): string {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return String.fromCharCode(cp + 32);
    if (cp === 10 || cp === 13) return '\n';
    if (cp === 9 || cp === 11 || cp === 12) return ' ';
    if (cp < 32 || cp === 127) return '';
    return String.fromCharCode(cp);
  }
  let r = foldCache.get(cp);
  if (r === undefined) {
    r = computeFold(cp);
    foldCache.set(cp, r);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Data

const EMOJI = new Map<number, string>();
for (const [key, word] of Object.entries(emojiData.emoji)) {
  const cps = [...key].map((c) => c.codePointAt(0)!).filter((cp) => !isInvisible(cp));
  if (cps.length === 1) EMOJI.set(cps[0]!, word);
}

/**
 * Text copied through the wrong character set ("donâ€™t", "I‚Äôm"): read as the punctuation it was.
 * Only tried where such a sequence can start, so ordinary text pays nothing.
 */
const MOJIBAKE: [string, string][] = [
  ['â€™', "'"],
  ['â€˜', "'"],
  ['â€œ', '"'],
  ['â€\u009d', '"'],
  ['â€"', '-'],
  ['â€“', '-'],
  ['â€¦', '...'],
  ['‚Äô', "'"],
  ['‚Äò', "'"],
  ['‚Äú', '"'],
  ['‚Äù', '"'],
  ['‚Ä¶', '...'],
  ['Ã¢Â€Â™', "'"],
];

const WHOLE = new Map<string, string[]>(Object.entries(contractionsData.whole));
const SUFFIXES = Object.entries(contractionsData.suffixes).sort((a, b) => b[0].length - a[0].length);
const IS_HOSTS = new Set(contractionsData.isHosts);
const NOT_STEMS = new Map<string, string>(Object.entries(contractionsData.notStems));

/** l33t: the first reading, and a second where the character is ambiguous. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '€': 'e',
  '£': 'l',
};
const LEET_ALT: Record<string, string> = { '1': 'l', '|': 'i', '!': 'l' };
const LEETABLE = /[0-9@$!|€£]/;
const NUMBERISH = /^\d+(?:st|nd|rd|th|s|am|pm|k|m|p|x|km|mph|ft|yr|yrs|mins?|hrs?|kg|g|ml|l|gb|mb|pc|v|d)?$/;
const DOTTED_SEPARATORS = new Set(['.', '-', '_', '*', '·', '•', '~', '/', '\\', '+', ',', '|']);
const LEADING = new Set([
  '(',
  '[',
  '{',
  '<',
  '*',
  '_',
  '~',
  '-',
  '>',
  '=',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '&',
  '^',
  '%',
]);
const HARD_END = new Set(['.', '!', '?', ';']);
const SOFT_END = new Set([',', ':', ')', ']', '}', '>', '-']);
const STRIPPED_END = new Set(['*', '_', '~', '&', '=', '^', '%', '/', '\\', '+', '#', '<', '(', '[', '{']);

/** Characters that belong inside a word: letters, digits, l33t symbols, apostrophes, masks. */
function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  if (c === "'" || c === '*' || c === '@' || c === '$' || c === '!' || c === '|' || c === '€' || c === '£')
    return true;
  return code > 127 && c.toUpperCase() !== c.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Tokeniser

/**
 * A run of non-space characters, normalised. Plain ASCII runs (most of them) keep no per-character
 * arrays: their offsets are `base + k` and their case is read from the original text.
 */
interface Chunk {
  s: string;
  from: number[] | null;
  to: number[] | null;
  up: boolean[] | null;
  base: number;
  gap: number;
  text: string;
}

function fromAt(c: Chunk, k: number): number {
  return c.from ? c.from[k]! : c.base + k;
}

function toAt(c: Chunk, k: number): number {
  return c.to ? c.to[k]! : c.base + k + 1;
}

function upAt(c: Chunk, k: number): boolean {
  if (c.up) return c.up[k] === true;
  const code = c.text.charCodeAt(c.base + k);
  return code >= 65 && code <= 90;
}

class TokenWriter {
  readonly tokens: Token[] = [];
  clause = 0;
  soft = false;
  quoted = false;
  singleQuoted = false;
  private hardPending = false;
  constructor(readonly vocab: Vocabulary | undefined) {}

  breakHard(): void {
    this.hardPending = true;
  }

  breakSoft(): void {
    this.soft = true;
  }

  push(
    w: string,
    start: number,
    end: number,
    kind: TokenKind,
    gap: number,
    cap = false,
    poss = false,
    alt?: string,
  ): void {
    if (this.hardPending) {
      if (this.tokens.length > 0) this.clause++;
      this.hardPending = false;
      this.soft = false;
    }
    const t: Token = {
      w,
      start,
      end,
      clause: this.clause,
      soft: this.soft,
      quoted: this.quoted || this.singleQuoted,
      cap,
      poss,
      stretched: isStretched(w),
      kind,
      gap,
    };
    if (alt !== undefined) t.alt = alt;
    this.tokens.push(t);
    this.soft = false;
  }
}

function isStretched(w: string): boolean {
  for (let i = 2; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2) && c >= 97 && c <= 122) return true;
  }
  return false;
}

/** The chunk being read: plain ASCII so far (`simple`), or built character by character. */
class ChunkBuilder {
  base = -1;
  simple = true;
  gap = 0;
  s = '';
  from: number[] = [];
  to: number[] = [];
  up: boolean[] = [];
  constructor(
    readonly text: string,
    readonly out: TokenWriter,
  ) {}

  startSimple(i: number, gap: number): void {
    this.base = i;
    this.simple = true;
    this.gap = gap;
  }

  startComplex(i: number, gap: number): void {
    this.base = i;
    this.gap = gap;
    this.simple = false;
    this.s = '';
    this.from = [];
    this.to = [];
    this.up = [];
  }

  /** Copy the plain characters read so far into per-character arrays. */
  becomeComplex(i: number): void {
    const text = this.text;
    this.s = text.slice(this.base, i).toLowerCase();
    this.from = [];
    this.to = [];
    this.up = [];
    for (let k = this.base; k < i; k++) {
      this.from.push(k);
      this.to.push(k + 1);
      const code = text.charCodeAt(k);
      this.up.push(code >= 65 && code <= 90);
    }
    this.simple = false;
  }

  add(f: string, i: number, width: number, upper: boolean): void {
    for (let k = 0; k < f.length; k++) {
      this.s += f[k];
      this.from.push(i);
      this.to.push(i + width);
      this.up.push(upper);
    }
  }

  flushAt(end: number): void {
    const base = this.base;
    if (base < 0) return;
    const text = this.text;
    const chunk: Chunk = this.simple
      ? { s: text.slice(base, end).toLowerCase(), from: null, to: null, up: null, base, gap: this.gap, text }
      : { s: this.s, from: this.from, to: this.to, up: this.up, base, gap: this.gap, text };
    if (chunk.s.length > 0) readChunk(chunk, this.out);
    this.base = -1;
  }
}

export function tokenise(text: string, vocab?: Vocabulary): Token[] {
  const out = new TokenWriter(vocab);
  const chunk = new ChunkBuilder(text, out);
  let spaces = 0;
  const n = text.length;
  for (let i = 0; i < n;) {
    let cp = text.charCodeAt(i);
    if (cp > 32 && cp < 127) {
      if (chunk.base < 0) {
        chunk.startSimple(i, spaces);
        spaces = 0;
      }
      if (chunk.simple) {
        // The rest of a plain ASCII run at once: its offsets need no arrays.
        i++;
        while (i < n && (cp = text.charCodeAt(i)) > 32 && cp < 127) i++;
        continue;
      }
    }
    // A plain space, the commonest break (no emoji or fold stands for it).
    if (cp === 32) {
      chunk.flushAt(i);
      spaces++;
      i++;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff) cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const emoji = EMOJI.get(cp);
    if (emoji !== undefined) {
      chunk.flushAt(i);
      const last = out.tokens[out.tokens.length - 1];
      // A row of the same emoji is one word.
      if (last && last.kind === 'emoji' && last.w === emoji && last.end === i) last.end = i + len;
      else for (const w of emoji.split(' ')) out.push(w, i, i + len, 'emoji', spaces);
      spaces = 0;
      i += len;
      continue;
    }
    let f = fold(cp);
    let width = len;
    if (cp === 0xe2 || cp === 0x201a || cp === 0xc3) {
      for (const [bad, good] of MOJIBAKE) {
        if (text.startsWith(bad, i)) {
          f = good;
          width = bad.length;
          break;
        }
      }
    }
    if (f === '') {
      if (chunk.base >= 0 && chunk.simple) chunk.becomeComplex(i);
      i += width;
      continue;
    }
    if (f === ' ' || f === '\n') {
      chunk.flushAt(i);
      if (f === '\n') out.breakHard();
      spaces++;
      i += width;
      continue;
    }
    if (chunk.base < 0) {
      chunk.startComplex(i, spaces);
      spaces = 0;
    } else if (chunk.simple) chunk.becomeComplex(i);
    chunk.add(f, i, width, cp >= 65 && cp <= 90);
    i += width;
  }
  chunk.flushAt(n);

  // An opening quote that never closes quotes nothing.
  if (out.quoted || out.singleQuoted) unquoteTail(out.tokens);
  const tokens = out.tokens;
  return vocab ? rejoinSpacedLetters(tokens, vocab) : tokens;
}

function unquoteTail(tokens: Token[]): void {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (!t.quoted) break;
    t.quoted = false;
  }
}

function readChunk(c: Chunk, out: TokenWriter): void {
  const s = c.s;
  let a = 0;
  let b = s.length;
  // Leading punctuation and quotes (a letter or digit, the usual start, is none of them).
  while (a < b && !isAsciiAlnum(s.charCodeAt(a))) {
    const ch = s[a]!;
    if (ch === '"') {
      out.quoted = !out.quoted;
      a++;
    } else if (ch === "'" && !WHOLE.has(s.slice(a, b))) {
      out.singleQuoted = true;
      a++;
    } else if (LEADING.has(ch)) {
      if (ch === '(' || ch === '-' || ch === '[') out.breakSoft();
      a++;
    } else break;
  }
  // Trailing punctuation decides the break after the word.
  let after: 'hard' | 'soft' | null = null;
  let closeQuote = false;
  let closeSingle = false;
  let trailingApostrophe = false;
  while (b > a && !isAsciiAlnum(s.charCodeAt(b - 1))) {
    const ch = s[b - 1]!;
    if (HARD_END.has(ch)) {
      // A run of dots is a pause, not a full stop.
      after = ch === '.' && b - 2 >= a && s[b - 2] === '.' ? (after === 'hard' ? 'hard' : 'soft') : 'hard';
      b--;
    } else if (ch === '"') {
      closeQuote = true;
      b--;
    } else if (ch === "'") {
      if (out.singleQuoted) closeSingle = true;
      else trailingApostrophe = true;
      b--;
    } else if (ch === '*' && b - 1 > a && /[a-z*]/.test(s[b - 2]!) && /[a-z]/.test(s.slice(a, b))) {
      // A trailing mask ("f***") is part of the word.
      break;
    } else if (SOFT_END.has(ch)) {
      if (after !== 'hard') after = 'soft';
      b--;
    } else if (STRIPPED_END.has(ch)) {
      b--;
    } else break;
  }
  if (b > a) readCore(c, a, b, out, trailingApostrophe);
  else if (/[.!?;]/.test(c.s) && !c.s.includes('..')) out.breakHard();
  else if (/[,:\-()]|\.\./.test(c.s)) out.breakSoft();
  if (closeQuote) out.quoted = false;
  if (closeSingle) out.singleQuoted = false;
  if (after === 'hard') out.breakHard();
  else if (after === 'soft') out.breakSoft();
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function isPlain(core: string): boolean {
  for (let i = 0; i < core.length; i++) {
    const code = core.charCodeAt(i);
    if (!((code >= 97 && code <= 122) || code === 39)) return false;
  }
  return true;
}

/** "k.i.l.l", "f-u-c-k": single characters separated by one repeated separator. */
function isDottedRun(s: string, a: number, b: number): boolean {
  const n = b - a;
  if (n < 5 || n % 2 === 0) return false;
  const sep = s[a + 1]!;
  if (!DOTTED_SEPARATORS.has(sep)) return false;
  for (let k = a; k < b; k++) {
    const ch = s[k]!;
    if ((k - a) % 2 === 1) {
      if (ch !== sep) return false;
    } else if (!isWordChar(ch) || ch === "'") return false;
  }
  return true;
}

function readCore(c: Chunk, a: number, b: number, out: TokenWriter, possessive: boolean): void {
  const s = c.s;
  const core = s.slice(a, b);
  // Most words are plain letters: skip every special case below.
  if (isPlain(core)) {
    emitWord(core, c, a, b, out, possessive, true, true);
    return;
  }
  if ((core.includes('//') || core.startsWith('www.')) && /^(?:https?:\/\/|www\.)/.test(core)) {
    out.push('<url>', fromAt(c, a), toAt(c, b - 1), 'url', c.gap);
    return;
  }
  if (core.includes('@') && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(core)) {
    out.push('<email>', fromAt(c, a), toAt(c, b - 1), 'email', c.gap);
    return;
  }
  if (core[0] === '@' && core.length > 1) {
    out.push('@' + core.slice(1).replace(/[^a-z0-9_]/g, ''), fromAt(c, a), toAt(c, b - 1), 'mention', c.gap);
    return;
  }
  if (core[0] === '#' && core.length > 1) {
    readHashtag(c, a + 1, b, out);
    return;
  }
  if (isDottedRun(s, a, b)) {
    let w = '';
    for (let k = a; k < b; k += 2) w += s[k];
    emitWord(w, c, a, b, out, possessive, true);
    return;
  }
  // "ki.ll", "mur-der": punctuation inside a known word is an evasion, not a word break.
  if (out.vocab && /[a-z][.\-_*·•~/\\+,|][a-z]/.test(core)) {
    const squeezed = core.replace(/[.\-_·•~/\\+,|]/g, '');
    if (squeezed.length > 2 && out.vocab.has(squeezed.replace(/'/g, ''))) {
      emitWord(squeezed, c, a, b, out, possessive, true);
      return;
    }
  }
  // Otherwise split on anything that cannot be inside a word.
  let k = a;
  let first = true;
  while (k < b) {
    while (k < b && !isWordChar(s[k]!)) {
      const ch = s[k]!;
      if (ch === ',' || ch === ':' || ch === '(' || ch === ')' || ch === '/') out.breakSoft();
      else if ((ch === '.' || ch === '?' || ch === '!' || ch === ';') && k > a) {
        if (upAt(c, k + 1) || ch !== '.') out.breakHard();
        else out.breakSoft();
      }
      k++;
    }
    const start = k;
    while (k < b && isWordChar(s[k]!)) k++;
    if (k > start) {
      emitWord(s.slice(start, k), c, start, k, out, possessive && k === b, first);
      first = false;
    }
  }
}

function readHashtag(c: Chunk, a: number, b: number, out: TokenWriter): void {
  // #KillThemAll → kill them all; the case of the original letters marks the words.
  let k = a;
  while (k < b) {
    const start = k;
    k++;
    while (k < b && isWordChar(c.s[k]!) && !(upAt(c, k) && !upAt(c, k - 1))) k++;
    const piece = c.s.slice(start, k).replace(/[^a-z0-9]/g, '');
    if (piece.length > 0)
      out.push(piece, fromAt(c, start), toAt(c, k - 1), 'hashtag', start === a ? c.gap : 0);
  }
}

function emitWord(
  raw: string,
  c: Chunk,
  a: number,
  b: number,
  out: TokenWriter,
  possessive: boolean,
  firstInChunk: boolean,
  /** `raw` is only letters a-z and apostrophes. */
  letters = false,
): void {
  const start = fromAt(c, a);
  const end = toAt(c, b - 1);
  const cap = upAt(c, a) && (b - a === 1 || !upAt(c, a + 1));
  const gap = firstInChunk ? c.gap : 0;
  let poss = possessive;
  let words: string[];

  const whole = WHOLE.get(raw);
  // Most words: plain letters, no contraction, so no l33t and not a number.
  if (!whole && letters && !raw.includes("'")) {
    out.push(raw, start, end, 'word', gap, cap, poss);
    return;
  }
  if (whole) words = whole;
  else if (!raw.includes("'")) words = [raw];
  else {
    words = [raw];
    for (const [suffix, expansion] of SUFFIXES) {
      if (raw.length > suffix.length && raw.endsWith(suffix)) {
        let stem = raw.slice(0, -suffix.length);
        if (suffix === "n't") stem = NOT_STEMS.get(stem) ?? stem;
        words = [stem, ...expansion];
        break;
      }
    }
    if (words.length === 1 && raw.endsWith("'s") && raw.length > 2) {
      const stem = raw.slice(0, -2);
      if (IS_HOSTS.has(stem)) words = [stem, 'is'];
      else {
        words = [stem];
        poss = true;
      }
    }
  }

  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w.includes("'")) {
      w = w.replace(/'/g, '');
      const again = WHOLE.get(w);
      if (again && words.length === 1) {
        for (const x of again) pushWord(out, x, start, end, gap, cap, poss, undefined);
        return;
      }
    }
    let alt: string | undefined;
    if (LEETABLE.test(w) && !NUMBERISH.test(w) && (/[a-z]/.test(w) || /^[@$!|€£]{3,}$/.test(w))) {
      let primary = '';
      let second = '';
      for (const ch of w) {
        primary += LEET[ch] ?? ch;
        second += LEET_ALT[ch] ?? LEET[ch] ?? ch;
      }
      if (second !== primary) alt = second;
      w = primary;
      const again = WHOLE.get(w);
      if (again && words.length === 1) {
        for (const x of again) pushWord(out, x, start, end, gap, cap, poss, undefined);
        return;
      }
    }
    if (w.length === 0) continue;
    pushWord(out, w, start, end, gap, cap, poss, alt);
  }
}

function pushWord(
  out: TokenWriter,
  w: string,
  start: number,
  end: number,
  gap: number,
  cap: boolean,
  poss: boolean,
  alt: string | undefined,
): void {
  out.push(w, start, end, /^[0-9]+$/.test(w) ? 'number' : 'word', gap, cap, poss, alt);
}

// ---------------------------------------------------------------------------------------------
// S p a c e d letters

function isSingleLetter(t: Token): boolean {
  return t.kind === 'word' && t.w.length === 1 && t.w >= 'a' && t.w <= 'z';
}

/** "k i l l  y o u" → kill, you. Only runs of three or more single letters, one space apart. */
function rejoinSpacedLetters(tokens: Token[], vocab: Vocabulary): Token[] {
  let out: Token[] | null = null;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (!isSingleLetter(t)) {
      out?.push(t);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length) {
      const u = tokens[j]!;
      if (!isSingleLetter(u) || u.gap !== 1 || u.clause !== t.clause || u.soft) break;
      j++;
    }
    const run = tokens.slice(i, j);
    const joined = run.length >= 3 ? segmentLetters(run, vocab) : null;
    if (joined) {
      out ??= tokens.slice(0, i);
      out.push(...joined);
    } else out?.push(...run);
    i = j;
  }
  return out ?? tokens;
}

function collapseRuns(w: string): string {
  return w.replace(/([a-z])\1+/g, '$1');
}

function knownWord(w: string, vocab: Vocabulary): boolean {
  return vocab.has(w) || (isStretched(w) && vocab.has(collapseRuns(w)));
}

function joinedToken(run: Token[], letters: string, from: number, to: number): Token {
  const first = run[from]!;
  const w = letters.slice(from, to);
  return { ...first, w, end: run[to - 1]!.end, stretched: isStretched(w), cap: false };
}

function segmentLetters(run: Token[], vocab: Vocabulary): Token[] | null {
  const letters = run.map((t) => t.w).join('');
  if (knownWord(letters, vocab)) return [joinedToken(run, letters, 0, letters.length)];
  // Fewest known words that cover the letters exactly.
  const n = letters.length;
  const best: (number[] | null)[] = new Array<number[] | null>(n + 1).fill(null);
  best[0] = [];
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - 20); start < end; start++) {
      const prev = best[start];
      if (!prev) continue;
      const piece = letters.slice(start, end);
      if (piece.length === 1 && piece !== 'i' && piece !== 'u' && piece !== 'a') continue;
      if (!knownWord(piece, vocab)) continue;
      const cur = best[end];
      if (!cur || prev.length + 1 < cur.length) best[end] = [...prev, end];
    }
  }
  const cuts = best[n];
  if (!cuts || cuts.length < 2) return null;
  const result: Token[] = [];
  let from = 0;
  for (const to of cuts) {
    result.push(joinedToken(run, letters, from, to));
    from = to;
  }
  return result;
}

/** All letter runs collapsed to one ("kiiilll" → "kil"): how stretched words are looked up. */
export { collapseRuns };
