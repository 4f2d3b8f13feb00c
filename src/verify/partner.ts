/**
 * The Partner API verifier (contract §1.2, §3, §3.1): RSASSA-PKCS1-v1_5 SHA-256 over stamp, target and
 * body. The signing input does not say whether the stamp travelled as `x-timestamp` or `x-nonce`,
 * so which header a verifier accepts is its `stamps` option (default `'timestamp'`); with one kind a
 * captured request cannot be relabelled. Under `'either'` the store keeps cross-records per key.
 *
 * Checks run in this order, and the first failure rejects with a `SigningError`:
 * 1. the target is acceptable as received (`INVALID_URL`);
 * 2. the headers are present and well-formed, with a stamp header `stamps` allows (`MISSING_HEADER`);
 * 3. the API key is known (`UNKNOWN_KEY`);
 * 4. a timestamp, or a timed nonce, is within its window (`STALE_TIMESTAMP`);
 * 5. the signature matches one of the key's public keys (`BAD_SIGNATURE`);
 * 6. the stamp was not accepted before (`REPLAYED_NONCE`; a store that cannot record it fails
 *    closed with `NONCE_STORE_FULL`/`NONCE_STORE_UNAVAILABLE`). Last, so a forgery records nothing.
 *
 * The method is not signed by the Partner API; it is returned so the application can refuse one
 * it does not expect.
 */
import { SigningError } from '../lib/errors.js';
import { canonicalMethod, canonicalNonce, joinSigningInput } from '../scheme/canonical.js';
import type { BackendChoice } from '../backends/registry.js';
import type { PublicKeyInput } from '../keys/keys.js';
import { headerReader, requireHeader } from './headers.js';
import {
  checkMaxSkew,
  checkTimestampWindow,
  readClock,
  secondsUntilWindowCloses,
} from './timestamp-window.js';
import {
  checkStore,
  checkTtl,
  defaultNonceStore,
  signatureRecord,
  TIMESTAMP_SIGNATURE_TAG,
  type NonceStore,
} from './nonce-store.js';
import { preparePublicKey, type PreparedPublicKey } from './public-keys.js';
import {
  bodyBytes,
  checkLookup,
  decodeSignature,
  DEFAULT_MAX_SKEW_SECONDS,
  isPromise,
  DEFAULT_NONCE_TTL_SECONDS,
  keyList,
  readTimestamp,
  type MaybePromise,
  type OneOrMore,
  type ReceivedRequest,
  type VerifiedRequest,
} from './common.js';
import { checkOrigin, receivedTarget } from './target.js';
import { PARTNER_HEADERS, PARTNER_HEADER_NAMES } from '../scheme/headers.js';

/**
 * Which stamp headers a Partner API verifier accepts (contract §3.1).
 *
 * @example
 * ```ts
 * const stamps: PartnerStamps = 'nonce';
 * ```
 */
export type PartnerStamps = 'timestamp' | 'nonce' | 'either';

/**
 * Options of {@link verifyPartnerRequest}.
 *
 * @example
 * ```ts
 * const options: VerifyPartnerOptions = {
 *   publicKeyFor: (key) => partnerKeys.get(key), stamps: 'nonce', nonceWindowSeconds: 300,
 * };
 * ```
 */
export interface VerifyPartnerOptions {
  /** The public key(s) of an API key, in any form contract §1.2 accepts; unknown: undefined. */
  publicKeyFor: (apiKey: string) => MaybePromise<OneOrMore<PublicKeyInput> | undefined | null>;
  /** Largest accepted distance between `x-timestamp` and `now()`, in seconds. Default 30. */
  maxSkewSeconds?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Which stamp header is accepted: `'timestamp'` (default), `'nonce'`, `'either'`, or a function
   * of the API key. Under `'either'` the store needs `has` and records accepted timestamp requests.
   */
  stamps?: PartnerStamps | ((apiKey: string) => MaybePromise<PartnerStamps>);
  /** Where accepted stamps are remembered. Default: the process-wide in-memory store. */
  nonceStore?: NonceStore;
  /**
   * How long an accepted nonce is remembered, in seconds. Default 86,400 (one day). Without
   * `nonceWindowSeconds` this is the whole of a nonce request's replay protection.
   */
  nonceTtlSeconds?: number;
  /**
   * Timed nonces (opt-in): a digit-only nonce is read as a time by its magnitude and must lie within
   * this many seconds of now (`STALE_TIMESTAMP`); it is remembered until stamp + window. Set it for
   * clients using `nonce: 'auto'`; never for clients sending random numeric nonces.
   */
  nonceWindowSeconds?: number;
  /** This server's origin (e.g. `https://api.example.com`), for requests given as `path`. */
  origin?: string;
  /**
   * Which backend checks signatures; `'auto'` (default) picks the fastest this runtime has. A
   * backend this runtime lacks is `UNAVAILABLE_BACKEND`.
   */
  backend?: BackendChoice;
}

/**
 * What a Partner API verification tells the caller: also the method, which is not signed.
 *
 * @example
 * ```ts
 * const { apiKey, url, method }: VerifiedPartnerRequest = await verifyPartnerRequest(received, options);
 * ```
 */
export interface VerifiedPartnerRequest extends VerifiedRequest {
  /** The method as received (upper-cased), when the request gave one. Not authenticated. */
  method?: string;
}

const DIGITS = /^[0-9]+$/;
const STAMP_KINDS: readonly string[] = ['timestamp', 'nonce', 'either'];

function checkStamps(value: unknown): PartnerStamps {
  if (!STAMP_KINDS.includes(value as string)) {
    throw new SigningError('INVALID_OPTION', "stamps must be 'timestamp', 'nonce' or 'either'");
  }
  return value as PartnerStamps;
}

function checkWindowOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new SigningError('INVALID_OPTION', 'nonceWindowSeconds must be a positive number');
  }
  return value;
}

/** Tries the keys in turn; a synchronous backend answers without a Promise. */
function verifiesWithAny(
  keys: readonly PublicKeyInput[],
  backend: unknown,
  input: Uint8Array,
  signature: string,
): boolean | Promise<boolean> {
  // Every key is prepared first, so that a bad key fails before any work.
  const prepared: PreparedPublicKey[] = [];
  for (const key of keys) prepared.push(preparePublicKey(key, backend));
  for (let i = 0; i < prepared.length; i++) {
    const ok = verifyOne(prepared[i], input, signature);
    if (typeof ok !== 'boolean') return verifiesFrom(prepared, i, ok, input, signature);
    if (ok) return true;
  }
  return false;
}

/** The asynchronous rest of {@link verifiesWithAny}, from key `i` whose answer is `pending`. */
async function verifiesFrom(
  prepared: readonly PreparedPublicKey[],
  i: number,
  pending: Promise<boolean>,
  input: Uint8Array,
  signature: string,
): Promise<boolean> {
  if (await pending) return true;
  for (i++; i < prepared.length; i++) {
    const ok = verifyOne(prepared[i], input, signature);
    if (typeof ok === 'boolean' ? ok : await ok) return true;
  }
  return false;
}

function verifyOne(
  { bits, key }: PreparedPublicKey,
  input: Uint8Array,
  signature: string,
): boolean | Promise<boolean> {
  const received = decodeSignature(signature, Math.ceil((Math.ceil(bits / 8) * 4) / 3));
  return received !== undefined && key.verify(input, received);
}

const replayed = (why: string): never => {
  throw new SigningError('REPLAYED_NONCE', why);
};

/**
 * Verifies a Partner API request (contract §1.2, §3, §3.1): RSASSA-PKCS1-v1_5 SHA-256 over the stamp,
 * the target exactly as received, and the body.
 *
 * @example
 * ```ts
 * const { apiKey, url, method } = await verifyPartnerRequest(
 *   { method: req.method, path: req.url, headers: req.headers, body },
 *   { publicKeyFor: (key) => partnerKeys.get(key), origin: 'https://partner.example' },
 * );
 * if (method !== 'POST') throw new Error('unexpected method'); // the method is not signed
 * ```
 */
export async function verifyPartnerRequest(
  request: ReceivedRequest,
  options: VerifyPartnerOptions,
): Promise<VerifiedPartnerRequest> {
  checkLookup(options?.publicKeyFor, 'publicKeyFor');
  const maxSkew = checkMaxSkew(options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  const nonceTtl = options.nonceTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS;
  checkTtl(nonceTtl);
  const nonceWindow = checkWindowOption(options.nonceWindowSeconds);
  const origin = options.origin === undefined ? undefined : checkOrigin(options.origin);
  const store = checkStore(options.nonceStore ?? defaultNonceStore(), false);
  const method = request?.method === undefined ? undefined : canonicalMethod(request.method);
  const url = receivedTarget(request, origin);
  const body = bodyBytes(request.body);

  const read = headerReader(request.headers, PARTNER_HEADER_NAMES);
  const apiKey = requireHeader(read, PARTNER_HEADERS.apiKey);
  const signature = requireHeader(read, PARTNER_HEADERS.signature);
  const hasTimestamp = read(PARTNER_HEADERS.timestamp) !== undefined;
  const hasNonce = read(PARTNER_HEADERS.nonce) !== undefined;
  if (hasTimestamp === hasNonce) {
    throw new SigningError(
      'MISSING_HEADER',
      hasNonce
        ? 'send only one of x-timestamp and x-nonce'
        : 'header x-timestamp or x-nonce is missing',
    );
  }
  const option = options.stamps;
  const chosen = typeof option === 'function' ? option(apiKey) : (option ?? 'timestamp');
  const stamps = checkStamps(isPromise(chosen) ? await chosen : chosen);
  if (stamps !== 'either' && hasNonce !== (stamps === 'nonce')) {
    throw new SigningError(
      'MISSING_HEADER',
      `this verifier accepts only ${stamps === 'nonce' ? PARTNER_HEADERS.nonce : PARTNER_HEADERS.timestamp} ` +
        `(option stamps: '${stamps}'); a request with ${hasNonce ? PARTNER_HEADERS.nonce : PARTNER_HEADERS.timestamp} ` +
        "needs stamps: 'either' or the other kind",
    );
  }
  if (stamps === 'either') checkStore(store, true);
  let stamp: string;
  if (hasTimestamp) stamp = readTimestamp(read, PARTNER_HEADERS.timestamp);
  else {
    try {
      stamp = canonicalNonce(requireHeader(read, PARTNER_HEADERS.nonce));
    } catch {
      throw new SigningError(
        'MISSING_HEADER',
        'header x-nonce is not 1–256 visible ASCII characters',
      );
    }
  }

  const found = options.publicKeyFor(apiKey); // awaited only when it is a Promise (a microtask)
  const keys = keyList(isPromise(found) ? await found : found, 'public key');

  const nowMs = readClock(options.now);
  const timedNonce = hasNonce && nonceWindow !== undefined && DIGITS.test(stamp);
  if (hasTimestamp) checkTimestampWindow(stamp, nowMs, maxSkew);
  else if (timedNonce) checkTimestampWindow(stamp, nowMs, nonceWindow as number);

  const input = joinSigningInput(stamp + url, body);
  const verified = verifiesWithAny(keys, options.backend, input, signature);
  if (!(typeof verified === 'boolean' ? verified : await verified)) {
    throw new SigningError('BAD_SIGNATURE', 'signature does not match the request');
  }

  // Each side records before it reads the other's record, so that of two concurrent relabelled
  // copies at least one sees the other (and both may be refused: fail closed).
  const sigRecord = signatureRecord(TIMESTAMP_SIGNATURE_TAG, signature);
  if (hasNonce) {
    const ttl = timedNonce
      ? secondsUntilWindowCloses(stamp, nowMs, nonceWindow as number, nonceTtl)
      : nonceTtl;
    if (!(await store.checkAndSet(apiKey, stamp, ttl))) {
      replayed('this nonce was already used with this API key');
    }
    if (stamps === 'either' && (await store.has!(apiKey, sigRecord))) {
      replayed(
        'this request was already accepted with x-timestamp; a nonce request needs a new signature',
      );
    }
  } else if (stamps === 'either') {
    const ttl = secondsUntilWindowCloses(stamp, nowMs, maxSkew, nonceTtl);
    await store.checkAndSet(apiKey, sigRecord, ttl); // false: a resend within the window, allowed
    if (await store.has!(apiKey, stamp)) {
      replayed('this stamp was already accepted as x-nonce with this API key');
    }
  }
  return method === undefined ? { apiKey, url } : { apiKey, url, method };
}
