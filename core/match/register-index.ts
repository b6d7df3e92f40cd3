// The register of restricted customers held in memory for matching: exact maps for platform account
// ids, e-mails and phones, a look-alike map for handles and phonetic blocks for names. Kept up to date
// in place (upsert, remove) as officers change the register. No I/O; it never decides anything itself.

import type { CountryCode } from 'libphonenumber-js';
import type { RegisterPerson } from '../restriction';
import {
  canonicalEmail,
  DEFAULT_PHONE_REGION,
  foldHandle,
  foldName,
  nameBlockingKeys,
  phoneToE164,
  type FoldedName,
} from '../identity';

const UNUSABLE_ACCOUNT = 'Enter the platform and its account id';
const UNUSABLE_NAME = 'Enter a name with at least one letter';

/** Platform account ids are opaque strings; none of X's, Meta's or ours comes near this length. */
const MAX_ACCOUNT_ID_LENGTH = 256;

/** A handle on the register, current or former, with the forms it is compared in. */
export interface RegisteredHandle {
  personId: string;
  platform: string;
  /** As written on the register, without the @, in lower case. */
  written: string;
  lookAlikeKey: string;
  /** A handle the person used before (from `handleHistory`). */
  former: boolean;
}

export interface RegisteredName {
  personId: string;
  /** As written on the register. */
  written: string;
  name: FoldedName;
}

/** An identifier on the register that cannot be matched on, so the register page can say which and why. */
export interface UnusableIdentifier {
  field: 'names' | 'emails' | 'phones' | 'socialAccounts';
  value: string;
  message: string;
}

export interface IndexReport {
  personId: string;
  /** How many identifiers of this person the index now matches on. */
  indexed: number;
  unusable: UnusableIdentifier[];
}

export interface RegisterIndexOptions {
  /** Region for phone numbers written without a country code, on the register and in queries. */
  defaultPhoneRegion?: CountryCode;
}

/** The exact key of a platform account: the same id on two platforms is two different people. */
export function accountKey(platform: string, accountId: string): string | undefined {
  const id = accountId.trim();
  const where = platform.trim().toLowerCase();
  if (
    id === '' ||
    where === '' ||
    id.length > MAX_ACCOUNT_ID_LENGTH ||
    where.length > MAX_ACCOUNT_ID_LENGTH
  ) {
    return undefined;
  }
  return `${where}:${id}`;
}

/** What one person put into the maps, so removing them touches only their own entries. */
interface PersonEntries {
  accounts: string[];
  emails: string[];
  phones: string[];
  handleKeys: string[];
  nameKeys: string[];
  identifiers: number;
}

export class RegisterIndex {
  readonly defaultPhoneRegion: CountryCode;
  private readonly people = new Map<string, PersonEntries>();
  private readonly byAccount = new Map<string, string[]>();
  private readonly byEmail = new Map<string, string[]>();
  private readonly byPhone = new Map<string, string[]>();
  private readonly byLookAlikeHandle = new Map<string, RegisteredHandle[]>();
  private readonly byNameSound = new Map<string, RegisteredName[]>();
  private identifiers = 0;

  constructor(people: Iterable<RegisterPerson> = [], options: RegisterIndexOptions = {}) {
    this.defaultPhoneRegion = options.defaultPhoneRegion ?? DEFAULT_PHONE_REGION;
    for (const person of people) this.upsertPerson(person);
  }

  /** People on the register. */
  get size(): number {
    return this.people.size;
  }

  /** Identifiers matched on: accounts, e-mails, phones, handles (current and former) and names. */
  get identifierCount(): number {
    return this.identifiers;
  }

  has(personId: string): boolean {
    return this.people.has(personId);
  }

  /** Adds a person, or replaces everything indexed for them with what the register now says. */
  upsertPerson(person: RegisterPerson): IndexReport {
    this.removePerson(person.id);
    const added: PersonEntries = {
      accounts: [],
      emails: [],
      phones: [],
      handleKeys: [],
      nameKeys: [],
      identifiers: 0,
    };
    const unusable: UnusableIdentifier[] = [];

    for (const written of person.emails) {
      const email = canonicalEmail(written);
      if (!email.ok) unusable.push({ field: 'emails', value: written, message: email.message });
      else addExact(this.byEmail, email.canonical, person.id, added.emails, added);
    }
    for (const written of person.phones) {
      const phone = phoneToE164(written, this.defaultPhoneRegion);
      if (!phone.ok) unusable.push({ field: 'phones', value: written, message: phone.message });
      else addExact(this.byPhone, phone.e164, person.id, added.phones, added);
    }
    for (const account of person.socialAccounts) {
      // A register entry may know a handle but not yet the account id behind it.
      if (account.accountId.trim() !== '') {
        const key = accountKey(account.platform, account.accountId);
        if (key !== undefined) addExact(this.byAccount, key, person.id, added.accounts, added);
        else unusable.push({ field: 'socialAccounts', value: account.accountId, message: UNUSABLE_ACCOUNT });
      }
      const platform = account.platform.trim().toLowerCase();
      if (account.handle !== undefined)
        this.addHandle(person.id, platform, account.handle, false, added, unusable);
      for (const former of account.handleHistory ?? []) {
        this.addHandle(person.id, platform, former, true, added, unusable);
      }
    }
    const namesSeen = new Set<string>();
    for (const written of person.names) {
      const name = foldName(written);
      if (name === undefined) unusable.push({ field: 'names', value: written, message: UNUSABLE_NAME });
      else if (!namesSeen.has(name.folded)) {
        namesSeen.add(name.folded);
        this.addName({ personId: person.id, written, name }, added);
      }
    }

    this.people.set(person.id, compact(added));
    this.identifiers += added.identifiers;
    return { personId: person.id, indexed: added.identifiers, unusable };
  }

  private addHandle(
    personId: string,
    platform: string,
    handle: string,
    former: boolean,
    added: PersonEntries,
    unusable: UnusableIdentifier[],
  ): void {
    const folded = foldHandle(handle);
    if (!folded.ok) {
      unusable.push({ field: 'socialAccounts', value: handle, message: folded.message });
      return;
    }
    const { written, lookAlikeKey } = folded;
    const sameHandle = (h: RegisteredHandle) =>
      h.personId === personId && h.platform === platform && h.written === written;
    // The current handle is often in the history too: index it once, as current.
    if (this.byLookAlikeHandle.get(lookAlikeKey)?.some(sameHandle)) return;
    addToBucket(this.byLookAlikeHandle, lookAlikeKey, { personId, platform, written, lookAlikeKey, former });
    if (!added.handleKeys.includes(lookAlikeKey)) added.handleKeys.push(lookAlikeKey);
    added.identifiers++;
  }

  private addName(entry: RegisteredName, added: PersonEntries): void {
    for (const key of nameBlockingKeys(entry.name)) {
      addToBucket(this.byNameSound, key, entry);
      if (!added.nameKeys.includes(key)) added.nameKeys.push(key);
    }
    added.identifiers++;
  }

  /** Forgets a person (restriction lifted, entry deleted). False when they were not indexed. */
  removePerson(personId: string): boolean {
    const entries = this.people.get(personId);
    if (entries === undefined) return false;
    for (const key of entries.accounts) removeExact(this.byAccount, key, personId);
    for (const key of entries.emails) removeExact(this.byEmail, key, personId);
    for (const key of entries.phones) removeExact(this.byPhone, key, personId);
    for (const key of entries.handleKeys) removeFromBucket(this.byLookAlikeHandle, key, personId);
    for (const key of entries.nameKeys) removeFromBucket(this.byNameSound, key, personId);
    this.identifiers -= entries.identifiers;
    this.people.delete(personId);
    return true;
  }

  /** People whose register entry has this account (`accountKey`). */
  peopleWithAccount(key: string): readonly string[] {
    return this.byAccount.get(key) ?? NONE;
  }

  /** People with this canonical e-mail (`canonicalEmail`). */
  peopleWithEmail(canonical: string): readonly string[] {
    return this.byEmail.get(canonical) ?? NONE;
  }

  /** People with this E.164 number (`phoneToE164`). */
  peopleWithPhone(e164: string): readonly string[] {
    return this.byPhone.get(e164) ?? NONE;
  }

  /** Handles on the register with this look-alike key, on any platform. */
  handlesLike(lookAlikeKey: string): readonly RegisteredHandle[] {
    return this.byLookAlikeHandle.get(lookAlikeKey) ?? NONE;
  }

  /** Names on the register sharing this phonetic blocking key (`nameBlockingKeys`). */
  namesSoundingLike(key: string): readonly RegisteredName[] {
    return this.byNameSound.get(key) ?? NONE;
  }
}

const NONE: readonly never[] = Object.freeze([]);
const NO_KEYS: string[] = [];

/** New buckets hold exactly one entry: most keys belong to one person, and empty arrays reserve room for 16. */
function addToBucket<T>(map: Map<string, T[]>, key: string, entry: T): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, [entry]);
  else bucket.push(entry);
}

/** Counts an identifier once even when the register writes it twice ("Jo@x.org", "jo@x.org"). */
function addExact(
  map: Map<string, string[]>,
  key: string,
  personId: string,
  keys: string[],
  added: PersonEntries,
): void {
  if (map.get(key)?.includes(personId)) return;
  addToBucket(map, key, personId);
  keys.push(key);
  added.identifiers++;
}

/** What is kept per person for removal, in arrays of exactly their length (a register is mostly small entries). */
function compact(added: PersonEntries): PersonEntries {
  const exactly = (keys: string[]) => (keys.length === 0 ? NO_KEYS : keys.slice());
  return {
    accounts: exactly(added.accounts),
    emails: exactly(added.emails),
    phones: exactly(added.phones),
    handleKeys: exactly(added.handleKeys),
    nameKeys: exactly(added.nameKeys),
    identifiers: added.identifiers,
  };
}

function removeExact(map: Map<string, string[]>, key: string, personId: string): void {
  const remaining = (map.get(key) ?? []).filter((id) => id !== personId);
  if (remaining.length === 0) map.delete(key);
  else map.set(key, remaining);
}

function removeFromBucket<T extends { personId: string }>(
  map: Map<string, T[]>,
  key: string,
  personId: string,
): void {
  const remaining = (map.get(key) ?? []).filter((entry) => entry.personId !== personId);
  if (remaining.length === 0) map.delete(key);
  else map.set(key, remaining);
}
