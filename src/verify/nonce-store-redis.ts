/**
 * A {@link NonceStore} shared by a fleet of verifiers through Redis (`qredo-sign/nonce-store-redis`).
 *
 * Layout: one sorted set per API key (`<prefix><length>:<apiKey>`), member = the recorded value,
 * score = its expiry in Redis server milliseconds. One Lua script per call does everything
 * atomically (Redis runs a script to completion before any other command): drop the key's expired
 * members, answer "replay" if the value is there, refuse if the key holds `maxEntriesPerKey`
 * members (`NONCE_STORE_FULL`, contract §3.1: never forget to make room), else add it and extend the
 * set's own expiry. The clock is the Redis server's (`TIME`), so verifiers with drifting clocks
 * agree. One key per API key also keeps a call on one cluster slot.
 *
 * Deployment (docs/verifying.md says more): a forgotten entry is a replay, so
 * - persistence: with no persistence a Redis restart forgets every nonce. Use AOF
 *   (`appendonly yes`); `appendfsync always` loses nothing on a crash, `everysec` up to about a
 *   second of accepted nonces (a replay window for those), and RDB snapshots alone lose everything
 *   since the last snapshot. A replica promoted after a failover lacks what was not yet replicated.
 * - memory: `maxmemory-policy noeviction`. Every other policy (`volatile-ttl`, `allkeys-lru`, …)
 *   lets memory pressure silently delete nonces, which reopens replays; with `noeviction` a full
 *   Redis refuses writes, which this store reports as `NONCE_STORE_UNAVAILABLE` (fail closed: an
 *   outage, not a replay). Size memory for (tenants × maxEntriesPerKey × entry size), and keep
 *   the nonce store on a Redis of its own so other data cannot fill it.
 *
 * Every failure (timeout, lost connection, a Redis error reply, an unexpected answer) rejects with a
 * `SigningError` (`NONCE_STORE_UNAVAILABLE`), after at most `timeoutMs`: the verifier fails closed
 * and never waits on the client's reconnection logic. A command that timed out may still run
 * later; it can only record a nonce, never accept one.
 *
 * The client is the caller's: a connected node-redis v4, v5 or v6 client (`createClient()` from
 * the `redis` package, an optional peer dependency) or a cluster client. This module imports
 * nothing from `redis`, so the package does not depend on it.
 */
import { SigningError } from '../lib/errors.js';
import { checkTtl, DEFAULT_MAX_NONCES_PER_KEY, type NonceStore } from './nonce-store.js';

/**
 * The one method used, typed structurally so that any node-redis client fits.
 *
 * @example
 * ```ts
 * const client: RedisEvalClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface RedisEvalClient {
  /**
   * Runs a Lua script atomically (Redis `EVAL`), as node-redis v4+ spells it; a rejection
   * becomes `NONCE_STORE_UNAVAILABLE`, so verification fails closed.
   */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Options of {@link createRedisNonceStore}.
 *
 * @example
 * ```ts
 * const options: RedisNonceStoreOptions = { timeoutMs: 500, maxEntriesPerKey: 50_000 };
 * ```
 */
export interface RedisNonceStoreOptions {
  /** Prefix of every key (default `qredo-sign:nonce:`); the rest is the API key. */
  prefix?: string;
  /** Longest wait for Redis per call, in milliseconds (default 1000); then NONCE_STORE_UNAVAILABLE. */
  timeoutMs?: number;
  /** Most unexpired entries per API key (default 10,000); then NONCE_STORE_FULL. */
  maxEntriesPerKey?: number;
}

export const DEFAULT_REDIS_PREFIX = 'qredo-sign:nonce:';
export const DEFAULT_REDIS_TIMEOUT_MS = 1000;

// KEYS[1]: the API key's sorted set. ARGV: value, TTL in ms, the per-key bound, 'set' or 'has'.
// Returns 1 (recorded / present), 0 (already there / absent) or -1 (full).
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
local present = expiry and tonumber(expiry) > now
if ARGV[4] == 'has' then if present then return 1 else return 0 end end
if present then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

function positiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new SigningError('INVALID_OPTION', `${name} must be a positive integer`);
  }
  return value as number;
}

/**
 * A nonce store over Redis. Every failure rejects with `NONCE_STORE_UNAVAILABLE` within
 * `timeoutMs`, so verification fails closed.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisNonceStore } from 'qredo-sign/nonce-store-redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const nonceStore = createRedisNonceStore(client, { timeoutMs: 500 });
 * await verifyPartnerRequest(request, { publicKeyFor, stamps: 'nonce', nonceStore });
 * ```
 */
export function createRedisNonceStore(
  client: RedisEvalClient,
  options: RedisNonceStoreOptions = {},
): NonceStore {
  if (typeof client?.eval !== 'function') {
    throw new SigningError('INVALID_OPTION', 'client must be a node-redis client');
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string')
    throw new SigningError('INVALID_OPTION', 'prefix must be a string');
  const timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS, 'timeoutMs');
  const perKey = String(
    positiveInteger(options.maxEntriesPerKey ?? DEFAULT_MAX_NONCES_PER_KEY, 'maxEntriesPerKey'),
  );

  async function run(apiKey: string, value: string, ttlMs: number, mode: string): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SigningError(
              'NONCE_STORE_UNAVAILABLE',
              `Redis did not answer within ${timeoutMs} ms; the request is refused (fail closed)`,
            ),
          ),
        timeoutMs,
      );
    });
    let reply: unknown;
    try {
      const call = Promise.resolve().then(() =>
        client.eval(SCRIPT, {
          keys: [`${prefix}${apiKey.length}:${apiKey}`],
          arguments: [value, String(ttlMs), perKey, mode],
        }),
      );
      call.catch(() => {}); // a late failure after the timeout is not an unhandled rejection
      reply = await Promise.race([call, late]);
    } catch (error) {
      if (error instanceof SigningError) throw error;
      // The Redis error is a diagnostic without key material (values are nonces and signatures).
      throw new SigningError(
        'NONCE_STORE_UNAVAILABLE',
        'the Redis nonce store failed; the request is refused (fail closed)',
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    if (reply !== 1 && reply !== 0 && reply !== -1) {
      throw new SigningError(
        'NONCE_STORE_UNAVAILABLE',
        'the Redis nonce store gave an unexpected answer',
      );
    }
    return reply;
  }

  return {
    async checkAndSet(apiKey, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      const reply = await run(apiKey, value, ttlSeconds * 1000, 'set');
      if (reply === -1) {
        throw new SigningError(
          'NONCE_STORE_FULL',
          `this API key already holds ${perKey} unexpired stamps in Redis; refused rather than ` +
            'forget one (raise maxEntriesPerKey)',
        );
      }
      return reply === 1;
    },
    async has(apiKey, value) {
      return (await run(apiKey, value, 1, 'has')) === 1;
    },
  };
}
