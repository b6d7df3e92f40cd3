// The per-kind details of a restriction in words, for the written confirmation and for staff
// (policy §14: the customer is told how and when they may contact the council).
import type { RestrictionKind } from '../restriction';
import { WEEKDAYS, type KindDetails, type Weekday } from './types';

const DAY_NAMES: Record<Weekday, string> = {
  monday: 'Mondays',
  tuesday: 'Tuesdays',
  wednesday: 'Wednesdays',
  thursday: 'Thursdays',
  friday: 'Fridays',
  saturday: 'Saturdays',
  sunday: 'Sundays',
};

/** "HH:MM" in GOV.UK style: "10am", "12:30pm", "midday". */
export function timeInWords(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  if (m === 0 && h === 12) return 'midday';
  if (m === 0 && h === 0) return 'midnight';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const suffix = h < 12 ? 'am' : 'pm';
  return m === 0 ? `${h12}${suffix}` : `${h12}:${String(m).padStart(2, '0')}${suffix}`;
}

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Sentences for the kinds that carry details, keyed by kind. */
export function arrangementsInWords(
  kinds: readonly RestrictionKind[],
  details: KindDetails,
): Partial<Record<RestrictionKind, string>> {
  const out: Partial<Record<RestrictionKind, string>> = {};
  if (kinds.includes('phone_days_times') && details.phone) {
    const days = WEEKDAYS.filter((d) => details.phone!.days.includes(d)).map((d) => DAY_NAMES[d]);
    out.phone_days_times = `You can telephone on ${list(days)}, between ${timeInWords(details.phone.from)} and ${timeInWords(details.phone.to)}.`;
  }
  if (kinds.includes('contact_time_limit') && details.timeLimitMinutes) {
    out.contact_time_limit = `Each telephone call or meeting will last no longer than ${details.timeLimitMinutes} minutes.`;
  }
  const contact = details.namedContact;
  const who = contact ? [contact.name, contact.team].filter(Boolean).join(', ') : '';
  if (kinds.includes('named_contact') && who) out.named_contact = `Your contact is ${who}.`;
  if (kinds.includes('auto_divert') && who) out.auto_divert = `Your correspondence will be passed to ${who}.`;
  if (kinds.includes('stop_processing_same_matter') && details.sameMatter) {
    out.stop_processing_same_matter = `The matter we have answered in full: ${details.sameMatter}.`;
  }
  return out;
}
