/**
 * Server-side verification (SPEC §3), for gateways, mock servers and tests.
 *
 * Checks run in this order, and the first failure rejects with a `SigningError`:
 * 1. the scheme's headers are present, each with a single well-formed value (`MISSING_HEADER`);
 * 2. the API key is known (`UNKNOWN_KEY`);
 * 3. the timestamp, if the request carries one, is within the window (`STALE_TIMESTAMP`);
 * 4. the signature matches, compared in constant time (`BAD_SIGNATURE`);
 * 5. the Partner API nonce, if the request carries one, was not seen before for this API key
 *    (`REPLAYED_NONCE`). This comes last so that a forged request cannot burn a nonce.
 *
 * The received body is verified as received: never re-serialised. The URL is the one the request
 * arrived at, canonicalised as signers canonicalise it (SPEC §1.4); when the URL given differs from
 * its canonical form, the form given is tried as well, for clients that sign their URL verbatim.
 *
 * Only the backend registry is imported, never a backend, so these work from every entry.
 */
import { SigningError } from './errors.js';
import { base64url, decodeSecret, isWellFormed, timingSafeEqual, utf8 } from './encoding.js';
import {
  canonicalMethod,
  canonicalNonce,
  canonicalTimestamp,
  canonicalUrl,
  joinSigningInput,
} from './canonical.js';
import {
  AUTO_HMAC_NATIVE_THRESHOLD,
  selectBackends,
  type BackendChoice,
} from './backends/registry.js';
import type { PublicKeyInput } from './keys.js';
import {
  headerReader,
  requireHeader,
  type HeaderReader,
  type HeadersInput,
} from './verify-headers.js';
import { checkMaxSkew, checkTimestampWindow, readClock } from './timestamp-window.js';
import { checkTtl, defaultNonceStore, type NonceStore } from './nonce-store.js';
import { preparePublicKey } from './verify-keys.js';

/** A request as the server received it. */
export interface ReceivedRequest {
  /** The request method (signed by the Qredo API; not part of a Partner API signature). */
  method?: string;
  /** The absolute URL the request arrived at, e.g. `https://${host}${req.url}`. */
  url: string | URL;
  headers: HeadersInput;
  /** The received body bytes, or a string (encoded as UTF-8). Empty or absent: no body. */
  body?: Uint8Array | ArrayBuffer | string | null;
}

/** What a successful verification tells the caller. */
export interface VerifiedRequest {
  /** The API key the request was authenticated as. */
  apiKey: string;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Options of {@link verifyQredoRequest}.
 *
 * @example
 * ```ts
 * const options: VerifyQredoOptions = { secretFor: (key) => secrets.get(key) };
 * ```
 */
export interface VerifyQredoOptions {
  /** The API secret of a key (base64 text as shown in the web app, or raw bytes); unknown: undefined. */
  secretFor: (apiKey: string) => MaybePromise<string | Uint8Array | undefined | null>;
  /** Largest accepted distance between the timestamp and `now()`, in seconds. Default 30. */
  maxSkewSeconds?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  backend?: BackendChoice;
  /**
   * Header names accepted: `'v1'` (`qredo-api-ts`, `qredo-api-sig`), `'v2'` (`qredo-api-timestamp`,
   * `qredo-api-signature`, SPEC §1.3), or either when unset. A request mixing the two is refused.
   */
  profile?: 'v1' | 'v2';
}

/**
 * Options of {@link verifyPartnerRequest}.
 *
 * @example
 * ```ts
 * const options: VerifyPartnerOptions = { publicKeyFor: (key) => partnerKeys.get(key), maxSkewSeconds: 30 };
 * ```
 */
export interface VerifyPartnerOptions {
  /** The public key of an API key, in any form SPEC §1.2 accepts; unknown: undefined. */
  publicKeyFor: (apiKey: string) => MaybePromise<PublicKeyInput | undefined | null>;
  /** Largest accepted distance between `x-timestamp` and `now()`, in seconds. Default 30. */
  maxSkewSeconds?: number;
  now?: () => number;
  /** Where accepted nonces are remembered. Default: the process-wide in-memory store. */
  nonceStore?: NonceStore;
  /**
   * How long an accepted nonce is remembered, in seconds. Default 86,400 (one day). A nonce-only
   * request has no timestamp window, so this is the whole of its replay protection.
   */
  nonceTtlSeconds?: number;
  backend?: BackendChoice;
}

export const DEFAULT_MAX_SKEW_SECONDS = 30;
export const DEFAULT_NONCE_TTL_SECONDS = 86_400;

const HMAC_SIGNATURE_CHARS = 43; // 32 bytes, unpadded base64url (SPEC §1.1)
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const EMPTY = new Uint8Array(0);

const V1 = { ts: 'qredo-api-ts', sig: 'qredo-api-sig' } as const;
const V2 = { ts: 'qredo-api-timestamp', sig: 'qredo-api-signature' } as const;

function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined || body === null) return EMPTY;
  if (typeof body === 'string') return utf8(body, 'body');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new SigningError(
    'INVALID_BODY',
    'received body must be a Uint8Array, ArrayBuffer or string',
  );
}

/** The URL strings to try: the canonical one, then the one given if it differs. */
function urlCandidates(url: unknown): string[] {
  const canonical = canonicalUrl(url);
  const given = url instanceof URL ? url.href : (url as string);
  return given === canonical || !isWellFormed(given) ? [canonical] : [canonical, given];
}

/** The signature bytes, or BAD_SIGNATURE unless `text` is canonical unpadded base64url of `chars`. */
function decodeSignature(text: string, chars: number, header: string): Uint8Array {
  if (text.length === chars && BASE64URL.test(text)) {
    const bytes = base64url.decode(text);
    // Refuse non-zero trailing bits, so that each signature has exactly one accepted spelling.
    if (base64url.encode(bytes) === text) return bytes;
  }
  throw new SigningError('BAD_SIGNATURE', `${header} is not a signature of the expected form`);
}

function checkLookup(fn: unknown, name: string): void {
  if (typeof fn !== 'function')
    throw new SigningError('INVALID_OPTION', `${name} must be a function`);
}

function readTimestamp(read: HeaderReader, name: string): string {
  const value = requireHeader(read, name);
  try {
    return canonicalTimestamp(value);
  } catch {
    throw new SigningError('MISSING_HEADER', `header ${name} is not a decimal timestamp`);
  }
}

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

/**
 * Verifies a Qredo API request (SPEC §1.1, §3): HMAC-SHA256 over timestamp, method, URL and body.
 *
 * @example
 * ```ts
 * const { apiKey } = await verifyQredoRequest(
 *   { method: req.method, url: `https://${req.headers.host}${req.url}`, headers: req.headers, body },
 *   { secretFor: (key) => secrets.get(key) },
 * );
 * ```
 */
export async function verifyQredoRequest(
  request: ReceivedRequest,
  options: VerifyQredoOptions,
): Promise<VerifiedRequest> {
  checkLookup(options?.secretFor, 'secretFor');
  const maxSkew = checkMaxSkew(options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  const method = canonicalMethod(request.method);
  const urls = urlCandidates(request.url);
  const body = bodyBytes(request.body);

  const read = headerReader(request.headers);
  const names = qredoHeaderNames(read, options.profile);
  const apiKey = requireHeader(read, 'qredo-api-key');
  const timestamp = readTimestamp(read, names.ts);
  const signature = requireHeader(read, names.sig);

  const secret = await options.secretFor(apiKey);
  if (secret === undefined || secret === null) {
    throw new SigningError('UNKNOWN_KEY', 'no secret is known for this API key');
  }
  const key = decodeSecret(secret); // the same rules as a signer's secret option

  // The decoded copy is ours to wipe; bytes the caller returned are theirs and left alone.
  const wipe = key !== secret;
  try {
    checkTimestampWindow(timestamp, readClock(options.now), maxSkew);
    const received = decodeSignature(signature, HMAC_SIGNATURE_CHARS, names.sig);
    const selection = selectBackends(options.backend, 'hmac');
    const backend =
      body.length > AUTO_HMAC_NATIVE_THRESHOLD && selection.large
        ? selection.large
        : selection.async;
    const hmac = backend.importHmacKey(key);
    try {
      for (const url of urls) {
        const mac = await hmac.mac(joinSigningInput(timestamp + method + url, body));
        if (timingSafeEqual(mac, received)) return { apiKey };
      }
    } finally {
      hmac.destroy();
    }
  } finally {
    if (wipe) key.fill(0);
  }
  throw new SigningError('BAD_SIGNATURE', 'signature does not match the request');
}

/**
 * Verifies a Partner API request (SPEC §1.2, §3): RSASSA-PKCS1-v1_5 SHA-256 over timestamp or
 * nonce, URL and body. A request with `x-timestamp` must be within the window; one with `x-nonce`
 * has no window and its nonce must be new for its API key (`nonceStore`).
 *
 * @example
 * ```ts
 * const { apiKey } = await verifyPartnerRequest(
 *   { url: 'https://partner.example/api/v1/p/company', headers: request.headers,
 *     body: new Uint8Array(await request.arrayBuffer()) },
 *   { publicKeyFor: (key) => partnerKeys.get(key) }, // PEM strings
 * );
 * ```
 */
export async function verifyPartnerRequest(
  request: ReceivedRequest,
  options: VerifyPartnerOptions,
): Promise<VerifiedRequest> {
  checkLookup(options?.publicKeyFor, 'publicKeyFor');
  const maxSkew = checkMaxSkew(options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  const ttl = options.nonceTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS;
  checkTtl(ttl);
  const store = options.nonceStore ?? defaultNonceStore();
  if (typeof store?.checkAndSet !== 'function') {
    throw new SigningError('INVALID_OPTION', 'nonceStore must have a checkAndSet method');
  }
  const urls = urlCandidates(request.url);
  const body = bodyBytes(request.body);

  const read = headerReader(request.headers);
  const apiKey = requireHeader(read, 'x-api-key');
  const signature = requireHeader(read, 'x-sign');
  const hasTimestamp = read('x-timestamp') !== undefined;
  const hasNonce = read('x-nonce') !== undefined;
  if (hasTimestamp === hasNonce) {
    throw new SigningError(
      'MISSING_HEADER',
      hasNonce
        ? 'send only one of x-timestamp and x-nonce'
        : 'header x-timestamp or x-nonce is missing',
    );
  }
  let stamp: string;
  if (hasTimestamp) stamp = readTimestamp(read, 'x-timestamp');
  else {
    try {
      stamp = canonicalNonce(requireHeader(read, 'x-nonce'));
    } catch {
      throw new SigningError(
        'MISSING_HEADER',
        'header x-nonce is not 1–256 visible ASCII characters',
      );
    }
  }

  const publicKey = await options.publicKeyFor(apiKey);
  if (publicKey === undefined || publicKey === null) {
    throw new SigningError('UNKNOWN_KEY', 'no public key is known for this API key');
  }
  const prepared = preparePublicKey(publicKey, options.backend);

  if (hasTimestamp) checkTimestampWindow(stamp, readClock(options.now), maxSkew);

  const bytes = Math.ceil(prepared.bits / 8);
  const received = decodeSignature(signature, Math.ceil((bytes * 4) / 3), 'x-sign');
  let valid = false;
  for (const url of urls) {
    if (await prepared.key.verify(joinSigningInput(stamp + url, body), received)) {
      valid = true;
      break;
    }
  }
  if (!valid) throw new SigningError('BAD_SIGNATURE', 'signature does not match the request');

  if (!hasTimestamp && !(await store.checkAndSet(apiKey, stamp, ttl))) {
    throw new SigningError('REPLAYED_NONCE', 'this nonce was already used with this API key');
  }
  return { apiKey };
}
