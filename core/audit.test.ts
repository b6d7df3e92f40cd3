import { auditEntryHash, checkAuditChain, GENESIS_HASH, type AuditEntry } from './audit';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const body = {
      seq: i,
      at: new Date(Date.UTC(2026, 0, 1, 9, i)),
      actor: 'moderator1',
      action: 'comment.hidden',
      subject: { type: 'comment', id: `c${i}` },
      details: { reason: 'restricted customer', n: i },
      prevHash: prev,
    };
    const e = { ...body, hash: auditEntryHash(body) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

describe('the audit chain', () => {
  it('accepts an untouched log', () => {
    expect(checkAuditChain(chain(5))).toEqual({ ok: true, entries: 5 });
  });

  it.each([
    ['an edited detail', (c: AuditEntry[]) => (c[2]!.details = { reason: 'edited' }), 3, /changed after it was written/],
    ['an edited actor', (c: AuditEntry[]) => (c[1]!.actor = 'someone-else'), 2, /changed/],
    ['a removed entry', (c: AuditEntry[]) => c.splice(3, 1), 5, /missing or out of order/],
    ['a re-hashed edit (the next link breaks)', (c: AuditEntry[]) => {
      c[1]!.actor = 'x';
      c[1]!.hash = auditEntryHash(c[1]!);
    }, 3, /does not point at the hash/],
  ])('reports the first broken link after %s', (_name, tamper, brokenAt, reason) => {
    const c = chain(5);
    tamper(c);
    const r = checkAuditChain(c);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.brokenAt).toBe(brokenAt);
      expect(r.reason).toMatch(reason);
    }
  });
});
