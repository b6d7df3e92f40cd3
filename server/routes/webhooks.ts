// Platform webhooks (Facebook Page feed, Instagram comments). Public, but every delivery must be
// signed with the app secret over the raw body. A comment is stored before the platform gets its
// 200, so nothing acknowledged is lost; a signed body already accepted once is refused as a replay.
import { createHash } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { ValidationFailed } from '../../core/errors';
import type { CapturedComment } from '../../core/platform';
import type { PlatformConfig } from '../../platforms/config';
import { answerFacebookSubscription, checkFacebookSignature, parseFacebookFeedWebhook, parseInstagramCommentsWebhook } from '../../platforms/webhooks';
import type { Pipeline } from '../../queues/jobs';
import { appendAudit } from '../../store/audit';
import { captureComments, refusedOf } from '../../store/comments';
import type { Store } from '../../store/connection';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const REPLAY_WINDOW_SECONDS = 7 * 24 * 3600;

export function webhookRoutes(deps: { store: Store; redis: Redis; pipeline: Pipeline; platforms: PlatformConfig; keyPrefix: string }): Router {
  const router = Router();
  const { store, redis, pipeline, platforms } = deps;
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });

  const subscribe = (req: Request, res: Response) => {
    if (!platforms.facebook.verifyToken) return res.status(404).json({ error: 'Facebook webhooks are not configured: set FACEBOOK_VERIFY_TOKEN' });
    const answer = answerFacebookSubscription(req.query as Record<string, unknown>, platforms.facebook.verifyToken);
    if (!answer.ok) return res.status(403).json({ error: answer.reason });
    res.type('text/plain').send(answer.challenge);
  };

  const receive = (parse: (body: Buffer) => CapturedComment[]) => async (req: Request, res: Response) => {
    const secret = platforms.facebook.appSecret;
    if (!secret) return res.status(404).json({ error: 'Facebook webhooks are not configured: set FACEBOOK_APP_SECRET' });
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0) return res.status(400).json({ error: 'The request has no body' });
    const signature = checkFacebookSignature(body, req.get('x-hub-signature-256'), secret);
    if (!signature.valid) {
      const messages = {
        missing: 'The X-Hub-Signature-256 header is missing',
        malformed: 'The X-Hub-Signature-256 header is not of the form sha256=<64 hex digits>',
        mismatch: 'The X-Hub-Signature-256 signature does not match the body',
      };
      return res.status(401).json({ error: messages[signature.reason] });
    }
    let comments: CapturedComment[];
    try {
      comments = parse(body);
    } catch (e) {
      if (e instanceof ValidationFailed) return res.status(400).json({ error: e.message, field: e.field });
      throw e;
    }
    const digest = createHash('sha256').update(body).digest('hex');
    const replayKey = `${deps.keyPrefix}:webhook-seen:${digest}`;
    if (await redis.exists(replayKey)) return res.status(409).json({ error: 'This delivery was already received (replay refused)' });

    const capturedAt = new Date();
    const captured = await captureComments(store.models.comments, comments, capturedAt);
    await pipeline.assessCaptured(captured, comments, capturedAt);
    const received = captured.filter((c) => !c.refused).length;
    // Refused on every retry too, so answered (and audited) rather than failed: the platform must not resend.
    const refused = refusedOf(captured, comments);
    // Marked only after the comments are stored: a delivery that failed half-way may be retried.
    await redis.set(replayKey, '1', 'EX', REPLAY_WINDOW_SECONDS);
    await appendAudit(store.models.audit, { actor: 'system:webhook', action: 'webhook.received', subject: { type: 'webhook', id: digest }, details: { comments: received, path: req.path, ...(refused.length ? { refused } : {}) } });
    res.json({ received, ...(refused.length ? { refused } : {}) });
  };

  router.get('/webhooks/facebook', subscribe);
  router.post('/webhooks/facebook', raw, (req, res, next) => receive(parseFacebookFeedWebhook)(req, res).catch(next));
  router.get('/webhooks/instagram', subscribe);
  router.post('/webhooks/instagram', raw, (req, res, next) => receive(parseInstagramCommentsWebhook)(req, res).catch(next));
  return router;
}
