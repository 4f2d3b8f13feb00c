/**
 * The timestamp window of contract §3. Clients send Unix time in seconds by default, but contract §1.4 lets
 * digit strings pass through unchanged, so milliseconds, microseconds and nanoseconds arrive too.
 * The unit is read from the magnitude; the boundaries are chosen so that every unit is unambiguous
 * for dates between 1973 and the year 5000:
 *
 * | value below | read as      | e.g. now            |
 * |-------------|--------------|---------------------|
 * | 10^11       | seconds      | 1 700 000 000       |
 * | 10^14       | milliseconds | 1 700 000 000 000   |
 * | 10^17       | microseconds | 1.7 × 10^15         |
 * | otherwise   | nanoseconds  | 1.7 × 10^18         |
 *
 * Arithmetic is in BigInt nanoseconds: nanosecond timestamps exceed 2^53.
 */
import { SigningError } from '../lib/errors.js';

const NS_PER_UNIT = [1_000_000_000n, 1_000_000n, 1_000n, 1n] as const;
const UNIT_BELOW = [10n ** 11n, 10n ** 14n, 10n ** 17n] as const;

/**
 * The instants, in nanoseconds since the epoch, that a timestamp can stand for: a timestamp in
 * whole seconds was taken somewhere in [t, t + 1 s), so it covers that whole interval.
 */
export function timestampInterval(digits: string): { from: bigint; to: bigint } {
  const value = BigInt(digits);
  let unit = 3;
  for (let i = 0; i < UNIT_BELOW.length; i++) {
    if (value < UNIT_BELOW[i]) {
      unit = i;
      break;
    }
  }
  const scale = NS_PER_UNIT[unit];
  const from = value * scale;
  return { from, to: from + scale - 1n };
}

/** Checks `maxSkewSeconds` (a non-negative number; Infinity turns the window off). */
export function checkMaxSkew(maxSkewSeconds: unknown): number {
  if (typeof maxSkewSeconds !== 'number' || Number.isNaN(maxSkewSeconds) || maxSkewSeconds < 0) {
    throw new SigningError('INVALID_OPTION', 'maxSkewSeconds must be a non-negative number');
  }
  return maxSkewSeconds;
}

/** Reads the injected clock: epoch milliseconds, possibly fractional. */
export function readClock(now: (() => number) | undefined): number {
  const ms = now === undefined ? Date.now() : now();
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new SigningError('INVALID_OPTION', 'now() must return epoch milliseconds');
  }
  return ms;
}

/**
 * A quick yes for the common case, without BigInt: a timestamp in seconds or milliseconds (at most
 * 13 digits, exact as a double) that lies well inside the window. The interval it stands for is
 * [v·unit, v·unit + unit); if its start is within skew − unit − 1 ms of now either way, every
 * instant of it is within the window, the 1 ms covering the double's rounding (around 10^-4 ms
 * here) and the µs truncation of the exact check. Anything else takes the exact path.
 */
function clearlyInside(digits: string, nowMs: number, skewMs: number): boolean {
  if (digits.length > 13) return false;
  const value = Number(digits);
  const unitMs = value < 1e11 ? 1000 : 1;
  const distance = Math.abs(nowMs - value * unitMs);
  return distance <= skewMs - unitMs - 1;
}

/**
 * Throws `STALE_TIMESTAMP` unless some instant the timestamp stands for lies within
 * `maxSkewSeconds` of `nowMs`, in either direction (clocks drift both ways).
 */
export function checkTimestampWindow(digits: string, nowMs: number, maxSkewSeconds: number): void {
  const skewNs = maxSkewSeconds * 1e9;
  if (!Number.isFinite(skewNs)) return;
  if (clearlyInside(digits, nowMs, maxSkewSeconds * 1000)) return;
  const { from, to } = timestampInterval(digits);
  // Microsecond resolution is what a double holding epoch milliseconds can carry exactly.
  const now = BigInt(Math.floor(nowMs * 1000)) * 1000n;
  const skew = BigInt(Math.round(skewNs));
  if (now - to > skew) {
    throw new SigningError('STALE_TIMESTAMP', `timestamp is more than ${maxSkewSeconds} s old`);
  }
  if (from - now > skew) {
    throw new SigningError(
      'STALE_TIMESTAMP',
      `timestamp is more than ${maxSkewSeconds} s in the future`,
    );
  }
}

/**
 * Whole seconds (at least 1) from `nowMs` until the timestamp leaves the window of `windowSeconds`:
 * how long a record about it must be kept for the window to refuse what the record would.
 * Infinity (no window) gives `fallbackSeconds`.
 *
 * @example
 * ```ts
 * secondsUntilWindowCloses('1700000000', 1_700_000_000_000, 30, 86_400); // 31
 * ```
 */
export function secondsUntilWindowCloses(
  digits: string,
  nowMs: number,
  windowSeconds: number,
  fallbackSeconds: number,
): number {
  const windowNs = windowSeconds * 1e9;
  if (!Number.isFinite(windowNs)) return fallbackSeconds;
  const { to } = timestampInterval(digits);
  const now = BigInt(Math.floor(nowMs * 1000)) * 1000n;
  const left = to + BigInt(Math.round(windowNs)) - now;
  const seconds = Number((left + 999_999_999n) / 1_000_000_000n);
  return Math.max(1, Math.min(seconds, Number.MAX_SAFE_INTEGER));
}
