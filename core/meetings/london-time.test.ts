import {
  formatCouncilDate,
  formatCouncilDateTime,
  formatCouncilTime,
  londonDay,
  londonTimeOn,
} from './london-time';

describe('council time is London time, written the GOV.UK way', () => {
  test.each([
    ['2026-06-10T16:00:00Z', '5pm'],
    ['2026-06-10T16:30:00Z', '5:30pm'],
    ['2026-06-10T11:00:00Z', 'midday'],
    ['2026-06-09T23:00:00Z', 'midnight'],
    ['2026-01-10T09:05:00Z', '9:05am'],
    ['2026-01-10T12:45:00Z', '12:45pm'],
  ])('%s is %s', (instant, expected) => {
    expect(formatCouncilTime(new Date(instant))).toBe(expected);
  });

  test('dates carry the weekday, no commas', () => {
    expect(formatCouncilDate(new Date('2026-12-24T17:00:00Z'))).toBe('Thursday 24 December 2026');
    expect(formatCouncilDateTime(new Date('2026-12-24T17:00:00Z'))).toBe('5pm on Thursday 24 December 2026');
  });

  test.each([
    ['2026-01-15', 17, 0, '2026-01-15T17:00:00.000Z', 'GMT in winter'],
    ['2026-07-15', 17, 0, '2026-07-15T16:00:00.000Z', 'BST in summer'],
    ['2026-03-29', 2, 30, '2026-03-29T01:30:00.000Z', 'a time the clocks skip moves forward to BST'],
    ['2026-10-25', 17, 0, '2026-10-25T17:00:00.000Z', 'the afternoon the clocks go back is GMT'],
  ])('%s %i:%i London is %s (%s)', (day, hour, minute, utc) => {
    expect(londonTimeOn(day, hour, minute).toISOString()).toBe(utc);
  });

  test('late evening in BST is still the London day, not the UTC one', () => {
    expect(londonDay(new Date('2026-06-09T23:30:00Z'))).toBe('2026-06-10');
  });
});
