/**
 * `nonce: 'auto'` (contract §1.4): a per-signer source of strictly increasing decimal nonces.
 * Values are microseconds since the Unix epoch where the clock allows and last + 1 otherwise, so
 * they stay increasing for any number of requests in one millisecond, across concurrent `sign`
 * calls (JavaScript runs them one at a time) and across a backwards clock step.
 */
import { SigningError } from '../lib/errors.js';

/**
 * Settings of {@link createNonceSource} (also `nonce` in the signer options): where to start and
 * how to persist, so that nonces keep increasing across restarts and processes. A bad `after` is
 * refused with `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * const options: NonceSourceOptions = { after: '1763890000123000', onIssue: (n) => save(n) };
 * ```
 */
export interface NonceSourceOptions {
  /**
   * The last nonce issued before (e.g. by a previous process); every new nonce is greater.
   * Multi-process senders persist it through `onIssue`.
   */
  after?: string | number | bigint;
  /** Called with every nonce issued, before it is signed, so it can be persisted. */
  onIssue?: (nonce: string) => void;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * A strictly increasing source of decimal nonces (what `nonce: 'auto'` uses): microseconds since
 * the Unix epoch, or the last value + 1 when the clock has not moved on or stepped back.
 *
 * @example
 * ```ts
 * createNonceSource().next(); // '1763890000123000'
 * ```
 */
export interface NonceSource {
  /** The next nonce: greater than every one issued before by this source. */
  next(): string;
}

function startValue(after: NonceSourceOptions['after']): bigint {
  if (after === undefined) return -1n;
  if (typeof after === 'bigint' && after >= 0n) return after;
  if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return BigInt(after);
  if (typeof after === 'string' && /^[0-9]{1,64}$/.test(after)) return BigInt(after);
  throw new SigningError('INVALID_OPTION', 'nonce.after must be a non-negative integer');
}

/**
 * Creates a nonce source.
 *
 * @example
 * ```ts
 * const nonces = createNonceSource({ after: loadLast(), onIssue: saveLast });
 * nonces.next(); // '1763890000123000'
 * ```
 */
export function createNonceSource(options: NonceSourceOptions = {}): NonceSource {
  let last = startValue(options.after);
  const now = options.now ?? Date.now;
  const onIssue = options.onIssue;
  return {
    next() {
      const clock = BigInt(Math.floor(now())) * 1000n;
      last = clock > last ? clock : last + 1n;
      const nonce = last.toString();
      onIssue?.(nonce);
      return nonce;
    },
  };
}
