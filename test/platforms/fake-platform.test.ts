// The fake platform server itself: documented shapes, errors always JSON, and its control API over HTTP.

import { startFakePlatform, type FakePlatform } from '../../platforms/fake/server';

let fake: FakePlatform;

beforeEach(async () => {
  fake = await startFakePlatform();
  fake.state.addXAccount({
    id: '1001',
    username: 'ExampleCouncil',
    name: 'Example Council',
    token: 'x-token',
  });
  fake.state.addFacebookPage({ id: '2001', name: 'Example Council', token: 'page-token' });
});

afterEach(async () => {
  await fake.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.url}${path}`, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('the fake platform', () => {
  it('answers Graph lists with string ids, data and paging cursors, and `next` only while more remain', async () => {
    const post = fake.state.addFacebookPost({ pageId: '2001', message: 'Library hours' });
    for (let i = 0; i < 3; i++)
      fake.state.addFacebookComment({ postId: post.id, from: { id: '3001', name: 'Jo' }, message: `c${i}` });

    const first = await get(`/v24.0/${post.id}/comments?access_token=page-token&limit=2&fields=id,message`);
    expect(first.body).toEqual({
      data: [
        expect.objectContaining({ id: expect.any(String), message: 'c0' }),
        expect.objectContaining({ message: 'c1' }),
      ],
      paging: {
        cursors: { before: expect.any(String), after: expect.any(String) },
        next: expect.stringContaining('after='),
      },
    });
    const after = (first.body.paging as { cursors: { after: string } }).cursors.after;
    const second = await get(`/v24.0/${post.id}/comments?access_token=page-token&limit=2&after=${after}`);
    expect(second.body).toEqual({
      data: [expect.objectContaining({ message: 'c2' })],
      paging: { cursors: expect.any(Object) },
    });
    expect(first.headers.get('x-app-usage')).toMatch(/call_count/);
  });

  it.each([
    ['an unknown Graph object', '/v24.0/999?access_token=page-token', 400, 100],
    ['Graph without a token', '/v24.0/2001/posts', 400, 104],
    ['Graph with a bad token', '/v24.0/2001/posts?access_token=nope', 400, 190],
  ])('answers %s with a JSON Graph error', async (_name, path, status, code) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/json/);
    expect(res.body).toEqual({
      error: expect.objectContaining({
        code,
        type: 'OAuthException',
        message: expect.any(String),
        fbtrace_id: expect.any(String),
      }),
    });
  });

  it('answers X with problem JSON and rate-limit headers', async () => {
    const unauthorised = await get('/2/users/1001/mentions');
    expect(unauthorised).toMatchObject({ status: 401, body: { title: 'Unauthorized', status: 401 } });
    const ok = await get('/2/users/1001/mentions', { authorization: 'Bearer x-token' });
    expect(ok.body).toEqual({ meta: { result_count: 0 } });
    expect(ok.headers.get('x-rate-limit-remaining')).toBe('179');
  });

  it('takes comments and faults over HTTP, and lists every call', async () => {
    const post = fake.state.addTweet({ authorId: '1001', text: 'Bins move to Tuesdays' });
    const user = fake.state.addXUser({ username: 'resident', name: 'A Resident' });
    const send = (path: string, body: unknown) =>
      fetch(`${fake.url}/_fake${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect(
      (await send('/x/tweets', { authorId: user.id, text: 'not Tuesdays!', replyTo: post.id })).status,
    ).toBe(201);
    expect((await send('/faults', { api: 'x', fault: { kind: 'server_error' } })).status).toBe(201);
    const bad = await send('/faults', { api: 'x', fault: { kind: 'fire' } });
    expect(bad.status).toBe(400);

    expect((await get('/2/users/1001/mentions', { authorization: 'Bearer x-token' })).status).toBe(503);
    const calls = await get('/_fake/calls');
    expect(calls.body.calls).toEqual([
      { api: 'x', method: 'GET', path: '/2/users/1001/mentions', fault: 'server_error' },
    ]);
  });
});
