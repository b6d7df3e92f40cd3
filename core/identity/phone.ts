// Telephone numbers in E.164 ("+447700900123"), so "07700 900123", "+44 7700 900123" and
// "0044 7700 900123" are one number. Parsing is libphonenumber-js (Google's metadata); never throws.

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Numbers written without a country code are read as UK numbers unless the caller says otherwise. */
export const DEFAULT_PHONE_REGION: CountryCode = 'GB';

/** Longer than any number with an extension written out; libphonenumber itself stops at 250. */
const MAX_PHONE_INPUT = 64;

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu;

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; reason: 'empty' | 'too_long' | 'not_a_phone_number'; message: string };

const MESSAGES = {
  empty: 'Enter a telephone number',
  too_long: `A telephone number must be ${MAX_PHONE_INPUT} characters or fewer`,
  not_a_phone_number: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
} as const;

/**
 * E.164 for any number of a possible length for its country. "Possible", not "valid": numbers in
 * ranges the metadata does not list yet (or Ofcom's drama ranges used in tests) still match the register.
 */
export function phoneToE164(raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): PhoneResult {
  if (raw.length > MAX_PHONE_INPUT * 4) return failed('too_long');
  const written = raw.normalize('NFKC').replace(INVISIBLE, '').trim();
  if (written === '') return failed('empty');
  if (written.length > MAX_PHONE_INPUT) return failed('too_long');
  const parsed = parsePhoneNumberFromString(written, defaultRegion);
  if (!parsed || !parsed.isPossible()) return failed('not_a_phone_number');
  return { ok: true, e164: parsed.number };
}

function failed(reason: keyof typeof MESSAGES): PhoneResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}
