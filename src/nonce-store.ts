/**
 * Nonce stores: where a verifier remembers the Partner API nonces it has accepted, so that a
 * captured request cannot be sent again (SPEC §3). The default is in memory and shared by every
 * verification in the process; a fleet of verifiers plugs in a shared one (see
 * `qredo-sign/nonce-store-redis`).
 *
 * Eviction policy of the in-memory store, and what it means for replay protection:
 * - An entry lives for its TTL. Expired entries are dropped first.
 * - The store holds at most `maxEntries` (default 100,000) unexpired nonces. When it is full, the
 *   oldest accepted nonce is dropped to make room. A nonce is therefore refused a second time as
 *   long as it is within its TTL AND fewer than `maxEntries` newer nonces have been accepted since.
 *
 * Why evict rather than refuse when full: only requests whose signature is valid reach the store
 * (the verifier checks the signature first), so a flood needs a valid key; refusing new nonces
 * would let one such client lock every other client out, while evicting bounds memory and keeps
 * the most recent nonces, the ones an attacker is most likely to have captured. Deployments that
 * need a hard guarantee across restarts or processes use a shared store with TTL only (Redis).
 */
import { SigningError } from './errors.js';

/**
 * Remembers nonces per API key. Implementations must make `checkAndSet` atomic: with concurrent
 * calls for the same `(apiKey, nonce)`, exactly one may return true.
 *
 * @example
 * ```ts
 * const store: NonceStore = {
 *   async checkAndSet(apiKey, nonce, ttlSeconds) {
 *     return db.insertIfAbsent(`${apiKey}\n${nonce}`, ttlSeconds); // true when newly inserted
 *   },
 * };
 * await verifyPartnerRequest(request, { publicKeyFor, nonceStore: store });
 * ```
 */
export interface NonceStore {
  /**
   * Records `nonce` for `apiKey` for `ttlSeconds` (a positive integer) and returns true if it was
   * not already recorded, false if it was (a replay).
   */
  checkAndSet(apiKey: string, nonce: string, ttlSeconds: number): Promise<boolean> | boolean;
}

/**
 * Options of {@link createMemoryNonceStore}.
 *
 * @example
 * ```ts
 * const store = createMemoryNonceStore({ maxEntries: 10_000 });
 * ```
 */
export interface MemoryNonceStoreOptions {
  /** Most nonces kept (default 100,000: about 25 MB for 40-character API key + nonce pairs). */
  maxEntries?: number;
  /** Clock in epoch milliseconds (default `Date.now`); injectable for tests. */
  now?: () => number;
}

/** The in-memory store, with a `size` for monitoring and tests. */
export interface MemoryNonceStore extends NonceStore {
  checkAndSet(apiKey: string, nonce: string, ttlSeconds: number): boolean;
  /** Entries currently held (expired ones may still count until the next insertion). */
  readonly size: number;
}

export const DEFAULT_MAX_NONCES = 100_000;

/**
 * One key per (apiKey, nonce) that no other pair can produce: the API key's length comes first,
 * so `("a:b", "c")` and `("a", "b:c")` differ. Shared with the Redis store.
 */
export function nonceKey(apiKey: string, nonce: string): string {
  return `${apiKey.length}:${apiKey}:${nonce}`;
}

/** Validates the TTL every store receives: a positive whole number of seconds. */
export function checkTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new SigningError(
      'INVALID_OPTION',
      'nonce TTL must be a positive whole number of seconds',
    );
  }
}

/**
 * A bounded in-memory nonce store (policy in the module comment above).
 *
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore({ maxEntries: 10_000 });
 * await verifyPartnerRequest(request, { publicKeyFor, nonceStore });
 * ```
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_NONCES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new SigningError('INVALID_OPTION', 'maxEntries must be a positive integer');
  }
  const now = options.now ?? Date.now;
  // Key → expiry (epoch ms), for lookups.
  const expiries = new Map<string, number>();
  // Acceptance order, as a ring of (key, expiry): the head is the oldest accepted nonce, and with
  // the verifier's single TTL also the first to expire. A ring rather than iterating the Map from
  // its start: V8 leaves deleted Map slots in place until it rehashes, so finding the oldest entry
  // that way costs O(entries) per insertion once the store is full (measured: 80 s per million).
  const ringKeys: (string | undefined)[] = new Array(maxEntries);
  const ringExpiries = new Float64Array(maxEntries);
  let head = 0;
  let count = 0;

  function dropOldest(): void {
    const key = ringKeys[head] as string;
    // A key accepted again after it expired has a newer ring entry; only the current one counts.
    if (expiries.get(key) === ringExpiries[head]) expiries.delete(key);
    ringKeys[head] = undefined;
    head = head + 1 === maxEntries ? 0 : head + 1;
    count--;
  }

  return {
    checkAndSet(apiKey, nonce, ttlSeconds) {
      checkTtl(ttlSeconds);
      const at = now();
      const key = nonceKey(apiKey, nonce);
      const known = expiries.get(key);
      if (known !== undefined && known > at) return false;
      while (count > 0 && ringExpiries[head] <= at) dropOldest();
      if (count === maxEntries) dropOldest();
      const expires = at + ttlSeconds * 1000;
      const tail = (head + count) % maxEntries;
      ringKeys[tail] = key;
      ringExpiries[tail] = expires;
      count++;
      expiries.set(key, expires);
      return true;
    },
    get size() {
      return expiries.size;
    },
  };
}

// Process-wide, also across two copies of this package (an ESM and a CJS build loaded side by
// side): a nonce accepted through one copy must be refused through the other.
const SHARED = Symbol.for('qredo-sign.default-nonce-store');

/**
 * The store verifiers use when none is given: one in-memory store per process.
 *
 * @example
 * ```ts
 * defaultNonceStore().checkAndSet('key', '42', 60); // true, then false for the next 60 s
 * ```
 */
export function defaultNonceStore(): MemoryNonceStore {
  const holder = globalThis as { [SHARED]?: MemoryNonceStore };
  return (holder[SHARED] ??= createMemoryNonceStore());
}
