// X (Twitter) connector on twitter-api-v2: reads mentions of a council account and replies in its
// conversations, hides replies, and blocks (Enterprise plan) or mutes and hides (standard plan).
// It never retries: it says what happened with a typed error and the worker decides.

import http from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  TwitterApi,
  type TwitterApiv2,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import { z } from 'zod';
import type { CapturedComment, PlatformAuthor } from '../core/platform';
import {
  DomainError,
  PlatformRateLimited,
  PlatformRefused,
  PlatformUnavailable,
  ValidationFailed,
} from '../core/errors';
import {
  hideAlongside,
  type ActionOutcome,
  type CommentsRead,
  type PlatformAdapter,
  type RateLimitStatus,
} from './adapter';
import { PlatformJsonText, describeZodIssues } from './raw-json';

/** X's plans as the council buys them: only Enterprise may call the blocking endpoint. */
export type XPlan = 'standard' | 'enterprise';

export interface XAccountSettings {
  /** The council account's numeric X user id. */
  userId: string;
  handle?: string;
  /** OAuth 2.0 user-context access token with tweet.read, users.read, tweet.moderate.write, mute.write (and block.write on Enterprise). */
  accessToken: string;
}

export interface XAdapterOptions {
  account: XAccountSettings;
  plan: XPlan;
  /** Defaults to https://api.x.com; tests and the demo point it at the fake platform. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Tweets per request (X allows 5–100 for mentions, 10–100 for search). */
  pageSize?: number;
  /** Pages read per stream in one call; the rest is read next time, nothing is skipped. */
  maxPages?: number;
  /** How many of the council's latest posts have their replies read (10 fits X's 512-character query limit). */
  conversationsToWatch?: number;
  now?: () => Date;
}

const X_API = 'https://api.x.com/';
const TWEET_FIELDS = 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets';

const xUser = z.object({ id: z.string(), username: z.string(), name: z.string() });
const xTweet = z.object({
  id: z.string().regex(/^\d+$/, 'expected a numeric id as a string'),
  text: z.string(),
  author_id: z.string(),
  created_at: z.string().datetime({ offset: true }),
  conversation_id: z.string().optional(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
});
const xTweetPage = z.object({
  data: z.array(xTweet).optional(),
  includes: z.object({ users: z.array(xUser).optional() }).optional(),
  meta: z.object({ result_count: z.number(), next_token: z.string().optional() }),
});
type XTweetPage = z.infer<typeof xTweetPage>;
interface TweetPageText {
  page: XTweetPage;
  json: PlatformJsonText;
  rateLimit?: TwitterRateLimit;
}

/** Where each stream has got to. `untilId`/`newestId` are set only while an over-long backlog is being read in parts. */
const streamCursor = z.object({
  sinceId: z.string().optional(),
  untilId: z.string().optional(),
  newestId: z.string().optional(),
});
type StreamCursor = z.infer<typeof streamCursor>;
const xCursor = z.object({ mentions: streamCursor, replies: streamCursor });
type XCursor = z.infer<typeof xCursor>;

export class XAdapter implements PlatformAdapter {
  readonly platform = 'x' as const;
  readonly councilAccountId: string;
  private readonly v2: TwitterApiv2;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly conversationsToWatch: number;

  constructor(private readonly options: XAdapterOptions) {
    this.councilAccountId = options.account.userId;
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? 10;
    this.conversationsToWatch = Math.min(options.conversationsToWatch ?? 10, 10);
    const baseUrl = (options.baseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
    const timeout = options.timeoutMs ?? 10_000;
    const client = new TwitterApi(options.account.accessToken, {
      // twitter-api-v2 sends through https.request unless given an agent; an http agent lets it reach the fake.
      ...(baseUrl.startsWith('http://') ? { httpAgent: new http.Agent() } : {}),
      plugins: [
        {
          onBeforeRequestConfig({ params }) {
            params.timeout ??= timeout;
            // setPrefix is protected in the typings, and this also covers paginators' follow-up requests.
            if (params.url.startsWith(X_API)) params.url = `${baseUrl}/${params.url.slice(X_API.length)}`;
          },
        },
      ],
    });
    this.v2 = client.v2;
  }

  async readCommentsSince(cursor: string | undefined): Promise<CommentsRead> {
    const position = parseCursor(cursor);
    const limits: TwitterRateLimit[] = [];
    const mentions = await this.readStream(position.mentions, limits, (q) =>
      this.getText(
        'users/:id/mentions',
        { ...q, max_results: clamp(this.pageSize, 5, 100) },
        { id: this.councilAccountId },
      ),
    );
    const conversations = await this.councilConversations(limits);
    const replies = conversations.length
      ? await this.readStream(position.replies, limits, (q) =>
          this.getText('tweets/search/recent', {
            ...q,
            query: `(${conversations.map((c) => `conversation_id:${c}`).join(' OR ')}) -from:${this.councilAccountId}`,
            max_results: clamp(this.pageSize, 10, 100),
          }),
        )
      : { comments: [], cursor: position.replies };

    const seen = new Set<string>();
    const comments = [...mentions.comments, ...replies.comments].filter(
      (c) =>
        c.author.accountId !== this.councilAccountId && !seen.has(c.externalId) && seen.add(c.externalId),
    );
    comments.sort((a, b) => compareIds(a.externalId, b.externalId));
    const rateLimit = tightest(limits);
    return {
      comments,
      nextCursor: JSON.stringify({ mentions: mentions.cursor, replies: replies.cursor } satisfies XCursor),
      ...(rateLimit ? { rateLimit } : {}),
    };
  }

  async hideComment(comment: CapturedComment): Promise<ActionOutcome> {
    this.assertOurs(comment);
    // X reports no hidden state to read first; hiding is idempotent on X's side (STACK-NOTES).
    const answer = await this.call(() => this.v2.hideReply(comment.externalId, true));
    if (answer.data?.hidden !== true) {
      throw new PlatformUnavailable('x', `X did not confirm hiding reply ${comment.externalId}; try again`);
    }
    return {
      action: 'hide',
      status: 'done',
      detail: `Reply ${comment.externalId} hidden on X`,
      platformResponse: JSON.stringify(answer),
    };
  }

  async blockAuthor(author: PlatformAuthor, comment?: CapturedComment): Promise<ActionOutcome> {
    const who = author.handle ? `@${author.handle}` : `X user ${author.accountId}`;
    if (this.options.plan === 'enterprise') {
      const answer = await this.call(() => this.v2.block(this.councilAccountId, author.accountId));
      if (answer.data?.blocking !== true)
        throw new PlatformUnavailable('x', `X did not confirm blocking ${who}; try again`);
      return {
        action: 'block',
        status: 'done',
        detail: `${who} blocked on X`,
        platformResponse: JSON.stringify(answer),
      };
    }
    // Standard plan: blocking is Enterprise-only, so mute (the council stops seeing them) and hide the reply (others stop seeing it).
    const answer = await this.call(() => this.v2.mute(this.councilAccountId, author.accountId));
    if (answer.data?.muting !== true)
      throw new PlatformUnavailable('x', `X did not confirm muting ${who}; try again`);
    const hide = await hideAlongside(this, author, comment);
    const hidden = hide && hide.status !== 'refused' ? ` and reply ${comment?.externalId} hidden` : '';
    const notHidden =
      hide?.status === 'refused'
        ? `; the reply could not be hidden (${hide.detail})`
        : hide
          ? ''
          : ' (no reply of theirs given to hide)';
    return {
      action: 'mute',
      status: 'done',
      detail: `X's standard plan cannot block: ${who} muted${hidden} instead${notHidden}`,
      platformResponse: JSON.stringify(answer),
      ...(hide ? { alsoDone: [hide] } : {}),
    };
  }

  async describeAuthor(accountId: string): Promise<PlatformAuthor> {
    const answer = await this.call(() => this.v2.user(accountId, { 'user.fields': ['username', 'name'] }));
    if (!answer.data) {
      const detail = answer.errors?.[0]?.detail ?? `X has no user ${accountId}`;
      throw new PlatformRefused('x', 404, detail);
    }
    return {
      platform: 'x',
      accountId: answer.data.id,
      handle: answer.data.username,
      displayName: answer.data.name,
    };
  }

  /** Reads one stream (mentions or replies) newest first, page by page, from where its cursor stands. */
  private async readStream(
    position: StreamCursor,
    limits: TwitterRateLimit[],
    fetchPage: (query: Record<string, string | number>) => Promise<TweetPageText>,
  ): Promise<{ comments: CapturedComment[]; cursor: StreamCursor }> {
    const comments: CapturedComment[] = [];
    let newest = position.newestId;
    let oldest: string | undefined;
    let token: string | undefined;
    for (let pages = 0; pages < this.maxPages; pages++) {
      const query: Record<string, string | number> = {
        expansions: 'author_id',
        'user.fields': 'username,name',
        'tweet.fields': TWEET_FIELDS,
      };
      if (position.sinceId) query.since_id = position.sinceId;
      if (position.untilId) query.until_id = position.untilId;
      if (token) query.pagination_token = token;
      const { page, json, rateLimit } = await fetchPage(query);
      if (rateLimit) limits.push(rateLimit);
      const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
      (page.data ?? []).forEach((tweet, i) => {
        comments.push(this.toComment(tweet, users.get(tweet.author_id), json.sliceOrThrow(['data', i])));
        newest = maxId(newest, tweet.id);
        oldest = oldest === undefined || compareIds(tweet.id, oldest) < 0 ? tweet.id : oldest;
      });
      token = page.meta.next_token;
      if (!token) {
        const sinceId = maxId(newest, position.sinceId);
        return { comments, cursor: sinceId ? { sinceId } : {} };
      }
    }
    // More remain than one call reads: next time continue below the oldest read, then move on from the newest.
    return {
      comments,
      cursor: {
        ...(position.sinceId ? { sinceId: position.sinceId } : {}),
        ...(oldest ? { untilId: oldest } : {}),
        ...(newest ? { newestId: newest } : {}),
      },
    };
  }

  /** The council's latest original posts: their ids are the conversations whose replies we read. */
  private async councilConversations(limits: TwitterRateLimit[]): Promise<string[]> {
    if (this.conversationsToWatch <= 0) return [];
    const timeline = await this.call(() =>
      this.v2.userTimeline(this.councilAccountId, {
        max_results: clamp(this.conversationsToWatch, 5, 100),
        exclude: ['replies', 'retweets'],
      }),
    );
    if (timeline.rateLimit) limits.push(timeline.rateLimit);
    return timeline.tweets.slice(0, this.conversationsToWatch).map((t) => t.id);
  }

  /** GET returning the exact text, because evidence needs each tweet's JSON as X sent it. */
  private async getText(
    endpoint: string,
    query: Record<string, string | number>,
    params?: Record<string, string>,
  ): Promise<TweetPageText> {
    const response = await this.call(() =>
      this.v2.get<string>(endpoint, query, {
        fullResponse: true,
        forceParseMode: 'text',
        ...(params ? { params } : {}),
      }),
    );
    let json: PlatformJsonText;
    try {
      json = PlatformJsonText.parse(response.data);
    } catch (e) {
      throw new PlatformUnavailable(
        'x',
        `X answered ${endpoint} with a body that is not JSON (${(e as Error).message}); try again later`,
      );
    }
    const checked = xTweetPage.safeParse(json.value);
    if (!checked.success) {
      throw new PlatformUnavailable(
        'x',
        `X answered ${endpoint} in an unexpected shape (${describeZodIssues(checked.error.issues)}); try again later`,
      );
    }
    return { page: checked.data, json, ...(response.rateLimit ? { rateLimit: response.rateLimit } : {}) };
  }

  private toComment(
    tweet: z.infer<typeof xTweet>,
    user: z.infer<typeof xUser> | undefined,
    rawPayload: string,
  ): CapturedComment {
    const parentId = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
    return {
      platform: 'x',
      externalId: tweet.id,
      councilAccountId: this.councilAccountId,
      ...(tweet.conversation_id ? { postId: tweet.conversation_id } : {}),
      ...(parentId ? { parentId } : {}),
      author: {
        platform: 'x',
        accountId: tweet.author_id,
        ...(user ? { handle: user.username, displayName: user.name } : {}),
      },
      text: tweet.text,
      createdAt: new Date(tweet.created_at),
      permalink: `https://x.com/${user?.username ?? 'i/web'}/status/${tweet.id}`,
      rawPayload,
    };
  }

  private assertOurs(comment: CapturedComment): void {
    if (comment.platform !== 'x') {
      throw new ValidationFailed(
        'platform',
        `This is the X connector; comment ${comment.externalId} is from ${comment.platform}`,
      );
    }
  }

  /** Runs one SDK call and turns its failures into the service's platform errors. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw this.translateError(e);
    }
  }

  private translateError(e: unknown): Error {
    if (e instanceof ApiResponseError) {
      const detail = describeXProblem(e.data);
      if (e.code === 429) {
        // X names the reset in x-rate-limit-reset (Unix seconds), or in the 24-hour headers when a daily cap is spent;
        // its windows are 15 minutes when it names none.
        const limits = e.rateLimit;
        const spentDaily = [limits?.day, limits?.userDay]
          .filter((d) => d && d.remaining <= 0)
          .map((d) => d?.reset ?? 0);
        const reset = Math.max(limits?.reset ?? 0, ...spentDaily);
        return new PlatformRateLimited(
          'x',
          reset > 0 ? new Date(reset * 1000) : new Date(this.now().getTime() + 15 * 60_000),
        );
      }
      if (e.code >= 500)
        return new PlatformUnavailable(
          'x',
          `X is having trouble (HTTP ${e.code}${detail ? `: ${detail}` : ''}); try again later`,
        );
      return new PlatformRefused(
        'x',
        e.code,
        `X refused the request (HTTP ${e.code}${detail ? `: ${detail}` : ''})`,
      );
    }
    if (e instanceof ApiPartialResponseError) {
      return new PlatformUnavailable(
        'x',
        `X sent an answer that could not be read (${e.message}); try again later`,
      );
    }
    if (e instanceof ApiRequestError) {
      return new PlatformUnavailable(
        'x',
        `Could not reach X (${e.requestError?.message ?? e.message}); try again later`,
      );
    }
    if (e instanceof DomainError) return e;
    // Only SDK code runs inside call(): anything else it throws comes from an answer it could not use.
    return new PlatformUnavailable(
      'x',
      `X answered in a way the SDK could not use (${e instanceof Error ? e.message : String(e)}); try again later`,
    );
  }
}

function parseCursor(cursor: string | undefined): XCursor {
  if (cursor === undefined) return { mentions: {}, replies: {} };
  try {
    return xCursor.parse(JSON.parse(cursor));
  } catch {
    throw new ValidationFailed(
      'cursor',
      'The stored X cursor is not one this connector wrote; clear it to read from the start',
    );
  }
}

/** The problem X described, whether it answered JSON (v2 problem or v1 errors) or text. */
function describeXProblem(data: unknown): string {
  let body: unknown = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      return data.slice(0, 200);
    }
  }
  if (body && typeof body === 'object') {
    const problem = body as {
      title?: unknown;
      detail?: unknown;
      errors?: { message?: unknown; detail?: unknown }[];
    };
    if (typeof problem.detail === 'string') return problem.detail;
    if (typeof problem.title === 'string') return problem.title;
    const first = problem.errors?.[0];
    if (first) return String(first.detail ?? first.message ?? '');
  }
  return '';
}

function tightest(limits: TwitterRateLimit[]): RateLimitStatus | undefined {
  const worst = limits.reduce<TwitterRateLimit | undefined>(
    (w, l) => (!w || l.remaining / Math.max(l.limit, 1) < w.remaining / Math.max(w.limit, 1) ? l : w),
    undefined,
  );
  return worst && { limit: worst.limit, remaining: worst.remaining, resetAt: new Date(worst.reset * 1000) };
}

/** X ids are 64-bit numbers in strings: compare as numbers, never as floats. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function maxId(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareIds(a, b) >= 0 ? a : b;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
