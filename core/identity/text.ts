// Folding text for comparison: letters a person would read as the same become the same string.
// Used to build matching keys for names and handles; the result is never shown as the person's own
// spelling, and folding never throws, whatever it is given.

import unhomoglyph from 'unhomoglyph';

/** Longest input looked at: a name or handle is never this long, and it bounds the work on absurd input. */
export const MAX_FOLDED_INPUT = 512;

/** Line breaks and tabs separate words; they must not glue "John\nSmith" into one word. */
const WORD_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * Characters that show nothing: zero-width spaces and joiners, bidi controls, soft hyphens, variation
 * selectors, Hangul fillers, tag characters and the C0/C1 controls. Unicode lists them as
 * Default_Ignorable_Code_Point; Cc and Cf add the controls and format characters it leaves out.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu;

/** Accents on Latin, Greek and Cyrillic letters once decomposed (é → e + ◌́). Vowel signs of other scripts are letters and stay. */
// eslint-disable-next-line no-misleading-character-class -- ranges of combining marks, each removed on its own
const ACCENTS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

/** Latin letters with a stroke or ligature that Unicode does not decompose, so accent removal alone misses them. */
const UNDECOMPOSED_LETTERS: Record<string, string> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ŧ: 't',
  ƀ: 'b',
  ɨ: 'i',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};
const UNDECOMPOSED = new RegExp(`[${Object.keys(UNDECOMPOSED_LETTERS).join('')}]`, 'g');

const SPACES = /\s+/g;

/**
 * The confusables table maps some Cyrillic letters to Latin small capitals (н → ʜ, т → ᴛ, м → ʍ).
 * Once case is ignored a small capital reads as its letter, so the key takes the letter.
 */
const SMALL_CAPITALS: Record<string, string> = {
  ᴀ: 'a',
  ʙ: 'b',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ᴊ: 'j',
  ĸ: 'k',
  ʟ: 'l',
  ʍ: 'm',
  ɴ: 'n',
  ᴘ: 'p',
  ʀ: 'r',
  ᴛ: 't',
};
const SMALL_CAPITAL = new RegExp(`[${Object.keys(SMALL_CAPITALS).join('')}]`, 'g');
const HAS_SMALL_CAPITAL = new RegExp(SMALL_CAPITAL.source);

const NON_ASCII_RUN = /[\u0080-\u{10ffff}]+/gu;

/**
 * NFKC (fullwidth and mathematical letters become plain ones), invisible characters removed, case
 * folded, accents removed, runs of spaces made one. The result is still readable:
 * "Ｊöhn SMITH", with a zero-width space after the n, → "john smith".
 */
export function foldText(raw: string): string {
  const bounded = raw.length > MAX_FOLDED_INPUT ? raw.slice(0, MAX_FOLDED_INPUT) : raw;
  return (
    bounded
      .normalize('NFKC')
      .replace(WORD_BREAKS, ' ')
      .replace(INVISIBLE, '')
      // Upper then lower approximates Unicode full case folding: ß → ss, ς → σ, ı → i.
      .toUpperCase()
      .toLowerCase()
      .normalize('NFD')
      .replace(ACCENTS, '')
      .normalize('NFC')
      .replace(UNDECOMPOSED, (letter) => UNDECOMPOSED_LETTERS[letter] ?? letter)
      .replace(SPACES, ' ')
      .trim()
  );
}

/**
 * Replaces look-alike characters with the Latin (or other) letters they imitate, using the Unicode
 * confusables table (UTS #39) as packaged by `unhomoglyph`: Cyrillic "о" → "o", Greek "Α" → "A".
 * With `nonAsciiOnly`, plain ASCII is left alone (for names, where "m" must not become "rn").
 */
export function replaceLookAlikes(text: string, nonAsciiOnly = false): string {
  if (nonAsciiOnly) return readSmallCapitals(text.replace(NON_ASCII_RUN, (run) => unhomoglyph(run)));
  const replaced = unhomoglyph(text);
  // Once more after the small capitals, so the "m" that "м" became also becomes "rn" like every other m.
  return HAS_SMALL_CAPITAL.test(replaced) ? unhomoglyph(readSmallCapitals(replaced)) : replaced;
}

function readSmallCapitals(text: string): string {
  return text.replace(SMALL_CAPITAL, (letter) => SMALL_CAPITALS[letter] ?? letter);
}
