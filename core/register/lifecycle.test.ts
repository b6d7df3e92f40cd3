import { Conflict, Forbidden, ValidationFailed } from '../errors';
import { londonDay } from '../meetings/london-time';
import { parseOrThrow, proposalInputSchema, registerFiltersSchema } from './input';
import { approve, end, proposal, review } from './lifecycle';
import { addCalendarMonths, isWithinReviewCeiling, reviewDueAfter } from './review-date';
import { reviewsDue } from './reviews-due';
import { spreadsheetSafe } from './review-meeting';

const head = { username: 'sam.okafor', roles: ['authorising_officer'] };
const deputy = { username: 'ann.lewis', roles: ['authorising_officer'] };
const moderator = { username: 'jo.patel', roles: ['moderator'] };
const proposed = {
  status: 'proposed' as const,
  proposedBy: 'jo.patel',
  reason: 'Threatening posts about staff',
  kinds: ['social_media_block' as const],
};
const on1March = new Date('2026-03-01T14:30:00Z');

describe('the life of a restriction', () => {
  it('a service proposes it, with who and why recorded', () => {
    const p = proposal(moderator, on1March, 'Threatening posts about staff');
    expect(p.status).toBe('proposed');
    expect(p.history).toEqual([
      { from: 'none', to: 'proposed', at: on1March, by: 'jo.patel', reason: 'Threatening posts about staff' },
    ]);
  });

  it('an authorising officer approves it, and the review date is worked out: six months on', () => {
    const move = approve(proposed, head, on1March, {
      reviewInMonths: 6,
      reason: 'Proportionate: repeated threats',
    });
    expect(move.to).toBe('active');
    expect(move.set.approvedBy).toBe('sam.okafor');
    expect(londonDay(move.set.reviewDue!)).toBe('2026-09-01');
    expect(move.change).toMatchObject({ from: 'proposed', to: 'active', by: 'sam.okafor' });
  });

  test.each([
    ['a moderator cannot approve', moderator, Forbidden],
    [
      'an authorising officer cannot approve their own proposal',
      { ...head, username: 'jo.patel' },
      Forbidden,
    ],
  ])('%s', (_name, officer, error) => {
    expect(() => approve(proposed, officer, on1March, { reviewInMonths: 6, reason: 'x' })).toThrow(error);
  });

  test.each([0, 7, 12, 2.5])('a review period of %s months is refused', (months) => {
    expect(() => approve(proposed, head, on1March, { reviewInMonths: months, reason: 'x' })).toThrow(
      ValidationFailed,
    );
  });

  it('approval needs a reason, and only a proposal can be approved', () => {
    expect(() => approve(proposed, head, on1March, { reviewInMonths: 6, reason: '  ' })).toThrow(
      ValidationFailed,
    );
    expect(() =>
      approve({ ...proposed, status: 'active' }, head, on1March, { reviewInMonths: 6, reason: 'x' }),
    ).toThrow(Conflict);
  });

  it('a review keeps it with a new date at most six months on, or lifts it', () => {
    const kept = review({ status: 'active' }, deputy, on1March, {
      outcome: 'continue',
      reasons: 'Still threatening',
      nextReviewInMonths: 3,
    });
    expect(kept.to).toBe('reviewed');
    expect(londonDay(kept.review!.nextReviewDue!)).toBe('2026-06-01');
    const lifted = review({ status: 'reviewed' }, deputy, on1March, {
      outcome: 'lift',
      reasons: 'No contact for a year',
    });
    expect(lifted.set).toMatchObject({ status: 'lifted', liftReason: 'No contact for a year' });
    expect(() =>
      review({ status: 'active' }, deputy, on1March, {
        outcome: 'continue',
        reasons: 'x',
        nextReviewInMonths: 9,
      }),
    ).toThrow(ValidationFailed);
    expect(() =>
      review({ status: 'proposed' }, deputy, on1March, {
        outcome: 'continue',
        reasons: 'x',
        nextReviewInMonths: 3,
      }),
    ).toThrow(Conflict);
  });

  it('lifting needs a reason and an authorising officer', () => {
    expect(() => end({ status: 'active' }, deputy, on1March, { ending: 'lifted', reason: '' })).toThrow(
      ValidationFailed,
    );
    expect(() => end({ status: 'active' }, moderator, on1March, { ending: 'lifted', reason: 'x' })).toThrow(
      Forbidden,
    );
    expect(end({ status: 'active' }, deputy, on1March, { ending: 'expired', reason: 'Term ended' }).to).toBe(
      'expired',
    );
    expect(() => end({ status: 'lifted' }, deputy, on1March, { ending: 'lifted', reason: 'x' })).toThrow(
      Conflict,
    );
  });
});

describe('review dates (policy §15: at least every six months)', () => {
  test.each([
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-12-15', 3, '2027-03-15'],
  ])('%s plus %i months is %s', (day, months, expected) => {
    expect(addCalendarMonths(day, months)).toBe(expected);
  });

  it('a decision late in the evening in summer still gets a date within six months', () => {
    const late = new Date('2026-06-30T22:30:00Z'); // 11.30pm on 30 June in London
    const due = reviewDueAfter(late, 6);
    expect(londonDay(due)).toBe('2026-12-30');
    expect(isWithinReviewCeiling(late, due)).toBe(true);
    expect(isWithinReviewCeiling(late, new Date('2027-01-01T12:00:00Z'))).toBe(false);
  });
});

describe('reviews due', () => {
  const at = new Date('2026-03-10T09:00:00Z');
  const r = (id: string, reviewDue: string, status: 'active' | 'lifted' = 'active') => ({
    id,
    status,
    reviewDue: new Date(reviewDue),
  });
  it('lists the overdue and those due within 14 days, most urgent first', () => {
    const due = reviewsDue(
      [
        r('later', '2026-04-30T00:00:00Z'),
        r('soon', '2026-03-20T00:00:00Z'),
        r('late', '2026-03-01T00:00:00Z'),
        r('gone', '2026-03-02T00:00:00Z', 'lifted'),
        r('today', '2026-03-10T00:00:00Z'),
      ],
      at,
    );
    expect(due.map((d) => [d.restriction.id, d.state, d.daysLeft])).toEqual([
      ['late', 'overdue', -9],
      ['today', 'due_soon', 0],
      ['soon', 'due_soon', 10],
    ]);
  });
});

describe('what an officer may enter', () => {
  const base = {
    names: ['Robin Grey'],
    kinds: ['social_media_block'],
    reason: 'Threats',
    proposingService: 'Customer Services',
  };
  const parse = (v: object) => parseOrThrow(proposalInputSchema(on1March), { ...base, ...v });
  test.each([
    ['an e-mail address that is not one', { emails: ['robin@'] }, 'emails'],
    ['a telephone number that is not one', { phones: ['12'] }, 'phones'],
    ['a date that does not exist', { incidentOn: '2026-02-30', incidentDescription: 'x' }, 'incidentOn'],
    ['a date in the future', { incidentOn: '2026-03-02', incidentDescription: 'x' }, 'incidentOn'],
    ['an operator where a name should be', { names: [{ $gt: '' }] }, 'names'],
    ['a review date typed in', { reviewDue: '2027-03-01' }, 'reviewDue'],
    ['telephone days with no times', { kinds: ['phone_days_times'], phoneDays: ['monday'] }, 'phoneFrom'],
    ['a named contact kind with no one named', { kinds: ['named_contact'] }, 'contactName'],
  ])('refuses %s, naming the field', (_name, v, field) => {
    try {
      parse(v);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      expect((e as ValidationFailed).field).toBe(field);
    }
  });

  it('refuses filters that are not plain choices', () => {
    expect(() => parseOrThrow(registerFiltersSchema, { 'status[$ne]': 'x' })).toThrow(ValidationFailed);
    expect(() => parseOrThrow(registerFiltersSchema, { status: ['active', 'lifted'] })).toThrow(
      ValidationFailed,
    );
    expect(parseOrThrow(registerFiltersSchema, { status: '', q: 'grey' })).toEqual({ q: 'grey' });
  });

  it('writes a cell a spreadsheet would run as a formula as text', () => {
    expect(spreadsheetSafe('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(spreadsheetSafe('Robin Grey')).toBe('Robin Grey');
  });
});
