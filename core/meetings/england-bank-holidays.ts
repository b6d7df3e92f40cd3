// The bank-holiday calendar for England, from the `date-holidays` package (country GB, region
// ENG): substitute days and one-off holidays included, no hand-typed dates. Deterministic and
// free of I/O, but kept apart from the rules so tests and other regions can inject their own.
// Wired in by the callers of deadline.ts (the meetings worker and the speaking-request route).

import Holidays from 'date-holidays';
import type { BankHolidayCalendar } from './deadline';
import type { CalendarDay } from './london-time';

/** Bank holidays are date-holidays' "public" type; observances (Mother's Day…) are working days. */
const BANK_HOLIDAY_TYPES = new Set(['public', 'bank']);

export function englandBankHolidays(): BankHolidayCalendar {
  const holidays = new Holidays('GB', 'ENG');
  const byYear = new Map<number, Set<CalendarDay>>();
  const daysIn = (year: number): Set<CalendarDay> => {
    let days = byYear.get(year);
    if (!days) {
      // `date` is the local (Europe/London) day as "YYYY-MM-DD hh:mm:ss".
      days = new Set(
        holidays
          .getHolidays(year)
          .filter((h) => BANK_HOLIDAY_TYPES.has(h.type))
          .map((h) => h.date.slice(0, 10)),
      );
      byYear.set(year, days);
    }
    return days;
  };
  return { isBankHoliday: (day) => daysIn(Number(day.slice(0, 4))).has(day) };
}
