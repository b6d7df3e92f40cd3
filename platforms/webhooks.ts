// Pure helpers for the platforms' webhooks, over the raw request body: signature checks, the subscribe
// handshakes, and turning a Facebook (or Instagram) comment event into captured comments. No I/O: the
// Express routes (server/) read the body, limit its size and answer; these only judge it.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ValidationFailed } from '../core/errors';
import type { CapturedComment } from '../core/platform';
import { PlatformJsonText } from './raw-json';

export type SignatureCheck = { valid: true } | { valid: false; reason: 'missing' | 'malformed' | 'mismatch' };

/** Facebook signs the raw body: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`. */
export function checkFacebookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): SignatureCheck {
  if (!header) return { valid: false, reason: 'missing' };
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1];
  if (!hex) return { valid: false, reason: 'malformed' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected)
    ? { valid: true }
    : { valid: false, reason: 'mismatch' };
}

/** X signs the raw body: `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, body)>`. */
export function checkXSignature(
  rawBody: Buffer,
  header: string | undefined,
  consumerSecret: string,
): SignatureCheck {
  if (!header) return { valid: false, reason: 'missing' };
  const b64 = /^sha256=([A-Za-z0-9+/]{43}=)$/.exec(header.trim())?.[1];
  if (!b64) return { valid: false, reason: 'malformed' };
  const expected = createHmac('sha256', consumerSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(b64, 'base64'), expected)
    ? { valid: true }
    : { valid: false, reason: 'mismatch' };
}

/** X's challenge-response check (`GET ?crc_token=T`): answer this object as JSON. */
export function xCrcResponse(crcToken: string, consumerSecret: string): { response_token: string } {
  return {
    response_token: `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`,
  };
}

export type SubscriptionAnswer = { ok: true; challenge: string } | { ok: false; reason: string };

/**
 * Facebook's subscribe handshake: `GET ?hub.mode=subscribe&hub.verify_token=V&hub.challenge=C` is answered
 * with C (as plain text) when V is ours, otherwise with 403. Accepts flat (`hub.mode`) or nested (`hub: { mode }`) queries.
 */
export function answerFacebookSubscription(
  query: Record<string, unknown>,
  verifyToken: string,
): SubscriptionAnswer {
  const nested = (query.hub && typeof query.hub === 'object' ? query.hub : {}) as Record<string, unknown>;
  const mode = query['hub.mode'] ?? nested.mode;
  const token = query['hub.verify_token'] ?? nested.verify_token;
  const challenge = query['hub.challenge'] ?? nested.challenge;
  if (mode !== 'subscribe') return { ok: false, reason: 'hub.mode must be "subscribe"' };
  if (typeof token !== 'string' || !sameSecret(token, verifyToken))
    return { ok: false, reason: 'hub.verify_token does not match' };
  if (typeof challenge !== 'string' || challenge.length === 0)
    return { ok: false, reason: 'hub.challenge is missing' };
  return { ok: true, challenge };
}

/** Constant-time comparison of strings of any length (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

const change = z.object({ field: z.string(), value: z.unknown() });
const envelope = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), time: z.number(), changes: z.array(change).default([]) })),
});
const feedComment = z.object({
  item: z.literal('comment'),
  verb: z.string(),
  comment_id: z.string(),
  post_id: z.string(),
  parent_id: z.string().optional(),
  from: z.object({ id: z.string(), name: z.string().optional() }),
  message: z.string().optional(),
  created_time: z.number().int(),
});
const instagramComment = z.object({
  id: z.string(),
  text: z.string(),
  from: z.object({ id: z.string(), username: z.string().optional() }),
  media: z.object({ id: z.string() }),
  parent_id: z.string().optional(),
});

/**
 * The new comments in a Page `feed` webhook body. Other changes (reactions, posts, edits, removals) are
 * passed over. Each comment's rawPayload is the exact text of its `value` object in the signed body.
 * Throws ValidationFailed naming the field (e.g. `entry.0.changes.1.value.from.id`) when the shape is wrong.
 */
export function parseFacebookFeedWebhook(rawBody: Buffer): CapturedComment[] {
  const { json, body } = parseEnvelope(rawBody, 'page');
  const comments: CapturedComment[] = [];
  body.entry.forEach((entry, i) =>
    entry.changes.forEach((c, j) => {
      if (c.field !== 'feed') return;
      const path = ['entry', i, 'changes', j, 'value'];
      const item = validate(z.object({ item: z.string(), verb: z.string() }).passthrough(), c.value, path);
      if (item.item !== 'comment' || item.verb !== 'add') return;
      const v = validate(feedComment, c.value, path);
      comments.push({
        platform: 'facebook',
        externalId: v.comment_id,
        councilAccountId: entry.id,
        postId: v.post_id,
        // A top-level comment's parent_id is the post itself.
        ...(v.parent_id && v.parent_id !== v.post_id ? { parentId: v.parent_id } : {}),
        author: {
          platform: 'facebook',
          accountId: v.from.id,
          ...(v.from.name ? { displayName: v.from.name } : {}),
        },
        text: v.message ?? '',
        createdAt: new Date(v.created_time * 1000),
        rawPayload: json.sliceOrThrow(path),
      });
    }),
  );
  return comments;
}

/** The comments in an Instagram `comments` webhook body; Instagram sends no creation time, so the entry's time is used. */
export function parseInstagramCommentsWebhook(rawBody: Buffer): CapturedComment[] {
  const { json, body } = parseEnvelope(rawBody, 'instagram');
  const comments: CapturedComment[] = [];
  body.entry.forEach((entry, i) =>
    entry.changes.forEach((c, j) => {
      if (c.field !== 'comments') return;
      const path = ['entry', i, 'changes', j, 'value'];
      const v = validate(instagramComment, c.value, path);
      comments.push({
        platform: 'instagram',
        externalId: v.id,
        councilAccountId: entry.id,
        postId: v.media.id,
        ...(v.parent_id ? { parentId: v.parent_id } : {}),
        author: {
          platform: 'instagram',
          accountId: v.from.id,
          ...(v.from.username ? { handle: v.from.username } : {}),
        },
        text: v.text,
        createdAt: new Date(entry.time * 1000),
        rawPayload: json.sliceOrThrow(path),
      });
    }),
  );
  return comments;
}

function parseEnvelope(rawBody: Buffer, object: 'page' | 'instagram') {
  let json: PlatformJsonText;
  try {
    json = PlatformJsonText.parse(rawBody.toString('utf8'));
  } catch (e) {
    throw new ValidationFailed('body', `The webhook body is not JSON (${(e as Error).message})`);
  }
  const body = validate(envelope, json.value, []);
  if (body.object !== object)
    throw new ValidationFailed('object', `Expected a webhook for object "${object}", got "${body.object}"`);
  return { json, body };
}

function validate<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  at: (string | number)[],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [...at, ...(issue?.path ?? [])].join('.') || 'body';
  throw new ValidationFailed(
    field,
    `The webhook body is not in the expected shape: ${field}: ${issue?.message ?? 'invalid'}`,
  );
}
