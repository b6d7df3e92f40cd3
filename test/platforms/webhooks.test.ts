// The webhook helpers: signatures, handshakes, and reading Facebook and Instagram comment events.

import { createHmac } from 'node:crypto';
import { ValidationFailed } from '../../core/errors';
import {
  answerFacebookSubscription,
  checkFacebookSignature,
  checkXSignature,
  parseFacebookFeedWebhook,
  parseInstagramCommentsWebhook,
  xCrcResponse,
} from '../../platforms/webhooks';

const appSecret = 'facebook-app-secret';
const consumerSecret = 'x-consumer-secret';
const body = Buffer.from('{"object":"page","entry":[]}');
const fbSignature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
const xSignature = `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;

describe('Facebook’s X-Hub-Signature-256', () => {
  it.each([
    ['a good signature', fbSignature, { valid: true }],
    [
      'a good signature in capitals',
      fbSignature.replace(/[a-f]/g, (c) => c.toUpperCase()).replace('SHA256', 'sha256'),
      { valid: true },
    ],
    [
      'a signature made with another secret',
      `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`,
      { valid: false, reason: 'mismatch' },
    ],
    ['no header', undefined, { valid: false, reason: 'missing' }],
    ['an empty header', '', { valid: false, reason: 'missing' }],
    ['the old SHA-1 form', `sha1=${'a'.repeat(40)}`, { valid: false, reason: 'malformed' }],
    ['a truncated digest', fbSignature.slice(0, 40), { valid: false, reason: 'malformed' }],
    ['not hex', `sha256=${'z'.repeat(64)}`, { valid: false, reason: 'malformed' }],
  ])('%s', (_name, header, expected) => {
    expect(checkFacebookSignature(body, header, appSecret)).toEqual(expected);
  });

  it('a body changed after signing no longer matches', () => {
    expect(
      checkFacebookSignature(Buffer.from('{"object":"page","entry":[1]}'), fbSignature, appSecret),
    ).toEqual({ valid: false, reason: 'mismatch' });
  });
});

describe('X’s x-twitter-webhooks-signature and CRC', () => {
  it.each([
    ['a good signature', xSignature, { valid: true }],
    [
      'a signature made with another secret',
      `sha256=${createHmac('sha256', 'other').update(body).digest('base64')}`,
      { valid: false, reason: 'mismatch' },
    ],
    ['no header', undefined, { valid: false, reason: 'missing' }],
    [
      'hex instead of base64',
      `sha256=${createHmac('sha256', consumerSecret).update(body).digest('hex')}`,
      { valid: false, reason: 'malformed' },
    ],
    ['no prefix', xSignature.slice('sha256='.length), { valid: false, reason: 'malformed' }],
  ])('%s', (_name, header, expected) => {
    expect(checkXSignature(body, header, consumerSecret)).toEqual(expected);
  });

  it('answers the CRC challenge with the HMAC of the token, as X documents', () => {
    const expected = createHmac('sha256', consumerSecret).update('challenge-123').digest('base64');
    expect(xCrcResponse('challenge-123', consumerSecret)).toEqual({ response_token: `sha256=${expected}` });
  });
});

describe('Facebook’s subscribe handshake', () => {
  it.each([
    [
      'our token: echo the challenge',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'ours', 'hub.challenge': '1158201444' },
      { ok: true, challenge: '1158201444' },
    ],
    [
      'a nested query (qs parser)',
      { hub: { mode: 'subscribe', verify_token: 'ours', challenge: 'abc' } },
      { ok: true, challenge: 'abc' },
    ],
    [
      'another token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'theirs', 'hub.challenge': 'x' },
      { ok: false, reason: 'hub.verify_token does not match' },
    ],
    [
      'a prefix of our token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'our', 'hub.challenge': 'x' },
      { ok: false, reason: 'hub.verify_token does not match' },
    ],
    [
      'not a subscribe',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'ours', 'hub.challenge': 'x' },
      { ok: false, reason: 'hub.mode must be "subscribe"' },
    ],
    [
      'no challenge',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'ours' },
      { ok: false, reason: 'hub.challenge is missing' },
    ],
    ['nothing at all', {}, { ok: false, reason: 'hub.mode must be "subscribe"' }],
  ])('%s', (_name, query, expected) => {
    expect(answerFacebookSubscription(query, 'ours')).toEqual(expected);
  });
});

function feed(changes: unknown[], entry: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({ object: 'page', entry: [{ id: '2001', time: 1772359200, changes, ...entry }] }),
  );
}

const newComment = {
  item: 'comment',
  verb: 'add',
  comment_id: '444_555',
  post_id: '2001_444',
  parent_id: '2001_444',
  from: { id: '3001', name: 'Jo Bloggs' },
  message: 'I know where you live',
  created_time: 1772359200,
};

describe('reading a Facebook feed webhook', () => {
  it('turns a new comment into a captured comment, keeping its exact JSON', () => {
    const raw = Buffer.from(
      `{"object":"page","entry":[{"id":"2001","time":1772359200,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"444_555","post_id":"2001_444","parent_id":"444_1","from":{"id":"3001","name":"Jo Bloggs"},"message":"caf\\u00e9 \\ud83d\\ude20","created_time":1772359200}}]}]}`,
    );
    expect(parseFacebookFeedWebhook(raw)).toEqual([
      {
        platform: 'facebook',
        externalId: '444_555',
        councilAccountId: '2001',
        postId: '2001_444',
        parentId: '444_1',
        author: { platform: 'facebook', accountId: '3001', displayName: 'Jo Bloggs' },
        text: 'café 😠',
        createdAt: new Date(1772359200 * 1000),
        rawPayload:
          '{"item":"comment","verb":"add","comment_id":"444_555","post_id":"2001_444","parent_id":"444_1","from":{"id":"3001","name":"Jo Bloggs"},"message":"caf\\u00e9 \\ud83d\\ude20","created_time":1772359200}',
      },
    ]);
  });

  it('a top-level comment (parent is the post) has no parent comment', () => {
    expect(
      parseFacebookFeedWebhook(feed([{ field: 'feed', value: newComment }]))[0]?.parentId,
    ).toBeUndefined();
  });

  it('passes over reactions, posts, edits and removals', () => {
    const changes = [
      { field: 'feed', value: { item: 'reaction', verb: 'add', reaction_type: 'like' } },
      { field: 'feed', value: { item: 'status', verb: 'add', post_id: '2001_1' } },
      { field: 'feed', value: { ...newComment, verb: 'edited' } },
      { field: 'feed', value: { ...newComment, verb: 'remove' } },
      { field: 'mention', value: {} },
    ];
    expect(parseFacebookFeedWebhook(feed(changes))).toEqual([]);
  });

  it.each([
    ['not JSON', Buffer.from('{"object":"page",'), 'body', /not JSON/],
    [
      'another object',
      Buffer.from('{"object":"instagram","entry":[]}'),
      'object',
      /Expected a webhook for object "page"/,
    ],
    ['no entry list', Buffer.from('{"object":"page"}'), 'entry', /entry: Required/],
    [
      'an entry without an id',
      Buffer.from('{"object":"page","entry":[{"time":1,"changes":[]}]}'),
      'entry.0.id',
      /entry\.0\.id: Required/,
    ],
    [
      'a comment without its author',
      feed([{ field: 'feed', value: { ...newComment, from: undefined } }]),
      'entry.0.changes.0.value.from',
      /from: Required/,
    ],
    [
      'a comment id that is a number',
      feed([{ field: 'feed', value: { ...newComment, comment_id: 555 } }]),
      'entry.0.changes.0.value.comment_id',
      /Expected string/,
    ],
    [
      'a feed change that is not an object',
      feed([{ field: 'feed', value: 'comment' }]),
      'entry.0.changes.0.value',
      /Expected object/,
    ],
  ])('%s is refused with the field named', (_name, raw, field, message) => {
    let error: unknown;
    try {
      parseFacebookFeedWebhook(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
  });
});

describe('reading an Instagram comments webhook', () => {
  it('turns a comment into a captured comment, timed by the entry', () => {
    const raw = Buffer.from(
      JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: '4001',
            time: 1772359200,
            changes: [
              {
                field: 'comments',
                value: {
                  from: { id: '5001', username: 'sam.resident' },
                  media: { id: '1790', media_product_type: 'FEED' },
                  id: '1791',
                  parent_id: '1789',
                  text: 'useless',
                },
              },
            ],
          },
        ],
      }),
    );
    expect(parseInstagramCommentsWebhook(raw)).toEqual([
      expect.objectContaining({
        platform: 'instagram',
        externalId: '1791',
        councilAccountId: '4001',
        postId: '1790',
        parentId: '1789',
        author: { platform: 'instagram', accountId: '5001', handle: 'sam.resident' },
        text: 'useless',
        createdAt: new Date(1772359200 * 1000),
        rawPayload: expect.stringMatching(/^\{"from":\{"id":"5001".*"text":"useless"\}$/),
      }),
    ]);
  });
});
