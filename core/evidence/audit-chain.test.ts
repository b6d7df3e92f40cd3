import { auditEntryHash, nextAuditEntry, verifyAuditChain, type AuditEntry } from './audit-chain';

function chainOf(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(
      nextAuditEntry(entries[i - 1], {
        at: new Date(Date.UTC(2026, 2, 1, 9, i)),
        actor: 'officer-3',
        action: 'referral.note_added',
        subject: { type: 'referral', id: 'PR-1' },
        details: { n: i },
      }),
    );
  }
  return entries;
}

describe('the hash-chained audit trail', () => {
  it('links each entry to the one before, starting from no previous hash', () => {
    const [first, second] = chainOf(2);
    expect(first!.seq).toBe(1);
    expect(first!.prevHash).toBe('0'.repeat(64));
    expect(second!.prevHash).toBe(first!.hash);
    expect(verifyAuditChain(chainOf(5))).toEqual({ ok: true, entries: 5 });
  });

  it('hashes the same whether the time is a Date or its ISO text read back from a file', () => {
    const [entry] = chainOf(1);
    const fromFile = JSON.parse(JSON.stringify(entry)) as AuditEntry;
    expect(auditEntryHash(fromFile)).toBe(entry!.hash);
  });

  it('accepts a case segment of a longer log: the first prevHash points outside the segment', () => {
    expect(verifyAuditChain(chainOf(6).slice(2))).toEqual({ ok: true, entries: 4 });
  });

  const tampering: [string, (entries: AuditEntry[]) => AuditEntry[], { brokenAt: number; problem: string }][] = [
    [
      'an edited detail',
      (e) => e.map((x, i) => (i === 2 ? { ...x, details: { n: 99 } } : x)),
      { brokenAt: 3, problem: 'entry_altered' },
    ],
    [
      'an edited actor',
      (e) => e.map((x, i) => (i === 1 ? { ...x, actor: 'someone-else' } : x)),
      { brokenAt: 2, problem: 'entry_altered' },
    ],
    ['a removed entry', (e) => e.filter((_, i) => i !== 2), { brokenAt: 4, problem: 'sequence_gap' }],
    ['two entries swapped', (e) => [e[0]!, e[2]!, e[1]!, e[3]!], { brokenAt: 3, problem: 'sequence_gap' }],
    [
      'an entry rewritten with a fresh hash',
      (e) =>
        e.map((x, i) =>
          i === 1
            ? { ...x, action: 'nothing.happened', hash: auditEntryHash({ ...x, action: 'nothing.happened' }) }
            : x,
        ),
      { brokenAt: 3, problem: 'link_broken' },
    ],
  ];
  it.each(tampering)('detects %s and names the first broken entry', (_name, tamper, expected) => {
    expect(verifyAuditChain(tamper(chainOf(4)))).toMatchObject({ ok: false, ...expected });
  });
});
