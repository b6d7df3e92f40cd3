// The simulated platform, the embedded default when no real credentials are set: deterministic, seeded
// comments on council posts (bins, potholes, council tax, planning, libraries), a few rude, threatening
// or hateful, some from restricted accounts; hide and block state kept in memory. Never calls a network.

import { ValidationFailed } from '../core/errors';
import type { CapturedComment, PlatformAuthor } from '../core/platform';
import type { ActionOutcome, CommentsRead, PlatformAdapter } from './adapter';

/** Account ids the demo's register can name, so restricted people appear without any configuration. */
export const DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS = ['sim-restricted-1', 'sim-restricted-2'];

/** What a generated comment was written to be, so tests and evaluations can check the service's judgement. */
export type SimulatedCategory = 'ordinary' | 'rude' | 'threatening' | 'hateful';

export interface LabelledComment {
  comment: CapturedComment;
  category: SimulatedCategory;
  fromRestrictedAccount: boolean;
}

export interface SimulatedPlatformOptions {
  seed?: number;
  restrictedAccountIds?: string[];
  councilAccountId?: string;
  /** Comments returned by each read (the demo posts one per poll). */
  batchSize?: number;
  /** Creation time of comments that arrive through reads; `generate` uses fixed times from `startsAt`. */
  now?: () => Date;
  startsAt?: Date;
}

interface Topic {
  post: string;
  ordinary: string[];
  rude: string[];
}

const TOPICS: Record<string, Topic> = {
  bins: {
    post: 'Bin collections move to Tuesdays from next week.',
    ordinary: [
      'My bins on {street} have not been collected for two weeks. Who do I contact?',
      'Will garden waste still be collected on {day}s?',
      'Thanks to the crew on {street}, always cheerful and tidy.',
      'Can I get a bigger recycling bin? We are a family of six.',
      'The new collection calendar is really clear, thank you.',
    ],
    rude: [
      'Missed AGAIN on {street}. Absolute shambles, you useless lot.',
      'Pay a fortune and you cannot even empty a bin. Pathetic, bloody clowns.',
      'Who is the idiot who planned these routes? Total crap.',
    ],
  },
  potholes: {
    post: 'Report a pothole online and we aim to repair dangerous ones within 24 hours.',
    ordinary: [
      'There is a deep pothole outside number 14 {street}, a cyclist nearly came off.',
      'Reported the pothole on {street} three weeks ago, any update please?',
      'Well done on resurfacing {street}, it is so much better.',
      'Is there a way to claim for tyre damage from a pothole?',
    ],
    rude: [
      '{street} is like the surface of the moon. Do your bloody jobs.',
      'Shit roads, shit council. Fix the holes on {street}.',
      'You lot are a joke. Fucking potholes everywhere.',
    ],
  },
  councilTax: {
    post: 'Council tax bills for the new year are on their way. Set up a direct debit online.',
    ordinary: [
      'How do I apply for the single person discount?',
      'Can I spread my council tax over 12 months instead of 10?',
      'I have moved to {street}, how do I update my account?',
      'Is there support for people struggling to pay this year?',
    ],
    rude: [
      'Another rise and the services get worse. Thieving parasites.',
      'What do we even pay for? Greedy incompetent morons.',
    ],
  },
  planning: {
    post: 'Consultation open: plans for new homes on the old depot site at {street}.',
    ordinary: [
      'Where can I see the full plans for the depot site?',
      'Traffic on {street} is already heavy at school times; please consider this.',
      'Good to see affordable homes planned, we need them.',
      'When does the consultation close?',
    ],
    rude: [
      'Rubber-stamping developers again. Corrupt bunch of crooks.',
      'Nobody wants this. Are the planners thick or just bent?',
    ],
  },
  libraries: {
    post: 'Libraries will open on Sundays at {ward} from next month.',
    ordinary: [
      'Brilliant news about Sunday opening at {ward}!',
      'Will the children’s reading group run on Sundays too?',
      'Can I return books to any library in the borough?',
      'Please keep the library on {street} open, it is a lifeline.',
    ],
    rude: [
      'Waste of money on books nobody reads. Idiots.',
      'Who cares about libraries, sort the damn roads out you muppets.',
    ],
  },
};

const THREATENING = [
  'I know where you live. Keep ignoring me and I will come round and hurt you.',
  'Someone should burn the council offices down with all of you inside.',
  'You will get what is coming to you at the next meeting. Watch your back.',
  'If my bins are missed once more I will smash the depot up and the driver with it.',
  'I am going to find the planning officer and make him pay. I mean it.',
];

const HATEFUL = [
  'Go back to where you came from. This town is for English people only.',
  'No more housing for immigrants, they are vermin taking our homes.',
  'Of course the councillor is useless, she is a woman. Get back in the kitchen.',
  'Disabled parking bays everywhere for scroungers and cripples faking it.',
  'The mosque on {street} should be shut down, they are all terrorists.',
];

const STREETS = [
  'Mill Lane',
  'Church Street',
  'Station Road',
  'High Street',
  'Victoria Road',
  'Park Avenue',
  'Queen Street',
  'The Green',
];
const WARDS = ['Northfield', 'Eastgate', 'Riverside', 'Hill Top', 'Old Town'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const FIRST = [
  'Jo',
  'Sam',
  'Alex',
  'Priya',
  'Tom',
  'Aisha',
  'Gareth',
  'Fiona',
  'Mohammed',
  'Claire',
  'Dylan',
  'Grace',
  'Wei',
  'Oluwaseun',
  'Megan',
  'Rhys',
];
const LAST = [
  'Bloggs',
  'Patel',
  'Jones',
  'Smith',
  'Williams',
  'Khan',
  'Evans',
  'Taylor',
  'Brown',
  'Davies',
  'Okafor',
  'Murphy',
  'Chen',
  'Wilson',
];

const TOPIC_KEYS = Object.keys(TOPICS);
const RESIDENTS = 48;

/** mulberry32: a small seeded generator, enough for varied but repeatable demo text. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function choose<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

export class SimulatedPlatform implements PlatformAdapter {
  readonly platform = 'simulated' as const;
  readonly councilAccountId: string;
  private readonly seed: number;
  private readonly restricted: string[];
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly startsAt: Date;
  private readonly hidden = new Set<string>();
  private readonly blocked = new Set<string>();
  private readonly authors = new Map<string, PlatformAuthor>();

  constructor(options: SimulatedPlatformOptions = {}) {
    this.seed = options.seed ?? 1;
    this.restricted = options.restrictedAccountIds ?? DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS;
    this.councilAccountId = options.councilAccountId ?? 'sim-council';
    this.batchSize = options.batchSize ?? 1;
    this.now = options.now ?? (() => new Date());
    this.startsAt = options.startsAt ?? new Date('2026-01-05T09:00:00Z');
  }

  /** `n` comments starting at index `from`, the same every time for the same seed: for load tests and fixtures. */
  generate(n: number, from = 0): CapturedComment[] {
    return this.generateLabelled(n, from).map((l) => l.comment);
  }

  generateLabelled(n: number, from = 0): LabelledComment[] {
    return Array.from({ length: n }, (_, i) =>
      this.commentAt(from + i, new Date(this.startsAt.getTime() + (from + i) * 90_000)),
    );
  }

  /** The cursor is the index of the next comment; each read brings `batchSize` new ones, written "now". */
  async readCommentsSince(cursor: string | undefined): Promise<CommentsRead> {
    if (cursor !== undefined && !/^\d+$/.test(cursor)) {
      throw new ValidationFailed(
        'cursor',
        'The stored simulated-platform cursor is not a comment number; clear it to start again',
      );
    }
    const from = cursor === undefined ? 0 : Number(cursor);
    const at = this.now();
    const comments = Array.from({ length: this.batchSize }, (_, i) => this.commentAt(from + i, at).comment);
    return { comments, nextCursor: String(from + this.batchSize) };
  }

  async hideComment(comment: CapturedComment): Promise<ActionOutcome> {
    if (this.hidden.has(comment.externalId)) {
      return {
        action: 'hide',
        status: 'already_done',
        detail: `Comment ${comment.externalId} was already hidden (simulated)`,
      };
    }
    this.hidden.add(comment.externalId);
    return { action: 'hide', status: 'done', detail: `Comment ${comment.externalId} hidden (simulated)` };
  }

  async blockAuthor(author: PlatformAuthor): Promise<ActionOutcome> {
    if (this.blocked.has(author.accountId)) {
      return {
        action: 'block',
        status: 'already_done',
        detail: `${author.accountId} was already blocked (simulated)`,
      };
    }
    this.blocked.add(author.accountId);
    return { action: 'block', status: 'done', detail: `${author.accountId} blocked (simulated)` };
  }

  async describeAuthor(accountId: string): Promise<PlatformAuthor> {
    return this.author(accountId);
  }

  isHidden(commentId: string): boolean {
    return this.hidden.has(commentId);
  }

  isBlocked(accountId: string): boolean {
    return this.blocked.has(accountId);
  }

  private commentAt(index: number, createdAt: Date): LabelledComment {
    const rand = random(Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
    const topicKey = choose(rand, TOPIC_KEYS);
    const topic = TOPICS[topicKey] as Topic;
    const roll = rand();
    const category: SimulatedCategory =
      roll < 0.8 ? 'ordinary' : roll < 0.91 ? 'rude' : roll < 0.96 ? 'threatening' : 'hateful';
    const template = choose(
      rand,
      category === 'ordinary'
        ? topic.ordinary
        : category === 'rude'
          ? topic.rude
          : category === 'threatening'
            ? THREATENING
            : HATEFUL,
    );
    const text = template
      .replace('{street}', choose(rand, STREETS))
      .replace('{ward}', choose(rand, WARDS))
      .replace('{day}', choose(rand, DAYS));
    // About one comment in fifteen comes from a restricted account, more often the harmful ones.
    const fromRestrictedAccount =
      this.restricted.length > 0 && rand() < (category === 'ordinary' ? 0.04 : 0.25);
    const accountId = fromRestrictedAccount
      ? choose(rand, this.restricted)
      : `sim-user-${Math.floor(rand() * RESIDENTS) + 1}`;
    const author = this.author(accountId);
    const externalId = `sim-${this.seed}-${index}`;
    const postId = `sim-post-${topicKey}`;
    const payload = {
      id: externalId,
      post: {
        id: postId,
        message: topic.post.replace('{street}', 'the depot').replace('{ward}', 'all branches'),
      },
      from: { id: author.accountId, handle: author.handle, name: author.displayName },
      message: text,
      created_time: createdAt.toISOString(),
    };
    return {
      category,
      fromRestrictedAccount,
      comment: {
        platform: 'simulated',
        externalId,
        councilAccountId: this.councilAccountId,
        postId,
        author,
        text,
        createdAt,
        permalink: `https://simulated.invalid/${this.councilAccountId}/${postId}/${externalId}`,
        rawPayload: JSON.stringify(payload),
      },
    };
  }

  /** Names derived from the account id alone, so an account always has the same name and handle. */
  private author(accountId: string): PlatformAuthor {
    const known = this.authors.get(accountId);
    if (known) return known;
    let h = 2166136261;
    for (const ch of accountId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    const rand = random(h);
    const first = choose(rand, FIRST);
    const last = choose(rand, LAST);
    const author: PlatformAuthor = {
      platform: 'simulated',
      accountId,
      handle: `${first}${last}${Math.floor(rand() * 90) + 10}`.toLowerCase(),
      displayName: `${first} ${last}`,
    };
    this.authors.set(accountId, author);
    return author;
  }
}
