// Change notices for the register, sent over Redis pub/sub from wherever the register is written, so
// every worker process updates its in-memory matching index at once (workers/register-matches.ts).
// A notice says only what changed, never any of the register's contents.
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const registerChangeSchema = z.discriminatedUnion('kind', [
  /** A person's identifiers or restrictions changed: reload that person. */
  z.object({ kind: z.literal('person'), personId: z.string().regex(/^[a-f0-9]{24}$/) }),
  /** An officer confirmed or rejected a suggested match: reload the decisions. */
  z.object({ kind: z.literal('decisions') }),
]);
export type RegisterChange = z.infer<typeof registerChangeSchema>;

/** One channel per environment (the queue prefix), so test runs and deployments sharing a Redis do not mix. */
export function registerChangesChannel(prefix: string): string {
  return `${prefix}:register-changes`;
}

export type PublishRegisterChange = (change: RegisterChange) => Promise<void>;

export function registerChangePublisher(
  redis: Pick<Redis, 'publish'>,
  prefix: string,
): PublishRegisterChange {
  const channel = registerChangesChannel(prefix);
  return async (change) => {
    await redis.publish(channel, JSON.stringify(change));
  };
}
