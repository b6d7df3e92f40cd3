// Officers' decisions on suggested matches, remembered against a stable key for the author, so a
// rejected suggestion is not put to an officer again and a confirmed one is enforced from then on.

import type { CountryCode } from 'libphonenumber-js';
import { canonicalEmail, DEFAULT_PHONE_REGION, foldHandle, foldName, phoneToE164 } from '../identity';
import { accountKey } from './register-index';

/** Who wrote a comment or asked to speak, as far as we know it. Every field is optional. */
export interface AuthorQuery {
  platform?: string;
  accountId?: string;
  handle?: string;
  displayName?: string;
  /** The name given on a speaking request. */
  name?: string;
  email?: string;
  phone?: string;
}

/** An officer's answer to "is this author this person on the register?". */
export interface OfficerDecision {
  personId: string;
  identifierKey: string;
  outcome: 'confirmed' | 'rejected';
}

/**
 * The author's most stable identifier, as a key to remember decisions by: the platform account id
 * (survives a change of handle), else the e-mail, the phone, the handle, the name. Undefined when the
 * query has nothing to match on. Keys look like "account:x:1234", "email:jo@example.org",
 * "phone:+447700900123", "handle:x:jo_smith", "name:jo smith".
 */
export function identifierKeyFor(
  query: AuthorQuery,
  defaultPhoneRegion: CountryCode = DEFAULT_PHONE_REGION,
): string | undefined {
  if (query.platform !== undefined && query.accountId !== undefined) {
    const key = accountKey(query.platform, query.accountId);
    if (key !== undefined) return `account:${key}`;
  }
  if (query.email !== undefined) {
    const email = canonicalEmail(query.email);
    if (email.ok) return `email:${email.canonical}`;
  }
  if (query.phone !== undefined) {
    const phone = phoneToE164(query.phone, defaultPhoneRegion);
    if (phone.ok) return `phone:${phone.e164}`;
  }
  if (query.handle !== undefined) {
    const handle = foldHandle(query.handle);
    const platform = query.platform?.trim().toLowerCase() || 'any';
    if (handle.ok) return `handle:${platform}:${handle.written}`;
  }
  for (const written of [query.name, query.displayName]) {
    const name = written === undefined ? undefined : foldName(written);
    if (name !== undefined) return `name:${name.folded}`;
  }
  return undefined;
}

/** The decision in force for each person for this key: a later decision replaces an earlier one. */
export function decisionsFor(
  identifierKey: string,
  decisions: readonly OfficerDecision[],
): Map<string, OfficerDecision['outcome']> {
  const outcomes = new Map<string, OfficerDecision['outcome']>();
  for (const decision of decisions) {
    if (decision.identifierKey === identifierKey) outcomes.set(decision.personId, decision.outcome);
  }
  return outcomes;
}
