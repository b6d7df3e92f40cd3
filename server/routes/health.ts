// GET /healthz: 200 when Redis and MongoDB both answer, 503 naming the one that does not.
// Public (load balancers call it) and never touches the register.
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Store } from '../../store/connection';

async function redisAnswers(redis: Redis): Promise<boolean> {
  try {
    const pong = await Promise.race([redis.ping(), new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000))]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}

export function healthRoutes(store: Store, redis: Redis): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [r, m] = await Promise.all([redisAnswers(redis), store.ping()]);
    const body = { redis: r ? 'ok' : 'unavailable', mongo: m ? 'ok' : 'unavailable' };
    res.status(r && m ? 200 : 503).set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
