// Contract: the Instagram connector, on the real facebook-nodejs-business-sdk, against the fake Graph API.

import { PlatformRateLimited, PlatformUnavailable } from '../../core/errors';
import type { CapturedComment } from '../../core/platform';
import { startFakePlatform, type FakePlatform } from '../../platforms/fake/server';
import type { FakeFault, FakeInstagramComment, FakeInstagramMedia } from '../../platforms/fake/state';
import { InstagramAdapter, type InstagramAdapterOptions } from '../../platforms/instagram';

let fake: FakePlatform;
let media: FakeInstagramMedia;
const resident = { id: '5001', username: 'sam.resident' };
const now = () => new Date(Date.UTC(2026, 2, 1, 12, 0));

beforeEach(async () => {
  fake = await startFakePlatform({ now });
  fake.state.addInstagramAccount({ id: '4001', username: 'examplecouncil', token: 'ig-token' });
  media = fake.state.addInstagramMedia({
    accountId: '4001',
    caption: 'New recycling bins arrive this month',
    createdAt: new Date('2026-03-01T09:00:00Z'),
  });
});

afterEach(async () => {
  await fake.close();
});

function connector(options: Partial<InstagramAdapterOptions> = {}): InstagramAdapter {
  return new InstagramAdapter({
    account: { accountId: '4001', accessToken: 'ig-token' },
    baseUrl: fake.url,
    now,
    ...options,
  });
}

function comment(text: string, at = '2026-03-01T10:00:00Z', parentId?: string): FakeInstagramComment {
  return fake.state.addInstagramComment({
    mediaId: media.id,
    from: resident,
    text,
    createdAt: new Date(at),
    ...(parentId ? { parentId } : {}),
  });
}

function captured(c: FakeInstagramComment): CapturedComment {
  return {
    platform: 'instagram',
    externalId: c.id,
    councilAccountId: '4001',
    postId: c.mediaId,
    author: { platform: 'instagram', accountId: c.from.id, handle: c.from.username },
    text: c.text,
    createdAt: c.createdAt,
    rawPayload: '{}',
  };
}

describe('reading comments on the account’s posts', () => {
  it('captures comments and their replies, each with its exact JSON', async () => {
    const top = comment('Where do the old bins go?', '2026-03-01T10:00:00Z');
    const reply = comment('Tip, probably', '2026-03-01T10:02:00Z', top.id);

    const read = await connector().readCommentsSince(undefined);

    expect(read.comments).toEqual([
      expect.objectContaining({
        platform: 'instagram',
        externalId: top.id,
        councilAccountId: '4001',
        postId: media.id,
        author: { platform: 'instagram', accountId: '5001', handle: 'sam.resident' },
        text: top.text,
        createdAt: new Date('2026-03-01T10:00:00Z'),
      }),
      expect.objectContaining({ externalId: reply.id, parentId: top.id, text: 'Tip, probably' }),
    ]);
    expect(JSON.parse(read.comments[1]?.rawPayload ?? '')).toEqual(
      expect.objectContaining({ id: reply.id, text: reply.text, parent_id: top.id }),
    );
  });

  it('a read from the stored cursor passes over what was already read', async () => {
    comment('early', '2026-03-01T10:00:00Z');
    const x = connector();
    const first = await x.readCommentsSince(undefined);
    comment('later', '2026-03-01T11:00:00Z');
    const second = await x.readCommentsSince(first.nextCursor);
    expect(second.comments.map((c) => c.text).filter((t) => t !== 'early')).toEqual(['later']);
  });
});

describe('acting on Instagram', () => {
  it('hides a comment once; a second hide is already done without another call', async () => {
    const c = comment('Absolute shambles, you clowns');
    const x = connector();
    await expect(x.hideComment(captured(c))).resolves.toMatchObject({ action: 'hide', status: 'done' });
    await expect(x.hideComment(captured(c))).resolves.toMatchObject({
      action: 'hide',
      status: 'already_done',
    });
    expect(fake.state.instagramHidden(c.id)).toBe(true);
    expect(fake.state.actionCalls('instagram.hide', c.id)).toBe(1);
  });

  it('cannot block through the API: hides the comment instead and says so', async () => {
    const c = comment('threatening comment');
    const outcome = await connector().blockAuthor(captured(c).author, captured(c));
    expect(outcome).toMatchObject({
      action: 'block',
      status: 'refused',
      alsoDone: [{ action: 'hide', status: 'done' }],
    });
    expect(outcome.detail).toMatch(/cannot block @sam.resident.*hidden instead.*Instagram app/);
    expect(fake.state.instagramHidden(c.id)).toBe(true);
  });

  it('describes a commenter by account id', async () => {
    comment('hello');
    await expect(connector().describeAuthor('5001')).resolves.toEqual({
      platform: 'instagram',
      accountId: '5001',
      handle: 'sam.resident',
    });
  });
});

describe('when Graph misbehaves for Instagram', () => {
  const cases: [string, FakeFault, new (...args: never[]) => Error][] = [
    [
      'throttled (code 80002)',
      { kind: 'rate_limited', code: 80002, resetAt: new Date(Date.UTC(2026, 2, 1, 12, 30)) },
      PlatformRateLimited,
    ],
    ['a server error', { kind: 'server_error' }, PlatformUnavailable],
    ['a body that is not JSON', { kind: 'malformed' }, PlatformUnavailable],
  ];

  it.each(cases)('reading: %s', async (_name, fault, type) => {
    comment('hello');
    fake.state.failNext('graph', fault, { pathIncludes: '/comments' });
    const error = await connector()
      .readCommentsSince(undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    if (error instanceof PlatformRateLimited)
      expect(error.resetAt).toEqual(new Date(Date.UTC(2026, 2, 1, 12, 30)));
  });
});
