// What each officer may see of the register. Policy: the register is confidential; staff who are not
// authorising officers or administrators (moderators, clerks, evidence officers) see only who is on it,
// the kinds of restriction and their dates — never identifiers, reasons or confidential notes.
import { RESTRICTION_KIND_LABELS, type RestrictionKind, type RestrictionStatus } from '../restriction';
import type { PersonRecord, RestrictionRecord } from './types';

/** A restriction as any officer with access to the register may see it. */
export interface RestrictionSummary {
  id: string;
  reference: string;
  personId: string;
  kinds: RestrictionKind[];
  kindLabels: string[];
  status: RestrictionStatus;
  proposedAt: Date;
  approvedAt?: Date;
  reviewDue?: Date;
  liftedAt?: Date;
}

/** A person as any officer with access to the register may see them. */
export interface PersonSummary {
  id: string;
  name: string;
  restrictions: RestrictionSummary[];
}

export function restrictionSummary(r: RestrictionRecord): RestrictionSummary {
  return {
    id: r.id,
    reference: r.reference,
    personId: r.personId,
    kinds: [...r.kinds],
    kindLabels: r.kinds.map((k) => RESTRICTION_KIND_LABELS[k]),
    status: r.status,
    proposedAt: r.proposedAt,
    approvedAt: r.approvedAt,
    reviewDue: r.reviewDue,
    liftedAt: r.liftedAt,
  };
}

/** The name the council knows the person by: the first on the register. */
export function registerName(person: Pick<PersonRecord, 'names'>): string {
  return person.names[0] ?? 'Unnamed person';
}

export function personSummary(
  person: Pick<PersonRecord, 'id' | 'names'>,
  restrictions: readonly RestrictionRecord[],
): PersonSummary {
  return { id: person.id, name: registerName(person), restrictions: restrictions.map(restrictionSummary) };
}
