// People's names folded into words, phonetic blocking keys (Double Metaphone) and a similarity score
// (Jaro-Winkler). A name is never proof of who someone is: a name match only ever asks an officer.

import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import jaroWinkler from 'talisman/metrics/jaro-winkler';
import { foldText, replaceLookAlikes } from './text';

/** Bounds the work on absurd input: six words and 32 letters a word cover real names. */
const MAX_NAME_WORDS = 6;
const MAX_WORD_LENGTH = 32;

/** Below this, two names are not worth an officer's time. Chosen so "Jon Smyth" meets "John Smith". */
export const NAME_SIMILARITY_THRESHOLD = 0.85;

const APOSTROPHES = /['’ʼ`]/g;
const NOT_LETTERS = /[^\p{L}\p{N}]+/u;

export interface FoldedName {
  /** The words joined by single spaces: "Seán O'Brien-Smith" → "sean obrien smith". */
  folded: string;
  words: string[];
}

/** Undefined when there is no letter or digit to match on. */
export function foldName(raw: string): FoldedName | undefined {
  // Look-alikes are replaced outside ASCII only: in a name "m" must stay "m" for the phonetic code.
  const text = replaceLookAlikes(foldText(raw), true).toLowerCase().replace(APOSTROPHES, '');
  const words = text
    .split(NOT_LETTERS)
    .filter((word) => word !== '')
    .slice(0, MAX_NAME_WORDS)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
  if (words.length === 0) return undefined;
  return { folded: words.join(' '), words };
}

/**
 * Double Metaphone is the costliest step of looking up a name, and the same names come up again and
 * again: the codes of recent words are remembered (a bounded memo; the answer never depends on it).
 */
const SOUNDS_REMEMBERED = 50_000;
const rememberedSounds = new Map<string, readonly string[]>();

/** Both Double Metaphone codes of a word; a word it cannot code (digits, non-Latin script) stands for itself. */
function soundsOf(word: string): readonly string[] {
  const remembered = rememberedSounds.get(word);
  if (remembered !== undefined) return remembered;
  const [primary, alternative] = doubleMetaphone(word);
  const sounds =
    primary === ''
      ? [word]
      : alternative !== '' && alternative !== primary
        ? [primary, alternative]
        : [primary];
  if (rememberedSounds.size >= SOUNDS_REMEMBERED) rememberedSounds.clear();
  rememberedSounds.set(word, sounds);
  return sounds;
}

/**
 * Blocking keys: one for every pair of words by sound, in either order, so "John Paul Smith",
 * "Smith, Jon" and "Jon Smyth" share a key with "John Smith" while the thousands of other Smiths do
 * not. A one-word name has one-word keys, and so only meets one-word names: a lone "Smith" is not
 * enough to put a person in front of an officer.
 */
export function nameBlockingKeys(name: FoldedName): string[] {
  const sounds = name.words.map(soundsOf);
  const keys = new Set<string>();
  if (sounds.length === 1) {
    for (const sound of sounds[0] ?? []) keys.add(sound);
    return [...keys];
  }
  for (let i = 0; i < sounds.length; i++) {
    for (let j = i + 1; j < sounds.length; j++) {
      for (const a of sounds[i] ?? []) {
        for (const b of sounds[j] ?? []) keys.add(a < b ? `${a}|${b}` : `${b}|${a}`);
      }
    }
  }
  return [...keys];
}

/**
 * 0..1: each word of the shorter name against its best partner in the other (Monge-Elkan with
 * Jaro-Winkler), so word order and a missing middle name cost nothing.
 */
export function nameSimilarity(a: FoldedName, b: FoldedName): number {
  if (a.folded === b.folded) return 1;
  const [shorter, longer] = a.words.length <= b.words.length ? [a.words, b.words] : [b.words, a.words];
  let total = 0;
  for (const word of shorter) {
    let best = 0;
    for (const other of longer) best = Math.max(best, jaroWinkler(word, other));
    total += best;
  }
  return total / shorter.length;
}
