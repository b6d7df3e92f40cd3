// Signing in and out, and the permission check every route makes. Sessions live in Redis;
// every sign-in, failure and sign-out lands in the audit log.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { can, type Permission } from '../core/roles';
import { appendAudit } from '../store/audit';
import type { Store } from '../store/connection';
import { verifyPassword } from '../store/passwords';
import { HttpError } from './http-errors';

export interface SignedInOfficer {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

declare module 'express-session' {
  interface SessionData {
    officer?: SignedInOfficer;
  }
}

/** Every route names the permission it needs; no session → sign in; wrong role → 403. */
export function requirePermission(permission: Permission): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const officer = req.session.officer;
    if (!officer) {
      if (req.path.startsWith('/api/') || req.baseUrl.startsWith('/api') || !req.accepts('html')) {
        return next(new HttpError(401, 'Sign in to use this service.'));
      }
      return res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!can(officer.roles, permission)) return next(new HttpError(403, 'You do not have permission to see this page. Ask an administrator if you need access.'));
    next();
  };
}

const signInSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(100, 'Username must be 100 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(200, 'Password must be 200 characters or fewer'),
  next: z.string().optional(),
});

const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;

/** Only same-site paths may be a destination after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/[A-Za-z0-9/_\-?=&%.]*$/.test(next) && !next.startsWith('//') ? next : '/live';
}

export function authRoutes(store: Store): Router {
  const router = Router();
  const { officers, audit } = store.models;

  router.get('/sign-in', (req, res) => {
    res.render('sign-in.njk', { next: typeof req.query.next === 'string' ? req.query.next : '' });
  });

  router.post('/sign-in', async (req, res, next) => {
    try {
      const parsed = signInSchema.safeParse(req.body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ text: i.message, href: `#${String(i.path[0])}` }));
        return res.status(400).render('sign-in.njk', { errors, username: req.body?.username, next: req.body?.next });
      }
      const { username, password } = parsed.data;
      const officer = await officers.findOne({ username: { $eq: username.toLowerCase() } }).lean();
      const now = new Date();
      const locked = officer?.lockedUntil && officer.lockedUntil > now;
      const ok = officer && !officer.disabled && !locked && (await verifyPassword(password, officer.passwordHash));
      if (!ok) {
        if (officer && !locked) {
          const failed = (officer.failedSignIns ?? 0) + 1;
          await officers.updateOne(
            { _id: officer._id },
            { $set: { failedSignIns: failed, ...(failed >= LOCK_AFTER ? { lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) } : {}) } },
          );
        }
        await appendAudit(audit, { actor: `anonymous:${username.slice(0, 100)}`, action: 'officer.sign_in_failed', subject: { type: 'officer', id: username.slice(0, 100) }, details: { ip: req.ip, locked: Boolean(locked) } });
        const text = locked
          ? `This account is locked after ${LOCK_AFTER} failed attempts. Try again in ${LOCK_MINUTES} minutes or ask an administrator.`
          : 'Enter a correct username and password';
        return res.status(401).render('sign-in.njk', { errors: [{ text, href: '#username' }], username, next: parsed.data.next });
      }
      await officers.updateOne({ _id: officer._id }, { $set: { failedSignIns: 0 }, $unset: { lockedUntil: 1 } });
      const signedIn: SignedInOfficer = { id: String(officer._id), username: officer.username, displayName: officer.displayName, roles: officer.roles };
      // A fresh session id on sign-in prevents session fixation.
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.officer = signedIn;
        req.session.save(async (saveErr) => {
          if (saveErr) return next(saveErr);
          await appendAudit(audit, { actor: officer.username, action: 'officer.signed_in', subject: { type: 'officer', id: signedIn.id }, details: { ip: req.ip } });
          res.redirect(303, safeNext(parsed.data.next));
        });
      });
    } catch (e) {
      next(e);
    }
  });

  router.post('/sign-out', async (req, res, next) => {
    const officer = req.session.officer;
    if (officer) await appendAudit(audit, { actor: officer.username, action: 'officer.signed_out', subject: { type: 'officer', id: officer.id } }).catch(next);
    req.session.destroy((err) => (err ? next(err) : res.redirect(303, '/sign-in')));
  });

  return router;
}
