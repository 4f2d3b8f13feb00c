/**
 * Retries for `createSignedFetch` (contract §3a.1, issue 20).
 *
 * A retried signed request cannot simply be re-sent: its timestamp ages out of the server's window
 * while we back off, and in nonce mode the server refuses a nonce it has seen (the first attempt may
 * well have reached it). So every attempt is signed again, with the time of that attempt and (nonce
 * mode) a fresh nonce; only the body bytes stay the same.
 *
 * Backoff is "full jitter" (a uniformly random wait in [0, min(cap, base · 2^attempt)]), which
 * spreads the retries of many clients hit by the same outage instead of synchronising them. A
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) replaces the jittered wait, still
 * capped by `maxDelayMs` so that a server cannot park a client for hours.
 */
import { SigningError } from '../lib/errors.js';

/**
 * Options of `createSignedFetch`'s `retry`.
 *
 * @example
 * ```ts
 * const qfetch = createSignedFetch(signer, { retry: { retries: 3, maxDelayMs: 5000 } });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** Statuses that are retried (default 429, 502, 503, 504). */
  statuses?: readonly number[];
  /**
   * Methods that are retried (default the idempotent ones, RFC 9110 §9.2.2: GET, HEAD, OPTIONS,
   * PUT, DELETE, TRACE). Add POST only when the server deduplicates it.
   */
  methods?: readonly string[];
  /** Longest single wait, in ms, `Retry-After` included (default 10 000). */
  maxDelayMs?: number;
  /** The first backoff ceiling, in ms, doubled per retry (default 200). */
  baseDelayMs?: number;
  /** A number in [0, 1); default `Math.random` (jitter needs no cryptographic quality). */
  random?: () => number;
  /** Waits `ms`; default a timer that the request's `signal` cancels. Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A checked {@link RetryOptions}. */
export interface RetryPolicy {
  retries: number;
  statuses: ReadonlySet<number>;
  methods: ReadonlySet<string>;
  maxDelayMs: number;
  baseDelayMs: number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_STATUSES = [429, 502, 503, 504];
const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'];

function count(value: unknown, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max) {
    return value;
  }
  throw new SigningError('INVALID_OPTION', `retry.${name} must be an integer from 0 to ${max}`);
}

function timer(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal!.reason);
    };
    const id = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Checks the `retry` option; undefined when retries are off (the default). */
export function retryPolicy(value: unknown): RetryPolicy | undefined {
  if (value === undefined || value === false) return undefined;
  const options = (value === true ? {} : value) as RetryOptions;
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'retry must be true or an object');
  }
  const statuses = options.statuses ?? DEFAULT_STATUSES;
  if (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s) && s >= 100)) {
    throw new SigningError('INVALID_OPTION', 'retry.statuses must be an array of HTTP statuses');
  }
  const methods = options.methods ?? IDEMPOTENT;
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
    throw new SigningError('INVALID_OPTION', 'retry.methods must be an array of method names');
  }
  for (const name of ['random', 'sleep'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new SigningError('INVALID_OPTION', `retry.${name} must be a function`);
    }
  }
  return {
    retries: count(options.retries, 2, 'retries', 10),
    statuses: new Set(statuses),
    methods: new Set(methods.map((m) => m.toUpperCase())),
    maxDelayMs: count(options.maxDelayMs, 10_000, 'maxDelayMs', 3_600_000),
    baseDelayMs: count(options.baseDelayMs, 200, 'baseDelayMs', 3_600_000),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? timer,
  };
}

/**
 * `Retry-After` in ms from `nowMs`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined
 * when absent or unreadable. A date in the past means "now".
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** The wait before retry number `attempt` (0 for the first retry). */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  response: Response | undefined,
  nowMs: number,
): number {
  const after = response ? retryAfterMs(response.headers.get('retry-after'), nowMs) : undefined;
  if (after !== undefined) return Math.min(after, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const r = policy.random();
  // A random source outside [0, 1) must not turn into a negative or unbounded wait.
  return Math.floor(ceiling * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 1));
}

/** True when a response of this status to this method is worth another (re-signed) attempt. */
export function retriableStatus(policy: RetryPolicy, method: string, status: number): boolean {
  return policy.methods.has(method) && policy.statuses.has(status);
}

/**
 * True for a failure of the transport (fetch's `TypeError`), which a retry may cure; never for
 * an abort, which is the caller's decision, nor for the library's own refusals.
 */
export function retriableError(policy: RetryPolicy, method: string, error: unknown): boolean {
  return policy.methods.has(method) && error instanceof TypeError;
}
