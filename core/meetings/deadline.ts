// The registration deadline for speaking at a public meeting: by default 5pm two working days
// before the meeting, in London time. Pure: bank holidays come from an injected calendar
// (wire in `englandBankHolidays()` from ./england-bank-holidays), never from a typed-in list.

import { z } from 'zod';
import { addDays, isWeekend, londonDay, londonTimeOn, type CalendarDay } from './london-time';

/** The council's standing orders for the deadline, read from configuration. */
export interface RegistrationDeadlineRule {
  /** Working days counted back from the meeting day; the meeting day itself never counts. */
  workingDaysBefore: number;
  /** London wall-clock time on that day, 24-hour "HH:MM". */
  time: string;
}

/** Standing orders: "by 5pm two working days before the meeting". */
export const DEFAULT_REGISTRATION_DEADLINE_RULE: RegistrationDeadlineRule = {
  workingDaysBefore: 2,
  time: '17:00',
};

/** For the configuration loader: a bad setting stops start-up with a message naming what was expected. */
export const registrationDeadlineRuleSchema = z.object({
  workingDaysBefore: z
    .number()
    .int('workingDaysBefore must be a whole number of working days')
    .min(0, 'workingDaysBefore cannot be negative')
    .max(30, 'workingDaysBefore must be 30 or fewer'),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be a 24-hour London time like 17:00'),
});

/** Which days are bank holidays where the council is (England). */
export interface BankHolidayCalendar {
  isBankHoliday(day: CalendarDay): boolean;
}

export function isWorkingDay(day: CalendarDay, calendar: BankHolidayCalendar): boolean {
  return !isWeekend(day) && !calendar.isBankHoliday(day);
}

/** The day `count` working days before `day` (not counting `day` itself). */
export function workingDaysBefore(
  day: CalendarDay,
  count: number,
  calendar: BankHolidayCalendar,
): CalendarDay {
  let cursor = day;
  let remaining = count;
  while (remaining > 0) {
    cursor = addDays(cursor, -1);
    if (isWorkingDay(cursor, calendar)) remaining -= 1;
  }
  return cursor;
}

/** The last moment (UTC) a speaking request for a meeting starting at `meetingStart` is on time. */
export function registrationDeadline(
  meetingStart: Date,
  rule: RegistrationDeadlineRule,
  calendar: BankHolidayCalendar,
): Date {
  const { workingDaysBefore: count, time } = registrationDeadlineRuleSchema.parse(rule);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const deadlineDay = workingDaysBefore(londonDay(meetingStart), count, calendar);
  return londonTimeOn(deadlineDay, hour, minute);
}

/** "By 5pm": a request received at exactly the deadline is on time. */
export function isLate(
  submittedAt: Date,
  meetingStart: Date,
  rule: RegistrationDeadlineRule,
  calendar: BankHolidayCalendar,
): boolean {
  return submittedAt.getTime() > registrationDeadline(meetingStart, rule, calendar).getTime();
}
