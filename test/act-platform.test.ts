// The act step against the real X SDK and the fake X API: a restricted account's reply is hidden
// and the account muted (standard plan), exactly once, even when X answers 429 first — the job
// waits for the reset X named and is not lost.
import { startFakePlatform, type FakePlatform } from '../platforms/fake/server';
import { XAdapter } from '../platforms/x';
import type { FakeTweet, FakeXUser } from '../platforms/fake/state';
import { startTestStack, waitFor, type TestStack } from './helpers/stack';

describe('acting on X through the real SDK', () => {
  let fake: FakePlatform;
  let stack: TestStack;
  let council: FakeXUser;
  let resident: FakeXUser;
  let post: FakeTweet;

  beforeAll(async () => {
    fake = await startFakePlatform();
    council = fake.state.addXAccount({ id: '1001', username: 'ExampleCouncil', name: 'Example Council', token: 'council-token' });
    resident = fake.state.addXUser({ username: 'restricted_resident', name: 'R Resident' });
    post = fake.state.addTweet({ authorId: council.id, text: 'Road closures this weekend.' });
    const x = new XAdapter({ account: { userId: council.id, handle: council.username, accessToken: 'council-token' }, plan: 'standard', baseUrl: fake.url });
    stack = await startTestStack({ platformFor: (p, account) => (p === 'x' && account === council.id ? x : undefined) });
    const now = new Date();
    const person = await stack.store.models.people.create({ names: ['R Resident'], socialAccounts: [{ platform: 'x', accountId: resident.id }], createdAt: now, updatedAt: now });
    await stack.store.models.restrictions.create({ personId: String(person._id), kinds: ['social_media_block'], status: 'active', scope: { level: 'council' }, approvedAt: now, reviewDue: new Date(now.getTime() + 90 * 86400_000), createdAt: now });
  });
  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  it('waits out a 429 until the reset X named, then hides and mutes exactly once', async () => {
    const reply = fake.state.addTweet({ authorId: resident.id, text: 'You will regret this', replyTo: post.id });
    const resetAt = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
    fake.state.failNext('x', { kind: 'rate_limited', resetAt }, { times: 1, pathIncludes: '/hidden' });

    const { comments } = await new XAdapter({ account: { userId: council.id, accessToken: 'council-token' }, plan: 'standard', baseUrl: fake.url }).readCommentsSince(undefined);
    const captured = comments.find((c) => c.externalId === reply.id)!;
    await stack.pipeline.ingest(captured);

    await waitFor('the hide', async () => fake.state.xHidden(reply.id), 20000);
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt.getTime());
    await waitFor('the mute', async () => fake.state.xMuting(council.id, resident.id), 20000);
    // Let any stray duplicate run before counting.
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.state.actionCalls('x.hide', reply.id)).toBe(1);
    expect(fake.state.actionCalls('x.mute', resident.id)).toBe(1);

    const stored = await waitFor('both outcomes stored', async () => {
      const c = await stack.store.models.comments.findOne({ externalId: reply.id }).lean();
      const outcomes = c ? await stack.store.models.commentActions.find({ commentId: String(c._id) }).lean() : [];
      return outcomes.length === 2 ? outcomes : undefined;
    });
    const block = stored.find((a) => a.action === 'block')!;
    expect(block.detail).toMatch(/mute/); // the officer is told a mute was done, not a block
    expect(await stack.pipeline.queues.act.getFailedCount()).toBe(0);
  });
});
