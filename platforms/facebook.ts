// Facebook Page connector on facebook-nodejs-business-sdk: reads comments on the Page's recent posts,
// hides a comment (`is_hidden`), and bans a person from the Page (`POST /{page-id}/blocked`).
// Each comment keeps the exact JSON text Facebook sent, for evidence.

import { Comment, Page } from 'facebook-nodejs-business-sdk';
import { z } from 'zod';
import type { CapturedComment, PlatformAuthor } from '../core/platform';
import { PlatformUnavailable, ValidationFailed } from '../core/errors';
import type { ActionOutcome, CommentsRead, PlatformAdapter, RateLimitStatus } from './adapter';
import { GraphClient, graphTime, parseSinceCursor, sinceCursor, unixSeconds } from './graph';

export interface FacebookPageSettings {
  pageId: string;
  name?: string;
  /** A Page access token with pages_read_engagement, pages_manage_engagement and pages_read_user_content. */
  accessToken: string;
}

export interface FacebookAdapterOptions {
  page: FacebookPageSettings;
  /** Defaults to https://graph.facebook.com; tests and the demo point it at the fake platform. */
  baseUrl?: string;
  timeoutMs?: number;
  /** How many of the Page's latest posts have their comments read. */
  postsToWatch?: number;
  pageSize?: number;
  /** Pages of comments read per post in one call; the rest is read next time. */
  maxPages?: number;
  now?: () => Date;
}

const COMMENT_FIELDS = 'id,message,created_time,from{id,name},parent{id},permalink_url,is_hidden';

const paging = z
  .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
  .optional();
const postsPage = z.object({
  data: z.array(z.object({ id: z.string(), permalink_url: z.string().optional() })),
  paging,
});
const fbComment = z.object({
  id: z.string(),
  // Graph omits `message` for sticker- or photo-only comments.
  message: z.string().optional(),
  created_time: z.string(),
  from: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  parent: z.object({ id: z.string() }).optional(),
  permalink_url: z.string().optional(),
});
const commentsPage = z.object({ data: z.array(fbComment), paging });
const success = z.object({ success: z.boolean() });

export class FacebookPageAdapter implements PlatformAdapter {
  readonly platform = 'facebook' as const;
  readonly councilAccountId: string;
  private readonly graph: GraphClient;
  private readonly postsToWatch: number;
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(private readonly options: FacebookAdapterOptions) {
    this.councilAccountId = options.page.pageId;
    this.graph = new GraphClient({
      platform: 'facebook',
      accessToken: options.page.accessToken,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      now: options.now ?? (() => new Date()),
    });
    this.postsToWatch = options.postsToWatch ?? 25;
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? 10;
  }

  async readCommentsSince(cursor: string | undefined): Promise<CommentsRead> {
    const since = parseSinceCursor(cursor, 'facebook');
    const posts = await this.graph.get(
      [this.councilAccountId, 'posts'],
      { fields: 'id,permalink_url', limit: this.postsToWatch },
      postsPage,
    );
    let rateLimit: RateLimitStatus | undefined = posts.rateLimit;
    const comments: CapturedComment[] = [];
    let newest = since;
    let unfinished: number | undefined;
    for (const post of posts.body.data) {
      let after: string | undefined;
      let lastRead: number | undefined;
      let pages = 0;
      do {
        const page = await this.graph.get(
          [post.id, 'comments'],
          {
            fields: COMMENT_FIELDS,
            // stream: replies too, flat, each naming its parent; chronological: oldest first, so a cut-off read resumes cleanly.
            filter: 'stream',
            order: 'chronological',
            limit: this.pageSize,
            ...(since !== undefined ? { since } : {}),
            ...(after ? { after } : {}),
          },
          commentsPage,
        );
        rateLimit = page.rateLimit ?? rateLimit;
        page.body.data.forEach((c, i) => {
          const at = unixSeconds(graphTime(c.created_time));
          // `since` is inclusive, so the newest comment of the last read comes again; the (platform, externalId) key drops it.
          if (since !== undefined && at < since) return;
          comments.push(this.toComment(c, post.id, page.json.sliceOrThrow(['data', i])));
          lastRead = at;
          newest = newest === undefined ? at : Math.max(newest, at);
        });
        after = page.body.paging?.next ? page.body.paging.cursors?.after : undefined;
        pages++;
      } while (after && pages < this.maxPages);
      if (after) unfinished = Math.min(unfinished ?? Infinity, lastRead ?? since ?? 0);
    }
    // A post with more left to read holds the cursor back to where its reading stopped.
    const nextCursor = sinceCursor(unfinished ?? newest, cursor);
    return { comments, ...(nextCursor ? { nextCursor } : {}), ...(rateLimit ? { rateLimit } : {}) };
  }

  async hideComment(comment: CapturedComment): Promise<ActionOutcome> {
    this.assertOurs(comment);
    const current = await this.graph.run(() =>
      new Comment(comment.externalId, {}, null, this.graph.api).get(['is_hidden']),
    );
    if (current.exportAllData().is_hidden === true) {
      return {
        action: 'hide',
        status: 'already_done',
        detail: `Comment ${comment.externalId} was already hidden on Facebook`,
      };
    }
    const answer = await this.graph.sdk(
      `hide comment ${comment.externalId}`,
      // Fields first: update({ is_hidden }) alone would send only the id (STACK-NOTES).
      () => new Comment(comment.externalId, {}, null, this.graph.api).update([], { is_hidden: true }),
      success,
    );
    if (!answer.body.success)
      throw new PlatformUnavailable(
        'facebook',
        `Facebook did not confirm hiding comment ${comment.externalId}; try again`,
      );
    return {
      action: 'hide',
      status: 'done',
      detail: `Comment ${comment.externalId} hidden on Facebook`,
      platformResponse: answer.json.text,
    };
  }

  async blockAuthor(author: PlatformAuthor): Promise<ActionOutcome> {
    const who = author.displayName
      ? `${author.displayName} (${author.accountId})`
      : `Facebook user ${author.accountId}`;
    const page = new Page(this.councilAccountId, {}, null, this.graph.api);
    const blocked = await this.graph.run(
      async () => await page.getBlocked(['id'], { user: author.accountId }),
    );
    if (blocked.some((p) => p.id === author.accountId)) {
      return { action: 'block', status: 'already_done', detail: `${who} was already banned from the Page` };
    }
    const answer = await this.graph.post(
      [this.councilAccountId, 'blocked'],
      { user: author.accountId },
      z.record(z.boolean()),
    );
    if (answer.body[author.accountId] !== true)
      throw new PlatformUnavailable('facebook', `Facebook did not confirm banning ${who}; try again`);
    return {
      action: 'block',
      status: 'done',
      detail: `${who} banned from the Page`,
      platformResponse: answer.json.text,
    };
  }

  async describeAuthor(accountId: string): Promise<PlatformAuthor> {
    const answer = await this.graph.get(
      [accountId],
      { fields: 'id,name' },
      z.object({ id: z.string(), name: z.string().optional() }),
    );
    return {
      platform: 'facebook',
      accountId: answer.body.id,
      ...(answer.body.name ? { displayName: answer.body.name } : {}),
    };
  }

  private toComment(c: z.infer<typeof fbComment>, postId: string, rawPayload: string): CapturedComment {
    return {
      platform: 'facebook',
      externalId: c.id,
      councilAccountId: this.councilAccountId,
      postId,
      ...(c.parent ? { parentId: c.parent.id } : {}),
      // Graph withholds `from` when the token may not see the person; the comment is still assessed, with no account to match.
      author: {
        platform: 'facebook',
        accountId: c.from?.id ?? '',
        ...(c.from?.name ? { displayName: c.from.name } : {}),
      },
      text: c.message ?? '',
      createdAt: graphTime(c.created_time),
      ...(c.permalink_url ? { permalink: c.permalink_url } : {}),
      rawPayload,
    };
  }

  private assertOurs(comment: CapturedComment): void {
    if (comment.platform !== 'facebook') {
      throw new ValidationFailed(
        'platform',
        `This is the Facebook connector; comment ${comment.externalId} is from ${comment.platform}`,
      );
    }
  }
}
