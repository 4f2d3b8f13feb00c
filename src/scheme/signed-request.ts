/**
 * The value both schemes return, and the small checks both schemes share at their public boundary.
 */
import { fail } from '../lib/errors.js';
import { joinSigningInput, type SendableBytes } from './canonical.js';
import { CONTENT_TYPE, JSON_MEDIA_TYPE } from './headers.js';

// Kept importable from here for the signers (issue 15: one definition, in lib/time.ts).
export { currentTimestamp } from '../lib/time.js';

/**
 * A request as it was signed: send exactly this method, URL, body and these headers. Every field
 * is an own enumerable data property, so `{ ...signed }` and `structuredClone(signed)` keep them
 * all, `signingInput` included.
 *
 * @example
 * ```ts
 * const { method, url, headers, body } = await signer.sign(request);
 * await fetch(url, { method, headers, body });
 * ```
 */
export interface SignedRequest {
  /** The upper-cased method that was signed (Partner API: GET, or POST with a body, if none given). */
  readonly method: string;
  /** The canonical URL that was signed (WHATWG serialisation, no fragment); send to this one. */
  readonly url: string;
  /** The body to send, byte-identical to what was signed; undefined when there is none. */
  readonly body: string | SendableBytes | undefined;
  /** The scheme's headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** The exact bytes that were signed (what `qredo-sign explain` prints). */
  readonly signingInput: Uint8Array;
}

/** Annex B's `Object.prototype.__defineGetter__` (ECMA-262 §B.2.2.2), where the runtime has it. */
const annexBDefineGetter = (
  Object.prototype as { __defineGetter__?: (name: string, get: () => unknown) => void }
).__defineGetter__;

/**
 * Defines `get` as an own enumerable, configurable getter of `target`: what
 * `Object.defineProperty(target, name, { get, enumerable: true, configurable: true })` does, but
 * through Annex B's `__defineGetter__`, which builds that descriptor itself instead of reading one
 * from an object. A signed request is made per signature, and this is most of its cost: 112
 * against 154 ns per object (Node 20, issue 17). V8 and JavaScriptCore have it; a realm that
 * removed it (a hardened one) gets the same property through defineProperty.
 */
function defineGetter(target: object, name: string, get: () => unknown): void {
  if (annexBDefineGetter) annexBDefineGetter.call(target, name, get);
  else Object.defineProperty(target, name, { get, enumerable: true, configurable: true });
}

/**
 * The SignedRequest the signers return. `signingInput` is an own enumerable property of every
 * instance, so `{ ...signed }` and `structuredClone(signed)` (both read own enumerable properties
 * through [[Get]]) copy the bytes; a getter on the class prototype was skipped by both. It stays
 * lazy: the HMAC hot path hashes the prefix and the body without joining them, and building the
 * bytes eagerly (TextEncoder, about 1.2 µs for a 140-byte request on Node 22) would add a quarter
 * to a signature, where the per-instance accessor costs about 0.1 µs (both measured). The bytes
 * are the ASCII prefix, then the body's UTF-8 or raw bytes: the signed bytes by construction
 * (docs/contract.md §1.1, §1.2).
 */
export class LazySignedRequest implements SignedRequest {
  // `declare`: plain assignments in the constructor, no field definitions emitted before them.
  declare readonly method: string;
  declare readonly url: string;
  declare readonly body: string | SendableBytes | undefined;
  declare readonly headers: Record<string, string>;
  declare readonly signingInput: Uint8Array;
  #prefix: string;
  #bytes: Uint8Array | undefined;

  /** The `signingInput` getter of every instance: defining it costs no closure per request. */
  static readonly #getSigningInput = function (this: LazySignedRequest): Uint8Array {
    return (this.#bytes ??= joinSigningInput(this.#prefix, this.body));
  };

  constructor(
    method: string,
    url: string,
    body: string | SendableBytes | undefined,
    headers: Record<string, string>,
    prefix: string,
  ) {
    this.method = method;
    this.url = url;
    this.body = body;
    this.headers = headers;
    this.#prefix = prefix;
    defineGetter(this, 'signingInput', LazySignedRequest.#getSigningInput);
  }

  /** Sets the bytes when the caller already built them (RSA signs the joined bytes anyway). */
  withSigningInput(bytes: Uint8Array): this {
    this.#bytes = bytes;
    return this;
  }

  /** JSON shows what a person debugging needs; the bytes are better read with `explain`. */
  toJSON(): Omit<SignedRequest, 'signingInput' | 'body'> & { body: string | undefined } {
    const { method, url, body, headers } = this;
    return {
      method,
      url,
      body: body instanceof Uint8Array ? `<${body.length} bytes>` : body,
      headers,
    };
  }
}

/**
 * Labels a body the signer serialised as JSON (a plain object or array; contract §3a.1), so
 * `fetch(req.url, req)` sends `application/json`, not fetch's default `text/plain` for a string.
 * Strings and bytes carry no type we could know. Call only after `bodyToSign` accepted `body`:
 * then any object that is not bytes was plain JSON. Returns `headers`, changed in place.
 *
 * @example
 * ```ts
 * labelJsonBody({ 'x-sign': sig }, { name: 'Acme' }); // adds content-type: application/json
 * ```
 */
export function labelJsonBody<H extends Record<string, string>>(headers: H, body: unknown): H {
  if (
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer)
  ) {
    (headers as Record<string, string>)[CONTENT_TYPE] = JSON_MEDIA_TYPE;
  }
  return headers;
}

/**
 * Signs one request with a signer made for it, then destroys the signer so its prepared key is
 * wiped whatever happens: the one-shot `signQredoRequest` and `signPartnerRequest`.
 */
export async function signOnce<R>(
  signer: { sign(request: R): Promise<SignedRequest>; destroy(): void },
  request: R,
): Promise<SignedRequest> {
  try {
    return await signer.sign(request);
  } finally {
    signer.destroy();
  }
}

// Header values travel unchanged only as visible ASCII (RFC 9110 §5.5 field-vchar, no spaces).
const HEADER_SAFE = /^[\x21-\x7e]{1,256}$/;

/**
 * The API key sent in a header: visible ASCII, at most 256 characters. Not a secret, but the key
 * itself is still not quoted in the message. The common mistakes get their own message: an unset
 * environment variable, and white space (a key read from a file keeps its newline).
 *
 * @example
 * ```ts
 * checkApiKey(process.env.QREDO_API_KEY); // the key, or INVALID_API_KEY saying what is wrong
 * ```
 */
export function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey === 'string' && HEADER_SAFE.test(apiKey)) return apiKey;
  if (apiKey === undefined) {
    fail('INVALID_API_KEY', 'apiKey', 'given (it is undefined: is the environment variable set?)');
  }
  if (typeof apiKey === 'string' && apiKey.length > 0 && /\s/.test(apiKey)) {
    fail(
      'INVALID_API_KEY',
      'apiKey',
      /^\s|\s$/.test(apiKey)
        ? 'free of white space (it has leading or trailing white space, e.g. a newline from a file: trim it)'
        : 'free of white space (it has white space inside)',
    );
  }
  fail('INVALID_API_KEY', 'apiKey', '1-256 visible ASCII characters');
}

/** The options or request object itself: anything else is a typed error, not a TypeError. */
export function checkObject<T>(value: unknown, what: string): T {
  if (typeof value !== 'object' || value === null) {
    fail('INVALID_REQUEST', what, 'an object');
  }
  return value as T;
}

/** Redacted views of a signer for String(), JSON.stringify and util.inspect. */
export function redacted(kind: string, fields: Record<string, string>): object {
  const text = `${kind} ${JSON.stringify(fields)}`;
  return {
    toString: () => text,
    toJSON: () => ({ type: kind, ...fields }),
    [Symbol.for('nodejs.util.inspect.custom')]: () => text,
  };
}
