// The fake platform server: one Express app answering the X API v2 and Graph API endpoints the
// connectors use, with state, call counts and injectable faults. For tests, the demo and scripts only:
// nothing in the service itself may import it.

import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { graphApi, graphError } from './graph-api';
import { FakePlatformState, type FakeApi, type FakeCall, type FakeFault } from './state';
import { xApi } from './x-api';

export interface FakePlatform {
  /** e.g. http://127.0.0.1:40123 — the base URL for both X (`/2/…`) and Graph (`/v24.0/…`). */
  url: string;
  /** Seed accounts and comments, read hidden/blocked state, count action calls, inject faults. */
  state: FakePlatformState;
  close(): Promise<void>;
}

export interface FakePlatformOptions {
  port?: number;
  host?: string;
  now?: () => Date;
}

export async function startFakePlatform(options: FakePlatformOptions = {}): Promise<FakePlatform> {
  const state = new FakePlatformState(options.now);
  const delays = new Set<NodeJS.Timeout>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use('/_fake', controlApi(state));
  app.use((req, res, next) => injectFaults(state, delays, req, res, next));
  app.use(xApi(state));
  app.use(graphApi(state));
  // Errors (e.g. a body that is not JSON) are answered in each API's own error shape.
  app.use((err: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    if (req.path.startsWith('/2/'))
      res
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify({ title: 'Invalid Request', detail: err.message, type: 'about:blank', status }));
    else graphError(res, status, { message: err.message, code: status === 500 ? 1 : 100 });
  });

  const server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    state,
    close: async () => {
      for (const t of delays) clearTimeout(t);
      delays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function apiOf(path: string): FakeApi {
  return path.startsWith('/2/') ? 'x' : 'graph';
}

function injectFaults(
  state: FakePlatformState,
  delays: Set<NodeJS.Timeout>,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const api = apiOf(req.path);
  const call: FakeCall = { api, method: req.method, path: req.path };
  state.calls.push(call);
  res.locals.call = call;
  const fault = state.takeFault(api, req.method, req.path);
  if (!fault) return next();
  if (fault.kind === 'slow') {
    const timer = setTimeout(() => {
      delays.delete(timer);
      next();
    }, fault.delayMs);
    delays.add(timer);
    return;
  }
  call.fault = fault.kind;
  answerFault(state, api, fault, res);
}

function answerFault(
  state: FakePlatformState,
  api: FakeApi,
  fault: Exclude<FakeFault, { kind: 'slow' }>,
  res: Response,
): void {
  const now = state.now();
  switch (fault.kind) {
    case 'rate_limited': {
      const resetAt = fault.resetAt ?? new Date(now.getTime() + 15 * 60_000);
      if (api === 'x') {
        res.set({
          'x-rate-limit-limit': '50',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(resetAt.getTime() / 1000)),
        });
        res
          .status(fault.status ?? 429)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              title: 'Too Many Requests',
              detail: 'Too Many Requests',
              type: 'about:blank',
              status: fault.status ?? 429,
            }),
          );
        return;
      }
      const code = fault.code ?? 4;
      const minutes = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 60_000));
      res.set('x-app-usage', JSON.stringify({ call_count: 100, total_cputime: 12, total_time: 15 }));
      res.set(
        'x-business-use-case-usage',
        JSON.stringify({
          throttled: [
            {
              type: 'pages',
              call_count: 100,
              total_cputime: 12,
              total_time: 15,
              estimated_time_to_regain_access: minutes,
            },
          ],
        }),
      );
      // Graph reports throttling as an error code (4 app, 17 user, 32 Page, 613, 80001…) on a 4xx answer.
      graphError(res, fault.status ?? 400, {
        message: THROTTLE_MESSAGES[code] ?? `(#${code}) Request limit reached`,
        code,
        is_transient: true,
      });
      return;
    }
    case 'server_error':
      if (api === 'x') {
        res
          .status(fault.status ?? 503)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              title: 'Service Unavailable',
              detail: 'Service Unavailable',
              type: 'about:blank',
              status: fault.status ?? 503,
            }),
          );
      } else {
        graphError(res, fault.status ?? 500, {
          message: 'An unexpected error has occurred. Please retry your request later.',
          code: 2,
          is_transient: true,
        });
      }
      return;
    case 'malformed':
      res.status(200).type('application/json').send('{"data":[{"id":"1');
      return;
    case 'wrong_shape':
      res.status(200).json({ data: 'this is not a list', meta: {} });
      return;
  }
}

const THROTTLE_MESSAGES: Record<number, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001: '(#80001) There have been too many calls to this Page account. Wait a bit and try again.',
};

const faultBody = z.object({
  api: z.enum(['x', 'graph']),
  fault: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('rate_limited'),
      resetAt: z.coerce.date().optional(),
      code: z.number().int().optional(),
      status: z.number().int().optional(),
    }),
    z.object({ kind: z.literal('server_error'), status: z.number().int().optional() }),
    z.object({ kind: z.literal('slow'), delayMs: z.number().int().min(0).max(120_000) }),
    z.object({ kind: z.literal('malformed') }),
    z.object({ kind: z.literal('wrong_shape') }),
  ]),
  times: z.number().int().min(1).optional(),
  pathIncludes: z.string().optional(),
  method: z.string().optional(),
});
const tweetBody = z.object({ authorId: z.string(), text: z.string().min(1), replyTo: z.string().optional() });
const facebookCommentBody = z.object({
  postId: z.string(),
  from: z.object({ id: z.string(), name: z.string() }),
  message: z.string().min(1),
  parentId: z.string().optional(),
});
const instagramCommentBody = z.object({
  mediaId: z.string(),
  from: z.object({ id: z.string(), username: z.string() }),
  text: z.string().min(1),
  parentId: z.string().optional(),
});

/** The same control over HTTP, for the standalone server (demo scripts adding comments live, checking calls). */
function controlApi(state: FakePlatformState) {
  const router = express.Router();
  const handle =
    <T>(schema: z.ZodType<T>, act: (body: T) => unknown) =>
    (req: Request, res: Response) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success)
        return void res
          .status(400)
          .json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      try {
        res.status(201).json(act(parsed.data) ?? {});
      } catch (e) {
        res.status(400).json({ error: (e as Error).message });
      }
    };
  router.post(
    '/faults',
    handle(faultBody, (b) => state.failNext(b.api, b.fault, b)),
  );
  router.delete('/faults', (_req, res) => {
    state.clearFaults();
    res.status(204).end();
  });
  router.post(
    '/x/tweets',
    handle(tweetBody, (b) => state.addTweet(b)),
  );
  router.post(
    '/facebook/comments',
    handle(facebookCommentBody, (b) => state.addFacebookComment(b)),
  );
  router.post(
    '/instagram/comments',
    handle(instagramCommentBody, (b) => state.addInstagramComment(b)),
  );
  router.get('/calls', (_req, res) => {
    res.json({ calls: state.calls });
  });
  return router;
}
