import {
  DEFAULT_REGISTRATION_DEADLINE_RULE,
  isLate,
  registrationDeadline,
  registrationDeadlineRuleSchema,
  type BankHolidayCalendar,
} from './deadline';
import { englandBankHolidays } from './england-bank-holidays';
import { formatCouncilDateTime } from './london-time';

const england = englandBankHolidays();
const noBankHolidays: BankHolidayCalendar = { isBankHoliday: () => false };
const rule = DEFAULT_REGISTRATION_DEADLINE_RULE;

describe('the registration deadline: 5pm two working days before the meeting (London time)', () => {
  test.each([
    // meeting start (UTC)         deadline (UTC)               why
    ['2026-06-10T18:00:00Z', '2026-06-08T16:00:00Z', 'a Wednesday meeting: Monday 5pm BST'],
    [
      '2026-06-08T18:00:00Z',
      '2026-06-04T16:00:00Z',
      'a Monday meeting: the weekend is skipped, Thursday 5pm',
    ],
    [
      '2026-05-26T18:00:00Z',
      '2026-05-21T16:00:00Z',
      'the Tuesday after the Spring bank holiday: the previous Thursday',
    ],
    [
      '2026-04-07T18:00:00Z',
      '2026-04-01T16:00:00Z',
      'the Tuesday after Easter: Good Friday and Easter Monday skipped',
    ],
    [
      '2026-12-29T18:00:00Z',
      '2026-12-23T17:00:00Z',
      'after Christmas and the Boxing Day substitute: 23 December, GMT',
    ],
    ['2026-12-30T18:00:00Z', '2026-12-24T17:00:00Z', 'Wednesday 30 December: Christmas Eve is a working day'],
    ['2027-01-04T18:00:00Z', '2026-12-30T17:00:00Z', "a Monday after New Year's Day: the previous Wednesday"],
    [
      '2027-01-05T18:00:00Z',
      '2026-12-31T17:00:00Z',
      "Tuesday 5 January: New Year's Eve, across the year end",
    ],
    [
      '2023-05-10T18:00:00Z',
      '2023-05-05T16:00:00Z',
      "a one-off bank holiday (the King's Coronation, 8 May 2023)",
    ],
    [
      '2026-03-30T17:00:00Z',
      '2026-03-26T17:00:00Z',
      'clocks go forward on 29 March: the deadline is 5pm GMT',
    ],
    ['2026-04-01T17:00:00Z', '2026-03-30T16:00:00Z', 'the week the clocks went forward: Monday 5pm is BST'],
    ['2026-10-27T19:00:00Z', '2026-10-23T16:00:00Z', 'clocks go back on 25 October: Friday 5pm is still BST'],
    ['2026-10-28T19:00:00Z', '2026-10-26T17:00:00Z', 'the week the clocks went back: Monday 5pm is GMT'],
    [
      '2026-06-09T22:30:00Z',
      '2026-06-05T16:00:00Z',
      'a meeting at 11:30pm BST Tuesday is on the London Tuesday',
    ],
  ])('meeting %s → deadline %s (%s)', (meeting, deadline) => {
    expect(registrationDeadline(new Date(meeting), rule, england).toISOString()).toBe(
      new Date(deadline).toISOString(),
    );
  });

  test('the same Tuesday after a bank holiday with no holidays in the calendar is Friday', () => {
    expect(registrationDeadline(new Date('2026-05-26T18:00:00Z'), rule, noBankHolidays).toISOString()).toBe(
      '2026-05-22T16:00:00.000Z',
    );
  });

  test('the deadline reads as the council writes it', () => {
    const deadline = registrationDeadline(new Date('2026-05-26T18:00:00Z'), rule, england);
    expect(formatCouncilDateTime(deadline)).toBe('5pm on Thursday 21 May 2026');
  });

  test('the rule is configurable: noon three working days before', () => {
    const deadline = registrationDeadline(
      new Date('2026-06-10T18:00:00Z'),
      { workingDaysBefore: 3, time: '12:00' },
      england,
    );
    expect(formatCouncilDateTime(deadline)).toBe('midday on Friday 5 June 2026');
  });
});

describe('a late speaking request', () => {
  const meeting = new Date('2026-05-26T18:00:00Z'); // deadline 5pm BST Thursday 21 May
  test.each([
    ['2026-05-21T15:59:59Z', false, 'a second before 5pm'],
    ['2026-05-21T16:00:00Z', false, 'exactly 5pm counts as "by 5pm"'],
    ['2026-05-21T16:00:01Z', true, 'a second after 5pm'],
    ['2026-05-25T09:00:00Z', true, 'on the bank holiday'],
  ])('submitted %s → late %s (%s)', (submittedAt, late) => {
    expect(isLate(new Date(submittedAt), meeting, rule, england)).toBe(late);
  });
});

describe('a bad deadline setting is refused with a message naming what was expected', () => {
  test.each([
    [{ workingDaysBefore: 2, time: '5pm' }, 'time must be a 24-hour London time like 17:00'],
    [{ workingDaysBefore: -1, time: '17:00' }, 'workingDaysBefore cannot be negative'],
    [{ workingDaysBefore: 1.5, time: '17:00' }, 'workingDaysBefore must be a whole number of working days'],
  ])('%j', (setting, message) => {
    const result = registrationDeadlineRuleSchema.safeParse(setting);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});

describe('the England bank-holiday calendar (date-holidays, GB/ENG)', () => {
  test.each([
    ['2026-12-25', true],
    ['2026-12-28', true], // Boxing Day substitute
    ['2027-01-01', true],
    ['2026-05-25', true],
    ['2026-03-15', false], // Mother's Day is an observance, not a bank holiday
    ['2026-03-17', false], // St Patrick's Day is a Northern Ireland bank holiday only
    ['2026-11-30', false], // St Andrew's Day is Scotland's
  ])('%s is a bank holiday: %s', (day, expected) => {
    expect(england.isBankHoliday(day)).toBe(expected);
  });
});
