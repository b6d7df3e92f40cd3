// Personal contact details in a comment: phone numbers (libphonenumber-js, UK by default), e-mail
// addresses, postcodes and street addresses. Finding them is not yet doxxing: assess.ts weighs
// them against who the comment is about (a member of staff, "his", "her") and whose they are ("my").
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { z } from 'zod';
import doxxingData from './data/doxxing.json';

export type ContactKind = 'phone' | 'email' | 'postcode' | 'address';

export interface ContactDetail {
  kind: ContactKind;
  start: number;
  end: number;
}

const data = z
  .object({
    about: z.string(),
    streetTypes: z.array(z.string().min(1)),
    residenceWords: z.array(z.string().min(1)),
    contactWords: z.array(z.string().min(1)),
  })
  .parse(doxxingData);

/** Words that tie an address to where someone lives, and a number or e-mail to someone. */
export const RESIDENCE_WORDS: ReadonlySet<string> = new Set(data.residenceWords);
export const CONTACT_WORDS: ReadonlySet<string> = new Set(data.contactWords);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// Royal Mail postcode format: outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA).
const POSTCODE = /\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}\b/g;
const ADDRESS = new RegExp(
  `\\b\\d{1,4}[a-zA-Z]?,? +(?:[A-Za-z'-]+ +){1,3}(?:${data.streetTypes.join('|')})\\b`,
  'gi',
);
const PHONE_LIKE = /\d[\d\s().+-]{7,}\d/;
const STREET_WORD = new RegExp(`\\b(?:${data.streetTypes.join('|')})\\b`, 'i');

const DIGIT = /[0-9]/;

function digitCount(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits;
}

function collect(re: RegExp, text: string, kind: ContactKind, out: ContactDetail[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push({ kind, start: m.index, end: m.index + m[0].length });
}

export function findContactDetails(text: string): ContactDetail[] {
  const out: ContactDetail[] = [];
  if (text.includes('@')) collect(EMAIL, text, 'email', out);
  if (!DIGIT.test(text)) return out;
  // A phone number is nine or more digits close together; most comments have none, so the library is rarely asked.
  if (PHONE_LIKE.test(text) && digitCount(text) >= 9) {
    // `extended` also finds numbers that are possible but not allocated (Ofcom's drama ranges, typos).
    for (const n of findPhoneNumbersInText(text, { defaultCountry: 'GB', extended: true })) {
      out.push({ kind: 'phone', start: n.startsAt, end: n.endsAt });
    }
  }
  collect(POSTCODE, text, 'postcode', out);
  if (STREET_WORD.test(text)) collect(ADDRESS, text, 'address', out);
  return out;
}
