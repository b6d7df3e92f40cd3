// What the fake platform remembers: accounts, posts and comments on X, Facebook and Instagram; what has
// been hidden, banned, blocked or muted; every call; and the faults a test has asked for. Test-only.

export type FakeAction =
  'x.hide' | 'x.block' | 'x.mute' | 'facebook.hide' | 'facebook.ban' | 'instagram.hide';
export type FakeApi = 'x' | 'graph';

export interface FakeXUser {
  id: string;
  username: string;
  name: string;
}

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  conversation_id: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: 'replied_to'; id: string }[];
}

export interface FakeFacebookPage {
  id: string;
  name: string;
}
export interface FakeFacebookPost {
  id: string;
  pageId: string;
  message: string;
  createdAt: Date;
}
export interface FakeFacebookComment {
  id: string;
  postId: string;
  pageId: string;
  message: string;
  createdAt: Date;
  from: { id: string; name: string };
  parentId?: string;
}
export interface FakeInstagramAccount {
  id: string;
  username: string;
}
export interface FakeInstagramMedia {
  id: string;
  accountId: string;
  caption: string;
  createdAt: Date;
}
export interface FakeInstagramComment {
  id: string;
  mediaId: string;
  accountId: string;
  text: string;
  createdAt: Date;
  from: { id: string; username: string };
  parentId?: string;
}

/** A fault the next matching request(s) will meet instead of a normal answer. */
export type FakeFault =
  /** X: 429 with x-rate-limit-* headers. Graph: a throttling error (code 4 by default) with usage headers. */
  | { kind: 'rate_limited'; resetAt?: Date; code?: number; status?: number }
  | { kind: 'server_error'; status?: number }
  /** Answers normally, after a delay. */
  | { kind: 'slow'; delayMs: number }
  /** 200 with a truncated JSON body. */
  | { kind: 'malformed' }
  /** 200 with valid JSON in the wrong shape. */
  | { kind: 'wrong_shape' };

export interface FaultRule {
  api: FakeApi;
  fault: FakeFault;
  remaining: number;
  /** Only requests whose path contains this (e.g. '/hidden', '/comments'). */
  pathIncludes?: string;
  method?: string;
}

export interface FakeCall {
  api: FakeApi;
  method: string;
  path: string;
  /** Set by the handler of an action endpoint that answered. */
  action?: FakeAction;
  target?: string;
  /** Set when a requested fault answered instead. */
  fault?: FakeFault['kind'];
}

export class FakePlatformState {
  readonly x = {
    users: new Map<string, FakeXUser>(),
    tokens: new Map<string, string>(),
    tweets: new Map<string, FakeTweet>(),
    hidden: new Set<string>(),
    blocking: new Map<string, Set<string>>(),
    muting: new Map<string, Set<string>>(),
    plan: 'standard' as 'standard' | 'enterprise',
  };
  readonly graph = {
    /** token → the Page or Instagram account it speaks for */
    tokens: new Map<string, { kind: 'page' | 'instagram'; id: string }>(),
    pages: new Map<string, FakeFacebookPage>(),
    posts: new Map<string, FakeFacebookPost>(),
    comments: new Map<string, FakeFacebookComment>(),
    hidden: new Set<string>(),
    banned: new Map<string, Set<string>>(),
    people: new Map<string, { id: string; name: string }>(),
    igAccounts: new Map<string, FakeInstagramAccount>(),
    media: new Map<string, FakeInstagramMedia>(),
    igComments: new Map<string, FakeInstagramComment>(),
    igHidden: new Set<string>(),
    igPeople: new Map<string, { id: string; username: string }>(),
  };
  readonly calls: FakeCall[] = [];
  private faults: FaultRule[] = [];
  private nextTweetId = 1_860_000_000_000_000_000n;
  private nextGraphId = 17_900_000_000_000_000n;

  constructor(readonly now: () => Date = () => new Date()) {}

  // ── X ────────────────────────────────────────────────────────────────────
  addXAccount(account: FakeXUser & { token: string }): FakeXUser {
    const user = this.addXUser(account);
    this.x.tokens.set(account.token, user.id);
    return user;
  }

  addXUser(user: Omit<FakeXUser, 'id'> & { id?: string }): FakeXUser {
    const saved = { id: user.id ?? this.newTweetId(), username: user.username, name: user.name };
    this.x.users.set(saved.id, saved);
    return saved;
  }

  /** A post by `authorId`; with `replyTo` it joins that tweet's conversation as a reply. */
  addTweet(input: { authorId: string; text: string; replyTo?: string; createdAt?: Date }): FakeTweet {
    const id = this.newTweetId();
    const parent = input.replyTo ? this.x.tweets.get(input.replyTo) : undefined;
    if (input.replyTo && !parent) throw new Error(`fake X has no tweet ${input.replyTo} to reply to`);
    const tweet: FakeTweet = {
      id,
      text: input.text,
      author_id: input.authorId,
      created_at: (input.createdAt ?? this.now()).toISOString(),
      conversation_id: parent ? parent.conversation_id : id,
      ...(parent
        ? {
            in_reply_to_user_id: parent.author_id,
            referenced_tweets: [{ type: 'replied_to' as const, id: parent.id }],
          }
        : {}),
    };
    this.x.tweets.set(id, tweet);
    return tweet;
  }

  xHidden(tweetId: string): boolean {
    return this.x.hidden.has(tweetId);
  }
  xBlocking(ownerId: string, targetId: string): boolean {
    return this.x.blocking.get(ownerId)?.has(targetId) ?? false;
  }
  xMuting(ownerId: string, targetId: string): boolean {
    return this.x.muting.get(ownerId)?.has(targetId) ?? false;
  }

  // ── Facebook ─────────────────────────────────────────────────────────────
  addFacebookPage(page: FakeFacebookPage & { token: string }): FakeFacebookPage {
    const saved = { id: page.id, name: page.name };
    this.graph.pages.set(page.id, saved);
    this.graph.tokens.set(page.token, { kind: 'page', id: page.id });
    return saved;
  }

  addFacebookPost(input: { pageId: string; message: string; createdAt?: Date }): FakeFacebookPost {
    if (!this.graph.pages.has(input.pageId)) throw new Error(`fake Facebook has no Page ${input.pageId}`);
    const post = {
      id: `${input.pageId}_${this.newGraphId()}`,
      pageId: input.pageId,
      message: input.message,
      createdAt: input.createdAt ?? this.now(),
    };
    this.graph.posts.set(post.id, post);
    return post;
  }

  addFacebookComment(input: {
    postId: string;
    from: { id: string; name: string };
    message: string;
    parentId?: string;
    createdAt?: Date;
  }): FakeFacebookComment {
    const post = this.graph.posts.get(input.postId);
    if (!post) throw new Error(`fake Facebook has no post ${input.postId}`);
    const comment: FakeFacebookComment = {
      id: `${post.id.split('_')[1]}_${this.newGraphId()}`,
      postId: post.id,
      pageId: post.pageId,
      message: input.message,
      createdAt: input.createdAt ?? this.now(),
      from: input.from,
      ...(input.parentId ? { parentId: input.parentId } : {}),
    };
    this.graph.comments.set(comment.id, comment);
    this.graph.people.set(input.from.id, input.from);
    return comment;
  }

  facebookHidden(commentId: string): boolean {
    return this.graph.hidden.has(commentId);
  }
  facebookBanned(pageId: string, userId: string): boolean {
    return this.graph.banned.get(pageId)?.has(userId) ?? false;
  }

  // ── Instagram ────────────────────────────────────────────────────────────
  addInstagramAccount(account: FakeInstagramAccount & { token: string }): FakeInstagramAccount {
    const saved = { id: account.id, username: account.username };
    this.graph.igAccounts.set(account.id, saved);
    this.graph.tokens.set(account.token, { kind: 'instagram', id: account.id });
    return saved;
  }

  addInstagramMedia(input: { accountId: string; caption: string; createdAt?: Date }): FakeInstagramMedia {
    if (!this.graph.igAccounts.has(input.accountId))
      throw new Error(`fake Instagram has no account ${input.accountId}`);
    const media = {
      id: this.newGraphId(),
      accountId: input.accountId,
      caption: input.caption,
      createdAt: input.createdAt ?? this.now(),
    };
    this.graph.media.set(media.id, media);
    return media;
  }

  addInstagramComment(input: {
    mediaId: string;
    from: { id: string; username: string };
    text: string;
    parentId?: string;
    createdAt?: Date;
  }): FakeInstagramComment {
    const media = this.graph.media.get(input.mediaId);
    if (!media) throw new Error(`fake Instagram has no media ${input.mediaId}`);
    const comment: FakeInstagramComment = {
      id: this.newGraphId(),
      mediaId: media.id,
      accountId: media.accountId,
      text: input.text,
      createdAt: input.createdAt ?? this.now(),
      from: input.from,
      ...(input.parentId ? { parentId: input.parentId } : {}),
    };
    this.graph.igComments.set(comment.id, comment);
    this.graph.igPeople.set(input.from.id, input.from);
    return comment;
  }

  instagramHidden(commentId: string): boolean {
    return this.graph.igHidden.has(commentId);
  }

  // ── Calls and faults ─────────────────────────────────────────────────────
  /** How many times an action endpoint was called (and answered, not faulted), optionally for one target. */
  actionCalls(action: FakeAction, target?: string): number {
    return this.calls.filter((c) => c.action === action && (target === undefined || c.target === target))
      .length;
  }

  /** The next `times` requests to `api` (matching `pathIncludes`/`method` if given) meet `fault`. */
  failNext(
    api: FakeApi,
    fault: FakeFault,
    options: { times?: number; pathIncludes?: string; method?: string } = {},
  ): void {
    this.faults.push({ api, fault, remaining: options.times ?? 1, ...options });
  }

  clearFaults(): void {
    this.faults = [];
  }

  takeFault(api: FakeApi, method: string, path: string): FakeFault | undefined {
    const rule = this.faults.find(
      (r) =>
        r.api === api &&
        r.remaining > 0 &&
        (!r.pathIncludes || path.includes(r.pathIncludes)) &&
        (!r.method || r.method === method),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.faults = this.faults.filter((r) => r.remaining > 0);
    return rule.fault;
  }

  private newTweetId(): string {
    this.nextTweetId += 1_000_003n;
    return this.nextTweetId.toString();
  }

  private newGraphId(): string {
    this.nextGraphId += 1n;
    return this.nextGraphId.toString();
  }
}
