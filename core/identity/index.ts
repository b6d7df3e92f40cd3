// Identity normalisation: the forms in which a register entry and an author are compared.
// Pure functions: no I/O, no clock, and no input makes them throw.

export { foldText, replaceLookAlikes } from './text';
export { foldHandle, MAX_HANDLE_LENGTH, type HandleResult } from './handle';
export { canonicalEmail, type EmailResult } from './email';
export { phoneToE164, DEFAULT_PHONE_REGION, type PhoneResult } from './phone';
export {
  foldName,
  nameBlockingKeys,
  nameSimilarity,
  NAME_SIMILARITY_THRESHOLD,
  type FoldedName,
} from './name';
