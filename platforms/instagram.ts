// Instagram business account connector, through the same Graph API SDK: reads comments (and their
// replies) on the account's recent media and hides a comment (`hide: true`). Instagram's API offers no
// block, so a block request hides the comment and says so. Each comment keeps Instagram's exact JSON text.

import { IGComment } from 'facebook-nodejs-business-sdk';
import { z } from 'zod';
import type { CapturedComment, PlatformAuthor } from '../core/platform';
import { PlatformUnavailable, ValidationFailed } from '../core/errors';
import {
  hideAlongside,
  type ActionOutcome,
  type CommentsRead,
  type PlatformAdapter,
  type RateLimitStatus,
} from './adapter';
import { GraphClient, graphTime, parseSinceCursor, sinceCursor, unixSeconds } from './graph';
import type { JsonPath } from './raw-json';

export interface InstagramAccountSettings {
  /** The Instagram business account id (not the username). */
  accountId: string;
  handle?: string;
  /** A token with instagram_basic, instagram_manage_comments and pages_read_engagement. */
  accessToken: string;
}

export interface InstagramAdapterOptions {
  account: InstagramAccountSettings;
  baseUrl?: string;
  timeoutMs?: number;
  /** How many of the account's latest posts (media) have their comments read. */
  mediaToWatch?: number;
  pageSize?: number;
  /** Pages of comments read per media in one call. */
  maxPages?: number;
  now?: () => Date;
}

const COMMENT_FIELDS = 'id,text,timestamp,username,from{id,username},parent_id';
// Instagram lists only top-level comments; replies come nested under each (first page of them).
const FIELDS = `${COMMENT_FIELDS},replies{${COMMENT_FIELDS}}`;

const paging = z
  .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
  .optional();
const mediaPage = z.object({
  data: z.array(z.object({ id: z.string(), permalink: z.string().optional() })),
  paging,
});
const igReply = z.object({
  id: z.string(),
  text: z.string().optional(),
  timestamp: z.string(),
  username: z.string().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }).optional(),
  parent_id: z.string().optional(),
});
const igComment = igReply.extend({ replies: z.object({ data: z.array(igReply) }).optional() });
const commentsPage = z.object({ data: z.array(igComment), paging });
const success = z.object({ success: z.boolean() });

export class InstagramAdapter implements PlatformAdapter {
  readonly platform = 'instagram' as const;
  readonly councilAccountId: string;
  private readonly graph: GraphClient;
  private readonly mediaToWatch: number;
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(private readonly options: InstagramAdapterOptions) {
    this.councilAccountId = options.account.accountId;
    this.graph = new GraphClient({
      platform: 'instagram',
      accessToken: options.account.accessToken,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      now: options.now ?? (() => new Date()),
    });
    this.mediaToWatch = options.mediaToWatch ?? 25;
    this.pageSize = options.pageSize ?? 50;
    this.maxPages = options.maxPages ?? 10;
  }

  async readCommentsSince(cursor: string | undefined): Promise<CommentsRead> {
    const since = parseSinceCursor(cursor, 'instagram');
    const media = await this.graph.get(
      [this.councilAccountId, 'media'],
      { fields: 'id,permalink', limit: this.mediaToWatch },
      mediaPage,
    );
    let rateLimit: RateLimitStatus | undefined = media.rateLimit;
    const comments: CapturedComment[] = [];
    let newest = since;
    for (const item of media.body.data) {
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await this.graph.get(
          [item.id, 'comments'],
          { fields: FIELDS, limit: this.pageSize, ...(after ? { after } : {}) },
          commentsPage,
        );
        rateLimit = page.rateLimit ?? rateLimit;
        // The comments edge takes no `since`: everything is listed and older comments are passed over here.
        const keep = (c: z.infer<typeof igReply>, path: JsonPath) => {
          const at = unixSeconds(graphTime(c.timestamp));
          if (since !== undefined && at < since) return;
          comments.push(this.toComment(c, item.id, item.permalink, page.json.sliceOrThrow(path)));
          newest = newest === undefined ? at : Math.max(newest, at);
        };
        page.body.data.forEach((c, i) => {
          keep(c, ['data', i]);
          c.replies?.data.forEach((r, j) => keep(r, ['data', i, 'replies', 'data', j]));
        });
        after = page.body.paging?.next ? page.body.paging.cursors?.after : undefined;
        pages++;
      } while (after && pages < this.maxPages);
    }
    const nextCursor = sinceCursor(newest, cursor);
    return { comments, ...(nextCursor ? { nextCursor } : {}), ...(rateLimit ? { rateLimit } : {}) };
  }

  async hideComment(comment: CapturedComment): Promise<ActionOutcome> {
    this.assertOurs(comment);
    const current = await this.graph.run(() =>
      new IGComment(comment.externalId, {}, null, this.graph.api).get(['hidden']),
    );
    if (current.exportAllData().hidden === true) {
      return {
        action: 'hide',
        status: 'already_done',
        detail: `Comment ${comment.externalId} was already hidden on Instagram`,
      };
    }
    const answer = await this.graph.sdk(
      `hide comment ${comment.externalId}`,
      () => new IGComment(comment.externalId, {}, null, this.graph.api).update([], { hide: true }),
      success,
    );
    if (!answer.body.success)
      throw new PlatformUnavailable(
        'instagram',
        `Instagram did not confirm hiding comment ${comment.externalId}; try again`,
      );
    return {
      action: 'hide',
      status: 'done',
      detail: `Comment ${comment.externalId} hidden on Instagram`,
      platformResponse: answer.json.text,
    };
  }

  /** Instagram's API cannot block or restrict an account: hide the comment given, and say a block must be done in the app. */
  async blockAuthor(author: PlatformAuthor, comment?: CapturedComment): Promise<ActionOutcome> {
    const who = author.handle ? `@${author.handle}` : `Instagram user ${author.accountId}`;
    const hide = await hideAlongside(this, author, comment);
    const instead =
      hide && hide.status !== 'refused' ? `comment ${comment?.externalId} hidden instead; ` : '';
    return {
      action: 'block',
      status: 'refused',
      detail: `Instagram's API cannot block ${who}: ${instead}block them in the Instagram app`,
      ...(hide ? { alsoDone: [hide] } : {}),
    };
  }

  async describeAuthor(accountId: string): Promise<PlatformAuthor> {
    const answer = await this.graph.get(
      [accountId],
      { fields: 'id,username' },
      z.object({ id: z.string(), username: z.string().optional() }),
    );
    return {
      platform: 'instagram',
      accountId: answer.body.id,
      ...(answer.body.username ? { handle: answer.body.username } : {}),
    };
  }

  private toComment(
    c: z.infer<typeof igReply>,
    mediaId: string,
    permalink: string | undefined,
    rawPayload: string,
  ): CapturedComment {
    return {
      platform: 'instagram',
      externalId: c.id,
      councilAccountId: this.councilAccountId,
      postId: mediaId,
      ...(c.parent_id ? { parentId: c.parent_id } : {}),
      author: {
        platform: 'instagram',
        accountId: c.from?.id ?? '',
        ...((c.from?.username ?? c.username) ? { handle: c.from?.username ?? c.username } : {}),
      },
      text: c.text ?? '',
      createdAt: graphTime(c.timestamp),
      ...(permalink ? { permalink } : {}),
      rawPayload,
    };
  }

  private assertOurs(comment: CapturedComment): void {
    if (comment.platform !== 'instagram') {
      throw new ValidationFailed(
        'platform',
        `This is the Instagram connector; comment ${comment.externalId} is from ${comment.platform}`,
      );
    }
  }
}
