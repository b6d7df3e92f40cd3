import { messagesPerWeek, tallyWeek, ukLocalTime, utcTime, weekStarting } from './timeline';

describe('times in an evidence report', () => {
  it.each([
    ['2026-01-15T14:05:09Z', '2026-01-15 14:05:09 UTC', '15/01/2026 14:05:09 GMT'],
    ['2026-07-15T14:05:09Z', '2026-07-15 14:05:09 UTC', '15/07/2026 15:05:09 BST'],
    // The clocks went forward at 01:00 UTC on 29 March 2026.
    ['2026-03-29T00:59:59Z', '2026-03-29 00:59:59 UTC', '29/03/2026 00:59:59 GMT'],
    ['2026-03-29T01:00:00Z', '2026-03-29 01:00:00 UTC', '29/03/2026 02:00:00 BST'],
  ])('%s is shown as %s and %s', (iso, utc, uk) => {
    expect(utcTime(new Date(iso))).toBe(utc);
    expect(ukLocalTime(new Date(iso))).toBe(uk);
  });
});

describe('messages per week', () => {
  it.each([
    ['2026-03-02T00:30:00Z', '2026-03-02'], // a Monday
    ['2026-03-08T22:00:00Z', '2026-03-02'], // Sunday night
    ['2026-06-07T23:30:00Z', '2026-06-08'], // Sunday 23:30 UTC is Monday 00:30 BST
  ])('%s falls in the week starting %s (UK time)', (iso, monday) => {
    expect(weekStarting(new Date(iso))).toBe(monday);
  });

  it('counts each week from the first to the last, quiet weeks as 0', () => {
    const tally = new Map<string, number>();
    for (const iso of ['2026-03-03T10:00:00Z', '2026-03-04T10:00:00Z', '2026-03-24T10:00:00Z'])
      tallyWeek(tally, new Date(iso));
    expect(messagesPerWeek(tally)).toEqual([
      { weekStarting: '2026-03-02', count: 2 },
      { weekStarting: '2026-03-09', count: 0 },
      { weekStarting: '2026-03-16', count: 0 },
      { weekStarting: '2026-03-23', count: 1 },
    ]);
    expect(messagesPerWeek(new Map())).toEqual([]);
  });
});
