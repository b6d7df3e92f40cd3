// Who on the register might this author be? Returns candidates with the evidence for each. Policy: a
// person is never blocked on a guess — only an exact platform account id, e-mail or phone, or an
// officer's confirmation, makes a match enforceable; names and handles only ask an officer.

import {
  canonicalEmail,
  foldHandle,
  foldName,
  nameBlockingKeys,
  nameSimilarity,
  NAME_SIMILARITY_THRESHOLD,
  phoneToE164,
} from '../identity';
import { decisionsFor, identifierKeyFor, type AuthorQuery, type OfficerDecision } from './officer-decision';
import { accountKey, type RegisteredName, type RegisterIndex } from './register-index';

export type MatchRule =
  | 'same_account_id'
  | 'same_email'
  | 'same_phone'
  | 'confirmed_by_officer'
  | 'same_handle'
  | 'former_handle'
  | 'lookalike_handle'
  | 'same_name'
  | 'sound_alike_name';

export interface MatchEvidence {
  identifier: 'platform_account' | 'email' | 'phone' | 'handle' | 'name' | 'officer_decision';
  rule: MatchRule;
  /** The author's value in the form compared: canonical e-mail, E.164, handle in lower case, folded name. */
  query: string;
  /** The register's value in the form compared. */
  register: string;
  /** What both were reduced to, where that is not the values themselves: a look-alike or phonetic key. */
  key?: string;
  /** For handles: the platform the register's handle is on. */
  platform?: string;
  score: number;
  enforceable: boolean;
}

export interface MatchCandidate {
  personId: string;
  /** 0..1. Exactly 1 only when enforceable; suggestions stay at or below SUGGESTION_SCORE_CAP. */
  score: number;
  enforceable: boolean;
  /** What happens next: enforced automatically, or put to an officer to confirm. */
  status: 'enforceable' | 'needs_confirmation';
  evidence: MatchEvidence[];
}

/** Weights for what only suggests a person. Handles change hands and names are shared, so none reaches 1. */
const SAME_HANDLE = 0.8;
const LOOKALIKE_HANDLE = 0.7;
const NAME = 0.6;
/** A handle used before, or used on another platform, may now be someone else's. */
const FORMER_HANDLE_FACTOR = 0.85;
const OTHER_PLATFORM_FACTOR = 0.75;
export const SUGGESTION_SCORE_CAP = 0.95;

/** An officer's list stays short; exact matches are never cut. */
export const MAX_SUGGESTIONS = 20;

/**
 * Candidates for one author, enforceable ones first, then by score. `decisions` are officers' earlier
 * answers (pass those for `identifierKeyFor(query)`; others are ignored): a rejected person is not
 * suggested again, a confirmed one is enforceable.
 */
export function matchAuthor(
  index: RegisterIndex,
  query: AuthorQuery,
  decisions: readonly OfficerDecision[] = [],
): MatchCandidate[] {
  const found: Found = new Map();
  if (query.platform !== undefined && query.accountId !== undefined) {
    const key = accountKey(query.platform, query.accountId);
    if (key !== undefined) {
      addExact(found, index.peopleWithAccount(key), 'platform_account', 'same_account_id', key);
    }
  }
  if (query.email !== undefined) {
    const email = canonicalEmail(query.email);
    if (email.ok)
      addExact(found, index.peopleWithEmail(email.canonical), 'email', 'same_email', email.canonical);
  }
  if (query.phone !== undefined) {
    const phone = phoneToE164(query.phone, index.defaultPhoneRegion);
    if (phone.ok) addExact(found, index.peopleWithPhone(phone.e164), 'phone', 'same_phone', phone.e164);
  }
  if (query.handle !== undefined) matchHandle(index, query, found);
  if (query.name !== undefined || query.displayName !== undefined) matchNames(index, query, found);

  if (decisions.length > 0) {
    const identifierKey = identifierKeyFor(query, index.defaultPhoneRegion);
    if (identifierKey !== undefined) {
      applyDecisions(index, identifierKey, decisionsFor(identifierKey, decisions), found);
    }
  }
  return rank(found);
}

/** The evidence gathered so far, per person. */
type Found = Map<string, MatchEvidence[]>;

function addEvidence(found: Found, personId: string, evidence: MatchEvidence): void {
  const list = found.get(personId);
  if (list === undefined) found.set(personId, [evidence]);
  else list.push(evidence);
}

/** An exact identifier compares canonical forms, so the author's and the register's are the same string. */
function addExact(
  found: Found,
  personIds: readonly string[],
  identifier: MatchEvidence['identifier'],
  rule: MatchRule,
  canonical: string,
): void {
  for (const personId of personIds) {
    addEvidence(found, personId, {
      identifier,
      rule,
      query: canonical,
      register: canonical,
      score: 1,
      enforceable: true,
    });
  }
}

function matchHandle(index: RegisterIndex, query: AuthorQuery, found: Found): void {
  const handle = foldHandle(query.handle ?? '');
  if (!handle.ok) return;
  const platform = query.platform?.trim().toLowerCase();
  for (const registered of index.handlesLike(handle.lookAlikeKey)) {
    const same = registered.written === handle.written;
    const rule = !same ? 'lookalike_handle' : registered.former ? 'former_handle' : 'same_handle';
    const score =
      (same ? SAME_HANDLE : LOOKALIKE_HANDLE) *
      (registered.former ? FORMER_HANDLE_FACTOR : 1) *
      (platform === undefined || platform === registered.platform ? 1 : OTHER_PLATFORM_FACTOR);
    addEvidence(found, registered.personId, {
      identifier: 'handle',
      rule,
      query: handle.written,
      register: registered.written,
      key: handle.lookAlikeKey,
      platform: registered.platform,
      score,
      enforceable: false,
    });
  }
}

/** Names are blocked on sound (only names sharing a phonetic key are compared), then scored. */
function matchNames(index: RegisterIndex, query: AuthorQuery, found: Found): void {
  const best = new Map<string, MatchEvidence>();
  const compared = new Set<RegisteredName>();
  const askedAbout = new Set<string>();
  for (const written of [query.name, query.displayName]) {
    const name = written === undefined ? undefined : foldName(written);
    if (name === undefined || askedAbout.has(name.folded)) continue;
    askedAbout.add(name.folded);
    for (const key of nameBlockingKeys(name)) {
      for (const registered of index.namesSoundingLike(key)) {
        if (compared.has(registered)) continue;
        compared.add(registered);
        const similarity = nameSimilarity(name, registered.name);
        if (similarity < NAME_SIMILARITY_THRESHOLD) continue;
        const score = NAME * similarity;
        const previous = best.get(registered.personId);
        if (previous !== undefined && previous.score >= score) continue;
        best.set(registered.personId, {
          identifier: 'name',
          rule: name.folded === registered.name.folded ? 'same_name' : 'sound_alike_name',
          query: name.folded,
          register: registered.name.folded,
          key,
          score,
          enforceable: false,
        });
      }
    }
  }
  for (const [personId, evidence] of best) addEvidence(found, personId, evidence);
}

function applyDecisions(
  index: RegisterIndex,
  identifierKey: string,
  outcomes: Map<string, OfficerDecision['outcome']>,
  found: Found,
): void {
  for (const [personId, outcome] of outcomes) {
    const evidence = found.get(personId);
    if (outcome === 'rejected') {
      // A rejection answers a suggestion. An exact identifier the register itself holds still binds:
      // if it is wrong, the register entry is what needs correcting.
      if (evidence !== undefined && !evidence.some(isEnforceable)) found.delete(personId);
      continue;
    }
    if (!index.has(personId)) continue;
    const confirmed: MatchEvidence = {
      identifier: 'officer_decision',
      rule: 'confirmed_by_officer',
      query: identifierKey,
      register: personId,
      score: 1,
      enforceable: true,
    };
    if (evidence === undefined) found.set(personId, [confirmed]);
    else evidence.push(confirmed);
  }
}

function rank(found: Found): MatchCandidate[] {
  const enforceable: MatchCandidate[] = [];
  const suggestions: MatchCandidate[] = [];
  for (const [personId, evidence] of found) {
    if (evidence.some(isEnforceable)) {
      enforceable.push({ personId, score: 1, enforceable: true, status: 'enforceable', evidence });
    } else {
      suggestions.push({
        personId,
        score: suggestionScore(evidence),
        enforceable: false,
        status: 'needs_confirmation',
        evidence,
      });
    }
  }
  if (suggestions.length === 0) return enforceable.length > 1 ? enforceable.sort(byScore) : enforceable;
  return [...enforceable.sort(byScore), ...suggestions.sort(byScore).slice(0, MAX_SUGGESTIONS)];
}

function isEnforceable(evidence: MatchEvidence): boolean {
  return evidence.enforceable;
}

/**
 * Hints of different kinds add up (noisy-or): a look-alike handle and a matching name beat either
 * alone. Two hints of one kind (a handle on two platforms) are one hint: only the strongest counts.
 */
function suggestionScore(evidence: MatchEvidence[]): number {
  const strongest = new Map<MatchEvidence['identifier'], number>();
  for (const e of evidence) strongest.set(e.identifier, Math.max(e.score, strongest.get(e.identifier) ?? 0));
  let doubt = 1;
  for (const score of strongest.values()) doubt *= 1 - score;
  return Math.min(SUGGESTION_SCORE_CAP, 1 - doubt);
}

function byScore(a: MatchCandidate, b: MatchCandidate): number {
  return b.score - a.score || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0);
}
