// Failed jobs, for administrators: every job that used up its retries, with the reason it
// failed, and a button to try it again. Retrying is audited.
import { Queue } from 'bullmq';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '../../queues/names';
import { appendAudit } from '../../store/audit';
import type { Store } from '../../store/connection';
import { requirePermission } from '../auth';
import { HttpError } from '../http-errors';

const retryParams = z.object({ queue: z.enum(QUEUE_NAMES), id: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/) });

export function jobRoutes(deps: { store: Store; redis: Redis; prefix: string }): { router: Router; close(): Promise<void> } {
  const router = Router();
  const queues = new Map<QueueName, Queue>(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: deps.redis, prefix: deps.prefix })]));

  router.get('/admin/jobs', requirePermission('jobs.manage'), async (_req, res, next) => {
    try {
      const failed = (
        await Promise.all(
          [...queues].map(async ([name, q]) =>
            (await q.getFailed(0, 199)).filter(Boolean).map((j) => ({
              queue: name,
              id: j.id,
              name: j.name,
              reason: j.failedReason,
              attempts: j.attemptsMade,
              failedAt: j.finishedOn ? new Date(j.finishedOn) : undefined,
              subject: (j.data as { commentId?: string }).commentId ?? '',
            })),
          ),
        )
      )
        .flat()
        .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
      const counts = await Promise.all([...queues].map(async ([name, q]) => ({ name, ...(await q.getJobCounts('waiting', 'active', 'delayed', 'failed')) })));
      res.render('jobs.njk', { failed, counts, retried: res.req.query.retried });
    } catch (e) {
      next(e);
    }
  });

  router.post('/admin/jobs/:queue/:id/retry', requirePermission('jobs.manage'), async (req, res, next) => {
    try {
      const p = retryParams.safeParse(req.params);
      if (!p.success) throw new HttpError(400, 'Unknown queue or job id');
      const job = await queues.get(p.data.queue)!.getJob(p.data.id);
      if (!job) throw new HttpError(404, 'That job no longer exists: it may have been retried already');
      if (!(await job.isFailed())) throw new HttpError(409, 'That job has not failed, so there is nothing to retry');
      await job.retry('failed');
      await appendAudit(deps.store.models.audit, { actor: req.session.officer!.username, action: 'job.retried', subject: { type: 'job', id: `${p.data.queue}/${p.data.id}` }, details: { reason: job.failedReason } });
      res.redirect(303, `/admin/jobs?retried=${encodeURIComponent(p.data.id)}`);
    } catch (e) {
      next(e);
    }
  });

  return { router, close: async () => void (await Promise.all([...queues.values()].map((q) => q.close()))) };
}
