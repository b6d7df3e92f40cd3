// Council time: meetings, deadlines and letters are stated in Europe/London wall-clock time
// (GMT in winter, BST in summer), while the rest of the system stores UTC instants.
// Pure: Intl's time-zone data only, no clock of its own.

export const COUNCIL_TIME_ZONE = 'Europe/London';

/** A day on the council's calendar, e.g. "2026-04-07" (ISO 8601, no time, no zone). */
export type CalendarDay = string;

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: COUNCIL_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const p of wallClockFormat.formatToParts(instant))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

/** Minutes London is ahead of UTC at that instant: 0 in GMT, 60 in BST. */
function londonOffsetMinutes(instant: Date): number {
  const w = wallClockAt(instant);
  const asIfUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asIfUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The London calendar day an instant falls on. */
export function londonDay(instant: Date): CalendarDay {
  const w = wallClockAt(instant);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The UTC instant of a London wall-clock time on a given day. The offset is taken at the
 * result itself (two passes), so a time just after a clock change uses the new offset.
 */
export function londonTimeOn(day: CalendarDay, hour: number, minute: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const asIfUtc = Date.UTC(y, m - 1, d, hour, minute);
  const firstGuess = asIfUtc - londonOffsetMinutes(new Date(asIfUtc)) * 60000;
  return new Date(asIfUtc - londonOffsetMinutes(new Date(firstGuess)) * 60000);
}

/** Calendar arithmetic on days, free of time zones (UTC noon keeps it clear of any edge). */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  const t = new Date(`${day}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Saturday or Sunday. */
export function isWeekend(day: CalendarDay): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: COUNCIL_TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** GOV.UK style date: "Tuesday 7 April 2026". */
export function formatCouncilDate(instant: Date): string {
  return dateFormat.format(instant).replace(',', '');
}

/** GOV.UK style time: "5pm", "5:30pm", "midday", "midnight" (style guide: no "17:00", no "5.00pm"). */
export function formatCouncilTime(instant: Date): string {
  const { hour, minute } = wallClockAt(instant);
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** "5pm on Thursday 2 April 2026", the form used in letters and deadlines. */
export function formatCouncilDateTime(instant: Date): string {
  return `${formatCouncilTime(instant)} on ${formatCouncilDate(instant)}`;
}
