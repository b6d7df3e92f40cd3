// Loading and saving the register: people, restrictions and their moves, records (representations,
// escalations, incidents), written confirmations and officers' answers to suggested matches.
// Every read for an officer and every write is audited here; every write that changes who is matched
// or what is enforced sends a change notice. Rules live in core/register; this module only stores.
import { createHash } from 'node:crypto';
import { Conflict, NotFound } from '../core/errors';
import {
  kindDetailsFrom,
  nameMatchesSearch,
  type PersonInput,
  type ProposalInput,
  type RegisterFilters,
  type RestrictionInput,
} from '../core/register/input';
import { proposal, type ActingOfficer, type Move } from '../core/register/lifecycle';
import { reviewsDue } from '../core/register/reviews-due';
import type {
  Escalation,
  Incident,
  PersonRecord,
  Representation,
  RestrictionRecord,
} from '../core/register/types';
import type { RestrictionKind } from '../core/restriction';
import { appendAudit } from './audit';
import type { Models } from './connection';
import type { PersonDoc, RestrictionDoc } from './register';
import type { PublishRegisterChange } from './register-changes';

const OBJECT_ID = /^[a-f0-9]{24}$/;

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function toPersonRecord(d: PersonDoc & { _id: unknown }): PersonRecord {
  return {
    id: String(d._id),
    names: [...d.names],
    emails: [...d.emails],
    phones: [...d.phones],
    addresses: [...d.addresses],
    socialAccounts: d.socialAccounts.map((a) => ({
      platform: a.platform,
      accountId: a.accountId ?? '',
      handle: opt(a.handle),
      handleHistory: [...a.handleHistory],
    })),
    supportWorker: opt(d.supportWorker),
    supportWorkerOrganisation: opt(d.supportWorkerOrganisation),
    supportWorkerArrangement: opt(d.supportWorkerArrangement),
    wardCouncillors: [...d.wardCouncillors],
    staffSafetyReference: opt(d.staffSafetyReference),
    confidentialNotes: opt(d.confidentialNotes),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function toRestrictionRecord(d: RestrictionDoc & { _id: unknown }): RestrictionRecord {
  const details = d.details ?? {};
  const id = String(d._id);
  return {
    id,
    personId: d.personId,
    reference: d.reference ?? `RC-${id.slice(-8).toUpperCase()}`,
    kinds: d.kinds as RestrictionKind[],
    status: d.status,
    scope: { level: d.scope?.level ?? 'council', name: opt(d.scope?.name) },
    reason: d.reason ?? '',
    details: {
      phone: details.phone
        ? {
            days: [...(details.phone.days as never[])],
            from: details.phone.from ?? '',
            to: details.phone.to ?? '',
          }
        : undefined,
      timeLimitMinutes: opt(details.timeLimitMinutes),
      namedContact: details.namedContact
        ? {
            name: opt(details.namedContact.name),
            team: opt(details.namedContact.team),
            email: opt(details.namedContact.email),
            phone: opt(details.namedContact.phone),
          }
        : undefined,
      sameMatter: opt(details.sameMatter),
    },
    proposedBy: d.proposedBy ?? 'unknown',
    proposedAt: d.proposedAt ?? d.createdAt,
    proposingService: d.proposingService ?? '',
    approvedBy: opt(d.approvedBy),
    approvedAt: opt(d.approvedAt),
    writtenConfirmationAt: opt(d.writtenConfirmationAt),
    reviewDue: opt(d.reviewDue),
    liftedAt: opt(d.liftedAt),
    liftReason: opt(d.liftReason),
    wardCouncillorArrangements: opt(d.wardCouncillorArrangements),
    incidents: d.incidents.map((i) => ({ ...i })),
    reviews: d.reviews.map((r) => ({ ...r, nextReviewDue: opt(r.nextReviewDue) })),
    representations: d.representations.map((r) => ({ ...r, response: opt(r.response) })),
    escalations: d.escalations.map((e) => ({ ...e })),
    history: d.history.map((h) => ({ ...h, from: h.from as RestrictionRecord['history'][number]['from'] })),
  };
}

function personFieldsFrom(input: PersonInput) {
  return {
    names: input.names,
    emails: input.emails,
    phones: input.phones,
    addresses: input.addresses,
    socialAccounts: input.socialAccounts.map((a) => ({
      platform: a.platform,
      accountId: a.accountId,
      handle: a.handle,
      handleHistory: a.handleHistory,
    })),
    supportWorker: input.supportWorker,
    supportWorkerOrganisation: input.supportWorkerOrganisation,
    supportWorkerArrangement: input.supportWorkerArrangement,
    wardCouncillors: input.wardCouncillors,
    staffSafetyReference: input.staffSafetyReference,
    confidentialNotes: input.confidentialNotes,
  };
}

export interface RegisterRow {
  restriction: RestrictionRecord;
  person: PersonRecord;
}

export type RecordKind = 'representations' | 'escalations' | 'incidents';

export class RegisterRecords {
  constructor(
    private readonly models: Models,
    private readonly notify: PublishRegisterChange,
  ) {}

  private audit(
    officer: ActingOfficer,
    action: string,
    subject: { type: string; id: string },
    details: Record<string, unknown> = {},
    at = new Date(),
  ) {
    return appendAudit(this.models.audit, { actor: officer.username, action, subject, details }, at);
  }

  /** "RC-2026-0007": the year's next number, safe with many writers (an atomic increment). */
  async nextReference(at: Date): Promise<string> {
    const year = at.getUTCFullYear();
    const counter = await this.models.registerCounters
      .findOneAndUpdate({ _id: `restriction-${year}` }, { $inc: { next: 1 } }, { upsert: true, new: true })
      .lean();
    return `RC-${year}-${String(counter?.next ?? 1).padStart(4, '0')}`;
  }

  async findPerson(personId: string): Promise<PersonRecord> {
    const doc = OBJECT_ID.test(personId) ? await this.models.people.findById(personId).lean() : null;
    if (!doc)
      throw new NotFound(
        'There is no one on the register with this reference. Check the link, or search the register.',
      );
    return toPersonRecord(doc);
  }

  async findRestriction(restrictionId: string): Promise<RestrictionRecord> {
    const doc = OBJECT_ID.test(restrictionId)
      ? await this.models.restrictions.findById(restrictionId).lean()
      : null;
    if (!doc)
      throw new NotFound(
        'There is no restriction with this reference. Check the link, or search the register.',
      );
    return toRestrictionRecord(doc);
  }

  async restrictionsOf(personId: string): Promise<RestrictionRecord[]> {
    const docs = await this.models.restrictions
      .find({ personId: { $eq: personId } })
      .sort({ createdAt: 1 })
      .lean();
    return docs.map((d) => toRestrictionRecord(d));
  }

  /** Audits a read of the register that this module did not make itself (a page built from several reads). */
  recordRead(
    officer: ActingOfficer,
    action: string,
    subject: { type: string; id: string },
    details: Record<string, unknown>,
    at: Date,
  ) {
    return this.audit(officer, action, subject, details, at);
  }

  /** A person and everything on record about them, for an officer; the view is audited. */
  async viewPerson(personId: string, officer: ActingOfficer, view: 'full' | 'summary', at: Date) {
    const person = await this.findPerson(personId);
    const restrictions = await this.restrictionsOf(personId);
    await this.audit(officer, 'register.person_viewed', { type: 'person', id: personId }, { view }, at);
    return { person, restrictions };
  }

  /** A new person and the first restriction proposed for them. */
  async proposeNewPerson(
    input: ProposalInput,
    officer: ActingOfficer,
    at: Date,
  ): Promise<{ personId: string; restrictionId: string; reference: string }> {
    const proposed = proposal(officer, at, input.reason);
    const person = await this.models.people.create({
      ...personFieldsFrom(input),
      createdAt: at,
      updatedAt: at,
    });
    const personId = String(person._id);
    await this.audit(officer, 'register.person_added', { type: 'person', id: personId }, {}, at);
    const { restrictionId, reference } = await this.insertRestriction(personId, input, proposed, officer, at);
    return { personId, restrictionId, reference };
  }

  /** Another restriction proposed for someone already on the register. */
  async proposeForPerson(
    personId: string,
    input: RestrictionInput,
    officer: ActingOfficer,
    at: Date,
  ): Promise<{ restrictionId: string; reference: string }> {
    await this.findPerson(personId);
    return this.insertRestriction(personId, input, proposal(officer, at, input.reason), officer, at);
  }

  private async insertRestriction(
    personId: string,
    input: RestrictionInput | ProposalInput,
    proposed: ReturnType<typeof proposal>,
    officer: ActingOfficer,
    at: Date,
  ) {
    const reference = await this.nextReference(at);
    const doc = await this.models.restrictions.create({
      personId,
      reference,
      kinds: input.kinds,
      details: kindDetailsFrom(input),
      scope: { level: input.scopeLevel, name: input.scopeLevel === 'council' ? undefined : input.scopeName },
      reason: input.reason,
      proposingService: input.proposingService,
      wardCouncillorArrangements: input.wardCouncillorArrangements,
      incidents:
        input.incidentOn && input.incidentDescription
          ? [
              {
                occurredOn: input.incidentOn,
                description: input.incidentDescription,
                recordedBy: officer.username,
                recordedAt: at,
              },
            ]
          : [],
      ...proposed,
      createdAt: at,
    });
    const restrictionId = String(doc._id);
    await this.audit(
      officer,
      'register.restriction_proposed',
      { type: 'restriction', id: restrictionId },
      { personId, reference, kinds: input.kinds, service: input.proposingService },
      at,
    );
    await this.notify({ kind: 'person', personId });
    return { restrictionId, reference };
  }

  /** Replaces the person's details; the audit names the fields changed, never their values. */
  async updatePerson(personId: string, input: PersonInput, officer: ActingOfficer, at: Date): Promise<void> {
    const before = await this.findPerson(personId);
    const after = personFieldsFrom(input);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
      (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null),
    );
    const unset = Object.fromEntries(
      Object.entries(after)
        .filter(([, v]) => v === undefined)
        .map(([k]) => [k, 1]),
    );
    const set = Object.fromEntries(Object.entries(after).filter(([, v]) => v !== undefined));
    await this.models.people.updateOne(
      { _id: personId },
      { $set: { ...set, updatedAt: at }, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    );
    await this.audit(
      officer,
      'register.person_updated',
      { type: 'person', id: personId },
      { fields: changed },
      at,
    );
    await this.notify({ kind: 'person', personId });
  }

  /**
   * Stores a move decided by core/register/lifecycle. The update applies only while the restriction is
   * still in the status the move started from, so two officers acting at once cannot both succeed.
   */
  async applyMove(restriction: RestrictionRecord, move: Move, officer: ActingOfficer): Promise<void> {
    const result = await this.models.restrictions.updateOne(
      { _id: restriction.id, status: { $eq: move.from } },
      {
        $set: move.set,
        $push: { history: move.change, ...(move.review ? { reviews: move.review } : {}) },
      },
    );
    if (result.modifiedCount !== 1)
      throw new Conflict(
        'Someone else has changed this restriction since you opened it. Go back to the person’s page to see what changed.',
      );
    const verb = move.review ? 'reviewed' : move.to === 'active' ? 'approved' : move.to;
    await this.audit(
      officer,
      `register.restriction_${verb}`,
      { type: 'restriction', id: restriction.id },
      {
        personId: restriction.personId,
        reference: restriction.reference,
        from: move.from,
        to: move.to,
        reason: move.change.reason,
        reviewDue: move.set.reviewDue,
      },
      move.change.at,
    );
    await this.notify({ kind: 'person', personId: restriction.personId });
  }

  async addRecord(
    restriction: RestrictionRecord,
    kind: 'representations',
    record: Representation,
    officer: ActingOfficer,
  ): Promise<void>;
  async addRecord(
    restriction: RestrictionRecord,
    kind: 'escalations',
    record: Escalation,
    officer: ActingOfficer,
  ): Promise<void>;
  async addRecord(
    restriction: RestrictionRecord,
    kind: 'incidents',
    record: Incident,
    officer: ActingOfficer,
  ): Promise<void>;
  async addRecord(
    restriction: RestrictionRecord,
    kind: RecordKind,
    record: Representation | Escalation | Incident,
    officer: ActingOfficer,
  ): Promise<void> {
    await this.models.restrictions.updateOne({ _id: restriction.id }, { $push: { [kind]: record } });
    const action = {
      representations: 'register.representation_recorded',
      escalations: 'register.escalation_recorded',
      incidents: 'register.incident_recorded',
    }[kind];
    await this.audit(
      officer,
      action,
      { type: 'restriction', id: restriction.id },
      { personId: restriction.personId, reference: restriction.reference },
      record.recordedAt,
    );
  }

  /** Restrictions matching the filters, with their people, newest first; the read is audited. */
  async list(
    filters: RegisterFilters,
    officer: ActingOfficer,
    at: Date,
    audited: 'register.listed' | 'register.exported' = 'register.listed',
  ): Promise<RegisterRow[]> {
    const query: Record<string, unknown> = {};
    if (filters.status) query.status = { $eq: filters.status };
    if (filters.kind) query.kinds = { $eq: filters.kind };
    if (filters.service) query.proposingService = { $eq: filters.service };
    let restrictions = (
      await this.models.restrictions.find(query).sort({ createdAt: -1 }).limit(2000).lean()
    ).map((d) => toRestrictionRecord(d));
    if (filters.reviewDue) {
      const due = new Set(
        reviewsDue(restrictions, at)
          .filter((d) => d.state === filters.reviewDue)
          .map((d) => d.restriction.id),
      );
      restrictions = restrictions.filter((r) => due.has(r.id));
    }
    const people = await this.peopleById(restrictions.map((r) => r.personId));
    const rows = restrictions.flatMap((restriction) => {
      const person = people.get(restriction.personId);
      return person && nameMatchesSearch(person.names, filters.q) ? [{ restriction, person }] : [];
    });
    await this.audit(officer, audited, { type: 'register', id: 'list' }, { filters, rows: rows.length }, at);
    return rows;
  }

  async peopleById(ids: readonly string[]): Promise<Map<string, PersonRecord>> {
    const unique = [...new Set(ids)].filter((id) => OBJECT_ID.test(id));
    const docs = unique.length ? await this.models.people.find({ _id: { $in: unique } }).lean() : [];
    return new Map(docs.map((d) => [String(d._id), toPersonRecord(d)]));
  }

  /** Restrictions in force with a review date, for the reviews page and the daily reminder. */
  async inForceWithReviewDate(): Promise<RestrictionRecord[]> {
    const docs = await this.models.restrictions.find({ status: { $in: ['active', 'reviewed'] } }).lean();
    return docs.map((d) => toRestrictionRecord(d));
  }

  /** Stores a generated written confirmation and dates the restriction's confirmation by it. */
  async saveLetter(
    restriction: RestrictionRecord,
    pdf: Buffer,
    officer: ActingOfficer,
    at: Date,
  ): Promise<{ letterId: string; sha256: string }> {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const letter = await this.models.restrictionLetters.create({
      restrictionId: restriction.id,
      personId: restriction.personId,
      reference: restriction.reference,
      generatedAt: at,
      generatedBy: officer.username,
      sha256,
      pdf,
    });
    await this.models.restrictions.updateOne(
      { _id: restriction.id },
      { $set: { writtenConfirmationAt: at } },
    );
    const letterId = String(letter._id);
    await this.audit(
      officer,
      'register.letter_generated',
      { type: 'restriction', id: restriction.id },
      { letterId, sha256, reference: restriction.reference },
      at,
    );
    return { letterId, sha256 };
  }

  async lettersOf(restrictionIds: readonly string[]) {
    if (restrictionIds.length === 0) return [];
    return this.models.restrictionLetters
      .find({ restrictionId: { $in: [...restrictionIds] } }, { pdf: 0 })
      .sort({ generatedAt: -1 })
      .lean();
  }

  /** The latest written confirmation of a restriction, for download; the download is audited. */
  async downloadLetter(
    restriction: RestrictionRecord,
    officer: ActingOfficer,
    at: Date,
  ): Promise<{ pdf: Buffer; sha256: string }> {
    const letter = await this.models.restrictionLetters
      .findOne({ restrictionId: { $eq: restriction.id } })
      .sort({ generatedAt: -1 })
      .lean();
    if (!letter) throw new NotFound('No written confirmation has been generated for this restriction yet.');
    await this.audit(
      officer,
      'register.letter_downloaded',
      { type: 'restriction', id: restriction.id },
      { letterId: String(letter._id), sha256: letter.sha256 },
      at,
    );
    const pdf = letter.pdf as unknown as Buffer | { buffer: Buffer };
    return { pdf: Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer), sha256: letter.sha256 };
  }

  /** Suggested matches awaiting an officer, most recent first. */
  async awaitingMatches() {
    return this.models.registerMatches
      .find({ status: 'awaiting' })
      .sort({ lastSeenAt: -1 })
      .limit(500)
      .lean();
  }

  /** An officer's answer to a suggested match; remembered, audited and announced to the matchers. */
  async decideMatch(
    matchId: string,
    outcome: 'confirmed' | 'rejected',
    officer: ActingOfficer,
    at: Date,
    note?: string,
  ): Promise<void> {
    const match = OBJECT_ID.test(matchId) ? await this.models.registerMatches.findById(matchId).lean() : null;
    if (!match)
      throw new NotFound(
        'There is no suggested match with this reference. It may have been answered already.',
      );
    const result = await this.models.registerMatches.updateOne(
      { _id: matchId, status: 'awaiting' },
      { $set: { status: outcome, decidedBy: officer.username, decidedAt: at, ...(note ? { note } : {}) } },
    );
    if (result.modifiedCount !== 1)
      throw new Conflict(
        `This match has already been ${match.status}. Reload the page to see the latest list.`,
      );
    await this.audit(
      officer,
      `register.match_${outcome}`,
      { type: 'person', id: match.personId },
      { matchId, identifierKey: match.identifierKey, ...(note ? { note } : {}) },
      at,
    );
    await this.notify({ kind: 'decisions' });
  }
}
