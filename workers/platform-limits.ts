// Keeps each council account within its platform's limits, across every worker process (the
// counters live in Redis). X allows 50 hide requests per 15 minutes per user; Graph API limits
// are dynamic, so a conservative budget is used and a 429 pauses the account until the reset
// the platform named. A job that must wait is delayed, never dropped.
import type { Redis } from 'ioredis';
import type { Platform } from '../core/platform';

export interface RateBudget {
  max: number;
  windowMs: number;
}

export const DEFAULT_BUDGETS: Partial<Record<Platform, RateBudget>> = {
  x: { max: 50, windowMs: 15 * 60_000 },
  facebook: { max: 600, windowMs: 60 * 60_000 },
  instagram: { max: 200, windowMs: 60 * 60_000 },
};

export class AccountRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly budgets: Partial<Record<Platform, RateBudget>> = DEFAULT_BUDGETS,
  ) {}

  private key(kind: string, platform: string, account: string) {
    return `${this.prefix}:ratelimit:${kind}:${platform}:${account}`;
  }

  /** Takes one call from the account's budget: 0 when it may go now, else how many ms to wait. */
  async reserve(platform: Platform, account: string, now = Date.now()): Promise<number> {
    const pausedUntil = Number(await this.redis.get(this.key('paused', platform, account)));
    if (pausedUntil > now) return pausedUntil - now;
    const budget = this.budgets[platform];
    if (!budget) return 0;
    const window = Math.floor(now / budget.windowMs);
    const key = this.key(`w${window}`, platform, account);
    const used = await this.redis.incr(key);
    if (used === 1) await this.redis.pexpire(key, budget.windowMs * 2);
    if (used <= budget.max) return 0;
    return (window + 1) * budget.windowMs - now;
  }

  /** The platform said "wait until resetAt" (a 429): every job for this account waits. */
  async pauseUntil(platform: Platform, account: string, resetAt: Date): Promise<void> {
    const ms = Math.max(1, resetAt.getTime() - Date.now());
    await this.redis.set(this.key('paused', platform, account), String(resetAt.getTime()), 'PX', ms);
  }
}
