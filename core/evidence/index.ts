// Evidence for police referrals: exhibits, referral cases, the hash-chained audit trail and the
// signed pack manifest. Pure: no I/O and no clock; documents/evidence writes the pack.

export * from './canonical-json';
export * from './digest';
export * from './evidence-item';
export * from './referral';
export * from './audit-chain';
export * from './manifest';
export * from './timeline';
