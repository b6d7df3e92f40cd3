// Which restrictions are due for review: overdue, or due within the next fortnight (policy §15:
// reviewed at least every six months). Days are London calendar days. Pure: `at` is passed in.
import { addDays, londonDay } from '../meetings/london-time';
import { isInForce, type Restriction } from '../restriction';

/** How far ahead the "Reviews due" page and the daily reminder look. */
export const REVIEW_WARNING_DAYS = 14;

export interface ReviewDue<R> {
  restriction: R;
  state: 'overdue' | 'due_soon';
  /** Days until the review date: negative when overdue, 0 on the day. */
  daysLeft: number;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

/** Restrictions in force whose review date is past or within `withinDays`, most urgent first. */
export function reviewsDue<R extends Pick<Restriction, 'status' | 'reviewDue' | 'liftedAt'>>(
  restrictions: readonly R[],
  at: Date,
  withinDays = REVIEW_WARNING_DAYS,
): ReviewDue<R>[] {
  const today = londonDay(at);
  const horizon = addDays(today, withinDays);
  const due: ReviewDue<R>[] = [];
  for (const restriction of restrictions) {
    if (!restriction.reviewDue || !isInForce(restriction, at)) continue;
    const day = londonDay(restriction.reviewDue);
    if (day > horizon) continue;
    // On the day itself the review is due, not yet overdue.
    due.push({ restriction, state: day < today ? 'overdue' : 'due_soon', daysLeft: daysBetween(today, day) });
  }
  return due.sort((a, b) => a.daysLeft - b.daysLeft);
}
