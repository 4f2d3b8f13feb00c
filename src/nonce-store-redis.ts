/**
 * The `qredo-sign/nonce-store-redis` entry: a nonce store shared by a fleet of verifiers through
 * Redis. Kept apart from the main entries so that nothing else reaches it; `redis` is an optional
 * peer dependency that this package never imports.
 */
export {
  createRedisNonceStore,
  DEFAULT_REDIS_PREFIX,
  type RedisEvalClient,
  type RedisNonceStoreOptions,
} from './verify/nonce-store-redis.js';
