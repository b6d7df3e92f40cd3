// A course of conduct: repeated hostile messages from one author, each perhaps mild on its own.
// Policy: the Protection from Harassment Act 1997 applies only to a course of conduct, which s7(3)
// defines as conduct on at least two occasions. The store counts; this only judges the counts.
import { ValidationFailed } from '../errors';
import type { Flag } from './types';

export interface HostileMessage {
  at: Date;
  /** True when the message was flagged (threat, hate or abuse) or an officer marked it hostile. */
  hostile: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A harassment flag when at least `threshold` hostile messages fall in the `windowDays` before `now`
 * (messages dated after `now` are ignored); otherwise null.
 */
export function courseOfConduct(
  recent: readonly HostileMessage[],
  now: Date,
  windowDays: number,
  threshold: number,
): Flag | null {
  if (!Number.isFinite(windowDays) || windowDays <= 0)
    throw new ValidationFailed(
      'windowDays',
      'The course-of-conduct window must be a positive number of days.',
    );
  if (!Number.isInteger(threshold) || threshold < 2)
    throw new ValidationFailed(
      'threshold',
      'A course of conduct needs at least two occasions (Protection from Harassment Act 1997 s7(3)); set the threshold to 2 or more.',
    );
  const from = now.getTime() - windowDays * DAY_MS;
  const count = recent.filter(
    (m) => m.hostile && m.at.getTime() > from && m.at.getTime() <= now.getTime(),
  ).length;
  if (count < threshold) return null;
  const score = Math.min(0.99, 0.6 + 0.1 * (count - threshold));
  return {
    category: 'abuse',
    score: Math.round(score * 100) / 100,
    spans: [],
    reason: `${count} hostile messages from this author in the last ${windowDays} days (threshold ${threshold}): a possible course of conduct amounting to harassment`,
    offences: ['protection_from_harassment_act_1997'],
    rules: ['abuse.course-of-conduct'],
  };
}
