/**
 * The Qredo API verifier (contract §1.1, §3, §3.1): HMAC-SHA256 over timestamp, method, target and body.
 *
 * Checks run in this order, and the first failure rejects with a `SigningError`:
 * 1. the target is acceptable as received (`INVALID_URL`, see verify-target.ts);
 * 2. the headers are present, each with a single well-formed value (`MISSING_HEADER`);
 * 3. the API key is known (`UNKNOWN_KEY`);
 * 4. the timestamp is within the window (`STALE_TIMESTAMP`);
 * 5. the signature matches one of the key's secrets, compared in constant time (`BAD_SIGNATURE`);
 *    Each secret is imported once and kept in a bounded cache (hmac-key-cache.ts), found by its
 *    bytes; one the application stops returning is destroyed at once.
 * 6. with `replayCache`, this (API key, signature) was not accepted before (`REPLAYED_NONCE`).
 *    This comes last so that a forged request cannot fill the cache. The cache can key on the
 *    signature text because step 5 accepts only its one canonical spelling (no padding, no
 *    non-zero trailing bits), so a resend cannot dodge it by re-spelling the signature.
 */
import { SigningError } from '../lib/errors.js';
import { canonicalMethod } from '../scheme/canonical.js';
import { forInputLength, withAutoFallback, type BackendChoice } from '../backends/registry.js';
import { verifierHmacBackends } from './backend-choice.js';
import { headerReader, requireHeader, type HeaderReader } from './headers.js';
import {
  checkMaxSkew,
  checkTimestampWindow,
  readClock,
  secondsUntilWindowCloses,
} from './timestamp-window.js';
import {
  checkLookup,
  isPromise,
  isSignatureText,
  DEFAULT_MAX_SKEW_SECONDS,
  DEFAULT_NONCE_TTL_SECONDS,
  keyList,
  readTimestamp,
  receivedBody,
  type MaybePromise,
  type OneOrMore,
  type ReceivedRequest,
  type VerifiedRequest,
} from './common.js';
import { checkOrigin, receivedTarget } from './target.js';
import {
  checkStore,
  QREDO_SIGNATURE_TAG,
  signatureRecord,
  type NonceStore,
} from './nonce-store.js';
import { defaultReplayCache } from './replay-cache.js';
import { cachedSecrets } from './hmac-key-cache.js';
import { QREDO_HEADERS, QREDO_HEADER_NAMES } from '../scheme/headers.js';

/**
 * Options of {@link verifyQredoRequest}.
 *
 * @example
 * ```ts
 * const options: VerifyQredoOptions = {
 *   secretFor: (key) => secrets.get(key), origin: 'https://api.example.com', replayCache: true,
 * };
 * ```
 */
export interface VerifyQredoOptions {
  /**
   * The API secret of a key (base64 text as shown in the web app, or raw bytes), or several during
   * a rotation (each is tried); unknown: undefined. Called on every request: the verifier keeps
   * the imported keys, not the answer, so a secret dropped here stops verifying at once.
   */
  secretFor: (apiKey: string) => MaybePromise<OneOrMore<string | Uint8Array> | undefined | null>;
  /** Largest accepted distance between the timestamp and `now()`, in seconds. Default 30. */
  maxSkewSeconds?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Which backend checks signatures; `'auto'` (default) picks the fastest this runtime has. A
   * backend this runtime lacks is `UNAVAILABLE_BACKEND`.
   */
  backend?: BackendChoice;
  /**
   * Header names accepted: `'v1'` (`qredo-api-ts`, `qredo-api-sig`), `'v2'` (`qredo-api-timestamp`,
   * `qredo-api-signature`, contract §1.3), or either when unset. A request mixing the two is refused.
   */
  profile?: 'v1' | 'v2';
  /** This server's origin (e.g. `https://api.example.com`), for requests given as `path`. */
  origin?: string;
  /**
   * At-most-once: remember each accepted (API key, signature) while its timestamp is within the
   * window and refuse it again (`REPLAYED_NONCE`). `true` uses a process-wide memory store; a fleet
   * passes a shared store. Off by default: a resent request verifies within the window (contract §3).
   */
  replayCache?: boolean | NonceStore;
}

const HMAC_SIGNATURE_CHARS = 43; // 32 bytes, unpadded base64url (contract §1.1)
const V1 = { ts: QREDO_HEADERS.v1.timestamp, sig: QREDO_HEADERS.v1.signature } as const;
const V2 = { ts: QREDO_HEADERS.v2.timestamp, sig: QREDO_HEADERS.v2.signature } as const;

function qredoHeaderNames(read: HeaderReader, profile: unknown): { ts: string; sig: string } {
  if (profile === 'v1') return V1;
  if (profile === 'v2') return V2;
  if (profile !== undefined)
    throw new SigningError('INVALID_OPTION', "profile must be 'v1' or 'v2'");
  const v1 = read(V1.ts) !== undefined || read(V1.sig) !== undefined;
  const v2 = read(V2.ts) !== undefined || read(V2.sig) !== undefined;
  if (v1 && v2) {
    throw new SigningError('MISSING_HEADER', 'request mixes Qredo API v1 and v2 header names');
  }
  return v2 ? V2 : V1;
}

function replayStore(option: unknown): NonceStore | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return defaultReplayCache();
  return checkStore(option, false, 'replayCache');
}

/**
 * Constant-time equality of two signature texts: every character is compared, so the time does
 * not say how many leading characters of a forgery were right.
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Tries every secret (no early exit, so the time does not say which one matched). Keys come from
 * the import cache (hmac-key-cache.ts); synchronous backends answer without a Promise.
 */
function matchesAny(
  apiKey: string,
  secrets: readonly (string | Uint8Array)[],
  prefix: string,
  body: string | Uint8Array,
  signature: string,
  backendChoice: unknown,
): boolean | Promise<boolean> {
  const cached = cachedSecrets(apiKey, secrets);
  const size = prefix.length + body.length; // UTF-16 units: at most the UTF-8 length
  return withAutoFallback(backendChoice, () => {
    const selection = verifierHmacBackends(backendChoice);
    const backend = forInputLength(selection, size, selection.async);
    let matched = false;
    let pending: Promise<string>[] | undefined;
    // Every MAC is started before any is awaited, so no eviction can come between a key's
    // lookup and its use. Each backend key answers base64url text (macRequest), compared with
    // the received text, whose one canonical spelling was checked before (step 5).
    for (const secret of cached) {
      const mac = secret.keyFor(backend).macRequest(prefix, body);
      if (typeof mac === 'string') matched = sameText(mac, signature) || matched;
      else (pending ??= []).push(mac);
    }
    if (pending === undefined) return matched;
    return Promise.all(pending).then((macs) =>
      macs.reduce((ok, mac) => sameText(mac, signature) || ok, matched),
    );
  });
}

/**
 * Verifies a Qredo API request (contract §1.1, §3): HMAC-SHA256 over timestamp, method, target and
 * body, the target exactly as received (contract §3.1).
 *
 * @example
 * ```ts
 * const { apiKey, url } = await verifyQredoRequest(
 *   { method: req.method, path: req.url, headers: req.headers, body },
 *   { secretFor: (key) => secrets.get(key), origin: 'https://api.example.com' },
 * );
 * ```
 */
export async function verifyQredoRequest(
  request: ReceivedRequest,
  options: VerifyQredoOptions,
): Promise<VerifiedRequest> {
  checkLookup(options?.secretFor, 'secretFor');
  const maxSkew = checkMaxSkew(options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  const origin = options.origin === undefined ? undefined : checkOrigin(options.origin);
  const cache = replayStore(options.replayCache);
  const method = canonicalMethod(request?.method);
  const url = receivedTarget(request, origin);
  const body = receivedBody(request.body);

  const read = headerReader(request.headers, QREDO_HEADER_NAMES);
  const names = qredoHeaderNames(read, options.profile);
  const apiKey = requireHeader(read, QREDO_HEADERS.v1.apiKey);
  const timestamp = readTimestamp(read, names.ts);
  const signature = requireHeader(read, names.sig);

  // No await (a microtask) unless the lookup really is asynchronous.
  const found = options.secretFor(apiKey);
  const secrets = keyList(isPromise(found) ? await found : found, 'secret');
  const nowMs = readClock(options.now);
  checkTimestampWindow(timestamp, nowMs, maxSkew);
  if (!isSignatureText(signature, HMAC_SIGNATURE_CHARS)) {
    throw new SigningError('BAD_SIGNATURE', `${names.sig} is not a signature of the expected form`);
  }
  // The prefix is ASCII: digits, an HTTP token and a visible-ASCII target (checked above).
  const matched = matchesAny(
    apiKey,
    secrets,
    timestamp + method + url,
    body,
    signature,
    options.backend,
  );
  if (!(typeof matched === 'boolean' ? matched : await matched)) {
    throw new SigningError('BAD_SIGNATURE', 'signature does not match the request');
  }
  if (cache !== undefined) {
    const ttl = secondsUntilWindowCloses(timestamp, nowMs, maxSkew, DEFAULT_NONCE_TTL_SECONDS);
    if (!(await cache.checkAndSet(apiKey, signatureRecord(QREDO_SIGNATURE_TAG, signature), ttl))) {
      throw new SigningError(
        'REPLAYED_NONCE',
        'this request was already accepted (replayCache is on); send a new request',
      );
    }
  }
  return { apiKey, url };
}
