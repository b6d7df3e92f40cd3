// The identity-matching engine: the register index and the matching of an author against it.
// Pure: no I/O, no clock; the caller loads the register and officers' decisions and passes them in.

export {
  RegisterIndex,
  accountKey,
  type RegisteredHandle,
  type RegisteredName,
  type IndexReport,
  type UnusableIdentifier,
  type RegisterIndexOptions,
} from './register-index';
export { identifierKeyFor, decisionsFor, type AuthorQuery, type OfficerDecision } from './officer-decision';
export {
  matchAuthor,
  MAX_SUGGESTIONS,
  SUGGESTION_SCORE_CAP,
  type MatchCandidate,
  type MatchEvidence,
  type MatchRule,
} from './match-author';
