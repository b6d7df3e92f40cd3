// The fake Graph API (Facebook Pages and Instagram business accounts): the nodes and edges the
// connectors use, answering in Graph's documented shapes (`data` + `paging.cursors`, field selection
// with `fields=a,b{c}`, errors always as JSON `{ error: { message, type, code, fbtrace_id } }`). Test-only.

import type { Request, Response } from 'express';
import type {
  FakeAction,
  FakeCall,
  FakeFacebookComment,
  FakeInstagramComment,
  FakePlatformState,
} from './state';

type Principal = { kind: 'page' | 'instagram'; id: string };
type FieldTree = Map<string, FieldTree | undefined>;
type Json = Record<string, unknown>;

let traceCounter = 0;

export function graphApi(state: FakePlatformState) {
  return function answerGraph(req: Request, res: Response): void {
    const segments = req.path
      .replace(/^\/v\d+\.\d+(?=\/)/, '')
      .split('/')
      .filter(Boolean);
    const token =
      stringParam(req, 'access_token') ?? /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token)
      return graphError(res, 400, {
        message: 'An access token is required to request this resource.',
        code: 104,
      });
    const principal = state.graph.tokens.get(token);
    if (!principal)
      return graphError(res, 400, {
        message: 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
      });
    usageHeaders(state, res, principal);

    const [id, edge, ...rest] = segments;
    if (!id || rest.length > 0) return unsupported(res, req.method, id ?? '');
    const node = findNode(state, principal, id);
    if (!node) return unsupported(res, req.method, id);
    const fields = parseFields(stringParam(req, 'fields') ?? '');

    if (edge === undefined) {
      if (req.method === 'GET') return void res.json(pick(node.full(), fields.size ? fields : node.defaults));
      if (req.method === 'POST') return updateNode(state, req, res, node);
      return unsupported(res, req.method, id);
    }
    const key = `${req.method} ${node.type}/${edge}`;
    switch (key) {
      case 'GET page/posts':
      case 'GET page/feed': {
        const posts = [...state.graph.posts.values()]
          .filter((p) => p.pageId === id)
          .sort((a, b) => +b.createdAt - +a.createdAt);
        return paginate(
          req,
          res,
          posts.map((p) => postJson(state, p)),
          fields,
          ['created_time', 'message', 'id'],
        );
      }
      case 'GET post/comments': {
        const since = timeParam(req, 'since');
        const stream = stringParam(req, 'filter') === 'stream';
        const newestFirst = stringParam(req, 'order') === 'reverse_chronological';
        const comments = [...state.graph.comments.values()]
          .filter(
            (c) =>
              c.postId === id && (stream || !c.parentId) && (since === undefined || +c.createdAt >= since),
          )
          .sort((a, b) => (newestFirst ? +b.createdAt - +a.createdAt : +a.createdAt - +b.createdAt));
        return paginate(
          req,
          res,
          comments.map((c) => facebookCommentJson(state, c)),
          fields,
          ['created_time', 'from', 'message', 'id'],
        );
      }
      case 'GET page/blocked': {
        const user = stringParam(req, 'user') ?? stringParam(req, 'uid');
        const banned = [...(state.graph.banned.get(id) ?? [])].filter(
          (u) => user === undefined || u === user,
        );
        return paginate(
          req,
          res,
          banned.map((u) => ({ id: u, name: state.graph.people.get(u)?.name ?? '' })),
          fields,
          ['id', 'name'],
        );
      }
      case 'POST page/blocked': {
        const user = stringParam(req, 'user') ?? stringParam(req, 'uid') ?? stringParam(req, 'psid');
        markAction(res, 'facebook.ban', String(user));
        if (!user || !state.graph.people.has(user)) {
          return graphError(res, 400, {
            message: '(#100) Invalid user id: the person has not interacted with this Page',
            code: 100,
          });
        }
        const banned = state.graph.banned.get(id) ?? new Set<string>();
        banned.add(user);
        state.graph.banned.set(id, banned);
        return void res.json({ [user]: true });
      }
      case 'GET instagram/media': {
        const media = [...state.graph.media.values()]
          .filter((m) => m.accountId === id)
          .sort((a, b) => +b.createdAt - +a.createdAt);
        return paginate(
          req,
          res,
          media.map((m) => ({
            id: m.id,
            caption: m.caption,
            timestamp: graphTime(m.createdAt),
            permalink: `https://www.instagram.com/p/${m.id}/`,
          })),
          fields,
          ['id'],
        );
      }
      case 'GET media/comments': {
        // Instagram lists top-level comments, newest first; replies hang under each.
        const comments = [...state.graph.igComments.values()]
          .filter((c) => c.mediaId === id && !c.parentId)
          .sort((a, b) => +b.createdAt - +a.createdAt);
        return paginate(
          req,
          res,
          comments.map((c) => instagramCommentJson(state, c)),
          fields,
          ['id', 'text', 'timestamp'],
        );
      }
      default:
        return unsupported(res, req.method, id, edge);
    }
  };
}

interface GraphNode {
  type: 'page' | 'post' | 'comment' | 'person' | 'instagram' | 'media' | 'ig_comment' | 'ig_person';
  id: string;
  full: () => Json;
  defaults: FieldTree;
}

function findNode(state: FakePlatformState, who: Principal, id: string): GraphNode | undefined {
  const g = state.graph;
  const node = (type: GraphNode['type'], full: () => Json, defaults: string): GraphNode => ({
    type,
    id,
    full,
    defaults: parseFields(defaults),
  });
  if (who.kind === 'page') {
    const page = g.pages.get(id);
    if (page && who.id === id) return node('page', () => ({ id: page.id, name: page.name }), 'name,id');
    const post = g.posts.get(id);
    if (post && post.pageId === who.id)
      return node('post', () => postJson(state, post), 'created_time,message,id');
    const comment = g.comments.get(id);
    if (comment && comment.pageId === who.id)
      return node('comment', () => facebookCommentJson(state, comment), 'created_time,from,message,id');
    const person = g.people.get(id);
    if (person) return node('person', () => ({ id: person.id, name: person.name }), 'name,id');
    return undefined;
  }
  const account = g.igAccounts.get(id);
  if (account && who.id === id)
    return node('instagram', () => ({ id: account.id, username: account.username }), 'id');
  const media = g.media.get(id);
  if (media && media.accountId === who.id)
    return node(
      'media',
      () => ({ id: media.id, caption: media.caption, timestamp: graphTime(media.createdAt) }),
      'id',
    );
  const comment = g.igComments.get(id);
  if (comment && comment.accountId === who.id)
    return node('ig_comment', () => instagramCommentJson(state, comment), 'id,text,timestamp');
  const person = g.igPeople.get(id);
  if (person) return node('ig_person', () => ({ id: person.id, username: person.username }), 'id');
  return undefined;
}

function updateNode(state: FakePlatformState, req: Request, res: Response, node: GraphNode): void {
  if (node.type === 'comment') {
    markAction(res, 'facebook.hide', node.id);
    const hidden = boolParam(req, 'is_hidden');
    if (hidden === undefined)
      return graphError(res, 400, {
        message: '(#100) The parameter is_hidden must be true or false',
        code: 100,
      });
    if (hidden) state.graph.hidden.add(node.id);
    else state.graph.hidden.delete(node.id);
    return void res.json({ success: true });
  }
  if (node.type === 'ig_comment') {
    markAction(res, 'instagram.hide', node.id);
    const hide = boolParam(req, 'hide');
    if (hide === undefined)
      return graphError(res, 400, { message: '(#100) The parameter hide must be true or false', code: 100 });
    if (hide) state.graph.igHidden.add(node.id);
    else state.graph.igHidden.delete(node.id);
    return void res.json({ success: true });
  }
  return unsupported(res, 'POST', node.id);
}

function postJson(
  state: FakePlatformState,
  p: { id: string; message: string; createdAt: Date; pageId: string },
): Json {
  return {
    id: p.id,
    message: p.message,
    created_time: graphTime(p.createdAt),
    permalink_url: `https://www.facebook.com/${p.pageId}/posts/${p.id.split('_')[1]}`,
  };
}

function facebookCommentJson(state: FakePlatformState, c: FakeFacebookComment): Json {
  const parent = c.parentId ? state.graph.comments.get(c.parentId) : undefined;
  return {
    id: c.id,
    message: c.message,
    created_time: graphTime(c.createdAt),
    from: { name: c.from.name, id: c.from.id },
    ...(parent
      ? { parent: { id: parent.id, message: parent.message, created_time: graphTime(parent.createdAt) } }
      : {}),
    permalink_url: `https://www.facebook.com/${c.postId.replace('_', '/posts/')}?comment_id=${c.id.split('_')[1]}`,
    is_hidden: state.graph.hidden.has(c.id),
    can_hide: true,
  };
}

function instagramCommentJson(state: FakePlatformState, c: FakeInstagramComment): Json {
  const replies = [...state.graph.igComments.values()]
    .filter((r) => r.parentId === c.id)
    .sort((a, b) => +a.createdAt - +b.createdAt);
  return {
    id: c.id,
    text: c.text,
    timestamp: graphTime(c.createdAt),
    username: c.from.username,
    from: { id: c.from.id, username: c.from.username },
    hidden: state.graph.igHidden.has(c.id),
    like_count: 0,
    media: { id: c.mediaId },
    ...(c.parentId ? { parent_id: c.parentId } : {}),
    ...(c.parentId ? {} : { replies: { data: replies.map((r) => instagramCommentJson(state, r)) } }),
  };
}

/** Graph cursors are opaque; ours are base64 offsets. `next` is present only when more remain. */
function paginate(req: Request, res: Response, items: Json[], fields: FieldTree, defaults: string[]): void {
  const limit = Math.min(Math.max(Number(stringParam(req, 'limit') ?? 25) || 25, 1), 100);
  const after = stringParam(req, 'after');
  const offset = after ? Number(Buffer.from(after, 'base64url').toString()) || 0 : 0;
  const page = items.slice(offset, offset + limit);
  const tree = fields.size ? fields : parseFields(defaults.join(','));
  const body: Json = { data: page.map((item) => pick(item, tree)) };
  if (page.length > 0) {
    const cursors = {
      before: Buffer.from(String(offset)).toString('base64url'),
      after: Buffer.from(String(offset + page.length)).toString('base64url'),
    };
    const more = offset + page.length < items.length;
    const next = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
    next.searchParams.set('after', cursors.after);
    body.paging = { cursors, ...(more ? { next: next.toString() } : {}) };
  }
  res.json(body);
}

/** `id,from{id,name},replies{id,text}` → a tree; modifiers such as `.limit(5)` are ignored. */
export function parseFields(spec: string): FieldTree {
  let i = 0;
  const list = (): FieldTree => {
    const out: FieldTree = new Map();
    let name = '';
    const flush = (sub?: FieldTree) => {
      const clean = name.trim().replace(/\..*$/, '');
      if (clean) out.set(clean, sub);
      name = '';
    };
    while (i < spec.length) {
      const ch = spec[i++];
      if (ch === ',') flush();
      else if (ch === '{') flush(list());
      else if (ch === '}') break;
      else name += ch;
    }
    flush();
    return out;
  };
  return list();
}

function pick(value: Json, fields: FieldTree): Json {
  const out: Json = { id: value.id };
  for (const [name, sub] of fields) {
    const v = value[name];
    if (v === undefined) continue;
    if (sub && v && typeof v === 'object') {
      const edge = v as { data?: unknown };
      out[name] = Array.isArray(edge.data)
        ? { data: (edge.data as Json[]).map((item) => pick(item, sub)) }
        : pick(v as Json, sub);
    } else out[name] = v;
  }
  if (out.id === undefined) delete out.id;
  return out;
}

function usageHeaders(state: FakePlatformState, res: Response, who: Principal): void {
  const used = Math.min(100, state.calls.filter((c) => c.api === 'graph').length);
  const usage = { call_count: used, total_cputime: Math.floor(used / 2), total_time: Math.floor(used / 2) };
  res.set('x-app-usage', JSON.stringify(usage));
  res.set(
    'x-business-use-case-usage',
    JSON.stringify({
      [who.id]: [
        { type: who.kind === 'page' ? 'pages' : 'instagram', ...usage, estimated_time_to_regain_access: 0 },
      ],
    }),
  );
}

export function graphError(
  res: Response,
  status: number,
  error: { message: string; code: number; type?: string; error_subcode?: number; is_transient?: boolean },
): void {
  res
    .status(status)
    .json({ error: { type: 'OAuthException', ...error, fbtrace_id: `AFake${++traceCounter}` } });
}

function unsupported(res: Response, method: string, id: string, edge?: string): void {
  graphError(res, 400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}'${edge ? ` (edge ${edge})` : ''} does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    error_subcode: 33,
  });
}

function markAction(res: Response, action: FakeAction, target: string): void {
  const call = res.locals.call as FakeCall | undefined;
  if (call) Object.assign(call, { action, target });
}

/** Graph takes parameters in the query or in the body (the SDK posts JSON). */
function stringParam(req: Request, name: string): string | undefined {
  const fromBody: unknown = req.body && typeof req.body === 'object' ? (req.body as Json)[name] : undefined;
  const value: unknown = req.query[name] ?? fromBody;
  return value === undefined || value === null ? undefined : String(value);
}

function boolParam(req: Request, name: string): boolean | undefined {
  const value = stringParam(req, name);
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : undefined;
}

/** `since` as Graph takes it: Unix seconds or a date string; answered in milliseconds. */
function timeParam(req: Request, name: string): number | undefined {
  const value = stringParam(req, name);
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

export function graphTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, '+0000');
}
