/**
 * At-most-once approval across several agent instances on one feed: before signing, an instance
 * takes a per-action lock with Redis `SET key owner NX PX ttl`, which Redis runs atomically, so of
 * any number of instances racing on one action exactly one gets `OK`. The expiry covers a holder
 * that crashed before posting (another instance may take the action once it passes); after a
 * successful POST the key is kept for `doneTtlMs`, so the action is not approved again by anyone.
 * Imports nothing from `redis`: the client is the caller's (node-redis v4+).
 */
import { SigningError, fail } from '../lib/errors.js';

/**
 * What the agent asks of a lock.
 *
 * @example
 * ```ts
 * const lock: ApprovalLock = { acquire: async () => true, done: async () => undefined };
 * ```
 */
export interface ApprovalLock {
  /** True when this instance may decide `actionId` now; false when another holds or decided it. */
  acquire(actionId: string): Promise<boolean>;
  /** Called after the decision was accepted by the server. */
  done(actionId: string): Promise<void>;
}

/** The one command used, typed structurally (v5+ reads `condition`/`expiration`, v4 `NX`/`PX`). */
export interface RedisLockClient {
  /**
   * Redis `SET key value NX PX ms` (take the lock only if free, expiring after `PX`
   * milliseconds), or `SET key value PX ms` to mark an action decided.
   */
  set(
    key: string,
    value: string,
    options:
      | { NX: true; PX: number; condition: 'NX'; expiration: { type: 'PX'; value: number } }
      | { PX: number; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
}

/**
 * Options of {@link createRedisApprovalLock}.
 *
 * @example
 * ```ts
 * const options: RedisApprovalLockOptions = { ttlMs: 30_000 };
 * ```
 */
export interface RedisApprovalLockOptions {
  /** Key prefix (default `qredo-sign:agent:action:`). */
  prefix?: string;
  /** How long a holder may take before another instance can try (default 60 000 ms). */
  ttlMs?: number;
  /** How long a decided action stays locked (default 7 days). */
  doneTtlMs?: number;
  /** This instance's name, stored as the value (default a random id), for operators. */
  owner?: string;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v <= 0) fail('INVALID_OPTION', field, 'a positive integer');
  return v;
}

/**
 * A Redis-backed {@link ApprovalLock}. A Redis error rejects with `LOCK_UNAVAILABLE`, so nothing
 * is approved when the lock cannot be taken (fail closed).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const agent = createSigningAgent({ ...options, lock: createRedisApprovalLock(redis) });
 * ```
 */
export function createRedisApprovalLock(
  client: RedisLockClient,
  options: RedisApprovalLockOptions = {},
): ApprovalLock {
  if (typeof client?.set !== 'function') fail('INVALID_OPTION', 'client', 'a node-redis client');
  const prefix = options.prefix ?? 'qredo-sign:agent:action:';
  const ttlMs = positive(options.ttlMs, 60_000, 'ttlMs');
  const doneTtlMs = positive(options.doneTtlMs, 7 * 24 * 3600_000, 'doneTtlMs');
  const owner =
    options.owner ??
    Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
  const unavailable = (error: unknown) =>
    new SigningError(
      'LOCK_UNAVAILABLE',
      'the approval lock (Redis) did not answer: nothing was approved',
      {
        cause: error instanceof Error ? new Error(error.message) : undefined,
      },
    );
  return {
    async acquire(actionId) {
      let reply: unknown;
      try {
        reply = await client.set(prefix + actionId, owner, {
          NX: true,
          PX: ttlMs,
          condition: 'NX',
          expiration: { type: 'PX', value: ttlMs },
        });
      } catch (error) {
        throw unavailable(error);
      }
      // SET … NX answers OK when it set the key, nil when the key existed.
      return reply !== null && reply !== undefined;
    },
    async done(actionId) {
      try {
        await client.set(prefix + actionId, `done:${owner}`, {
          PX: doneTtlMs,
          expiration: { type: 'PX', value: doneTtlMs },
        });
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}
