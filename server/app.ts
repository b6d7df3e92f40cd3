// The Express application: security headers, sessions in Redis, CSRF, the dashboard's views and
// every route, each behind a permission check. Built by a function so tests and many server
// processes can create it with their own connections.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import RedisStore from 'connect-redis';
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import nunjucks from 'nunjucks';
import pinoHttp from 'pino-http';
import { csrfSync } from 'csrf-sync';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { can, ROLE_LABELS, type Role } from '../core/roles';
import { CATEGORY_LABELS, markedSegments } from '../core/live';
import type { Store } from '../store/connection';
import { authRoutes } from './auth';
import { errorHandler, HttpError } from './http-errors';
import { healthRoutes } from './routes/health';
import { liveRoutes } from './routes/live';
import { auditRoutes } from './routes/audit';
import { webhookRoutes } from './routes/webhooks';
import { jobRoutes } from './routes/jobs';
import { flaggedRoutes } from './routes/flagged';
import { meetingsRoutes } from './routes/meetings';
import { speakRoutes } from './routes/speak';
import { registerRoutes } from './routes/register';
import { evidencePackUpload, referralRoutes } from './routes/referrals';
import type { Pipeline } from '../queues/jobs';
import type { PlatformConfig } from '../platforms/config';

export interface AppDeps {
  config: Config;
  store: Store;
  redis: Redis;
  logger: Logger;
  pipeline: Pipeline;
  platforms: PlatformConfig;
}

const root = path.resolve(__dirname, '..');

export function createApp(deps: AppDeps): { app: Express; sessionMiddleware: RequestHandler; close(): Promise<void> } {
  const { config, store, redis, logger, pipeline, platforms } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', 1);

  const views = nunjucks.configure(
    [path.join(root, 'dashboard', 'views'), path.join(root, 'node_modules', 'govuk-frontend', 'dist'), path.join(root, 'node_modules', '@ministryofjustice', 'frontend')],
    { autoescape: true, express: app, noCache: config.NODE_ENV === 'development' },
  );
  views.addFilter('ukDateTime', (d: string | Date) =>
    new Date(d).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' }),
  );
  views.addFilter('roleLabel', (r: string) => ROLE_LABELS[r as Role] ?? r);
  views.addGlobal('markedSegments', markedSegments);
  views.addFilter('categoryLabel', (c: string) => CATEGORY_LABELS[c] ?? c);

  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // Private links to a speaking request are secrets: never write them to the logs.
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/(\/speak\/requests\/)[^/?#]+/, '$1[private]') }) },
    }),
  );

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.cookieSecure ? [] : null,
        },
      },
      hsts: config.cookieSecure,
    }),
  );

  app.use('/assets', express.static(path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'assets'), { maxAge: '1d' }));
  app.use('/static/govuk', express.static(path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk'), { maxAge: '1d' }));
  app.use('/static/moj', express.static(path.join(root, 'node_modules', '@ministryofjustice', 'frontend', 'moj'), { maxAge: '1d' }));
  app.use('/static', express.static(path.join(root, 'dashboard', 'static'), { maxAge: 0 }));

  app.use(healthRoutes(store, redis));
  // Signed by the platforms, not by a session: mounted before sessions, body parsers and CSRF.
  app.use(webhookRoutes({ store, redis, pipeline, platforms, keyPrefix: config.QUEUE_PREFIX }));

  const sessionMiddleware = session({
    name: 'moderation.sid',
    store: new RedisStore({ client: redis, prefix: `${config.QUEUE_PREFIX}:session:` }),
    secret: config.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, maxAge: config.SESSION_MAX_AGE_MINUTES * 60_000 },
  });
  app.use(sessionMiddleware);
  // An uploaded evidence pack is multipart: parsed here so the CSRF check below can read its token.
  app.use(evidencePackUpload());

  app.use(express.urlencoded({ extended: false, limit: config.MAX_BODY_BYTES }));
  app.use(express.json({ limit: config.MAX_BODY_BYTES }));

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : (req.headers['x-csrf-token'] as string | undefined)),
  });
  app.use(csrfSynchronisedProtection);
  app.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    res.locals.officer = req.session.officer;
    res.locals.can = (permission: Parameters<typeof can>[1]) => Boolean(req.session.officer && can(req.session.officer.roles, permission));
    res.locals.currentPath = req.path;
    next();
  });

  app.get('/', (req, res) => res.redirect(303, req.session.officer ? '/live' : '/sign-in'));
  app.use(authRoutes(store));
  app.use(liveRoutes(store));
  app.use(auditRoutes(store));
  app.use(flaggedRoutes({ store, pipeline }));
  app.use(meetingsRoutes(store, { config, redis }));
  app.use(speakRoutes(store, { config, redis }));
  app.use(registerRoutes({ store, redis, queuePrefix: config.QUEUE_PREFIX }));
  app.use(referralRoutes({ store, config, logger }));
  const jobs = jobRoutes({ store, redis, prefix: config.QUEUE_PREFIX });
  app.use(jobs.router);

  app.use((_req, _res, next) => next(new HttpError(404, 'Page not found. If you typed the web address, check it is correct.')));
  app.use(errorHandler(logger));
  return { app, sessionMiddleware, close: jobs.close };
}
