// E-mail addresses in the one form a mailbox has, so the register and a speaking request agree on
// "John.Smith+council@GoogleMail.com" and "johnsmith@gmail.com". Never throws: bad input is a typed result.

/** RFC 5321: a forward path is at most 254 characters, a local part at most 64. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

/** Google ignores dots in the local part and treats googlemail.com as gmail.com; other providers do not. */
const DOT_BLIND_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu;
const LOCAL_PART = /^[^\s@"(),:;<>[\\\]]+$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

export type EmailResult =
  | { ok: true; canonical: string }
  | { ok: false; reason: 'empty' | 'too_long' | 'malformed'; message: string };

const MESSAGES = {
  empty: 'Enter an e-mail address',
  too_long: `An e-mail address must be ${MAX_ADDRESS_LENGTH} characters or fewer`,
  malformed: 'Enter an e-mail address in the correct format, like name@example.com',
} as const;

/**
 * Lower case, plus-tag removed ("name+tag@" is delivered to "name@"), and for Gmail the dots removed
 * and googlemail.com read as gmail.com.
 */
export function canonicalEmail(raw: string): EmailResult {
  if (raw.length > MAX_ADDRESS_LENGTH * 4) return failed('too_long');
  const address = raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
  if (address === '') return failed('empty');
  if (address.length > MAX_ADDRESS_LENGTH) return failed('too_long');
  const at = address.lastIndexOf('@');
  if (at <= 0) return failed('malformed');
  let local = address.slice(0, at);
  let domain = address.slice(at + 1).replace(/\.$/, '');
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local) || !DOMAIN.test(domain))
    return failed('malformed');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return failed('malformed');

  const plus = local.indexOf('+');
  if (plus === 0) return failed('malformed');
  if (plus > 0) local = local.slice(0, plus);
  if (DOT_BLIND_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return { ok: true, canonical: `${local}@${domain}` };
}

function failed(reason: keyof typeof MESSAGES): EmailResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}
