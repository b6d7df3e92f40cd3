import { decideOnComment, DEFAULT_POLICY, type AuthorMatch } from './decide';
import type { Restriction } from './restriction';

const on1March = new Date('2026-03-01T10:00:00Z');
const block = (over: Partial<Restriction> = {}): Restriction => ({
  id: 'r1',
  personId: 'p1',
  kinds: ['social_media_block'],
  status: 'active',
  scope: { level: 'council' },
  approvedAt: new Date('2026-01-10T00:00:00Z'),
  reviewDue: new Date('2026-07-10T00:00:00Z'),
  ...over,
});
const match = (over: Partial<AuthorMatch> = {}): AuthorMatch => ({
  personId: 'p1',
  personName: 'John Smith',
  enforceable: true,
  rule: 'exact.account_id',
  detail: 'X account 42',
  restrictions: [block()],
  ...over,
});

describe('deciding on a comment', () => {
  it('on 1 March, a comment from an account with an active social-media block is hidden and the account blocked', () => {
    const d = decideOnComment({ matches: [match()], flags: [], policy: DEFAULT_POLICY, at: on1March });
    expect(d.outcome).toBe('hide');
    expect(d.actions).toEqual(['hide', 'block']);
    expect(d.personId).toBe('p1');
    expect(d.reasons[0]!.detail).toMatch(/John Smith/);
  });

  it('a comment from anyone else is left alone', () => {
    expect(decideOnComment({ matches: [], flags: [], policy: DEFAULT_POLICY, at: on1March }).outcome).toBe('none');
  });

  it('a lifted restriction stops hiding the person’s comments', () => {
    const lifted = match({ restrictions: [block({ status: 'lifted', liftedAt: new Date('2026-02-01T00:00:00Z') })] });
    expect(decideOnComment({ matches: [lifted], flags: [], policy: DEFAULT_POLICY, at: on1March }).outcome).toBe('none');
  });

  it('a proposed (not yet approved) restriction does nothing', () => {
    const proposed = match({ restrictions: [block({ status: 'proposed' })] });
    expect(decideOnComment({ matches: [proposed], flags: [], policy: DEFAULT_POLICY, at: on1March }).outcome).toBe('none');
  });

  it('a name-only match never acts: it waits for an officer', () => {
    const d = decideOnComment({ matches: [match({ enforceable: false, rule: 'name.phonetic' })], flags: [], policy: DEFAULT_POLICY, at: on1March });
    expect(d.outcome).toBe('officer_review');
    expect(d.actions).toEqual([]);
  });

  it('a restriction of another kind (phone times) does not hide comments', () => {
    const other = match({ restrictions: [block({ kinds: ['phone_days_times'] })] });
    expect(decideOnComment({ matches: [other], flags: [], policy: DEFAULT_POLICY, at: on1March }).outcome).toBe('none');
  });

  it('flagged content waits for an officer rather than being hidden automatically', () => {
    const d = decideOnComment({ matches: [], flags: [{ category: 'threat', score: 0.9, reason: 'threat of violence' }], policy: DEFAULT_POLICY, at: on1March });
    expect(d.outcome).toBe('officer_review');
    expect(d.actions).toEqual([]);
  });

  it('with automatic blocking switched off, the restricted comment is hidden only', () => {
    const d = decideOnComment({ matches: [match()], flags: [], policy: { ...DEFAULT_POLICY, autoBlockRestricted: false }, at: on1March });
    expect(d.actions).toEqual(['hide']);
  });
});
