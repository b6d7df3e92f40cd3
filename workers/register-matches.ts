// Who on the register a comment's author (or a speaker) may be, from the core/match index held in
// memory in this worker process and kept up to date by change notices over Redis pub/sub.
// Policy: never blocks on a guess — a name or look-alike handle comes back `enforceable: false` and is
// put in the officers' confirmation queue; only an exact identifier or an officer's confirmation binds.
import type { Redis } from 'ioredis';
import type { AuthorMatch } from '../core/decide';
import {
  identifierKeyFor,
  matchAuthor,
  RegisterIndex,
  type AuthorQuery,
  type MatchCandidate,
  type MatchEvidence,
  type OfficerDecision,
} from '../core/match';
import type { PlatformAuthor } from '../core/platform';
import { registerName } from '../core/register/disclosure';
import { ENFORCED_KINDS, isInForce, type Restriction } from '../core/restriction';
import { appendAudit } from '../store/audit';
import type { Models } from '../store/connection';
import { registerChangeSchema, registerChangesChannel, type RegisterChange } from '../store/register-changes';
import { toPersonRecord, toRestrictionRecord } from '../store/register-records';

interface IndexedPerson {
  name: string;
  restrictions: Restriction[];
}

const RULE_WORDS: Record<MatchEvidence['rule'], string> = {
  same_account_id: 'the same platform account',
  same_email: 'the same e-mail address',
  same_phone: 'the same telephone number',
  confirmed_by_officer: 'an officer confirmed this author is the person',
  same_handle: 'the same handle',
  former_handle: 'a handle the person used before',
  lookalike_handle: 'a handle that looks like theirs',
  same_name: 'the same name',
  sound_alike_name: 'a name that sounds like theirs',
};

/** The strongest evidence first: what binds, then by score. */
function strongest(candidate: MatchCandidate): MatchEvidence {
  return [...candidate.evidence].sort(
    (a, b) => Number(b.enforceable) - Number(a.enforceable) || b.score - a.score,
  )[0]!;
}

/**
 * The register in memory for one worker process. Loaded on first use; a change notice reloads only the
 * person (or the decisions) it names. Notices that arrive while loading are applied after the load.
 */
export class RegisterMatcher {
  private index = new RegisterIndex();
  private people = new Map<string, IndexedPerson>();
  private decisions: OfficerDecision[] = [];
  private loaded: Promise<void> | undefined;
  /** Per person, the latest reload asked for: an older reload finishing late must not win. */
  private reloads = new Map<string, number>();
  private reloadSeq = 0;

  constructor(private readonly models: Models) {}

  /** Reads the whole register (again): at start, and after Redis was unreachable and notices may be lost. */
  reloadAll(): Promise<void> {
    const load = (async () => {
      const [people, restrictions, decisions] = await Promise.all([
        this.models.people.find({}).lean(),
        this.models.restrictions.find({}).lean(),
        this.models.registerMatches
          .find({ status: { $in: ['confirmed', 'rejected'] } })
          .sort({ decidedAt: 1 })
          .lean(),
      ]);
      const byPerson = new Map<string, Restriction[]>();
      for (const r of restrictions.map((d) => toRestrictionRecord(d)))
        byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
      const index = new RegisterIndex();
      const indexed = new Map<string, IndexedPerson>();
      for (const p of people.map((d) => toPersonRecord(d))) {
        index.upsertPerson(p);
        indexed.set(p.id, { name: registerName(p), restrictions: byPerson.get(p.id) ?? [] });
      }
      [this.index, this.people, this.decisions] = [index, indexed, decisions.map(toDecision)];
    })();
    this.loaded = load;
    return load;
  }

  private ready(): Promise<void> {
    return this.loaded ?? this.reloadAll();
  }

  /** Applies a change notice. */
  async apply(change: RegisterChange): Promise<void> {
    if (!this.loaded) return; // not loaded yet: the first load will read the current register
    await this.loaded.catch(() => undefined);
    if (change.kind === 'decisions') {
      const docs = await this.models.registerMatches
        .find({ status: { $in: ['confirmed', 'rejected'] } })
        .sort({ decidedAt: 1 })
        .lean();
      this.decisions = docs.map(toDecision);
      return;
    }
    const seq = ++this.reloadSeq;
    this.reloads.set(change.personId, seq);
    const [person, restrictions] = await Promise.all([
      this.models.people.findById(change.personId).lean(),
      this.models.restrictions.find({ personId: { $eq: change.personId } }).lean(),
    ]);
    if (this.reloads.get(change.personId) !== seq) return;
    this.reloads.delete(change.personId);
    if (!person) {
      this.index.removePerson(change.personId);
      this.people.delete(change.personId);
      return;
    }
    const record = toPersonRecord(person);
    this.index.upsertPerson(record);
    this.people.set(record.id, {
      name: registerName(record),
      restrictions: restrictions.map((d) => toRestrictionRecord(d)),
    });
  }

  /** Candidates for an author, as the decision rules take them. */
  async matchesFor(query: AuthorQuery): Promise<{ matches: AuthorMatch[]; candidates: MatchCandidate[] }> {
    await this.ready();
    const candidates = matchAuthor(this.index, query, this.decisions);
    const matches = candidates.flatMap((c): AuthorMatch[] => {
      const person = this.people.get(c.personId);
      if (!person) return [];
      const best = strongest(c);
      return [
        {
          personId: c.personId,
          personName: person.name,
          enforceable: c.enforceable,
          rule: `match.${best.rule}`,
          detail: c.enforceable
            ? `matched on ${RULE_WORDS[best.rule]}`
            : `${RULE_WORDS[best.rule]}, score ${c.score.toFixed(2)}: not confirmed`,
          restrictions: person.restrictions,
        },
      ];
    });
    return { matches, candidates };
  }

  /** People on the register now (for tests and the health of the index). */
  get size(): number {
    return this.index.size;
  }
}

function toDecision(d: { personId: string; identifierKey: string; status: string }): OfficerDecision {
  return {
    personId: d.personId,
    identifierKey: d.identifierKey,
    outcome: d.status === 'confirmed' ? 'confirmed' : 'rejected',
  };
}

/** One matcher per store (per worker process); `startRegisterSync` makes it live. */
const matchers = new WeakMap<Models, RegisterMatcher>();

/**
 * Subscribes this process to register change notices and keeps its matcher current. Call once per
 * worker process at start (workers/main.ts). Without it, each lookup reads the register afresh, which
 * is correct but slow: a stale index must never enforce a lifted restriction.
 */
export async function startRegisterSync(
  models: Models,
  redis: Redis,
  prefix: string,
): Promise<{ matcher: RegisterMatcher; close(): Promise<void> }> {
  const matcher = new RegisterMatcher(models);
  const subscriber = redis.duplicate();
  const channel = registerChangesChannel(prefix);
  let everReady = false;
  subscriber.on('ready', () => {
    // After a reconnection notices may have been missed: read the whole register again.
    if (everReady) void matcher.reloadAll().catch(() => undefined);
    everReady = true;
  });
  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let change: RegisterChange;
    try {
      change = registerChangeSchema.parse(JSON.parse(message));
    } catch {
      return; // not a notice of ours; the register itself is unchanged
    }
    void matcher.apply(change).catch(() => matcher.reloadAll().catch(() => undefined));
  });
  await subscriber.subscribe(channel);
  await matcher.reloadAll();
  matchers.set(models, matcher);
  return {
    matcher,
    async close() {
      if (matchers.get(models) === matcher) matchers.delete(models);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}

/** Remembers a suggestion for an officer to confirm or reject, once per author and person. */
async function queueForConfirmation(
  models: Models,
  query: AuthorQuery,
  author: PlatformAuthor,
  candidate: MatchCandidate,
  at: Date,
): Promise<void> {
  const identifierKey = identifierKeyFor(query);
  if (identifierKey === undefined) return;
  const evidence = candidate.evidence.map((e) => ({
    rule: e.rule,
    identifier: e.identifier,
    query: e.query,
    score: e.score,
  }));
  let inserted: boolean;
  try {
    // The key and person id come from the matching engine, not from anyone's input.
    const result = await models.registerMatches.updateOne(
      { identifierKey, personId: candidate.personId },
      {
        $setOnInsert: { status: 'awaiting', firstSeenAt: at },
        $set: { author, evidence, score: candidate.score, lastSeenAt: at },
      },
      { upsert: true },
    );
    inserted = result.upsertedCount === 1;
  } catch (e) {
    // Two comments from the same author assessed at once: the other one queued it.
    if ((e as { code?: number }).code !== 11000) throw e;
    inserted = false;
  }
  if (inserted) {
    await appendAudit(
      models.audit,
      {
        actor: 'system:assess',
        action: 'register.match_suggested',
        subject: { type: 'person', id: candidate.personId },
        details: { identifierKey, rules: evidence.map((e) => e.rule), score: candidate.score },
      },
      at,
    );
  }
}

/**
 * Who on the register this author or requester may be, from this process's live index (or, where
 * `startRegisterSync` was not called, a fresh read of the register). Nothing is queued or recorded.
 */
export async function matchRegister(
  models: Models,
  query: AuthorQuery,
): Promise<{ matches: AuthorMatch[]; candidates: MatchCandidate[] }> {
  let matcher = matchers.get(models);
  if (!matcher) {
    matcher = new RegisterMatcher(models);
    await matcher.reloadAll();
  }
  return matcher.matchesFor(query);
}

/**
 * Register matches for a comment's author. Suggestions against a person with a restriction in force
 * that this service enforces go to the officers' confirmation queue.
 */
export async function registerMatchesFor(
  models: Models,
  author: PlatformAuthor,
  at: Date = new Date(),
): Promise<AuthorMatch[]> {
  const query: AuthorQuery = {
    platform: author.platform,
    accountId: author.accountId,
    handle: author.handle,
    displayName: author.displayName,
  };
  const { matches, candidates } = await matchRegister(models, query);
  for (const candidate of candidates) {
    if (candidate.enforceable) continue;
    const match = matches.find((m) => m.personId === candidate.personId);
    const enforced = match?.restrictions.some(
      (r) => isInForce(r, at) && r.kinds.some((k) => ENFORCED_KINDS.includes(k)),
    );
    if (enforced) await queueForConfirmation(models, query, author, candidate, at);
  }
  return matches;
}
