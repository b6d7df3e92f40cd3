// The fake X API v2: the endpoints the X connector uses, answering in X's documented shapes
// (ids as strings; `data`/`includes`/`meta`; problem JSON for errors; x-rate-limit-* headers). Test-only.

import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { FakeAction, FakeCall, FakePlatformState, FakeTweet } from './state';

const WINDOW_SECONDS = 15 * 60;

export function xApi(state: FakePlatformState): Router {
  const router = express.Router();
  const windows = new Map<string, { resetAt: number; used: number }>();

  /** X's per-endpoint 15-minute windows, reported on every answer. */
  const limit = (key: string, max: number) => (_req: Request, res: Response, next: NextFunction) => {
    const nowSeconds = Math.floor(state.now().getTime() / 1000);
    let window = windows.get(key);
    if (!window || window.resetAt <= nowSeconds) {
      window = { resetAt: nowSeconds + WINDOW_SECONDS, used: 0 };
      windows.set(key, window);
    }
    window.used++;
    res.set({
      'x-rate-limit-limit': String(max),
      'x-rate-limit-remaining': String(Math.max(0, max - window.used)),
      'x-rate-limit-reset': String(window.resetAt),
    });
    next();
  };

  router.use('/2', (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const userId = token ? state.x.tokens.get(token) : undefined;
    if (!userId) return problem(res, 401, 'Unauthorized', 'Unauthorized');
    res.locals.userId = userId;
    next();
  });

  router.get('/2/users/:id/mentions', limit('mentions', 180), (req, res) => {
    const user = state.x.users.get(id(req));
    if (!user) return notFound(res, 'user', id(req));
    const mention = new RegExp(`@${user.username}\\b`, 'i');
    const tweets = [...state.x.tweets.values()].filter(
      (t) => t.author_id !== user.id && mention.test(t.text),
    );
    listTweets(state, req, res, tweets, 5);
  });

  router.get('/2/users/:id/tweets', limit('user-tweets', 900), (req, res) => {
    const exclude = String(req.query.exclude ?? '').split(',');
    const tweets = [...state.x.tweets.values()].filter(
      (t) => t.author_id === id(req) && !(exclude.includes('replies') && t.referenced_tweets),
    );
    listTweets(state, req, res, tweets, 5);
  });

  router.get('/2/tweets/search/recent', limit('search', 450), (req, res) => {
    const query = String(req.query.query ?? '');
    if (!query) return invalid(res, 'query', '', 'The `query` query parameter can not be empty');
    // Understands the operators the connector sends: conversation_id:ID (OR-ed) and -from:ID|username.
    const conversations = [...query.matchAll(/conversation_id:(\d+)/g)].map((m) => m[1]);
    const excluded = [...query.matchAll(/-from:(\w+)/g)].map((m) => m[1]);
    const tweets = [...state.x.tweets.values()].filter((t) => {
      const author = state.x.users.get(t.author_id);
      return (
        conversations.includes(t.conversation_id) &&
        !excluded.some((e) => e === t.author_id || e === author?.username)
      );
    });
    listTweets(state, req, res, tweets, 10);
  });

  router.put('/2/tweets/:id/hidden', limit('hide', 50), (req, res) => {
    const tweet = state.x.tweets.get(id(req));
    markAction(res, 'x.hide', id(req));
    if (!tweet) return notFound(res, 'tweet', id(req));
    const hidden: unknown = req.body?.hidden;
    if (typeof hidden !== 'boolean')
      return invalid(res, 'hidden', String(hidden), 'The `hidden` field must be true or false');
    const root = state.x.tweets.get(tweet.conversation_id);
    if (tweet.conversation_id === tweet.id || root?.author_id !== res.locals.userId) {
      return problem(
        res,
        403,
        'Forbidden',
        'You can only hide or unhide replies to conversations you authored.',
        'https://api.twitter.com/2/problems/client-forbidden',
      );
    }
    if (hidden) state.x.hidden.add(tweet.id);
    else state.x.hidden.delete(tweet.id);
    res.json({ data: { hidden } });
  });

  for (const [edge, action, set] of [
    ['blocking', 'x.block', state.x.blocking],
    ['muting', 'x.mute', state.x.muting],
  ] as const) {
    router.post(`/2/users/:id/${edge}`, limit(edge, 50), (req, res) => {
      const target: unknown = req.body?.target_user_id;
      markAction(res, action, String(target));
      if (id(req) !== res.locals.userId)
        return problem(
          res,
          403,
          'Forbidden',
          'You are not permitted to perform this action on behalf of another user.',
        );
      if (edge === 'blocking' && state.x.plan !== 'enterprise') {
        return problem(
          res,
          403,
          'Client Forbidden',
          'Blocking through the API needs the Enterprise plan for this App.',
          'https://api.twitter.com/2/problems/client-forbidden',
          {
            reason: 'client-not-enrolled',
          },
        );
      }
      if (typeof target !== 'string' || !state.x.users.has(target))
        return invalid(res, 'target_user_id', String(target), 'The `target_user_id` is not a known user');
      const mine = set.get(id(req)) ?? new Set<string>();
      mine.add(target);
      set.set(id(req), mine);
      res.json({ data: { [edge]: true } });
    });
  }

  router.get('/2/users/:id', limit('users', 300), (req, res) => {
    const user = state.x.users.get(id(req));
    if (!user) return notFound(res, 'user', id(req));
    res.json({ data: { id: user.id, name: user.name, username: user.username } });
  });

  router.use('/2', (req, res) =>
    problem(res, 404, 'Not Found Error', `The fake X API has no ${req.method} ${req.path}`),
  );
  return router;
}

/** Express 5 types route parameters as string | string[]; ours are single segments. */
function id(req: Request): string {
  return String(req.params.id);
}

function listTweets(
  state: FakePlatformState,
  req: Request,
  res: Response,
  candidates: FakeTweet[],
  minResults: number,
): void {
  for (const name of ['since_id', 'until_id'] as const) {
    const value = req.query[name];
    if (value !== undefined && !/^\d+$/.test(String(value)))
      return invalid(
        res,
        name,
        String(value),
        `The \`${name}\` query parameter value [${String(value)}] is not valid`,
      );
  }
  const max = Number(req.query.max_results ?? 10);
  if (!Number.isInteger(max) || max < minResults || max > 100) {
    return invalid(
      res,
      'max_results',
      String(req.query.max_results),
      `The \`max_results\` query parameter value [${String(req.query.max_results)}] is not between ${minResults} and 100`,
    );
  }
  const since = req.query.since_id ? BigInt(String(req.query.since_id)) : undefined;
  const until = req.query.until_id ? BigInt(String(req.query.until_id)) : undefined;
  const matching = candidates
    .filter(
      (t) => (since === undefined || BigInt(t.id) > since) && (until === undefined || BigInt(t.id) < until),
    )
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const offset = req.query.pagination_token
    ? Number(Buffer.from(String(req.query.pagination_token), 'base64url').toString())
    : 0;
  const page = matching.slice(offset, offset + max);
  if (page.length === 0) {
    res.json({ meta: { result_count: 0 } });
    return;
  }
  const fields = String(req.query['tweet.fields'] ?? '').split(',');
  const expandAuthors = String(req.query.expansions ?? '')
    .split(',')
    .includes('author_id');
  const first = page[0] as FakeTweet;
  const last = page[page.length - 1] as FakeTweet;
  const more = offset + max < matching.length;
  res.json({
    data: page.map((t) => renderTweet(t, fields)),
    ...(expandAuthors
      ? {
          includes: {
            users: [...new Set(page.map((t) => t.author_id))].flatMap((id) => {
              const u = state.x.users.get(id);
              return u ? [{ id: u.id, name: u.name, username: u.username }] : [];
            }),
          },
        }
      : {}),
    meta: {
      newest_id: first.id,
      oldest_id: last.id,
      result_count: page.length,
      ...(more ? { next_token: Buffer.from(String(offset + max)).toString('base64url') } : {}),
    },
  });
}

function renderTweet(t: FakeTweet, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
  for (const f of [
    'author_id',
    'created_at',
    'conversation_id',
    'in_reply_to_user_id',
    'referenced_tweets',
  ] as const) {
    if (fields.includes(f) && t[f] !== undefined) out[f] = t[f];
  }
  return out;
}

function markAction(res: Response, action: FakeAction, target: string): void {
  const call = res.locals.call as FakeCall | undefined;
  if (call) Object.assign(call, { action, target });
}

function problem(
  res: Response,
  status: number,
  title: string,
  detail: string,
  type = 'about:blank',
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ title, detail, type, status, ...extra }));
}

function invalid(res: Response, parameter: string, value: string, message: string): void {
  res
    .status(400)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        errors: [{ parameters: { [parameter]: [value] }, message }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      }),
    );
}

/** X answers a lookup of something missing with 200 and an `errors` list; an action on it with 404. */
function notFound(res: Response, resource: 'user' | 'tweet', id: string): void {
  const error = {
    value: id,
    detail: `Could not find ${resource} with id: [${id}].`,
    title: 'Not Found Error',
    resource_type: resource,
    parameter: 'id',
    resource_id: id,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
  if (res.req.method === 'GET') res.json({ errors: [error] });
  else problem(res, 404, error.title, error.detail, error.type);
}
