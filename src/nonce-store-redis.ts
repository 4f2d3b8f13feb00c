/**
 * A {@link NonceStore} shared by a fleet of verifiers through Redis (`qredo-sign/nonce-store-redis`).
 *
 * One command per nonce, `SET key 1 NX EX ttl`, which Redis executes atomically: of any number of
 * verifiers racing on the same nonce, exactly one gets `OK` and every other gets nil. There is no
 * read-then-write window, and the TTL is set in the same command, so no key can be left without
 * one. Nothing is evicted early unless Redis itself evicts (run it with `maxmemory-policy
 * noeviction` or `volatile-ttl` and enough memory if replay protection must be absolute).
 *
 * The client is the caller's: a connected node-redis v4, v5 or v6 client (`createClient()` from
 * the `redis` package, an optional peer dependency) or a cluster client. This module imports
 * nothing from `redis`, so the package does not depend on it.
 */
import { SigningError } from './errors.js';
import { checkTtl, nonceKey, type NonceStore } from './nonce-store.js';

/**
 * The one method used, typed structurally so that any node-redis client fits. The options name
 * both spellings of NX/EX: v5+ reads `condition`/`expiration`, v4 only knows `NX`/`EX` (and
 * ignores the others), so every version sends `SET key 1 EX ttl NX`.
 */
export interface RedisSetClient {
  set(
    key: string,
    value: string,
    options: {
      NX: true;
      EX: number;
      condition: 'NX';
      expiration: { type: 'EX'; value: number };
    },
  ): Promise<unknown>;
}

export interface RedisNonceStoreOptions {
  /** Prefix of every key (default `qredo-sign:nonce:`); the rest is the API key and the nonce. */
  prefix?: string;
}

export const DEFAULT_REDIS_PREFIX = 'qredo-sign:nonce:';

/**
 * A nonce store over Redis. Connection errors reject `checkAndSet`, so verification fails closed.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisNonceStore } from 'qredo-sign/nonce-store-redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const nonceStore = createRedisNonceStore(client);
 * await verifyPartnerRequest(request, { publicKeyFor, nonceStore });
 * ```
 */
export function createRedisNonceStore(
  client: RedisSetClient,
  options: RedisNonceStoreOptions = {},
): NonceStore {
  if (typeof client?.set !== 'function') {
    throw new SigningError('INVALID_OPTION', 'client must be a node-redis client');
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string')
    throw new SigningError('INVALID_OPTION', 'prefix must be a string');
  return {
    async checkAndSet(apiKey, nonce, ttlSeconds) {
      checkTtl(ttlSeconds);
      const reply = await client.set(prefix + nonceKey(apiKey, nonce), '1', {
        NX: true,
        EX: ttlSeconds,
        condition: 'NX',
        expiration: { type: 'EX', value: ttlSeconds },
      });
      // SET … NX answers OK when it set the key and nil when the key existed (RESP2 and RESP3).
      return reply !== null && reply !== undefined;
    },
  };
}
