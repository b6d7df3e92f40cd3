// The Facebook and Instagram webhooks: a correctly signed delivery is stored and queued before it
// is acknowledged; a wrong, missing or malformed signature, a replay, a malformed body or one over
// the size limit each get a 4xx with a message and store nothing.
import { decisionFor } from '../store/comments';
import { createHmac } from 'node:crypto';
import { startTestStack, waitFor, type TestStack } from './helpers/stack';

const APP_SECRET = 'test-app-secret-123';
const VERIFY_TOKEN = 'test-verify-token';

function feedBody(commentId: string, message: string, fromId = '9001') {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: '1122334455',
        time: 1767225600,
        changes: [
          {
            field: 'feed',
            value: { item: 'comment', verb: 'add', comment_id: commentId, post_id: '1122334455_1', from: { id: fromId, name: 'A Resident' }, message, created_time: 1767225600 },
          },
        ],
      },
    ],
  });
}

const sign = (body: string | Buffer, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('Facebook webhooks', () => {
  let stack: TestStack;
  const post = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${stack.server.url}/webhooks/facebook`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const stored = () => stack.store.models.comments.countDocuments();

  beforeAll(async () => {
    stack = await startTestStack({ platformEnv: { FACEBOOK_APP_SECRET: APP_SECRET, FACEBOOK_VERIFY_TOKEN: VERIFY_TOKEN } });
  });
  afterAll(() => stack?.stop());

  it('answers the subscription handshake only with our verify token', async () => {
    const ok = await fetch(`${stack.server.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=12345`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('12345');
    const bad = await fetch(`${stack.server.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=12345`);
    expect(bad.status).toBe(403);
  });

  it('stores a correctly signed comment with its exact payload, then it is decided', async () => {
    const body = feedBody('1122334455_1_777', 'When is the next bin collection?');
    const res = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });
    const c = await stack.store.models.comments.findOne({ platform: 'facebook', externalId: '1122334455_1_777' }).lean();
    expect(c?.text).toBe('When is the next bin collection?');
    expect(JSON.parse(c!.rawPayload).comment_id).toBe('1122334455_1_777');
    expect(body).toContain(c!.rawPayload); // byte for byte as signed
    await waitFor('the decision', async () => decisionFor(stack.store.models, String(c!._id)));
  });

  it('refuses a replay of a delivery already accepted', async () => {
    const body = feedBody('1122334455_1_778', 'Replay me');
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
    const before = await stored();
    const again = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/replay/);
    expect(await stored()).toBe(before);
  });

  it.each([
    ['a wrong signature', (b: string) => ({ 'x-hub-signature-256': sign(b, 'not-the-secret') }), 401, /does not match/],
    ['a missing signature', () => ({}), 401, /missing/],
    ['a malformed signature', () => ({ 'x-hub-signature-256': 'md5=abc' }), 401, /not of the form/],
  ])('%s gets a 4xx and stores nothing', async (_name, headers, status, message) => {
    const before = await stored();
    const body = feedBody(`bad-${status}-${Math.random()}`, 'Should not be stored');
    const res = await post(body, headers(body));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
    expect(await stored()).toBe(before);
  });

  it.each([
    ['not JSON at all', 'this is { not json'],
    ['a comment without an author', JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: 'x', post_id: 'y', created_time: 1 } }] }] })],
    ['operator injection in an id', JSON.stringify({ object: 'page', entry: [{ id: { $gt: '' }, time: 1, changes: [] }] })],
  ])('a signed but malformed body (%s) gets 400 naming the problem and stores nothing', async (_name, body) => {
    const before = await stored();
    const res = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    expect(await stored()).toBe(before);
  });

  it('a body over the size limit gets 413 and stores nothing', async () => {
    const before = await stored();
    const body = feedBody('huge', 'x'.repeat(2 * 1024 * 1024));
    const res = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large/);
    expect(await stored()).toBe(before);
  });

  it('script in comment text is stored as text, unchanged', async () => {
    const body = feedBody('1122334455_1_779', '<script>alert(1)</script>');
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
    const c = await stack.store.models.comments.findOne({ externalId: '1122334455_1_779' }).lean();
    expect(c?.text).toBe('<script>alert(1)</script>');
  });
});
