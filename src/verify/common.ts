/**
 * What both verifiers share: the received request's shape, body bytes, signature decoding, key
 * lists (contract §3.1 "Rotation") and the timestamp header.
 */
import { SigningError } from '../lib/errors.js';
import { base64url, isWellFormed, utf8 } from '../lib/encoding.js';
import { canonicalTimestamp } from '../scheme/canonical.js';
import { requireHeader, type HeaderReader, type HeadersInput } from './headers.js';

/**
 * A request as the server received it. The target is either `url` (absolute, as received) or
 * `path` (the raw request target, e.g. Node's `req.url`) on the verifier's `origin` option.
 *
 * @example
 * ```ts
 * const received: ReceivedRequest = { method: req.method, path: req.url, headers: req.headers, body };
 * ```
 */
export interface ReceivedRequest {
  /** The request method (signed by the Qredo API; not part of a Partner API signature). */
  method?: string;
  /** The absolute URL the request arrived at, exactly as received. */
  url?: string | URL;
  /** The raw request target (`req.url` in node:http), used with the `origin` option. */
  path?: string;
  /**
   * The received headers: a `Headers` object or a plain record such as node:http's
   * `req.headers` (names in any case; a repeated signature header is refused, not guessed at).
   */
  headers: HeadersInput;
  /** The received body bytes, or a string (encoded as UTF-8). Empty or absent: no body. */
  body?: Uint8Array | ArrayBuffer | string | null;
}

/**
 * What a successful verification tells the caller.
 *
 * @example
 * ```ts
 * const { apiKey, url }: VerifiedRequest = await verifyQredoRequest(received, options);
 * ```
 */
export interface VerifiedRequest {
  /** The API key the request was authenticated as. */
  apiKey: string;
  /** The URL that was authenticated, exactly as received: route on this. */
  url: string;
}

export type { MaybePromise } from '../backends/types.js';

/** One key, or several while a key is being rotated (contract §3.1). */
export type OneOrMore<T> = T | readonly T[];

export const DEFAULT_MAX_SKEW_SECONDS = 30;
export const DEFAULT_NONCE_TTL_SECONDS = 86_400;

const EMPTY = new Uint8Array(0);

export function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined || body === null) return EMPTY;
  if (typeof body === 'string') return utf8(body, 'body');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new SigningError(
    'INVALID_BODY',
    'received body must be a Uint8Array, ArrayBuffer or string',
  );
}

/**
 * The received body for the schemes' MAC hot path: bytes, or a string kept as text (signed as
 * UTF-8) so that no encoded copy is made here. Absent is the empty string.
 */
export function receivedBody(body: unknown): string | Uint8Array {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') {
    if (!isWellFormed(body)) utf8(body, 'body'); // throws INVALID_BODY, as bodyBytes does
    return body;
  }
  return bodyBytes(body);
}

// The value of each base64url symbol, for the trailing-bits check below (-1: not in the alphabet).
const SYMBOL = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * True when `text` is canonical unpadded base64url of `chars` symbols: the alphabet only, and the
 * unused low bits of the last symbol zero, so that each signature has exactly one accepted
 * spelling (a replay cache keyed on the text cannot be dodged by re-spelling it).
 */
export function isSignatureText(text: string, chars: number): boolean {
  if (text.length !== chars) return false;
  let bad = 0;
  for (let i = 0; i < chars; i++) bad |= SYMBOL[text.charCodeAt(i)] ?? -1;
  if (bad < 0) return false;
  // chars symbols carry 6·chars bits for ⌊6·chars/8⌋ bytes; the rest must be zero.
  const unused = (6 * chars) % 8;
  return (SYMBOL[text.charCodeAt(chars - 1)] & ((1 << unused) - 1)) === 0;
}

/** The signature bytes, or undefined unless `text` is canonical unpadded base64url of `chars`. */
export function decodeSignature(text: string, chars: number): Uint8Array | undefined {
  return isSignatureText(text, chars) ? base64url.decode(text) : undefined;
}

/** True for a Promise or any thenable (what `await` would wait for). */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export function checkLookup(fn: unknown, name: string): void {
  if (typeof fn !== 'function')
    throw new SigningError('INVALID_OPTION', `${name} must be a function`);
}

/**
 * The keys a lookup returned, as a list; none (undefined, null, []) is `UNKNOWN_KEY`.
 *
 * @example
 * ```ts
 * keyList(['old', 'new'], 'secret'); // ['old', 'new']; keyList([], 'secret') throws UNKNOWN_KEY
 * ```
 */
export function keyList<T>(found: OneOrMore<T> | undefined | null, what: string): readonly T[] {
  const list = Array.isArray(found)
    ? (found as readonly T[])
    : found === undefined || found === null
      ? []
      : [found as T];
  if (list.length === 0 || list.some((k) => k === undefined || k === null)) {
    throw new SigningError('UNKNOWN_KEY', `no ${what} is known for this API key`);
  }
  return list;
}

export function readTimestamp(read: HeaderReader, name: string): string {
  const value = requireHeader(read, name);
  try {
    return canonicalTimestamp(value);
  } catch {
    throw new SigningError('MISSING_HEADER', `header ${name} is not a decimal timestamp`);
  }
}
