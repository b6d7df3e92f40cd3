// The audit log for auditors and administrators: recent entries and the chain check.
import { Router } from 'express';
import type { Store } from '../../store/connection';
import { appendAudit, verifyAuditLog } from '../../store/audit';
import { requirePermission } from '../auth';

export function auditRoutes(store: Store): Router {
  const router = Router();
  const { audit } = store.models;

  router.get('/audit', requirePermission('audit.view'), async (req, res, next) => {
    try {
      const [entries, check] = await Promise.all([audit.find({}, { _id: 0 }).sort({ seq: -1 }).limit(100).lean(), verifyAuditLog(audit)]);
      await appendAudit(audit, { actor: req.session.officer!.username, action: 'audit.viewed', subject: { type: 'audit_log', id: 'all' } });
      res.render('audit.njk', { entries, check });
    } catch (e) {
      next(e);
    }
  });

  router.get('/api/audit/verify', requirePermission('audit.view'), async (_req, res, next) => {
    try {
      res.json(await verifyAuditLog(audit));
    } catch (e) {
      next(e);
    }
  });
  return router;
}
