// Contract: the Facebook Page connector, on the real facebook-nodejs-business-sdk, against the fake Graph API.

import { PlatformRateLimited, PlatformRefused, PlatformUnavailable } from '../../core/errors';
import type { CapturedComment } from '../../core/platform';
import { FacebookPageAdapter, type FacebookAdapterOptions } from '../../platforms/facebook';
import { startFakePlatform, type FakePlatform } from '../../platforms/fake/server';
import type { FakeFacebookComment, FakeFacebookPost, FakeFault } from '../../platforms/fake/state';

let fake: FakePlatform;
let post: FakeFacebookPost;
const resident = { id: '3001', name: 'Jo Bloggs' };
// One clock for the fake and the connector: Graph names a throttling wait in minutes from now.
const now = () => new Date(Date.UTC(2026, 2, 1, 12, 0));

beforeEach(async () => {
  fake = await startFakePlatform({ now });
  fake.state.addFacebookPage({ id: '2001', name: 'Example Council', token: 'page-token' });
  post = fake.state.addFacebookPost({
    pageId: '2001',
    message: 'Have your say on library opening hours',
    createdAt: new Date('2026-03-01T09:00:00Z'),
  });
});

afterEach(async () => {
  await fake.close();
});

function connector(options: Partial<FacebookAdapterOptions> = {}): FacebookPageAdapter {
  return new FacebookPageAdapter({
    page: { pageId: '2001', accessToken: 'page-token' },
    baseUrl: fake.url,
    ...options,
  });
}

function comment(message: string, at = '2026-03-01T10:00:00Z', parentId?: string): FakeFacebookComment {
  return fake.state.addFacebookComment({
    postId: post.id,
    from: resident,
    message,
    createdAt: new Date(at),
    ...(parentId ? { parentId } : {}),
  });
}

function captured(c: FakeFacebookComment): CapturedComment {
  return {
    platform: 'facebook',
    externalId: c.id,
    councilAccountId: '2001',
    postId: c.postId,
    author: { platform: 'facebook', accountId: c.from.id, displayName: c.from.name },
    text: c.message,
    createdAt: c.createdAt,
    rawPayload: '{}',
  };
}

describe('reading comments on the Page’s posts', () => {
  it('captures comments and replies with their authors, oldest first', async () => {
    const first = comment('When will the library open on Sundays?', '2026-03-01T10:00:00Z');
    const reply = comment('Agreed, Sundays please', '2026-03-01T10:05:00Z', first.id);

    const read = await connector().readCommentsSince(undefined);

    expect(read.comments).toEqual([
      expect.objectContaining({
        platform: 'facebook',
        externalId: first.id,
        councilAccountId: '2001',
        postId: post.id,
        author: { platform: 'facebook', accountId: '3001', displayName: 'Jo Bloggs' },
        text: first.message,
        createdAt: new Date('2026-03-01T10:00:00Z'),
      }),
      expect.objectContaining({ externalId: reply.id, parentId: first.id }),
    ]);
    expect(read.rateLimit).toEqual({ limit: 100, remaining: expect.any(Number), resetAt: expect.any(Date) });
  });

  it('keeps each comment’s JSON exactly as Facebook sent it', async () => {
    const c = comment('Café opening “soon” 🙄');
    const [got] = (await connector().readCommentsSince(undefined)).comments;
    expect(JSON.parse(got?.rawPayload ?? '')).toMatchObject({
      id: c.id,
      message: c.message,
      from: { id: '3001' },
    });
    expect(got?.rawPayload).toMatch(/^\{"id":".*\}$/);
  });

  it('a read from the stored cursor returns only what is new (the boundary comment may come again)', async () => {
    comment('early', '2026-03-01T10:00:00Z');
    const x = connector();
    const first = await x.readCommentsSince(undefined);
    const later = comment('later', '2026-03-01T11:00:00Z');

    // `since` is inclusive: the newest comment already read comes once more, and the store's unique key drops it.
    const second = await x.readCommentsSince(first.nextCursor);
    expect(second.comments.map((c) => c.text)).toEqual(['early', 'later']);
    const third = await x.readCommentsSince(second.nextCursor);
    expect(third.comments.map((c) => c.externalId)).toEqual([later.id]);
  });

  it('reads a long thread across calls without skipping any', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => comment(`comment ${i}`, `2026-03-01T10:0${i}:00Z`).id);
    const x = connector({ pageSize: 2, maxPages: 2 });
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let call = 0; call < 5; call++) {
      const read = await x.readCommentsSince(cursor);
      read.comments.forEach((c) => seen.add(c.externalId));
      cursor = read.nextCursor;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
  });
});

describe('acting on the Page', () => {
  it('hides a comment once; a second hide is already done without another call', async () => {
    const c = comment('You are all useless');
    const x = connector();

    await expect(x.hideComment(captured(c))).resolves.toMatchObject({
      action: 'hide',
      status: 'done',
      platformResponse: '{"success":true}',
    });
    await expect(x.hideComment(captured(c))).resolves.toMatchObject({
      action: 'hide',
      status: 'already_done',
    });

    expect(fake.state.facebookHidden(c.id)).toBe(true);
    expect(fake.state.actionCalls('facebook.hide', c.id)).toBe(1);
  });

  it('bans a person from the Page once; a second ban is already done', async () => {
    comment('threatening comment');
    const x = connector();
    const author = { platform: 'facebook' as const, accountId: resident.id, displayName: resident.name };

    await expect(x.blockAuthor(author)).resolves.toMatchObject({ action: 'block', status: 'done' });
    await expect(x.blockAuthor(author)).resolves.toMatchObject({ action: 'block', status: 'already_done' });

    expect(fake.state.facebookBanned('2001', resident.id)).toBe(true);
    expect(fake.state.actionCalls('facebook.ban', resident.id)).toBe(1);
  });

  it('describes a commenter by account id', async () => {
    comment('hello');
    await expect(connector().describeAuthor(resident.id)).resolves.toEqual({
      platform: 'facebook',
      accountId: '3001',
      displayName: 'Jo Bloggs',
    });
  });

  it('hiding a comment that does not exist is refused for good, with Graph’s reason', async () => {
    const missing = { ...captured(comment('x')), externalId: '999_999' };
    const error = await connector()
      .hideComment(missing)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRefused);
    expect((error as PlatformRefused).message).toMatch(/HTTP 400: Unsupported get request.*code 100/);
  });

  it('a token Graph does not accept is refused for good', async () => {
    const x = new FacebookPageAdapter({
      page: { pageId: '2001', accessToken: 'expired' },
      baseUrl: fake.url,
    });
    await expect(x.readCommentsSince(undefined)).rejects.toMatchObject({
      name: 'PlatformRefused',
      message: expect.stringMatching(/code 190/),
    });
  });
});

describe('when Graph misbehaves', () => {
  const inTenMinutes = () => new Date(Date.UTC(2026, 2, 1, 12, 10));
  const cases: [string, FakeFault, (e: unknown) => void][] = [
    [
      'throttled (code 4, HTTP 400): waits the time Graph estimated',
      { kind: 'rate_limited', code: 4, resetAt: inTenMinutes() },
      (e) => {
        expect(e).toBeInstanceOf(PlatformRateLimited);
        expect((e as PlatformRateLimited).resetAt).toEqual(inTenMinutes());
      },
    ],
    [
      'throttled (code 32, HTTP 429)',
      { kind: 'rate_limited', code: 32, status: 429, resetAt: inTenMinutes() },
      (e) => {
        expect((e as PlatformRateLimited).resetAt).toEqual(inTenMinutes());
      },
    ],
    [
      'throttled (code 613)',
      { kind: 'rate_limited', code: 613, resetAt: inTenMinutes() },
      (e) => expect(e).toBeInstanceOf(PlatformRateLimited),
    ],
    [
      'a server error is worth retrying',
      { kind: 'server_error' },
      (e) => {
        expect(e).toBeInstanceOf(PlatformUnavailable);
        expect((e as Error).message).toMatch(/HTTP 500/);
      },
    ],
    [
      'a body that is not JSON is worth retrying',
      { kind: 'malformed' },
      (e) => {
        expect(e).toBeInstanceOf(PlatformUnavailable);
        expect((e as Error).message).toMatch(/not a JSON object/);
      },
    ],
    [
      'JSON in the wrong shape names the field',
      { kind: 'wrong_shape' },
      (e) => {
        expect(e).toBeInstanceOf(PlatformUnavailable);
        expect((e as Error).message).toMatch(/unexpected shape \(data: Expected array/);
      },
    ],
    [
      'an answer slower than the timeout is worth retrying',
      { kind: 'slow', delayMs: 3000 },
      (e) => {
        expect(e).toBeInstanceOf(PlatformUnavailable);
        expect((e as Error).message).toMatch(/Could not reach Facebook/);
      },
    ],
  ];

  it.each(cases)('reading: %s', async (_name, fault, check) => {
    comment('hello');
    fake.state.failNext('graph', fault, { pathIncludes: '/comments' });
    check(
      await connector({ timeoutMs: 300, now })
        .readCommentsSince(undefined)
        .catch((e: unknown) => e),
    );
  });

  it.each(cases.filter(([, f]) => f.kind !== 'wrong_shape'))('hiding: %s', async (_name, fault, check) => {
    const c = comment('hello');
    fake.state.failNext('graph', fault, { method: 'POST' });
    check(
      await connector({ timeoutMs: 300, now })
        .hideComment(captured(c))
        .catch((e: unknown) => e),
    );
    expect(fake.state.facebookHidden(c.id)).toBe(false);
  });
});
