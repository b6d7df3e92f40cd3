// Social-media handles folded to a look-alike key, so "@j0hn_smith", "@jоhn_smith" (Cyrillic о) and
// "@ｊｏｈｎ_ｓｍｉｔｈ" meet. A handle match is only ever a suggestion: handles change hands and can be copied.

import { foldText, replaceLookAlikes } from './text';

/** X allows 15 characters, Instagram 30, Facebook 50: anything far longer is not a handle. */
export const MAX_HANDLE_LENGTH = 100;

/** Digits and symbols used as letters in handles ("leet"). */
const LEET_LETTERS: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const LEET = /[013457@$]/g;

/** Separators people insert to dodge a match ("john.smith", "john_smith", "johnsmith" look alike). */
const SEPARATORS = /[\s._\-·]+/g;

/**
 * "1" stands for both "i" and "l", and capital I is drawn like l: one letter stands for the three.
 * The key is therefore not readable ("smith" → "srnlth"); evidence shows the folded forms beside it.
 */
const I_OR_L = /i/g;

export type HandleResult =
  | {
      ok: true;
      /** As written, without the leading @ and in lower case (platforms ignore case in handles). */
      written: string;
      /** Equal keys mean the handles look alike; equal `written` forms mean they are the same handle. */
      lookAlikeKey: string;
    }
  | { ok: false; reason: 'empty' | 'too_long'; message: string };

export function foldHandle(raw: string): HandleResult {
  if (raw.length > MAX_HANDLE_LENGTH * 4) return tooLong();
  const written = raw
    .trim()
    .replace(/^[@＠]+/, '')
    .toLowerCase();
  const folded = foldText(written).replace(/^@+/, '');
  if (folded.length > MAX_HANDLE_LENGTH) return tooLong();
  const lookAlikeKey = replaceLookAlikes(folded.replace(LEET, (c) => LEET_LETTERS[c] ?? c))
    .toLowerCase()
    .replace(SEPARATORS, '')
    .replace(I_OR_L, 'l');
  if (lookAlikeKey === '') {
    return { ok: false, reason: 'empty', message: 'Enter the handle, for example @jsmith' };
  }
  return { ok: true, written, lookAlikeKey };
}

function tooLong(): HandleResult {
  return {
    ok: false,
    reason: 'too_long',
    message: `A handle must be ${MAX_HANDLE_LENGTH} characters or fewer`,
  };
}
