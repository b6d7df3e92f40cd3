// Platform credentials and settings, read once from the environment and validated with zod, and the
// adapters built from them. With no credentials set, only the simulated platform runs.
//
// Several council accounts per platform, each variable a JSON array (one object per account):
//   X_ACCOUNTS='[{"userId":"1234567890","handle":"ExampleCouncil","accessToken":"…"}]'
//   FACEBOOK_PAGES='[{"pageId":"1122334455","name":"Example Council","accessToken":"<Page token>"}]'
//   INSTAGRAM_ACCOUNTS='[{"accountId":"17841400000000000","handle":"examplecouncil","accessToken":"…"}]'
// Other variables:
//   X_PLAN=standard|enterprise (default standard: blocking is Enterprise-only, so a block is mute + hide)
//   X_CONSUMER_SECRET (X webhook CRC and signatures), FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN (Graph webhooks)
//   X_API_BASE_URL, GRAPH_API_BASE_URL: point the real SDKs elsewhere (tests and the demo use the fake platform)
//   PLATFORM_TIMEOUT_MS (default 10000), PLATFORM_POLL_EVERY_MS (default 60000; 0 = webhooks only)
//   SIMULATED_PLATFORM=auto|on|off (default auto: on when no account is configured), SIMULATED_SEED (default 1),
//   SIMULATED_RESTRICTED_ACCOUNTS: comma-separated account ids the simulated platform posts from now and then
//     (unset: DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS)

import { z } from 'zod';
import { ValidationFailed } from '../core/errors';
import type { PlatformAdapter } from './adapter';
import { FacebookPageAdapter, type FacebookPageSettings } from './facebook';
import { InstagramAdapter, type InstagramAccountSettings } from './instagram';
import { DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS, SimulatedPlatform } from './simulated';
import { XAdapter, type XAccountSettings, type XPlan } from './x';

export interface PlatformConfig {
  x: { accounts: XAccountSettings[]; plan: XPlan; baseUrl?: string; consumerSecret?: string };
  facebook: { pages: FacebookPageSettings[]; appSecret?: string; verifyToken?: string };
  instagram: { accounts: InstagramAccountSettings[] };
  graphBaseUrl?: string;
  timeoutMs: number;
  pollEveryMs: number;
  simulated: { enabled: boolean; seed: number; restrictedAccountIds: string[] };
}

const id = z.string().regex(/^\d+$/, 'expected the numeric id as a string');
const secret = z.string().min(8, 'expected a real token, at least 8 characters');

/** A JSON array in one variable; '' or unset means none. */
function jsonList<T extends z.ZodTypeAny>(item: T) {
  return z
    .string()
    .optional()
    .transform((s, ctx): unknown => {
      if (!s || !s.trim()) return [];
      try {
        return JSON.parse(s);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a JSON array of account objects' });
        return z.NEVER;
      }
    })
    .pipe(z.array(item));
}

const url = z
  .string()
  .url('expected a URL such as http://127.0.0.1:4010')
  .regex(/^https?:\/\//, 'expected an http:// or https:// URL')
  .optional();

const env = z.object({
  X_ACCOUNTS: jsonList(z.object({ userId: id, handle: z.string().optional(), accessToken: secret }).strict()),
  X_PLAN: z.enum(['standard', 'enterprise']).default('standard'),
  X_API_BASE_URL: url,
  X_CONSUMER_SECRET: z.string().min(1).optional(),
  FACEBOOK_PAGES: jsonList(
    z.object({ pageId: id, name: z.string().optional(), accessToken: secret }).strict(),
  ),
  FACEBOOK_APP_SECRET: z.string().min(1).optional(),
  FACEBOOK_VERIFY_TOKEN: z.string().min(1).optional(),
  INSTAGRAM_ACCOUNTS: jsonList(
    z.object({ accountId: id, handle: z.string().optional(), accessToken: secret }).strict(),
  ),
  GRAPH_API_BASE_URL: url,
  PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PLATFORM_POLL_EVERY_MS: z.coerce.number().int().min(0).default(60_000),
  SIMULATED_PLATFORM: z.enum(['auto', 'on', 'off']).default('auto'),
  SIMULATED_SEED: z.coerce.number().int().default(1),
  SIMULATED_RESTRICTED_ACCOUNTS: z
    .string()
    .optional()
    .transform((s) =>
      s === undefined
        ? DEFAULT_SIMULATED_RESTRICTED_ACCOUNTS
        : s
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
    ),
});

/** Throws ValidationFailed whose field is the variable's name and whose message says what was expected. */
export function loadPlatformConfig(environment: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const parsed = env.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const where = issue && issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
    // Never echo the value: these variables hold tokens.
    throw new ValidationFailed(variable, `${variable}${where}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const anyAccount = e.X_ACCOUNTS.length + e.FACEBOOK_PAGES.length + e.INSTAGRAM_ACCOUNTS.length > 0;
  return {
    x: {
      accounts: e.X_ACCOUNTS,
      plan: e.X_PLAN,
      ...(e.X_API_BASE_URL ? { baseUrl: e.X_API_BASE_URL } : {}),
      ...(e.X_CONSUMER_SECRET ? { consumerSecret: e.X_CONSUMER_SECRET } : {}),
    },
    facebook: {
      pages: e.FACEBOOK_PAGES,
      ...(e.FACEBOOK_APP_SECRET ? { appSecret: e.FACEBOOK_APP_SECRET } : {}),
      ...(e.FACEBOOK_VERIFY_TOKEN ? { verifyToken: e.FACEBOOK_VERIFY_TOKEN } : {}),
    },
    instagram: { accounts: e.INSTAGRAM_ACCOUNTS },
    ...(e.GRAPH_API_BASE_URL ? { graphBaseUrl: e.GRAPH_API_BASE_URL } : {}),
    timeoutMs: e.PLATFORM_TIMEOUT_MS,
    pollEveryMs: e.PLATFORM_POLL_EVERY_MS,
    simulated: {
      enabled: e.SIMULATED_PLATFORM === 'on' || (e.SIMULATED_PLATFORM === 'auto' && !anyAccount),
      seed: e.SIMULATED_SEED,
      restrictedAccountIds: e.SIMULATED_RESTRICTED_ACCOUNTS,
    },
  };
}

/** One adapter per configured council account, plus the simulated platform when enabled. */
export function createAdapters(
  config: PlatformConfig,
  options: { now?: () => Date } = {},
): PlatformAdapter[] {
  const common = { timeoutMs: config.timeoutMs, ...(options.now ? { now: options.now } : {}) };
  const graph = config.graphBaseUrl ? { baseUrl: config.graphBaseUrl } : {};
  return [
    ...config.x.accounts.map(
      (account) =>
        new XAdapter({
          account,
          plan: config.x.plan,
          ...(config.x.baseUrl ? { baseUrl: config.x.baseUrl } : {}),
          ...common,
        }),
    ),
    ...config.facebook.pages.map((page) => new FacebookPageAdapter({ page, ...graph, ...common })),
    ...config.instagram.accounts.map((account) => new InstagramAdapter({ account, ...graph, ...common })),
    ...(config.simulated.enabled
      ? [
          new SimulatedPlatform({
            seed: config.simulated.seed,
            restrictedAccountIds: config.simulated.restrictedAccountIds,
            ...(options.now ? { now: options.now } : {}),
          }),
        ]
      : []),
  ];
}
