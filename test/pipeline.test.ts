// One comment travels from a simulated platform, through the queues, to a signed-in officer's
// live dashboard — against the real Redis, FerretDB, BullMQ and socket.io.
import { decisionFor } from '../store/comments';
import { io, type Socket } from 'socket.io-client';
import { COMMENT_DECIDED, type LiveCommentEvent } from '../core/live';
import { addOfficer, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';
import { Browserless } from './helpers/http';

describe('the path of one comment', () => {
  let stack: TestStack;
  let socket: Socket;
  const received: LiveCommentEvent[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    const { models } = stack.store;
    const now = new Date();
    const person = await models.people.create({
      names: ['John Smith'],
      socialAccounts: [{ platform: 'simulated', accountId: 'restricted-42', handle: 'jsmith' }],
      createdAt: now,
      updatedAt: now,
    });
    await models.restrictions.create({
      personId: String(person._id),
      kinds: ['social_media_block'],
      status: 'active',
      scope: { level: 'council' },
      approvedAt: now,
      reviewDue: new Date(now.getTime() + 90 * 86400_000),
      createdAt: now,
    });
    const officer = await addOfficer(stack.store, 'moderator1', ['moderator']);
    const browser = new Browserless(stack.server.url);
    expect((await browser.signIn(officer.username, officer.password)).status).toBe(303);
    socket = io(stack.server.url, { extraHeaders: { cookie: browser.cookieHeader }, transports: ['websocket'] });
    socket.on(COMMENT_DECIDED, (e: LiveCommentEvent) => received.push(e));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    // Joining the room happens on the server just after connect.
    await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    socket?.disconnect();
    await stack?.stop();
  });

  it('a comment from a restricted account is stored once, hidden, and reaches the moderator live', async () => {
    const comment = simulatedComment({ authorId: 'restricted-42', text: 'You lot are useless' });
    await stack.pipeline.ingest(comment);
    await stack.pipeline.ingest(comment); // a repeat of the same platform item

    const event = await waitFor('the live event', async () => received.find((e) => e.text === 'You lot are useless'));
    expect(event.decision.outcome).toBe('hide');
    expect(event.decision.personName).toBe('John Smith');

    const stored = await stack.store.models.comments.find({ externalId: comment.externalId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.rawPayload).toBe(comment.rawPayload);
    expect(stored[0]!.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await decisionFor(stack.store.models, String(stored[0]!._id)))?.outcome).toBe('hide');

    await waitFor('the hide and block actions', async () => stack.platform.hidden.includes(comment.externalId) && stack.platform.blocked.includes('restricted-42'));
    const after = await waitFor('both action outcomes', async () => {
      const outcomes = await stack.store.models.commentActions.find({ commentId: String(stored[0]!._id) }).lean();
      return outcomes.length === 2 ? outcomes : undefined;
    });
    expect(after.map((a) => a.action).sort()).toEqual(['block', 'hide']);
  });

  it('a comment from anyone else is decided "none"', async () => {
    const comment = simulatedComment({ text: 'What time does the library open on Saturday?' });
    await stack.pipeline.ingest(comment);
    const event = await waitFor('the live event', async () => received.find((e) => e.text === comment.text));
    expect(event.decision.outcome).toBe('none');
    expect(stack.platform.hidden).not.toContain(comment.externalId);
  });

  it('records decisions that act and every platform action in the audit log, with an intact chain', async () => {
    const res = await new Browserless(stack.server.url);
    await addOfficer(stack.store, 'auditor1', ['auditor']);
    await res.signIn('auditor1', 'correct horse battery staple');
    const check = (await (await res.request('/api/audit/verify')).json()) as { ok: boolean };
    expect(check.ok).toBe(true);
    // The decision that hid a comment, and each platform action, are audited.
    expect(await stack.store.models.audit.countDocuments({ action: 'comment.decided' })).toBeGreaterThanOrEqual(1);
    await waitFor('audited actions', async () => (await stack.store.models.audit.countDocuments({ action: { $in: ['comment.hide', 'comment.block'] } })) >= 2);
  });
});
