// When a restriction must next be reviewed. Policy §15: reviewed at least every six months, so the
// date is worked out from the approval (or the last review), never typed. Pure: the instant is passed in.
import { londonDay, londonTimeOn, type CalendarDay } from '../meetings/london-time';

/** Policy §15: the longest a restriction may go without a review. */
export const MAX_REVIEW_MONTHS = 6;

/** The periods an authorising officer may choose from; six months is the policy's ceiling. */
export const REVIEW_PERIODS_IN_MONTHS = [1, 2, 3, 4, 5, 6] as const;

/** The same day of the month `months` later, or that month's last day when it is shorter (31 August → 28 February). */
export function addCalendarMonths(day: CalendarDay, months: number): CalendarDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/**
 * The review date `months` after `from`: the start of that London calendar day, so it never falls
 * later than six months after the decision, whatever the time of day the decision was made.
 */
export function reviewDueAfter(from: Date, months: number): Date {
  if (!Number.isInteger(months) || months < 1 || months > MAX_REVIEW_MONTHS) {
    throw new RangeError(`a review period must be a whole number of months from 1 to ${MAX_REVIEW_MONTHS}`);
  }
  return londonTimeOn(addCalendarMonths(londonDay(from), months), 0, 0);
}

/** True when `reviewDue` is no later than six months (by the London calendar) after `from`. */
export function isWithinReviewCeiling(from: Date, reviewDue: Date): boolean {
  return londonDay(reviewDue) <= addCalendarMonths(londonDay(from), MAX_REVIEW_MONTHS);
}
