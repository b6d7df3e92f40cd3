// The Flagged page for the comms team: threatening, hateful and abusive comments as they arrive,
// with the reason, highlighted words and suggested offences; hide, dismiss with a reason, correct
// a wrong flag, or pass to an evidence officer for police referral. Every action is audited.
import { Router } from 'express';
import { z } from 'zod';
import { DETECT_CATEGORIES, OFFENCE_LABELS, type Offence } from '../../core/detect';
import { toLiveEvent } from '../../core/live';
import type { Pipeline } from '../../queues/jobs';
import { appendAudit } from '../../store/audit';
import type { StoredComment } from '../../store/comment';
import { loadComment, recentlyDecided } from '../../store/comments';
import type { Store } from '../../store/connection';
import { requirePermission } from '../auth';
import { HttpError } from '../http-errors';

const listQuery = z.object({ category: z.enum(DETECT_CATEGORIES).optional(), status: z.enum(['open', 'all']).default('open') }).strict();
const idParam = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, 'Unknown comment') });
const dismissBody = z.object({ _csrf: z.string().optional(), reason: z.string().trim().min(3, 'Enter why this flag is being dismissed').max(1000, 'Reason must be 1000 characters or fewer') });
const correctBody = z.object({
  _csrf: z.string().optional(),
  category: z.enum(DETECT_CATEGORIES, { message: 'Choose the category you are correcting' }),
  verdict: z.enum(['wrong', 'missed'], { message: 'Say whether the flag was wrong or missed' }),
  note: z.string().trim().max(1000).optional(),
});

export function flaggedRoutes(deps: { store: Store; pipeline: Pipeline }): Router {
  const router = Router();
  const { comments, audit, flagCorrections } = deps.store.models;

  const load = async (rawId: unknown): Promise<StoredComment> => {
    const p = idParam.safeParse({ id: rawId });
    if (!p.success) throw new HttpError(404, 'That comment does not exist.');
    const c = await loadComment(deps.store.models, p.data.id, { rawPayload: 0 });
    if (!c) throw new HttpError(404, 'That comment does not exist.');
    return c;
  };

  router.get('/flagged', requirePermission('live.view'), async (req, res, next) => {
    try {
      const q = listQuery.safeParse(req.query);
      if (!q.success) throw new HttpError(400, 'Filter by one of the categories shown on the page.');
      const found = await recentlyDecided(deps.store.models, { limit: 500, flaggedOnly: true }, { rawPayload: 0 });
      const items = found
        .filter((c) => (q.data.status === 'all' ? true : !c.review))
        .filter((c) => !q.data.category || (c.flags ?? []).some((f) => f.category === q.data.category))
        .slice(0, 100)
        .map((c) => ({ ...toLiveEvent(c), review: c.review, offenceLabels: [...new Set((c.flags ?? []).flatMap((f) => f.offences))].map((o) => OFFENCE_LABELS[o as Offence] ?? o) }));
      res.render('flagged.njk', { items, offenceNames: OFFENCE_LABELS, category: q.data.category, status: q.data.status, categories: DETECT_CATEGORIES, done: req.query.done });
    } catch (e) {
      next(e);
    }
  });

  router.post('/flagged/:id/hide', requirePermission('comment.act'), async (req, res, next) => {
    try {
      const c = await load(req.params.id);
      const officer = req.session.officer!;
      await deps.pipeline.act(String(c._id), 'hide');
      await comments.updateOne({ _id: c._id }, { $set: { review: { status: 'hidden', by: officer.username, at: new Date() } } });
      await appendAudit(audit, { actor: officer.username, action: 'comment.hide_requested', subject: { type: 'comment', id: String(c._id) }, details: { flags: (c.flags ?? []).map((f) => f.category) } });
      res.redirect(303, '/flagged?done=hidden');
    } catch (e) {
      next(e);
    }
  });

  router.post('/flagged/:id/dismiss', requirePermission('comment.act'), async (req, res, next) => {
    try {
      const c = await load(req.params.id);
      const body = dismissBody.safeParse(req.body);
      if (!body.success) {
        const issue = body.error.issues[0]!;
        return res.status(400).render('flagged-dismiss.njk', { item: toLiveEvent(c), errors: [{ text: issue.message, href: '#reason' }], reason: req.body?.reason });
      }
      const officer = req.session.officer!;
      await comments.updateOne({ _id: c._id }, { $set: { review: { status: 'dismissed', reason: body.data.reason, by: officer.username, at: new Date() } } });
      await appendAudit(audit, { actor: officer.username, action: 'flag.dismissed', subject: { type: 'comment', id: String(c._id) }, details: { reason: body.data.reason } });
      res.redirect(303, '/flagged?done=dismissed');
    } catch (e) {
      next(e);
    }
  });

  router.get('/flagged/:id/dismiss', requirePermission('comment.act'), async (req, res, next) => {
    try {
      res.render('flagged-dismiss.njk', { item: toLiveEvent(await load(req.params.id)) });
    } catch (e) {
      next(e);
    }
  });

  router.post('/flagged/:id/correct', requirePermission('comment.act'), async (req, res, next) => {
    try {
      const c = await load(req.params.id);
      const body = correctBody.safeParse(req.body);
      if (!body.success) throw new HttpError(400, body.error.issues[0]!.message);
      const officer = req.session.officer!;
      await flagCorrections.create({ commentId: String(c._id), category: body.data.category, verdict: body.data.verdict, note: body.data.note, text: c.text, detectorVersion: c.detectorVersion, by: officer.username, at: new Date() });
      await appendAudit(audit, { actor: officer.username, action: 'flag.corrected', subject: { type: 'comment', id: String(c._id) }, details: { category: body.data.category, verdict: body.data.verdict } });
      res.redirect(303, '/flagged?done=corrected');
    } catch (e) {
      next(e);
    }
  });

  return router;
}
