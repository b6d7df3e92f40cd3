// Contract: the X connector, on the real twitter-api-v2 SDK, against the fake X API.

import { PlatformRateLimited, PlatformRefused, PlatformUnavailable } from '../../core/errors';
import type { CapturedComment } from '../../core/platform';
import { startFakePlatform, type FakePlatform } from '../../platforms/fake/server';
import type { FakeFault, FakeTweet, FakeXUser } from '../../platforms/fake/state';
import { XAdapter, type XAdapterOptions } from '../../platforms/x';

let fake: FakePlatform;
let council: FakeXUser;
let resident: FakeXUser;
let councilPost: FakeTweet;

beforeEach(async () => {
  fake = await startFakePlatform();
  council = fake.state.addXAccount({
    id: '1001',
    username: 'ExampleCouncil',
    name: 'Example Council',
    token: 'council-token',
  });
  resident = fake.state.addXUser({ username: 'angry_of_ambridge', name: 'Pat Archer' });
  councilPost = fake.state.addTweet({
    authorId: council.id,
    text: 'Bin collections move to Tuesdays from next week.',
  });
});

afterEach(async () => {
  await fake.close();
});

function connector(options: Partial<XAdapterOptions> = {}): XAdapter {
  return new XAdapter({
    account: { userId: council.id, handle: council.username, accessToken: 'council-token' },
    plan: 'standard',
    baseUrl: fake.url,
    ...options,
  });
}

function captured(tweet: FakeTweet): CapturedComment {
  return {
    platform: 'x',
    externalId: tweet.id,
    councilAccountId: council.id,
    postId: tweet.conversation_id,
    author: { platform: 'x', accountId: tweet.author_id, handle: resident.username },
    text: tweet.text,
    createdAt: new Date(tweet.created_at),
    rawPayload: '{}',
  };
}

describe('reading the council’s mentions and replies', () => {
  it('captures mentions and replies in the council’s conversations, with their authors', async () => {
    const mention = fake.state.addTweet({
      authorId: resident.id,
      text: '@ExampleCouncil the pothole on Mill Lane is still there',
    });
    const reply = fake.state.addTweet({
      authorId: resident.id,
      text: 'Tuesdays are hopeless for us',
      replyTo: councilPost.id,
    });
    fake.state.addTweet({ authorId: resident.id, text: 'nothing to do with the council' });

    const read = await connector().readCommentsSince(undefined);

    expect(read.comments.map((c) => c.externalId)).toEqual([mention.id, reply.id]);
    const [first, second] = read.comments;
    expect(first).toMatchObject({
      platform: 'x',
      councilAccountId: council.id,
      author: {
        platform: 'x',
        accountId: resident.id,
        handle: 'angry_of_ambridge',
        displayName: 'Pat Archer',
      },
      text: mention.text,
      createdAt: new Date(mention.created_at),
    });
    expect(second).toMatchObject({ postId: councilPost.id, parentId: councilPost.id });
    expect(read.rateLimit).toEqual({
      limit: expect.any(Number),
      remaining: expect.any(Number),
      resetAt: expect.any(Date),
    });
  });

  it('keeps each tweet’s JSON exactly as X sent it', async () => {
    fake.state.addTweet({
      authorId: resident.id,
      text: '@ExampleCouncil “smart quotes”, emoji 🚮 and \\ backslashes',
    });
    const [comment] = (await connector().readCommentsSince(undefined)).comments;
    const raw = comment?.rawPayload ?? '';
    expect(JSON.parse(raw)).toMatchObject({
      id: comment?.externalId,
      text: comment?.text,
      author_id: resident.id,
    });
    expect(raw.startsWith('{"id":')).toBe(true);
  });

  it('a read from the stored cursor returns only what is new', async () => {
    fake.state.addTweet({ authorId: resident.id, text: '@ExampleCouncil first' });
    const x = connector();
    const first = await x.readCommentsSince(undefined);
    const later = fake.state.addTweet({ authorId: resident.id, text: 'second', replyTo: councilPost.id });

    const second = await x.readCommentsSince(first.nextCursor);
    expect(second.comments.map((c) => c.externalId)).toEqual([later.id]);
    const third = await x.readCommentsSince(second.nextCursor);
    expect(third.comments).toEqual([]);
  });

  it('reads a backlog longer than one call across several calls without skipping any', async () => {
    const ids = Array.from(
      { length: 12 },
      (_, i) => fake.state.addTweet({ authorId: resident.id, text: `@ExampleCouncil complaint ${i}` }).id,
    );
    const x = connector({ pageSize: 5, maxPages: 1, conversationsToWatch: 0 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let call = 0; call < 5; call++) {
      const read = await x.readCommentsSince(cursor);
      seen.push(...read.comments.map((c) => c.externalId));
      cursor = read.nextCursor;
    }
    expect([...new Set(seen)].sort()).toEqual([...ids].sort());
    expect(seen).toHaveLength(12);
  });

  it('refuses a cursor it did not write', async () => {
    await expect(connector().readCommentsSince('not-a-cursor')).rejects.toMatchObject({
      name: 'ValidationFailed',
      field: 'cursor',
    });
  });
});

describe('acting on X', () => {
  it('hides a reply in the council’s conversation', async () => {
    const reply = fake.state.addTweet({ authorId: resident.id, text: 'rude reply', replyTo: councilPost.id });
    const outcome = await connector().hideComment(captured(reply));
    expect(outcome).toMatchObject({ action: 'hide', status: 'done' });
    expect(fake.state.xHidden(reply.id)).toBe(true);
    expect(fake.state.actionCalls('x.hide', reply.id)).toBe(1);
  });

  it('on the standard plan, a block is carried out as mute and hide, and says so', async () => {
    const reply = fake.state.addTweet({
      authorId: resident.id,
      text: 'threatening reply',
      replyTo: councilPost.id,
    });
    const comment = captured(reply);
    const outcome = await connector({ plan: 'standard' }).blockAuthor(comment.author, comment);

    expect(outcome).toMatchObject({
      action: 'mute',
      status: 'done',
      alsoDone: [{ action: 'hide', status: 'done' }],
    });
    expect(outcome.detail).toMatch(/standard plan cannot block/);
    expect(fake.state.xMuting(council.id, resident.id)).toBe(true);
    expect(fake.state.xHidden(reply.id)).toBe(true);
    expect(fake.state.actionCalls('x.block')).toBe(0);
    expect(fake.state.actionCalls('x.mute', resident.id)).toBe(1);
  });

  it('on the standard plan, a mention that X will not let the council hide is still muted, and the outcome says so', async () => {
    const mention = fake.state.addTweet({
      authorId: resident.id,
      text: '@ExampleCouncil threatening mention',
    });
    const comment = captured(mention);
    const outcome = await connector({ plan: 'standard' }).blockAuthor(comment.author, comment);
    expect(outcome).toMatchObject({
      action: 'mute',
      status: 'done',
      alsoDone: [{ action: 'hide', status: 'refused' }],
    });
    expect(outcome.detail).toMatch(
      /muted instead; the reply could not be hidden \(X refused the request \(HTTP 403/,
    );
    expect(fake.state.xMuting(council.id, resident.id)).toBe(true);
  });

  it('on the Enterprise plan, a block is a block', async () => {
    fake.state.x.plan = 'enterprise';
    const outcome = await connector({ plan: 'enterprise' }).blockAuthor({
      platform: 'x',
      accountId: resident.id,
      handle: resident.username,
    });
    expect(outcome).toMatchObject({ action: 'block', status: 'done' });
    expect(fake.state.xBlocking(council.id, resident.id)).toBe(true);
    expect(fake.state.actionCalls('x.mute')).toBe(0);
  });

  it('a block configured as Enterprise on an account without it is refused by X', async () => {
    await expect(
      connector({ plan: 'enterprise' }).blockAuthor({ platform: 'x', accountId: resident.id }),
    ).rejects.toMatchObject({
      name: 'PlatformRefused',
      status: 403,
    });
  });

  it('describes an author by account id', async () => {
    await expect(connector().describeAuthor(resident.id)).resolves.toEqual({
      platform: 'x',
      accountId: resident.id,
      handle: 'angry_of_ambridge',
      displayName: 'Pat Archer',
    });
    await expect(connector().describeAuthor('999')).rejects.toBeInstanceOf(PlatformRefused);
  });

  it('hiding a tweet outside the council’s conversations is refused for good', async () => {
    const mention = fake.state.addTweet({
      authorId: resident.id,
      text: '@ExampleCouncil standalone mention',
    });
    await expect(connector().hideComment(captured(mention))).rejects.toMatchObject({
      name: 'PlatformRefused',
      status: 403,
    });
  });
});

describe('when X misbehaves', () => {
  const resetAt = new Date('2030-01-01T12:15:00Z');
  const cases: [string, FakeFault, (e: unknown) => void][] = [
    [
      'rate limited: waits until the reset X named',
      { kind: 'rate_limited', resetAt },
      (e) => {
        expect(e).toBeInstanceOf(PlatformRateLimited);
        expect((e as PlatformRateLimited).resetAt).toEqual(resetAt);
      },
    ],
    [
      'a server error is worth retrying',
      { kind: 'server_error' },
      (e) => expect(e).toBeInstanceOf(PlatformUnavailable),
    ],
    [
      'a body that is not JSON is worth retrying',
      { kind: 'malformed' },
      (e) => {
        expect(e).toBeInstanceOf(PlatformUnavailable);
        expect((e as Error).message).toMatch(/not JSON|could not be read/);
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
        expect((e as Error).message).toMatch(/Could not reach X/);
      },
    ],
  ];

  it.each(cases)('reading: %s', async (_name, fault, check) => {
    fake.state.failNext('x', fault, { pathIncludes: '/mentions' });
    const error = await connector({ timeoutMs: 300 })
      .readCommentsSince(undefined)
      .catch((e: unknown) => e);
    check(error);
  });

  it.each(cases.filter(([, f]) => f.kind !== 'wrong_shape'))('hiding: %s', async (_name, fault, check) => {
    const reply = fake.state.addTweet({ authorId: resident.id, text: 'reply', replyTo: councilPost.id });
    fake.state.failNext('x', fault, { pathIncludes: '/hidden' });
    const error = await connector({ timeoutMs: 300 })
      .hideComment(captured(reply))
      .catch((e: unknown) => e);
    check(error);
  });

  it('a token X does not accept is refused for good', async () => {
    const x = new XAdapter({
      account: { userId: council.id, accessToken: 'wrong' },
      plan: 'standard',
      baseUrl: fake.url,
    });
    await expect(x.readCommentsSince(undefined)).rejects.toMatchObject({
      name: 'PlatformRefused',
      status: 401,
    });
  });
});
