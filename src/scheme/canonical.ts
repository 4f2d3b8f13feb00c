/**
 * Canonicalisation: turns what a caller passes (method, URL, body, timestamp, nonce) into the exact
 * values that are signed and sent, and builds the signing inputs of contract §1.1 and §1.2.
 * Pure: no cryptography, no I/O, no runtime-specific APIs beyond `URL` and `TextEncoder`.
 */
import { fail } from '../lib/errors.js';
import { utf8Unchecked, isWellFormed } from '../lib/encoding.js';
import { isPlainJson } from '../lib/checks.js';
import { fastCanonicalUrl } from './canonical-url.js';

/**
 * Body forms a caller may pass (docs/contract.md §1.4): text (signed as UTF-8), bytes, or a plain
 * object or array (serialised once with JSON.stringify; the returned body is that text). Typed as
 * `object` so that payloads declared as interfaces (`interface Company { name: string }`) are
 * accepted: TypeScript gives interfaces no implicit index signature, so `Record<string, unknown>`
 * refused them. Objects that are not plain (a `Date`, a `Map`, a class instance) are
 * `INVALID_BODY` at run time.
 *
 * @example
 * ```ts
 * interface Company { name: string }
 * const company: Company = { name: 'ACME' };
 * const body: BodyInit = company;
 * ```
 */
export type BodyInit = string | Uint8Array | ArrayBuffer | object | null | undefined;

/**
 * Bytes the runtime guarantees to be backed by an `ArrayBuffer` (never a `SharedArrayBuffer`), so
 * that they are a `BodyInit` for `fetch`: `Uint8Array<ArrayBuffer>` on TypeScript 5.7 and later,
 * where typed arrays are generic, and plain `Uint8Array` on 5.0–5.6. Written as the return type of
 * `slice()`, which lib.es5.d.ts types exactly so in each version, the declaration compiles on both
 * without `typesVersions`.
 *
 * @example
 * ```ts
 * const bytes: SendableBytes = new Uint8Array(4).slice();
 * ```
 */
export type SendableBytes = ReturnType<Uint8Array['slice']>;

/**
 * Timestamp forms (contract §1.4): a safe non-negative integer, a bigint, or a digit string kept as given.
 *
 * @example
 * ```ts
 * const ts: TimestampInit = '1647356399000000000'; // nanoseconds, sent unchanged
 * ```
 */
export type TimestampInit = number | bigint | string;

/**
 * Nonce forms (contract §1.4): visible ASCII text or a non-negative integer; signers also take `'auto'`.
 *
 * @example
 * ```ts
 * const nonce: NonceInit = 42;
 * ```
 */
export type NonceInit = string | number | bigint;

// RFC 9110 §5.6.2 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Upper-cases and checks an HTTP method. The upper-cased method is both signed and sent, because
 * `fetch` normalises only DELETE/GET/HEAD/OPTIONS/POST/PUT and would send `patch` as written.
 */
export function canonicalMethod(method: unknown): string {
  if (method === 'POST' || method === 'GET') return method; // most requests: skips the regex
  if (typeof method !== 'string' || !TOKEN.test(method)) {
    fail('INVALID_METHOD', 'method', 'an HTTP token');
  }
  return method.toUpperCase();
}

// Only URLs the pattern cannot prove canonical reach `new URL()` (~0.8 µs here with the fragment
// cleared and the href read back). Their results are kept in a bounded map that forgets the oldest
// entry first, so a stream of unique URLs costs one insertion and one deletion each instead of
// emptying the map every few hundred requests.
const URL_CACHE_LIMIT = 256;
const urlCache = new Map<string, string>();
// The last URL the pattern proved canonical: SDKs often sign one endpoint over and over, and
// comparing a string with itself costs less than matching it again.
let lastProved: string | undefined;

/**
 * The URL as `fetch` puts it on the wire: the WHATWG serialisation (`new URL(u).href`) without a
 * fragment (contract §1.4). http(s) always; ws(s) for WebSocket upgrades. The common plain-ASCII URL is
 * proved canonical by one pattern (canonical-url.ts) rather than parsed: with a new id or query in
 * every request no cache can serve it, and parsing cost as much as the HMAC itself.
 *
 * @example
 * ```ts
 * canonicalUrl('https://API.qredo.network:443/a/./b#x'); // 'https://api.qredo.network/a/b'
 * ```
 */
export function canonicalUrl(url: unknown): string {
  const key = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined;
  if (key !== undefined) {
    // A URL built by concatenation (`base + id`) is a rope; reading one character flattens it in
    // place first. Left to the comparison and the pattern, flattening went through a runtime call
    // each: 220 against 122 ns per new URL (Node 20, issue 17).
    key.charCodeAt(0);
    if (key === lastProved) return key;
    const fast = fastCanonicalUrl(key);
    if (fast !== undefined) return (lastProved = fast);
    const cached = urlCache.get(key);
    if (cached !== undefined) return cached;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(key!); // undefined (not a string or URL) parses as no absolute URL either
  } catch {
    // not an absolute URL: refused below, with every other way of not being one we sign
  }
  // Credentials: fetch refuses such URLs, and they do not belong in a signed request line.
  if (!parsed || !/^(http|ws)s?:$/.test(parsed.protocol) || parsed.username || parsed.password) {
    fail('INVALID_URL', 'url', 'an absolute http(s)/ws(s) URL without credentials');
  }
  parsed.hash = '';
  const href = parsed.href;
  if (urlCache.size >= URL_CACHE_LIMIT) urlCache.delete(urlCache.keys().next().value!);
  urlCache.set(key!, href);
  return href;
}

/** True for ws: and wss: URLs (already canonical). */
export function isWebSocketUrl(canonical: string): boolean {
  return canonical.startsWith('ws');
}

/** A WebSocket upgrade is a GET without a body (RFC 6455 §4.1); anything else cannot be sent. */
export function checkWebSocketMethod(canonical: string, method: string): void {
  if (method !== 'GET' && canonical.startsWith('ws')) {
    fail('INVALID_METHOD', 'method', 'GET for ws(s) URLs');
  }
}

const DIGITS = /^[0-9]{1,32}$/;

/**
 * A timestamp as the decimal string that is signed and sent. Digit strings are kept verbatim so
 * millisecond or nanosecond timestamps pass through unchanged.
 */
export function canonicalTimestamp(timestamp: unknown): string {
  const ok =
    typeof timestamp === 'string'
      ? DIGITS.test(timestamp)
      : typeof timestamp === 'bigint'
        ? timestamp >= 0n && timestamp < 10n ** 32n // at most 32 digits, as strings and verifiers
        : Number.isSafeInteger(timestamp) && (timestamp as number) >= 0;
  if (ok) return String(timestamp);
  fail('INVALID_TIMESTAMP', 'timestamp', 'a non-negative integer or 1-32 digits');
}

// Visible ASCII (0x21–0x7E): a nonce travels in a header value unchanged.
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** A nonce (other than `'auto'`, which the signer resolves) as the string that is signed and sent. */
export function canonicalNonce(nonce: unknown): string {
  if (typeof nonce === 'string') {
    if (nonce.length <= 256 && VISIBLE_ASCII.test(nonce)) return nonce;
  } else if (typeof nonce === 'number') {
    if (Number.isSafeInteger(nonce) && nonce >= 0) return String(nonce);
  } else if (typeof nonce === 'bigint') {
    if (nonce >= 0n) return nonce.toString();
  }
  fail(
    'INVALID_NONCE',
    'nonce',
    '1-256 visible ASCII characters, a non-negative integer or "auto"',
  );
}

/**
 * The body to sign and send (contract §1.4), which are the same value. Strings are signed as UTF-8
 * (lone surrogates refused); bytes are signed as they are; plain objects and arrays are serialised
 * once with JSON.stringify and that text is what must be sent. An empty body is no body
 * (undefined): it signs the same bytes, and `fetch` refuses even an empty body on GET and HEAD.
 * A non-empty body on GET or HEAD is an error.
 */
export function bodyToSign(body: unknown, method: string): string | SendableBytes | undefined {
  if (body === undefined || body === null) return undefined;
  let send: string | SendableBytes;
  if (typeof body === 'string') {
    if (!isWellFormed(body)) fail('INVALID_BODY', 'body', 'free of lone surrogates');
    send = body;
  } else if (body instanceof Uint8Array) {
    // A view of a SharedArrayBuffer is copied: fetch refuses it as a body, and what is signed
    // could change under us while it is sent. Every other view is used as it is.
    send = (body.buffer instanceof ArrayBuffer ? body : body.slice()) as SendableBytes;
  } else if (body instanceof ArrayBuffer) {
    send = new Uint8Array(body);
  } else if (isPlainJson(body)) {
    send = serialiseJson(body); // never empty: at least {} or []
  } else {
    fail('INVALID_BODY', 'body', 'a string, bytes, plain object or array');
  }
  if (send.length === 0) return undefined;
  if (method === 'GET' || method === 'HEAD') fail('INVALID_BODY', 'body', `empty on ${method}`);
  return send;
}

function serialiseJson(body: unknown): string {
  let cause: Error | undefined;
  try {
    // Well-formed by construction: JSON.stringify escapes lone surrogates as \uXXXX (ES2019).
    const json = JSON.stringify(body);
    if (json !== undefined) return json; // undefined: a toJSON() that returned nothing
  } catch (error) {
    // Only the runtime's message (e.g. "cyclic structure"), never the object itself.
    if (error instanceof Error) cause = new Error(error.message);
  }
  fail('INVALID_BODY', 'body', 'JSON-serialisable', cause);
}

/**
 * The signing input bytes: the ASCII `prefix` (timestamp or nonce, method, canonical URL — ASCII by
 * construction, so no check), then the body as UTF-8 or as given. Built in one allocation.
 */
export function joinSigningInput(
  prefix: string,
  body: string | Uint8Array | undefined,
): Uint8Array {
  if (typeof body !== 'object') return utf8Unchecked(body ? prefix + body : prefix);
  const head = utf8Unchecked(prefix);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

/**
 * Inputs common to both schemes' canonicalisation.
 *
 * @example
 * ```ts
 * const parts: RequestParts = { method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' };
 * ```
 */
export interface RequestParts {
  /**
   * An HTTP token, upper-cased when signed. The Qredo API needs one; the Partner API does not
   * sign it and defaults to GET, or POST when there is a body.
   */
  method?: string;
  /** Absolute http(s) or ws(s) URL; signed as its WHATWG serialisation (fragment dropped). */
  url: string | URL;
  /** String, bytes or a JSON value (serialised once with JSON.stringify); see {@link BodyInit}. */
  body?: BodyInit;
}

/**
 * A request after canonicalisation: the method, URL and body that are both signed and sent.
 *
 * @example
 * ```ts
 * const { method, url, body }: CanonicalRequest = canonicalQredoRequest(request);
 * ```
 */
export interface CanonicalRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string | SendableBytes | undefined;
}

/**
 * The Qredo API rules of docs/contract.md §1.4 in one place, for the signer, the verifier and
 * {@link qredoSigningInput}: method upper-cased, URL canonical, ws(s) only for a GET, body as sent.
 *
 * @example
 * ```ts
 * canonicalQredoRequest({ method: 'post', url: 'https://a.example/x#f', body: { a: 1 } });
 * // { method: 'POST', url: 'https://a.example/x', body: '{"a":1}' }
 * ```
 */
export function canonicalQredoRequest(request: {
  method?: unknown;
  url: unknown;
  body?: unknown;
}): CanonicalRequest {
  const method = canonicalMethod(request.method);
  const url = canonicalUrl(request.url);
  checkWebSocketMethod(url, method);
  return { method, url, body: bodyToSign(request.body, method) };
}

/**
 * The Partner API rules (docs/contract.md §1.2, §1.4): as {@link canonicalQredoRequest}, except
 * that a missing method is GET, or POST when there is a body (§2).
 *
 * @example
 * ```ts
 * canonicalPartnerRequest({ url: 'https://a.example/p', body: 'x' }).method; // 'POST'
 * ```
 */
export function canonicalPartnerRequest(request: {
  method?: unknown;
  url: unknown;
  body?: unknown;
}): CanonicalRequest {
  const method =
    request.method === undefined
      ? defaultPartnerMethod(request.body)
      : canonicalMethod(request.method);
  const url = canonicalUrl(request.url);
  checkWebSocketMethod(url, method);
  return { method, url, body: bodyToSign(request.body, method) };
}

/**
 * The exact bytes of a Qredo API signature (docs/contract.md §1.1): `timestamp + METHOD + url`,
 * then the body, by the signer's own rules (a request the signer refuses is refused here too).
 * For debugging a 401: compare these bytes with what the server saw.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(qredoSigningInput({
 *   timestamp: 1647356399, method: 'get', url: 'https://api.qredo.network/qapi/v1/balance',
 * })) // '1647356399GEThttps://api.qredo.network/qapi/v1/balance'
 * ```
 */
export function qredoSigningInput(
  request: RequestParts & { method: string; timestamp: TimestampInit },
): Uint8Array {
  const { method, url, body } = canonicalQredoRequest(request);
  return joinSigningInput(canonicalTimestamp(request.timestamp) + method + url, body);
}

/**
 * The exact bytes of a Partner API signature (docs/contract.md §1.2): `timestampOrNonce + url`,
 * then the body, by the signer's own rules. Give exactly one of `timestamp` or `nonce`.
 *
 * @example
 * ```ts
 * partnerSigningInput({ nonce: '42', url: 'https://play-api.qredo.network/api/v1/p/company',
 *                       body: { name: 'ACME' } })
 * ```
 */
export function partnerSigningInput(
  request: RequestParts & { timestamp?: TimestampInit; nonce?: NonceInit },
): Uint8Array {
  const hasTs = request.timestamp !== undefined;
  const hasNonce = request.nonce !== undefined;
  if (hasTs === hasNonce) {
    fail('INVALID_OPTION', 'timestamp or nonce', 'given, not both');
  }
  const { url, body } = canonicalPartnerRequest(request);
  const stamp = hasTs ? canonicalTimestamp(request.timestamp) : canonicalNonce(request.nonce);
  return joinSigningInput(stamp + url, body);
}

/** The Partner API method when none is given: POST with a body, else GET (contract §2). */
export function defaultPartnerMethod(body: unknown): string {
  if (body === undefined || body === null) return 'GET';
  if (typeof body === 'string' && body.length === 0) return 'GET';
  if (body instanceof Uint8Array && body.length === 0) return 'GET';
  if (body instanceof ArrayBuffer && body.byteLength === 0) return 'GET';
  return 'POST';
}
