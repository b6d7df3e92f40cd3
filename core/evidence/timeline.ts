// Times as a police officer reads them in an evidence report (UTC and UK local time side by
// side) and the messages-per-week tally behind the report's timeline chart. Weeks start on
// Monday in UK local time (Europe/London), as the council's calendar does.

const ukParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

function partsOf(instant: Date): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const p of ukParts.formatToParts(instant)) parts[p.type] = p.value;
  return parts;
}

/** "2026-03-01 14:05:09 UTC" */
export function utcTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "01/03/2026 14:05:09 GMT" or "… BST": the wall clock in the UK at that instant. */
export function ukLocalTime(instant: Date): string {
  const p = partsOf(instant);
  // en-GB names the zone "GMT" in winter and "BST" in summer.
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** The Monday (UK calendar day, "YYYY-MM-DD") of the week an instant falls in. */
export function weekStarting(instant: Date): string {
  const p = partsOf(instant);
  const day = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), 12));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

export interface WeekCount {
  weekStarting: string;
  count: number;
}

/** Adds one message to a running tally keyed by week (kept small: one number per week). */
export function tallyWeek(tally: Map<string, number>, instant: Date): void {
  const week = weekStarting(instant);
  tally.set(week, (tally.get(week) ?? 0) + 1);
}

/** Every week from the first to the last in the tally, quiet weeks included as 0. */
export function messagesPerWeek(tally: ReadonlyMap<string, number>): WeekCount[] {
  const weeks = [...tally.keys()].sort();
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  if (first === undefined || last === undefined) return [];
  const out: WeekCount[] = [];
  for (
    let d = new Date(`${first}T12:00:00Z`);
    d.toISOString().slice(0, 10) <= last;
    d.setUTCDate(d.getUTCDate() + 7)
  ) {
    const week = d.toISOString().slice(0, 10);
    out.push({ weekStarting: week, count: tally.get(week) ?? 0 });
  }
  return out;
}

/** A chart helps when the items span several weeks (a bulk pack of one person across months). */
export const TIMELINE_MIN_WEEKS = 4;
