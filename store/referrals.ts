// Police referral cases: which stored comments are exhibits, the thread around each as it stood when
// it was added, what the platforms later said about them, and the case's own hash-chained trail.
// Every change to a case is an event appended to that trail in the same write as the change, then
// mirrored into the service's audit log; nothing here rewrites or removes a trail entry.
//
// Why a trail per case: an evidence pack carries a run of consecutive entries (core/evidence
// verifyAuditChain), and the service log interleaves every officer's work. A stretch of it would
// hand the police other people's register reads; the case's own chain holds only this case, and
// each mirrored entry in the service log carries the case entry's hash, so the two can be compared.
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { assessContent } from '../core/detect';
import {
  CHARACTERISTICS,
  DETECT_CATEGORIES,
  OFFENCES,
  type Characteristic,
  type DetectCategory,
  type Offence,
} from '../core/detect/types';
import { Conflict, NotFound, ValidationFailed } from '../core/errors';
import {
  canMoveReferral,
  exhibitReference,
  moveReferral,
  nextAuditEntry,
  REFERRAL_STATUSES,
  verifyAuditChain,
  type AuditEntry,
  type ChainCheck,
  type DetectorFlag,
  type EvidenceItem,
  type PersonSummary,
  type PlatformGoneRecord,
  type ReferralCase,
  type ReferralStatus,
  type RestrictionHistoryEntry,
  type ThreadContextItem,
} from '../core/evidence';
import { PLATFORMS, type Platform } from '../core/platform';
import { ROLE_LABELS, type Role } from '../core/roles';
import { appendAudit, AUDIT_ENTRY_FIELDS } from './audit';
import type { StoredComment } from './comment';
import { commentIdFor, commentIdsDecidedFor, loadComment, loadComments, withModeration } from './comments';
import type { Models } from './connection';
import { toRestrictionRecord } from './register-records';

const OBJECT_ID = /^[a-f0-9]{24}$/;

export const PLATFORM_GONE_STATUSES = [
  'deleted',
  'hidden_by_author',
  'account_suspended',
  'account_deleted',
  'not_found',
  'unavailable',
] as const satisfies readonly PlatformGoneRecord['status'][];

export const PLATFORM_GONE_LABELS: Record<PlatformGoneRecord['status'], string> = {
  deleted: 'Deleted',
  hidden_by_author: 'Hidden by its author',
  account_suspended: 'Account suspended',
  account_deleted: 'Account deleted',
  not_found: 'Not found',
  unavailable: 'Unavailable',
};

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  draft: 'Draft',
  sent: 'Sent to the police',
  acknowledged: 'Acknowledged by the police',
  closed: 'Closed',
};

/** How each platform's comments reach us, for the witness statement's "how it was captured". */
const CAPTURED_VIA: Record<Platform, string> = {
  x: "X API v2 (replies to and mentions of the council's account)",
  facebook: "Facebook Graph API (comments on the council's page)",
  instagram: "Instagram Graph API (comments on the council's media)",
  simulated: 'Simulated platform (demonstration data, not real evidence)',
};

// ---- Schemas ----

interface AuthorFields {
  platform: Platform;
  accountId: string;
  handle?: string;
  displayName?: string;
}

/** A comment around an exhibit, copied when the exhibit was added (the platform may lose it later). */
export interface StoredThreadItem extends ThreadContextItem {
  /** Our id for it when it is itself a stored comment, so it can be added to the case. */
  commentId?: string;
}

export interface ReferralItemFields {
  commentId: string;
  exhibit: string;
  addedAt: Date;
  addedBy: string;
  /** The detector's flags for the categories the decision recorded (content.*), as when added. */
  flags: DetectorFlag[];
  detectorVersion?: string;
  threadContext: StoredThreadItem[];
}

export interface CaseOfficerFields {
  id: string;
  username: string;
  name: string;
  jobTitle: string;
  /** Exhibit labels are these initials and a running number ("ABC/1"). */
  initials: string;
}

export interface ReferralFields {
  reference: string;
  /** Who the case is about: "person:<register id>", or "account:<platform>:<account id>" for an author not on the register. */
  subjectKey: string;
  /** subjectKey while the case is open and "closed:<id>" after: a unique index keeps one open case per person or author. */
  openKey: string;
  subjectName: string;
  personId?: string;
  author: AuthorFields;
  suspectedOffences: Offence[];
  hateCrimeCategories: Characteristic[];
  officerReasons: string;
  policeForce: string;
  crimeReference?: string;
  status: ReferralStatus;
  sentAt?: Date;
  acknowledgedAt?: Date;
  closedAt?: Date;
  referringOfficer: CaseOfficerFields;
  items: ReferralItemFields[];
  trail: AuditEntry[];
  /** The number of trail entries: every write names the count it saw, so two officers cannot both append the same number. */
  trailSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ReferralRecord = ReferralFields & { _id: Types.ObjectId };

const authorSchema = new Schema(
  { platform: { type: String, enum: PLATFORMS, required: true }, accountId: { type: String, default: '' }, handle: String, displayName: String },
  { _id: false },
);

const threadItemSchema = new Schema(
  {
    relation: { type: String, enum: ['post', 'parent', 'earlier_reply', 'later_reply'], required: true },
    commentId: String,
    externalId: { type: String, required: true },
    accountId: { type: String, default: '' },
    handle: String,
    displayName: String,
    text: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    permalink: String,
  },
  { _id: false },
);

const itemSchema = new Schema(
  {
    commentId: { type: String, required: true },
    exhibit: { type: String, required: true },
    addedAt: { type: Date, required: true },
    addedBy: { type: String, required: true },
    flags: { type: [Schema.Types.Mixed], default: [] },
    detectorVersion: String,
    threadContext: { type: [threadItemSchema], default: [] },
  },
  { _id: false },
);

const trailEntrySchema = new Schema({ ...AUDIT_ENTRY_FIELDS }, { _id: false, minimize: false });

const officerSchema = new Schema(
  {
    id: { type: String, required: true },
    username: { type: String, required: true },
    name: { type: String, required: true },
    jobTitle: { type: String, required: true },
    initials: { type: String, required: true },
  },
  { _id: false },
);

const referralSchema = new Schema<ReferralFields>(
  {
    reference: { type: String, required: true },
    subjectKey: { type: String, required: true },
    openKey: { type: String, required: true },
    subjectName: { type: String, required: true },
    personId: String,
    author: { type: authorSchema, required: true },
    suspectedOffences: { type: [String], enum: OFFENCES, default: [] },
    hateCrimeCategories: { type: [String], enum: CHARACTERISTICS, default: [] },
    officerReasons: { type: String, default: '' },
    policeForce: { type: String, default: '' },
    crimeReference: String,
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    sentAt: Date,
    acknowledgedAt: Date,
    closedAt: Date,
    referringOfficer: { type: officerSchema, required: true },
    items: { type: [itemSchema], default: [] },
    trail: { type: [trailEntrySchema], default: [] },
    trailSeq: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
referralSchema.index({ reference: 1 }, { unique: true });
referralSchema.index({ openKey: 1 }, { unique: true });
referralSchema.index({ updatedAt: -1 });

export type ReferralModel = Model<ReferralFields>;

export function referralModel(conn: Connection): ReferralModel {
  return conn.model<ReferralFields>('Referral', referralSchema, 'referrals');
}

/** Sequences for case references ("PR-2026-0042"): one document per year. */
const referralCounterSchema = new Schema({ _id: { type: String, required: true }, next: { type: Number, required: true } }, { versionKey: false });

export function referralCounterModel(conn: Connection): Model<{ _id: string; next: number }> {
  return conn.model<{ _id: string; next: number }>('ReferralCounter', referralCounterSchema, 'referral_counters');
}

/**
 * What the platforms said about a stored comment after capture (gone, hidden, account suspended),
 * one document per comment keyed by its id, so the act and poll code can record it without knowing
 * of cases, and a pack finds it without a scan.
 */
interface PlatformGoneFields {
  _id: string;
  events: (PlatformGoneRecord & { recordedBy: string; key: string })[];
}

const platformGoneSchema = new Schema<PlatformGoneFields>(
  {
    _id: { type: String, required: true },
    events: {
      type: [
        new Schema(
          {
            key: { type: String, required: true },
            checkedAt: { type: Date, required: true },
            status: { type: String, enum: PLATFORM_GONE_STATUSES, required: true },
            detail: { type: String, default: '' },
            recordedBy: { type: String, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { versionKey: false },
);

export function platformGoneModel(conn: Connection): Model<PlatformGoneFields> {
  return conn.model<PlatformGoneFields>('PlatformGone', platformGoneSchema, 'platform_gone');
}

// ---- Pure helpers ----

/** "Alex Brown-Carter" → "ABC": the exhibit initials police labels use (2 to 4 letters). */
export function officerInitials(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^A-Za-z\s-]/g, '')
    .split(/[\s-]+/)
    .filter(Boolean);
  let initials = words.map((w) => w[0]!.toUpperCase()).join('').slice(0, 4);
  if (initials.length < 2) initials = (words[0] ?? '').slice(0, 2).toUpperCase();
  return /^[A-Z]{2,4}$/.test(initials) ? initials : 'EO';
}

/**
 * The detector's flags behind a decision: the categories it recorded (rules `content.*`), with the
 * offences and protected characteristics the detector names for them. The detector only suggests;
 * the officer decides what the case alleges.
 */
export function detectorFlagsFor(comment: Pick<StoredComment, 'text' | 'decision'>): { flags: DetectorFlag[]; detectorVersion?: string } {
  const recorded = (comment.decision?.reasons ?? [])
    .filter((r) => r.rule.startsWith('content.'))
    .map((r) => ({ category: r.rule.slice('content.'.length), reason: r.detail }))
    .filter((r): r is { category: DetectCategory; reason: string } => (DETECT_CATEGORIES as readonly string[]).includes(r.category));
  if (recorded.length === 0) return { flags: [] };
  const assessment = assessContent(comment.text);
  const flags = recorded.map(({ category, reason }): DetectorFlag => {
    const f = assessment.flags.find((x) => x.category === category);
    if (!f) return { category, reason, offences: [] };
    return jsonCopy({ category, reason, score: f.score, offences: f.offences, target: f.target, targets: f.targets, rules: f.rules });
  });
  return { flags, detectorVersion: assessment.detectorVersion };
}

/** The offences and hate-crime categories the flags suggest, in the council's list order. */
export function suggestedFromFlags(flags: readonly DetectorFlag[]): { offences: Offence[]; hateCrimeCategories: Characteristic[] } {
  const offences = new Set<Offence>();
  const categories = new Set<Characteristic>();
  for (const f of flags) {
    f.offences.forEach((o) => offences.add(o));
    if (f.category === 'hate') [f.target, ...(f.targets ?? [])].forEach((c) => c && categories.add(c));
  }
  return { offences: OFFENCES.filter((o) => offences.has(o)), hateCrimeCategories: CHARACTERISTICS.filter((c) => categories.has(c)) };
}

/** Policy: the police are sent a referral that says what is alleged, why, to which force, with evidence. */
function checkReadyToSend(r: ReferralFields): void {
  if (r.items.length === 0) throw new ValidationFailed('items', 'Add at least one comment to the case before sending it to the police.');
  if (r.policeForce.trim() === '') throw new ValidationFailed('policeForce', 'Enter the police force the referral is sent to.');
  if (r.suspectedOffences.length === 0) throw new ValidationFailed('suspectedOffences', 'Choose at least one offence the content may amount to.');
  if (r.officerReasons.trim() === '') throw new ValidationFailed('officerReasons', 'Give your reasons for referring this to the police.');
}

const jsonCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function authorName(a: AuthorFields): string {
  if (a.displayName) return a.handle ? `${a.displayName} (@${a.handle})` : a.displayName;
  if (a.handle) return `@${a.handle}`;
  return a.accountId ? `Unknown author (${a.platform} account ${a.accountId})` : 'Unknown author (the platform withheld the account)';
}

const HISTORY_EVENTS: Record<string, RestrictionHistoryEntry['event'] | undefined> = {
  proposed: 'proposed',
  active: 'approved',
  reviewed: 'reviewed',
  lifted: 'lifted',
  expired: 'expired',
};

// ---- The service ----

/** The signed-in officer acting on a case. */
export interface CaseOfficer {
  id: string;
  username: string;
  displayName: string;
  roles: readonly string[];
}

/** What the officer states about the case; the route validates it. */
export interface ReferralDetails {
  suspectedOffences: Offence[];
  hateCrimeCategories: Characteristic[];
  officerReasons: string;
  policeForce: string;
  crimeReference?: string;
}

export type PackScope = 'case' | 'person';

interface Change {
  action: string;
  details: Record<string, unknown>;
  set?: Record<string, unknown>;
  unset?: string[];
  push?: Record<string, unknown>;
}

export class ReferralCases {
  constructor(private readonly models: Models) {}

  async find(caseId: string): Promise<ReferralRecord> {
    const doc = OBJECT_ID.test(caseId) ? await this.models.referrals.findById(caseId).lean<ReferralRecord>() : null;
    if (!doc) throw new NotFound('There is no police referral with this reference. Check the link, or find the case in the list of referrals.');
    return doc;
  }

  async list(): Promise<Omit<ReferralRecord, 'trail'>[]> {
    // Trails are left out: the list needs only the headline of each case.
    return this.models.referrals.find({}, { trail: 0 }).sort({ updatedAt: -1 }).limit(500).lean<Omit<ReferralRecord, 'trail'>[]>();
  }

  async findComment(commentId: string): Promise<StoredComment> {
    const comment = OBJECT_ID.test(commentId) ? await loadComment(this.models, commentId) : undefined;
    if (!comment) throw new ValidationFailed('commentId', 'There is no stored comment with this reference. Refer a comment from the live queue or a case page.');
    return comment;
  }

  /**
   * Refers a stored comment: into the case named, or into the open case for the same person or
   * author, or into a new case. Answers which case, and the exhibit label the comment has there.
   */
  async refer(commentId: string, officer: CaseOfficer, at: Date, opts: { caseId?: string } = {}): Promise<{ caseId: string; reference: string; exhibit: string; opened: boolean; added: boolean }> {
    const comment = await this.findComment(commentId);
    const subject = subjectOf(comment);
    let target = opts.caseId
      ? await this.find(opts.caseId)
      : await this.models.referrals.findOne({ openKey: { $eq: subject.key } }, { trail: 0 }).lean<ReferralRecord>();
    let opened = false;
    if (!target) {
      const created = await this.open(comment, subject, officer, at);
      opened = created.opened;
      target = created.record;
    }
    const added = await this.addItem(String(target._id), comment, officer, at);
    return { caseId: String(target._id), reference: target.reference, exhibit: added.exhibit, opened, added: added.added };
  }

  /** A new draft case for this subject, or (when another officer opened one a moment ago) theirs. */
  private async open(comment: StoredComment, subject: Subject, officer: CaseOfficer, at: Date): Promise<{ record: ReferralRecord; opened: boolean }> {
    const reference = await this.nextReference(at);
    const _id = new Types.ObjectId();
    const caseId = String(_id);
    const person = subject.personId ? await this.models.people.findById(subject.personId).lean() : null;
    const subjectName = person?.names[0] ?? comment.decision?.personName ?? authorName(comment.author);
    const suggested = suggestedFromFlags(detectorFlagsFor(comment).flags);
    const referringOfficer: CaseOfficerFields = {
      id: officer.id,
      username: officer.username,
      name: officer.displayName,
      jobTitle: jobTitleOf(officer.roles),
      initials: officerInitials(officer.displayName),
    };
    const details = { reference, subject: subject.key, subjectName, referringOfficer: referringOfficer.name, suggestedOffences: suggested.offences, suggestedHateCrimeCategories: suggested.hateCrimeCategories };
    const entry = nextAuditEntry(undefined, { at, actor: officer.username, action: 'referral.opened', subject: { type: 'referral', id: caseId }, details: jsonCopy(details) });
    try {
      await this.models.referrals.create({
        _id,
        reference,
        subjectKey: subject.key,
        openKey: subject.key,
        subjectName,
        personId: subject.personId,
        author: jsonCopy(comment.author),
        // Suggestions from the detector's flags; the officer confirms or changes them.
        suspectedOffences: suggested.offences,
        hateCrimeCategories: suggested.hateCrimeCategories,
        officerReasons: '',
        policeForce: '',
        status: 'draft',
        referringOfficer,
        items: [],
        trail: [entry],
        trailSeq: 1,
        createdAt: at,
        updatedAt: at,
      });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const theirs = await this.models.referrals.findOne({ openKey: { $eq: subject.key } }, { trail: 0 }).lean<ReferralRecord>();
      if (!theirs) throw e;
      return { record: theirs, opened: false };
    }
    await this.mirror(caseId, entry);
    return { record: await this.find(caseId), opened: true };
  }

  private async nextReference(at: Date): Promise<string> {
    const year = at.getUTCFullYear();
    const counter = await this.models.referralCounters.findOneAndUpdate({ _id: `referral-${year}` }, { $inc: { next: 1 } }, { upsert: true, new: true }).lean();
    return `PR-${year}-${String(counter?.next ?? 1).padStart(4, '0')}`;
  }

  /** Adds a comment as the next exhibit, with the thread around it as it stands now. */
  private async addItem(caseId: string, comment: StoredComment, officer: CaseOfficer, at: Date): Promise<{ exhibit: string; added: boolean }> {
    const commentId = String(comment._id);
    const threadContext = await this.threadAround(comment);
    const { flags, detectorVersion } = detectorFlagsFor(comment);
    let exhibit = '';
    let added = false;
    await this.change(caseId, officer.username, at, (r) => {
      const existing = r.items.find((i) => i.commentId === commentId);
      if (existing) {
        exhibit = existing.exhibit;
        return undefined;
      }
      if (r.status === 'closed') throw new Conflict(`Referral ${r.reference} is closed. Open a new case to refer this comment.`);
      exhibit = exhibitReference(r.reference, r.referringOfficer.initials, r.items.length + 1);
      added = true;
      const item: ReferralItemFields = { commentId, exhibit, addedAt: at, addedBy: officer.username, flags, detectorVersion, threadContext };
      return {
        action: 'referral.item_added',
        details: {
          exhibit,
          commentId,
          platform: comment.platform,
          externalId: comment.externalId,
          rawPayloadSha256: comment.rawSha256,
          threadPreserved: threadContext.length,
          flags: flags.map((f) => f.category),
        },
        push: { items: jsonCopy(item) },
      };
    });
    return { exhibit, added };
  }

  /**
   * The post and comment it replies to, and the other stored comments on the same post or parent:
   * copied into the case so the exhibit can be read in context even if the platform loses them.
   */
  private async threadAround(comment: StoredComment): Promise<StoredThreadItem[]> {
    const out: StoredThreadItem[] = [];
    const seen = new Set<string>([String(comment._id)]);
    const asItem = (c: StoredComment, relation: ThreadContextItem['relation']): StoredThreadItem => ({
      relation,
      commentId: String(c._id),
      externalId: c.externalId,
      accountId: c.author.accountId,
      handle: opt(c.author.handle),
      displayName: opt(c.author.displayName),
      text: c.text,
      createdAt: c.createdAt,
      permalink: opt(c.permalink),
    });
    for (const [externalId, relation] of [
      [comment.postId, 'post'],
      [comment.parentId, 'parent'],
    ] as const) {
      if (!externalId || externalId === comment.externalId) continue;
      const id = commentIdFor(comment.platform, externalId);
      if (seen.has(id)) continue;
      const found = await this.models.comments.findById(id).lean<StoredComment>();
      if (found) {
        out.push(asItem(found, relation));
        seen.add(id);
      }
    }
    const sameThread = comment.postId ? { postId: { $eq: comment.postId } } : comment.parentId ? { parentId: { $eq: comment.parentId } } : undefined;
    if (sameThread) {
      const around = await this.models.comments
        .find({ platform: { $eq: comment.platform }, ...sameThread }, { rawPayload: 0 })
        .sort({ createdAt: 1 })
        .limit(200)
        .lean<StoredComment[]>();
      for (const c of around) {
        if (seen.has(String(c._id))) continue;
        out.push(asItem(c, c.createdAt <= comment.createdAt ? 'earlier_reply' : 'later_reply'));
      }
    }
    return jsonCopy(out).map((t) => ({ ...t, createdAt: new Date(t.createdAt) }));
  }

  /**
   * The officer's statement of the case: offences, hate-crime categories, reasons, force, crime
   * reference. A field not given is left as it is; an empty crime reference removes it.
   */
  async changeDetails(caseId: string, input: Partial<ReferralDetails>, officer: CaseOfficer, at: Date): Promise<void> {
    await this.change(caseId, officer.username, at, (r) => {
      if (r.status === 'closed') throw new Conflict(`Referral ${r.reference} is closed and can no longer be changed.`);
      const next: Record<string, unknown> = {};
      if (input.suspectedOffences) next.suspectedOffences = OFFENCES.filter((o) => input.suspectedOffences!.includes(o));
      if (input.hateCrimeCategories) next.hateCrimeCategories = CHARACTERISTICS.filter((c) => input.hateCrimeCategories!.includes(c));
      if (input.officerReasons !== undefined) next.officerReasons = input.officerReasons.trim();
      if (input.policeForce !== undefined) next.policeForce = input.policeForce.trim();
      if (input.crimeReference !== undefined) next.crimeReference = input.crimeReference.trim() || undefined;
      const current = r as unknown as Record<string, unknown>;
      const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k] ?? undefined));
      if (changed.length === 0) return undefined;
      return {
        action: 'referral.details_changed',
        details: { changed: Object.fromEntries(changed.map((k) => [k, next[k] ?? null])) },
        set: Object.fromEntries(changed.filter((k) => next[k] !== undefined).map((k) => [k, next[k]])),
        unset: changed.filter((k) => next[k] === undefined),
      };
    });
  }

  /** draft → sent → acknowledged → closed (core/evidence moveReferral says which moves are allowed). */
  async move(caseId: string, to: ReferralStatus, officer: CaseOfficer, at: Date, crimeReference?: string): Promise<void> {
    await this.change(caseId, officer.username, at, (r) => {
      if (to === 'sent') checkReadyToSend(r);
      const moved = moveReferral(this.headline(r), to, at, crimeReference?.trim() || undefined);
      const set: Record<string, unknown> = { status: moved.status };
      for (const k of ['sentAt', 'acknowledgedAt', 'closedAt', 'crimeReference'] as const) if (moved[k] !== undefined) set[k] = moved[k];
      // A closed case frees its person or author for a new one.
      if (to === 'closed') set.openKey = `closed:${String(r._id)}`;
      return { action: 'referral.status_changed', details: { from: r.status, to, crimeReference: moved.crimeReference ?? null }, set };
    });
  }

  /** An event on the case (an export, a check) with no change to the case itself. */
  async recordEvent(caseId: string, actor: string, action: string, details: Record<string, unknown>, at: Date): Promise<AuditEntry> {
    const { entry } = await this.change(caseId, actor, at, () => ({ action, details }));
    return entry!;
  }

  /**
   * Appends one event to the case's trail in the same write as the change it records, naming the
   * trail length seen; if another officer wrote first, the change is decided again on the new state.
   */
  private async change(caseId: string, actor: string, at: Date, decide: (r: ReferralRecord) => Change | undefined): Promise<{ record: ReferralRecord; entry?: AuditEntry }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const record = await this.find(caseId);
      const change = decide(record);
      if (!change) return { record };
      const entry = nextAuditEntry(record.trail[record.trail.length - 1], {
        at,
        actor,
        action: change.action,
        subject: { type: 'referral', id: caseId },
        details: jsonCopy({ reference: record.reference, ...change.details }),
      });
      const update: Record<string, unknown> = {
        $set: { ...change.set, trailSeq: entry.seq, updatedAt: at },
        $push: { trail: entry, ...change.push },
      };
      if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((k) => [k, 1]));
      const r = await this.models.referrals.updateOne({ _id: record._id, trailSeq: record.trailSeq }, update);
      if (r.matchedCount === 1) {
        await this.mirror(caseId, entry);
        return { record, entry };
      }
    }
    throw new Conflict('Several officers are changing this case at once. Reload the page and try again.');
  }

  /** The service audit log gets every case event too, with the case entry's number and hash. */
  private async mirror(caseId: string, entry: AuditEntry): Promise<void> {
    await appendAudit(
      this.models.audit,
      { actor: entry.actor, action: entry.action, subject: { type: 'referral', id: caseId }, details: { ...entry.details, caseTrail: { seq: entry.seq, hash: entry.hash } } },
      entry.at,
    );
  }

  /** The case in core's terms without the register (enough to decide a status move). */
  private headline(r: ReferralFields & { _id: Types.ObjectId }, person?: PersonSummary, restrictionHistory: RestrictionHistoryEntry[] = []): ReferralCase {
    return {
      id: String(r._id),
      reference: r.reference,
      person: person ?? { personId: r.personId ?? '', name: r.subjectName, otherNames: [], accounts: [] },
      restrictionHistory,
      suspectedOffences: [...r.suspectedOffences],
      hateCrimeCategories: [...r.hateCrimeCategories],
      officerReasons: r.officerReasons,
      referringOfficer: { id: r.referringOfficer.id, name: r.referringOfficer.name, jobTitle: r.referringOfficer.jobTitle, initials: r.referringOfficer.initials },
      policeForce: r.policeForce,
      crimeReference: opt(r.crimeReference),
      status: r.status,
      sentAt: opt(r.sentAt),
      acknowledgedAt: opt(r.acknowledgedAt),
      closedAt: opt(r.closedAt),
    };
  }

  /** The whole case for the page and the pack: the person and their restriction history come from the register as it stands. */
  async referralCase(r: ReferralRecord): Promise<ReferralCase> {
    const person = r.personId && OBJECT_ID.test(r.personId) ? await this.models.people.findById(r.personId).lean() : null;
    const accounts: PersonSummary['accounts'] = [];
    const addAccount = (platform: string, accountId: string, handle?: string | null) => {
      if (!accountId || !(PLATFORMS as readonly string[]).includes(platform)) return;
      if (accounts.some((a) => a.platform === platform && a.accountId === accountId)) return;
      accounts.push({ platform: platform as Platform, accountId, ...(handle ? { handle } : {}) });
    };
    person?.socialAccounts.forEach((a) => addAccount(a.platform, a.accountId ?? '', a.handle));
    // The accounts the exhibits came from, which may be new ones the register does not know yet.
    addAccount(r.author.platform, r.author.accountId, r.author.handle);
    const comments = await this.commentsOf(r.items.map((i) => i.commentId), { author: 1 });
    for (const c of comments.values()) addAccount(c.author.platform, c.author.accountId, c.author.handle);
    const summary: PersonSummary = person
      ? { personId: String(person._id), name: person.names[0] ?? r.subjectName, otherNames: person.names.slice(1), accounts }
      : { personId: '', name: r.subjectName, otherNames: [], accounts };
    return this.headline(r, summary, person ? await this.restrictionHistory(String(person._id)) : []);
  }

  /**
   * The restriction history as the confidential central log records it: each step, its kinds and
   * who took it. Reasons and notes stay on the register: the police ask the council for them.
   */
  async restrictionHistory(personId: string): Promise<RestrictionHistoryEntry[]> {
    const restrictions = (await this.models.restrictions.find({ personId: { $eq: personId } }).sort({ createdAt: 1 }).lean()).map((d) => toRestrictionRecord(d));
    const usernames = new Set<string>();
    restrictions.forEach((r) => r.history.forEach((h) => usernames.add(h.by)));
    const officers = usernames.size ? await this.models.officers.find({ username: { $in: [...usernames] } }, { username: 1, displayName: 1, roles: 1 }).lean() : [];
    const byName = new Map(officers.map((o) => [o.username, `${o.displayName}, ${ROLE_LABELS[o.roles[0] as Role] ?? 'Officer'}`]));
    const out: RestrictionHistoryEntry[] = [];
    for (const r of restrictions) {
      for (const h of r.history) {
        const event = HISTORY_EVENTS[h.to];
        if (event) out.push({ at: h.at, restrictionId: r.reference, event, kinds: [...r.kinds], by: byName.get(h.by) ?? h.by });
      }
      if (r.writtenConfirmationAt) out.push({ at: r.writtenConfirmationAt, restrictionId: r.reference, event: 'confirmed_in_writing', kinds: [...r.kinds], by: 'The council' });
      for (const rep of r.representations) out.push({ at: rep.receivedOn, restrictionId: r.reference, event: 'representations_received', kinds: [...r.kinds], by: byName.get(rep.recordedBy) ?? rep.recordedBy });
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  private async commentsOf(ids: string[], projection?: Record<string, 0 | 1>): Promise<Map<string, StoredComment>> {
    return new Map((await loadComments(this.models, ids, projection)).map((c) => [String(c._id), c]));
  }

  /** What the platforms said about each comment since capture, oldest first. */
  async platformGoneFor(commentId: string): Promise<PlatformGoneRecord[]> {
    const doc = await this.models.platformGone.findById(commentId).lean();
    return (doc?.events ?? []).map((e) => ({ checkedAt: e.checkedAt, status: e.status, detail: e.detail })).sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
  }

  private async evidenceItem(comment: StoredComment, exhibit: string, item?: ReferralItemFields): Promise<EvidenceItem> {
    const flags = item ? item.flags : detectorFlagsFor(comment).flags;
    return {
      exhibit,
      platform: comment.platform,
      externalId: comment.externalId,
      accountId: comment.author.accountId,
      handle: opt(comment.author.handle),
      displayName: opt(comment.author.displayName),
      text: comment.text,
      permalink: opt(comment.permalink),
      createdAt: comment.createdAt,
      capturedAt: comment.capturedAt,
      capturedVia: CAPTURED_VIA[comment.platform],
      rawPayload: comment.rawPayload,
      rawPayloadSha256: comment.rawSha256,
      flags,
      threadContext: (item?.threadContext ?? []).map(({ commentId: _id, ...t }) => t),
      platformGone: await this.platformGoneFor(String(comment._id)),
    };
  }

  /**
   * The exhibits for a pack, one at a time. `case`: the case's items. `person`: those, then every
   * other stored comment by the person or author (a course of conduct), numbered on from the case's.
   */
  async *evidenceItems(r: ReferralRecord, scope: PackScope): AsyncGenerator<EvidenceItem> {
    const inCase = new Set<string>();
    for (const item of r.items) {
      const comment = await loadComment(this.models, item.commentId);
      if (!comment) throw new Conflict(`Exhibit ${item.exhibit} of referral ${r.reference} is no longer in the store. No pack was written; tell the system administrator.`);
      inCase.add(item.commentId);
      yield await this.evidenceItem(comment, item.exhibit, item);
    }
    if (scope !== 'person') return;
    let n = r.items.length;
    const filter = await this.subjectFilter(r);
    if (!filter) return;
    for await (const stored of this.models.comments.find(filter).sort({ createdAt: 1, _id: 1 }).lean<StoredComment[]>().cursor() as AsyncIterable<StoredComment>) {
      if (inCase.has(String(stored._id))) continue;
      n++;
      const [comment] = await withModeration(this.models, [stored]);
      yield await this.evidenceItem(comment!, exhibitReference(r.reference, r.referringOfficer.initials, n));
    }
  }

  /** Every stored comment by the case's person (decided as theirs, or from one of their accounts) or author. */
  private async subjectFilter(r: ReferralRecord): Promise<Record<string, unknown> | undefined> {
    const or: Record<string, unknown>[] = [];
    const accounts = new Set<string>();
    const addAccount = (platform: string, accountId: string | null | undefined) => {
      const key = `${platform}\u0000${accountId ?? ''}`;
      if (!accountId || accounts.has(key)) return;
      accounts.add(key);
      or.push({ 'author.platform': { $eq: platform }, 'author.accountId': { $eq: accountId } });
    };
    if (r.personId) {
      const decided = await commentIdsDecidedFor(this.models, r.personId);
      if (decided.length) or.push({ _id: { $in: decided.map((id) => new Types.ObjectId(id)) } });
      const person = OBJECT_ID.test(r.personId) ? await this.models.people.findById(r.personId, { socialAccounts: 1 }).lean() : null;
      person?.socialAccounts.forEach((a) => addAccount(a.platform, a.accountId));
    }
    addAccount(r.author.platform, r.author.accountId);
    return or.length ? { $or: or } : undefined;
  }

  /** Stored comments by the case's person or author that are not exhibits yet (for "Add to this case"). */
  async otherComments(r: ReferralRecord, limit = 20): Promise<StoredComment[]> {
    const filter = await this.subjectFilter(r);
    if (!filter) return [];
    const inCase = new Set(r.items.map((i) => i.commentId));
    const found = await this.models.comments.find(filter, { rawPayload: 0 }).sort({ createdAt: -1 }).limit(limit + inCase.size).lean<StoredComment[]>();
    return withModeration(this.models, found.filter((c) => !inCase.has(String(c._id))).slice(0, limit));
  }

  /** The exhibits with their comments, for the case page. */
  async itemsWithComments(r: ReferralRecord): Promise<{ item: ReferralItemFields; comment?: StoredComment; gone: PlatformGoneRecord[] }[]> {
    const comments = await this.commentsOf(r.items.map((i) => i.commentId), { rawPayload: 0 });
    const out = [];
    for (const item of r.items) out.push({ item, comment: comments.get(item.commentId), gone: await this.platformGoneFor(item.commentId) });
    return out;
  }

  /**
   * The case trail checked twice: its own hash chain, and each entry against the service audit log
   * (which names the case entry's number and hash). Reads the audit log once for this case.
   */
  async checkTrail(r: ReferralRecord): Promise<{ chain: ChainCheck; inAuditLog: boolean[] }> {
    const chain = verifyAuditChain(r.trail);
    const mirrored = new Set<string>();
    const logged = await this.models.audit.find({ 'subject.type': { $eq: 'referral' }, 'subject.id': { $eq: String(r._id) } }, { details: 1 }).lean();
    for (const e of logged) {
      const ref = (e.details as { caseTrail?: { seq?: number; hash?: string } }).caseTrail;
      if (ref?.hash) mirrored.add(`${ref.seq}:${ref.hash}`);
    }
    return { chain, inAuditLog: r.trail.map((e) => mirrored.has(`${e.seq}:${e.hash}`)) };
  }

  /** Moves that the case can make next, for the page's buttons. */
  static nextStatuses(status: ReferralStatus): ReferralStatus[] {
    return REFERRAL_STATUSES.filter((to) => canMoveReferral(status, to));
  }
}

interface Subject {
  key: string;
  personId?: string;
}

/** The person on the register the decision named, or else the author's platform account. */
function subjectOf(comment: StoredComment): Subject {
  const personId = comment.decision?.personId;
  if (personId) return { key: `person:${personId}`, personId };
  if (comment.author.accountId) return { key: `account:${comment.platform}:${comment.author.accountId}` };
  return { key: `comment:${String(comment._id)}` };
}

function jobTitleOf(roles: readonly string[]): string {
  const role = roles.includes('evidence_officer') ? 'evidence_officer' : roles[0];
  return ROLE_LABELS[role as Role] ?? 'Officer';
}

/**
 * For the act and poll code: the platform reports a stored comment gone (deleted, hidden by its
 * author, account suspended…). Kept once per comment, status and time (a retried job repeats
 * nothing), audited, and added to the trail of every case the comment is an exhibit in.
 */
export async function recordPlatformGone(
  models: Models,
  commentId: string,
  report: PlatformGoneRecord,
  actor: string,
  at: Date,
): Promise<{ recorded: boolean; cases: string[] }> {
  if (!OBJECT_ID.test(commentId)) throw new ValidationFailed('commentId', 'There is no stored comment with this reference.');
  const key = `${report.status}@${report.checkedAt.toISOString()}`;
  const event = { key, checkedAt: report.checkedAt, status: report.status, detail: report.detail, recordedBy: actor };
  try {
    const r = await models.platformGone.updateOne({ _id: commentId, 'events.key': { $ne: key } }, { $push: { events: event } }, { upsert: true });
    if (r.modifiedCount === 0 && r.upsertedCount === 0) return { recorded: false, cases: [] };
  } catch (e) {
    // The document exists and already holds this event: the upsert's insert collides on the id.
    if ((e as { code?: number }).code === 11000) return { recorded: false, cases: [] };
    throw e;
  }
  const details = { status: report.status, detail: report.detail, checkedAt: report.checkedAt.toISOString() };
  await appendAudit(models.audit, { actor, action: 'comment.platform_gone', subject: { type: 'comment', id: commentId }, details }, at);
  // Cases are few; a scan of them is cheaper than an index FerretDB cannot build on a nested field.
  const cases = await models.referrals.find({ 'items.commentId': { $eq: commentId } }, { _id: 1 }).lean();
  const referrals = new ReferralCases(models);
  for (const c of cases) {
    const record = await referrals.find(String(c._id));
    const exhibit = record.items.find((i) => i.commentId === commentId)?.exhibit;
    await referrals.recordEvent(String(c._id), actor, 'referral.platform_gone', { exhibit, commentId, ...details }, at);
  }
  return { recorded: true, cases: cases.map((c) => String(c._id)) };
}
