/**
 * Clock-skew correction for signed timestamps (opt-in; see `createSignedFetch`'s `clockSkew`).
 *
 * Servers refuse a timestamp outside their window (±30 s by default, contract §3). A client whose clock
 * is minutes off gets nothing but 401s, although every response tells it the server's time: the
 * `Date` header (RFC 9110 §6.6.1). This module turns those headers into an offset, server minus
 * local, and the offset into the timestamps to sign.
 *
 * `Date` has a resolution of one second, so the estimate is deliberately coarse:
 * - the server's clock read somewhere in [Date, Date + 1 s) while it answered, taken as Date + 0.5 s;
 * - it answered about half-way through the round trip, so
 *   `offset ≈ (Date + 0.5 s) − (sentAt + receivedAt) / 2`, i.e. Date + rtt/2 − receivedAt, centred;
 * - an estimate within one second of the offset in use changes nothing (noise of the 1 s resolution),
 *   and the offset stays 0 until a response shows at least a second of disagreement;
 * - an estimate beyond `maxOffsetSeconds` (default ±300 s) is not applied at all (contract §3a.1): a
 *   hostile or broken server answering with a `Date` an hour ahead would otherwise make the client
 *   sign requests that become valid in an hour (replayable then) and fail every request until then.
 *   A real clock that far off needs fixing at the host (NTP), not here.
 */
import { SigningError } from '../lib/errors.js';
import { discard, fromOrigin, originOf } from './fetch-redirect.js';
import type { FetchFunction } from './signed-fetch.js';

/** Settings of the skew correction. */
export interface ClockSkewOptions {
  /**
   * How far (seconds) the clock used to sign may be from the server's, as a 401's `Date` header
   * shows it, before that 401 is retried once with the corrected time. Default 5: well inside the
   * ±30 s window verifiers allow by default, well above the 1 s resolution of `Date`.
   */
  toleranceSeconds?: number;
  /** The local clock in epoch milliseconds. Default `Date.now`; injectable for tests. */
  now?: () => number;
  /**
   * Largest offset (seconds, either way) ever applied; an estimate beyond it is ignored. Default
   * 300.
   */
  maxOffsetSeconds?: number;
}

/** Options of {@link ClockSkew.sync}. */
export interface ClockSyncOptions {
  /** The `fetch` that sends; default `globalThis.fetch`. */
  fetch?: FetchFunction;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** A learned clock offset, shared by whatever signs with it. */
export interface ClockSkew {
  /** Server clock minus local clock, in milliseconds; 0 until a response shows otherwise. */
  readonly offsetMs: number;
  /** See {@link ClockSkewOptions.toleranceSeconds}, in milliseconds. */
  readonly toleranceMs: number;
  /** See {@link ClockSkewOptions.maxOffsetSeconds}, in milliseconds. */
  readonly maxOffsetMs: number;
  /** The local clock (epoch ms). */
  now(): number;
  /** The Unix time in whole seconds by the server's clock, as estimated: the timestamp to sign. */
  timestamp(): string;
  /**
   * The offset one response shows, from its `Date` header and the local times the request was sent
   * and the response received; undefined when there is no usable `Date`.
   */
  estimate(
    dateHeader: string | null | undefined,
    sentAt: number,
    receivedAt: number,
  ): number | undefined;
  /**
   * Learns from a response of the origin signed for (ignored when within a second of the current
   * offset, or beyond `maxOffsetSeconds`).
   */
  observe(dateHeader: string | null | undefined, sentAt: number, receivedAt: number): void;
  /**
   * For a 401: true when its `Date` shows that the offset used to sign (`offsetUsedMs`) was off by
   * more than the tolerance (and by at least the 1 s resolution of `Date`) and the estimate lies
   * within `maxOffsetSeconds`; the offset is then corrected, and the request is worth signing again.
   */
  correct(
    dateHeader: string | null | undefined,
    sentAt: number,
    receivedAt: number,
    offsetUsedMs: number,
  ): boolean;
  /**
   * Measures the offset now, before anything is signed: one unsigned `HEAD` to `url` (no credential
   * travels; any status will do, a 401 carries `Date` too), offset = server `Date` (+0.5 s, see the
   * module comment) − the round trip's mid-point. Returns the offset applied, in ms, or undefined
   * when the response gives nothing to trust: no `Date`, an `Age` header (a cache answered, with
   * its own old `Date`), a redirect, or an estimate beyond `maxOffsetSeconds`.
   */
  sync(url: string | URL, options?: ClockSyncOptions): Promise<number | undefined>;
}

const DATE_RESOLUTION_MS = 1000;
const DEFAULT_TOLERANCE_SECONDS = 5;
const DEFAULT_MAX_OFFSET_SECONDS = 300;

function seconds(value: unknown, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new SigningError('INVALID_OPTION', `clockSkew.${name} must be a non-negative number`);
  }
  return v;
}

function estimate(
  dateHeader: string | null | undefined,
  sentAt: number,
  receivedAt: number,
): number | undefined {
  if (typeof dateHeader !== 'string') return undefined;
  // IMF-fixdate (RFC 9110 §5.6.7) parses with Date.parse in every engine.
  const serverMs = Date.parse(dateHeader);
  if (!Number.isFinite(serverMs)) return undefined;
  return Math.round(serverMs + DATE_RESOLUTION_MS / 2 - (sentAt + receivedAt) / 2);
}

/**
 * Creates a clock-skew tracker. `createSignedFetch(signer, { clockSkew: true })` makes one per
 * fetch; create one yourself to share it between fetches or to read the offset it learned.
 *
 * @example
 * ```ts
 * const skew = createClockSkew({ toleranceSeconds: 5 });
 * await skew.sync('https://api.qredo.network/qapi/v1/'); // optional: measure before signing
 * const signedFetch = createSignedFetch(signer, { clockSkew: skew });
 * await signedFetch('https://api.qredo.network/qapi/v1/balance');
 * skew.offsetMs; // e.g. -93000 when the local clock is 93 s fast
 * ```
 */
export function createClockSkew(options: ClockSkewOptions = {}): ClockSkew {
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'clockSkew options must be an object');
  }
  const tolerance = seconds(
    options.toleranceSeconds,
    DEFAULT_TOLERANCE_SECONDS,
    'toleranceSeconds',
  );
  const maxOffsetMs =
    seconds(options.maxOffsetSeconds, DEFAULT_MAX_OFFSET_SECONDS, 'maxOffsetSeconds') * 1000;
  const bounded = (estimateMs: number | undefined): number | undefined =>
    estimateMs !== undefined && Math.abs(estimateMs) <= maxOffsetMs ? estimateMs : undefined;
  const clock = options.now ?? Date.now;
  if (typeof clock !== 'function') {
    throw new SigningError('INVALID_OPTION', 'clockSkew.now must be a function');
  }
  const now = (): number => {
    const ms = clock();
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new SigningError('INVALID_OPTION', 'now() must return epoch milliseconds');
    }
    return ms;
  };
  let offsetMs = 0;
  return {
    get offsetMs() {
      return offsetMs;
    },
    toleranceMs: tolerance * 1000,
    maxOffsetMs,
    now,
    timestamp() {
      return String(Math.floor((now() + offsetMs) / 1000));
    },
    estimate,
    observe(dateHeader, sentAt, receivedAt) {
      const estimateMs = bounded(estimate(dateHeader, sentAt, receivedAt));
      if (estimateMs !== undefined && Math.abs(estimateMs - offsetMs) >= DATE_RESOLUTION_MS) {
        offsetMs = estimateMs;
      }
    },
    async sync(url, syncOptions = {}) {
      const target = url instanceof URL ? url.href : url;
      const origin = originOf(target);
      const send = syncOptions.fetch ?? globalThis.fetch;
      if (typeof send !== 'function') {
        throw new SigningError('UNSUPPORTED_RUNTIME', 'no fetch here: pass options.fetch');
      }
      const sentAt = now();
      const response = await send(target, {
        method: 'HEAD',
        redirect: 'manual',
        cache: 'no-store',
        signal: syncOptions.signal,
      });
      const receivedAt = now();
      await discard(response);
      if (response.headers.has('age') || !fromOrigin(response, origin)) return undefined;
      const estimateMs = bounded(estimate(response.headers.get('date'), sentAt, receivedAt));
      if (estimateMs === undefined) return undefined;
      offsetMs = estimateMs;
      return offsetMs;
    },
    correct(dateHeader, sentAt, receivedAt, offsetUsedMs) {
      const estimateMs = bounded(estimate(dateHeader, sentAt, receivedAt));
      if (estimateMs === undefined) return false;
      const error = Math.abs(estimateMs - offsetUsedMs);
      if (error <= tolerance * 1000 || error < DATE_RESOLUTION_MS) return false;
      offsetMs = estimateMs;
      return true;
    },
  };
}

/** True for a value made by {@link createClockSkew} (or shaped like one). */
export function isClockSkew(value: unknown): value is ClockSkew {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ClockSkew).timestamp === 'function' &&
    typeof (value as ClockSkew).estimate === 'function' &&
    typeof (value as ClockSkew).correct === 'function'
  );
}
