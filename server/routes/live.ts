// The live page: comments as they are decided, newest first. The page loads the recent ones;
// the client script adds new ones from socket.io and re-fetches after a reconnect.
import { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../../store/connection';
import { requirePermission } from '../auth';
import { toLiveEvent } from '../../core/live';
import { recentlyDecided } from '../../store/comments';

const recentQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function liveRoutes(store: Store): Router {
  const router = Router();
  const recent = async (limit: number) => (await recentlyDecided(store.models, { limit }, { rawPayload: 0 })).map(toLiveEvent);

  router.get('/live', requirePermission('live.view'), async (_req, res, next) => {
    try {
      res.render('live.njk', { items: await recent(50) });
    } catch (e) {
      next(e);
    }
  });

  router.get('/api/comments/recent', requirePermission('live.view'), async (req, res, next) => {
    try {
      const q = recentQuery.safeParse(req.query);
      if (!q.success) return res.status(400).json({ error: 'limit must be a whole number from 1 to 200', field: 'limit' });
      res.json({ items: await recent(q.data.limit) });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
