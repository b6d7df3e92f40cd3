// Every setting the service reads, validated once at start-up into one typed object that is
// passed down. A bad value stops the process with one line naming the variable and what was
// expected. Defaults serve the demo on one machine; production differences are settings.
import { z } from 'zod';
import { QUEUE_NAMES } from '../queues/names';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A setting holding JSON, parsed and then checked against `shape`. */
function jsonSetting<T extends z.ZodTypeAny>(example: string, shape: T) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected JSON such as ${example}` });
        return z.NEVER;
      }
    })
    .pipe(shape.optional());
}

const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535); // 0: any free port (tests)

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_BASE_URL: z.string().url({ message: 'expected a URL such as https://moderation.example.gov.uk' }).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://…'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'expected mongodb://host:port/'),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'expected a database name of letters, digits, _ or -').default('council_moderation'),
  /** Prefix for every BullMQ key, so several environments can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected letters, digits, _ or -').default('moderation'),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 random characters'),
  SESSION_MAX_AGE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(8 * 60),
  COOKIE_SECURE: bool.optional(),
  TRUST_PROXY: bool.default('false'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated subset of queues this worker process serves; empty means all. */
  WORKER_QUEUES: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((q) => q.trim()).filter(Boolean))
    .pipe(z.array(z.enum(QUEUE_NAMES, { message: `expected a comma-separated list from: ${QUEUE_NAMES.join(', ')}` }))),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /** How often the simulated platform posts a new comment in the demo (0 = only on demand). */
  /** smtp://user:pass@host:port or smtps://…; unset in the demo: mail is written to .data/outbox instead. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected smtp://host:port or smtps://host:port').optional(),
  MAIL_FROM: z.string().min(3).default('Council moderation <no-reply@council.example.gov.uk>'),
  /** Per-account action budgets, e.g. {"x":{"max":50,"windowMs":900000}} (X: 50 hides per 15 minutes). */
  PLATFORM_ACTION_BUDGETS: jsonSetting('{"x":{"max":50,"windowMs":900000}}', z.record(z.enum(['x', 'facebook', 'instagram', 'simulated']), z.object({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) }))),
  /** Policy: which actions run without an officer (an exact match with an in-force social-media block). */
  POLICY_AUTO_HIDE_RESTRICTED: bool.default('true'),
  POLICY_AUTO_BLOCK_RESTRICTED: bool.default('true'),
  /** Detector thresholds per category, JSON such as {"threat":0.5,"abuse":0.7}; unset ones take the defaults. */
  DETECTOR_THRESHOLDS: jsonSetting('{"threat":0.5,"abuse":0.7}', z.record(z.enum(['threat', 'hate', 'abuse', 'doxxing', 'selfharm', 'profanity']), z.number().min(0).max(1))),
  /** Course of conduct (Protection from Harassment Act 1997): this many hostile messages within this many days. */
  COURSE_OF_CONDUCT_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  COURSE_OF_CONDUCT_MESSAGES: z.coerce.number().int().min(2, 'expected 2 or more (the Act needs at least two occasions)').max(100).default(3),
  COUNCIL_NAME: z.string().min(2).max(200).default('Example Borough Council'),
  /** Democratic services' contact details, named in every e-mail to someone asking to speak. */
  COUNCIL_CONTACT_EMAIL: z.string().email('expected an e-mail address').optional(),
  COUNCIL_CONTACT_PHONE: z.string().max(40).optional(),
  SIMULATED_COMMENT_EVERY_MS: z.coerce.number().int().min(0).default(0),
  SIMULATED_RESTRICTED_ACCOUNTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((q) => q.trim()).filter(Boolean)),
  /** The council's Ed25519 private key (PEM) that signs evidence packs. Required by the server in
   * production; elsewhere one is made under .data/ on first use (npm run evidence:key makes one). */
  EVIDENCE_SIGNING_KEY_FILE: z.string().min(1, 'expected the path to an Ed25519 private key in PEM').optional(),
});

export type Config = z.infer<typeof schema> & { cookieSecure: boolean };

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = env[variable];
    const shown = value === undefined ? 'it is not set' : `got "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
    throw new ConfigError(`Configuration error: ${variable}: ${issue.message} (${shown})`);
  }
  const c = parsed.data;
  return { ...c, cookieSecure: c.COOKIE_SECURE ?? c.NODE_ENV === 'production' };
}

/** For entry points: print the single line and stop. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}
