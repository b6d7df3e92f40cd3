// The register as rows for the six-monthly review meeting (policy §15), one row per restriction.
// Pure: turns records into cells; the CSV itself is written at the edge.
import { londonDay } from '../meetings/london-time';
import { RESTRICTION_KIND_LABELS } from '../restriction';
import { ESCALATION_DECIDER_LABELS, type PersonRecord, type RestrictionRecord } from './types';
import { registerName } from './disclosure';

export const REVIEW_MEETING_COLUMNS = [
  'Reference',
  'Name',
  'Status',
  'Restrictions',
  'Applies to',
  'Proposing service',
  'Proposed by',
  'Proposed on',
  'Authorised by',
  'Approved on',
  'Written confirmation on',
  'Review due',
  'Last review',
  'Last review outcome',
  'Representations',
  'Escalations',
  'Reason',
] as const;

const day = (d: Date | undefined) => (d ? londonDay(d) : '');

/** A cell a spreadsheet would read as a formula ("=", "+", "-", "@") is written as text (OWASP CSV injection). */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One row per restriction, in the order of REVIEW_MEETING_COLUMNS. */
export function reviewMeetingRows(
  restrictions: readonly RestrictionRecord[],
  people: ReadonlyMap<string, Pick<PersonRecord, 'names'>>,
): string[][] {
  return restrictions.map((r) => {
    const person = people.get(r.personId);
    const last = r.reviews.at(-1);
    return [
      r.reference,
      person ? registerName(person) : '',
      r.status,
      r.kinds.map((k) => RESTRICTION_KIND_LABELS[k]).join('; '),
      r.scope.level === 'council' ? 'Whole council' : `${r.scope.level}: ${r.scope.name ?? ''}`,
      r.proposingService,
      r.proposedBy,
      day(r.proposedAt),
      r.approvedBy ?? '',
      day(r.approvedAt),
      day(r.writtenConfirmationAt),
      day(r.reviewDue),
      day(last?.reviewedAt),
      last?.outcome ?? '',
      String(r.representations.length),
      r.escalations.map((e) => `${ESCALATION_DECIDER_LABELS[e.decidedBy]}: ${e.decision}`).join('; '),
      r.reason,
    ].map(spreadsheetSafe);
  });
}
