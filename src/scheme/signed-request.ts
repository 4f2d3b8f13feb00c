/**
 * The value both schemes return, and the small checks both schemes share at their public boundary.
 */
import { fail } from '../lib/errors.js';
import { joinSigningInput } from './canonical.js';

/**
 * A request as it was signed: send exactly this method, URL, body and these headers.
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
  readonly body: string | Uint8Array | undefined;
  /** The scheme's headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** The exact bytes that were signed (what `qredo-sign explain` prints). */
  readonly signingInput: Uint8Array;
}

/**
 * A SignedRequest whose `signingInput` is built only when read: the HMAC hot path hashes the
 * prefix and the body without joining them, and most callers never look at the bytes. They are
 * the same bytes by construction: the ASCII prefix, then the body's UTF-8 or raw bytes.
 */
export class LazySignedRequest implements SignedRequest {
  // `declare`: plain assignments in the constructor, no field definitions emitted before them.
  declare readonly method: string;
  declare readonly url: string;
  declare readonly body: string | Uint8Array | undefined;
  declare readonly headers: Record<string, string>;
  #prefix: string;
  #bytes: Uint8Array | undefined;

  constructor(
    method: string,
    url: string,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>,
    prefix: string,
  ) {
    this.method = method;
    this.url = url;
    this.body = body;
    this.headers = headers;
    this.#prefix = prefix;
  }

  /** Sets the bytes when the caller already built them (RSA signs the joined bytes anyway). */
  withSigningInput(bytes: Uint8Array): this {
    this.#bytes = bytes;
    return this;
  }

  get signingInput(): Uint8Array {
    return (this.#bytes ??= joinSigningInput(this.#prefix, this.body));
  }

  /** JSON shows what a person debugging needs; the bytes are better read with `explain`. */
  toJSON(): Omit<SignedRequest, 'signingInput' | 'body'> & { body: string | undefined } {
    // The own fields are exactly method, url, body and headers (the rest is private).
    const body = this.body;
    return { ...this, body: body instanceof Uint8Array ? `<${body.length} bytes>` : body };
  }
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

/** The API key sent in a header: visible ASCII, at most 256 characters. Not a secret. */
export function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== 'string' || !HEADER_SAFE.test(apiKey)) {
    fail('INVALID_API_KEY', 'apiKey', '1-256 visible ASCII characters');
  }
  return apiKey;
}

/** The options or request object itself: anything else is a typed error, not a TypeError. */
export function checkObject<T>(value: unknown, what: string): T {
  if (typeof value !== 'object' || value === null) {
    fail('INVALID_REQUEST', what, 'an object');
  }
  return value as T;
}

/**
 * The current Unix time in seconds as text. Not cached: V8's number-to-string cache already makes
 * the conversion about 2 ns, next to about 50 ns for Date.now() itself (measured, Node 20).
 */
export function currentTimestamp(): string {
  return String(Math.floor(Date.now() / 1000));
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
