/**
 * Stamp stores: where a verifier remembers what it has accepted, so that a captured request cannot
 * be sent again (contract §3, §3.1). The default is in memory and shared by every verification in the
 * process; a fleet of verifiers plugs in a shared one (see `qredo-sign/nonce-store-redis`).
 *
 * What is recorded, per API key: accepted nonce values, and (only when a verifier asks for it)
 * signatures of accepted timestamp requests or Qredo API requests. A signature record's value is
 * `"<tag> <signature>"`: the space cannot occur in a nonce (visible ASCII only, contract §1.4), so a
 * record of one kind can never be mistaken for another, also in a custom store that knows nothing
 * of kinds.
 *
 * The in-memory store never forgets an unexpired entry to make room (contract §3.1 "No tenant can evict
 * another"): forgetting is what turned a flood by one tenant into a replay of another's request.
 * It bounds memory per API key and in total, and when a bound is reached it refuses the new entry
 * with `NONCE_STORE_FULL`, which fails the request closed. Expired entries leave in expiry order
 * through a binary heap: O(log n) per insertion whatever the mix of TTLs (a FIFO would keep a
 * one-day nonce at its head while thousands of 60 s entries behind it expired).
 *
 * It forgets everything when the process restarts. Deployments that need more use a persistent
 * shared store, or timed nonces (`nonceWindowSeconds`), whose window outlasts no store entry.
 */
import type { MaybePromise } from '../backends/types.js';
import { SigningError } from '../lib/errors.js';

/**
 * Remembers stamps per API key. `checkAndSet` must be atomic: with concurrent calls for the same
 * `(apiKey, value)`, exactly one may return true. Stores written for earlier versions (only
 * `checkAndSet(apiKey, nonce, ttlSeconds)`) keep working; `stamps: 'either'` also needs `has`.
 *
 * @example
 * ```ts
 * const store: NonceStore = {
 *   async checkAndSet(apiKey, value, ttlSeconds) {
 *     return db.insertIfAbsent(`${apiKey}\n${value}`, ttlSeconds); // true when newly inserted
 *   },
 *   async has(apiKey, value) {
 *     return db.existsUnexpired(`${apiKey}\n${value}`);
 *   },
 * };
 * await verifyPartnerRequest(request, { publicKeyFor, nonceStore: store });
 * ```
 */
export interface NonceStore {
  /**
   * Records `value` for `apiKey` for `ttlSeconds` (a positive integer) and returns true if it was
   * not already recorded, false if it was (a replay). A store that cannot record it (full,
   * unreachable) throws, and verification fails.
   */
  checkAndSet(apiKey: string, value: string, ttlSeconds: number): MaybePromise<boolean>;
  /** True if `value` is recorded for `apiKey` and unexpired; records nothing. */
  has?(apiKey: string, value: string): MaybePromise<boolean>;
}

/**
 * Options of {@link createMemoryNonceStore}.
 *
 * @example
 * ```ts
 * const store = createMemoryNonceStore({ maxEntries: 1_000_000, maxEntriesPerKey: 20_000 });
 * ```
 */
export interface MemoryNonceStoreOptions {
  /** Most entries kept in total (default 100,000: about 25 MB for 40-character key + nonce). */
  maxEntries?: number;
  /**
   * Most unexpired entries per API key (default 10,000, at most `maxEntries`). For one tenant not
   * to be able to fill the store for everyone, make `maxEntries` ≥ this × the number of keys.
   */
  maxEntriesPerKey?: number;
  /** Clock in epoch milliseconds (default `Date.now`); injectable for tests. */
  now?: () => number;
}

/** The in-memory store, with a `size` for monitoring and tests. */
export interface MemoryNonceStore extends NonceStore {
  checkAndSet(apiKey: string, value: string, ttlSeconds: number): boolean;
  has(apiKey: string, value: string): boolean;
  /** Entries currently held (expired ones may still count until the next insertion). */
  readonly size: number;
}

export const DEFAULT_MAX_NONCES = 100_000;
export const DEFAULT_MAX_NONCES_PER_KEY = 10_000;

/** Tags of signature records (see the module comment). */
export const TIMESTAMP_SIGNATURE_TAG = 'timestamp-signature';
export const QREDO_SIGNATURE_TAG = 'qredo-signature';

/**
 * The store value of a signature record: never equal to a nonce, which has no space.
 *
 * @example
 * ```ts
 * signatureRecord(TIMESTAMP_SIGNATURE_TAG, 'AbC…'); // 'timestamp-signature AbC…'
 * ```
 */
export function signatureRecord(tag: string, signature: string): string {
  return `${tag} ${signature}`;
}

/**
 * One key per (apiKey, value) that no other pair can produce: the API key's length comes first,
 * so `("a:b", "c")` and `("a", "b:c")` differ.
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

function checkBound(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new SigningError('INVALID_OPTION', `${name} must be a positive integer`);
  }
  return value as number;
}

/**
 * A bounded in-memory stamp store (policy in the module comment above).
 *
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore({ maxEntries: 1_000_000, maxEntriesPerKey: 10_000 });
 * await verifyPartnerRequest(request, { publicKeyFor, stamps: 'nonce', nonceStore });
 * ```
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  const maxEntries = checkBound(options.maxEntries ?? DEFAULT_MAX_NONCES, 'maxEntries');
  const perKeyLimit = Math.min(
    checkBound(options.maxEntriesPerKey ?? DEFAULT_MAX_NONCES_PER_KEY, 'maxEntriesPerKey'),
    maxEntries,
  );
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>(); // composite key → expiry (epoch ms)
  const perKey = new Map<string, number>(); // API key → unexpired entries it holds
  // A min-heap on expiry in parallel arrays, allocated once.
  const heapExpiry = new Float64Array(maxEntries);
  const heapKey: (string | undefined)[] = new Array(maxEntries);
  const heapApiKey: (string | undefined)[] = new Array(maxEntries);
  let length = 0;

  function swap(i: number, j: number): void {
    const e = heapExpiry[i];
    heapExpiry[i] = heapExpiry[j];
    heapExpiry[j] = e;
    const k = heapKey[i];
    heapKey[i] = heapKey[j];
    heapKey[j] = k;
    const a = heapApiKey[i];
    heapApiKey[i] = heapApiKey[j];
    heapApiKey[j] = a;
  }

  function push(expiry: number, key: string, apiKey: string): void {
    let i = length++;
    heapExpiry[i] = expiry;
    heapKey[i] = key;
    heapApiKey[i] = apiKey;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapExpiry[parent] <= heapExpiry[i]) break;
      swap(i, parent);
      i = parent;
    }
  }

  function popTop(): void {
    length--;
    swap(0, length);
    heapKey[length] = heapApiKey[length] = undefined;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < length && heapExpiry[l] < heapExpiry[least]) least = l;
      if (r < length && heapExpiry[r] < heapExpiry[least]) least = r;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  }

  function dropExpired(at: number): void {
    while (length > 0 && heapExpiry[0] <= at) {
      const key = heapKey[0] as string;
      const apiKey = heapApiKey[0] as string;
      const expiry = heapExpiry[0];
      popTop();
      if (expiries.get(key) !== expiry) continue;
      expiries.delete(key);
      const held = (perKey.get(apiKey) as number) - 1;
      if (held === 0) perKey.delete(apiKey);
      else perKey.set(apiKey, held);
    }
  }

  return {
    checkAndSet(apiKey, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      const at = now();
      const key = nonceKey(apiKey, value);
      const known = expiries.get(key);
      if (known !== undefined && known > at) return false;
      dropExpired(at);
      const held = perKey.get(apiKey) ?? 0;
      if (held >= perKeyLimit) {
        throw new SigningError(
          'NONCE_STORE_FULL',
          `this API key already holds ${perKeyLimit} unexpired stamps; refused rather than forget ` +
            'one (raise maxEntriesPerKey, or shorten nonceTtlSeconds / use nonceWindowSeconds)',
        );
      }
      if (length >= maxEntries) {
        throw new SigningError(
          'NONCE_STORE_FULL',
          `the nonce store holds ${maxEntries} unexpired stamps; refused rather than forget one ` +
            '(raise maxEntries)',
        );
      }
      const expires = at + ttlSeconds * 1000;
      push(expires, key, apiKey);
      expiries.set(key, expires);
      perKey.set(apiKey, held + 1);
      return true;
    },
    has(apiKey, value) {
      const known = expiries.get(nonceKey(apiKey, value));
      return known !== undefined && known > now();
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

/**
 * Validates a `nonceStore` option: a `checkAndSet` method, and `has` when `needsHas`.
 *
 * @example
 * ```ts
 * const store = checkStore(options.nonceStore ?? defaultNonceStore(), stamps === 'either');
 * ```
 */
export function checkStore(store: unknown, needsHas: boolean, name = 'nonceStore'): NonceStore {
  const s = store as Partial<NonceStore> | undefined;
  if (typeof s?.checkAndSet !== 'function') {
    throw new SigningError('INVALID_OPTION', `${name} must have a checkAndSet method`);
  }
  if (needsHas && typeof s.has !== 'function') {
    throw new SigningError(
      'INVALID_OPTION',
      `${name} must have a has method for stamps: 'either' (contract §3.1 cross-records)`,
    );
  }
  return s as NonceStore;
}
