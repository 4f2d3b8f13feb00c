/**
 * `createSignedFetch` (SPEC §3a): a `fetch` that signs every request and sends exactly what it
 * signed. A signature covers the method, the URL and the body bytes, and `fetch` is free to change
 * each of them on the way out (it upper-cases only six methods, drops the fragment, encodes strings,
 * picks a multipart boundary); so the body is turned into bytes (or a string) here, signed, and
 * those very values are what `fetch` is given.
 */
import { SigningError } from './errors.js';
import { concatBytes } from './encoding.js';
import type { SignedRequest } from './signed-request.js';
import {
  createClockSkew,
  isClockSkew,
  type ClockSkew,
  type ClockSkewOptions,
} from './clock-skew.js';

/** `fetch`'s own signature, as the runtime's global `fetch` has it. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** What a signed fetch hands its signer; both signers accept it. */
export interface SignerInput {
  method: string;
  url: string;
  body?: string | Uint8Array | Record<string, unknown> | unknown[];
  timestamp?: string;
  nonce?: 'auto';
}

/** Anything with the signers' `sign` method: a `createQredoSigner` or `createPartnerSigner` result. */
export interface RequestSigner {
  sign(request: SignerInput): Promise<SignedRequest>;
}

/**
 * Options of {@link createSignedFetch}.
 *
 * @example
 * ```ts
 * const qfetch = createSignedFetch(signer, { maxBodyBytes: 1 << 20, clockSkew: true });
 * ```
 */
export interface SignedFetchOptions {
  /** The `fetch` that sends; default `globalThis.fetch`, looked up at each call. */
  fetch?: FetchFunction;
  /**
   * Largest body read from a stream, a `Blob` or a `Request`, in bytes (default 10 MiB). Beyond it
   * the request is not sent and the call rejects with `BODY_TOO_LARGE`.
   */
  maxBodyBytes?: number;
  /**
   * `'auto'`: Partner API requests carry `x-nonce` from the signer's strictly increasing source
   * instead of `x-timestamp`. A signer that does not sign nonces (Qredo API) is an `INVALID_OPTION`.
   */
  nonce?: 'auto';
  /**
   * Off by default. `true`, options, or a shared {@link ClockSkew}: learn the server's clock offset
   * from each response's `Date` header and sign timestamps by the server's clock; after a 401 whose
   * `Date` shows the clock used was off by more than the tolerance, sign again with the corrected
   * time and retry once. In browsers a cross-origin response shows `Date` only when the server lists
   * it in `Access-Control-Expose-Headers`.
   */
  clockSkew?: boolean | ClockSkewOptions | ClockSkew;
  /**
   * The local clock (epoch ms) for the timestamps signed when `clockSkew` is off; default: the
   * signer's own (`Date.now`). With `clockSkew`, its `now` (or this) is used.
   */
  now?: () => number;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

// Request properties that are not method, URL, headers or body, carried over when the input is a
// Request (fetch(request, init) keeps them too); init's own values override them.
const CARRIED = [
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'redirect',
  'referrerPolicy',
  'signal',
] as const;

function sizeLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new SigningError('INVALID_OPTION', 'maxBodyBytes must be a non-negative integer');
}

function tooLarge(limit: number): SigningError {
  return new SigningError(
    'BODY_TOO_LARGE',
    `the request body is larger than maxBodyBytes (${limit} bytes); it was not sent`,
  );
}

function isPlainJson(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a stream of byte chunks once, stopping (and cancelling it) beyond `limit`. */
async function readChunks(
  chunks: AsyncIterable<unknown> | ReadableStream<unknown>,
  limit: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: unknown) => {
    // The Fetch standard's body streams carry Uint8Array chunks; anything else is not bytes.
    if (!(chunk instanceof Uint8Array)) {
      throw new SigningError('INVALID_BODY', 'a body stream must yield Uint8Array chunks');
    }
    total += chunk.length;
    if (total > limit) throw tooLarge(limit);
    parts.push(chunk);
  };
  if (typeof (chunks as ReadableStream).getReader === 'function') {
    let reader: ReadableStreamDefaultReader<unknown>;
    try {
      reader = (chunks as ReadableStream<unknown>).getReader();
    } catch {
      throw new SigningError('INVALID_BODY', 'the body stream is locked or was already read');
    }
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const chunk of chunks as AsyncIterable<unknown>) take(chunk);
  }
  return concatBytes(...parts);
}

/** A body turned into what can be signed, and the Content-Type fetch would have given it. */
interface SignableBody {
  body: SignerInput['body'];
  contentType?: string;
}

/**
 * The fetch body forms, reduced to a string, bytes or a plain JSON value. Content-Type defaults
 * follow the Fetch standard's "extract a body" (§5.2), since fetch no longer sees the original.
 */
async function signableBody(body: unknown, limit: number): Promise<SignableBody> {
  if (body === undefined || body === null) return { body: undefined };
  // A string is sent as a string: fetch encodes it as UTF-8 and adds text/plain itself.
  if (typeof body === 'string') return { body };
  if (body instanceof Uint8Array) return { body };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) {
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    // fetch picks the multipart boundary while sending, after any signature was computed.
    throw new SigningError(
      'INVALID_BODY',
      'a FormData body cannot be signed (fetch chooses its multipart boundary when sending); ' +
        'encode it yourself and pass the bytes with their Content-Type',
    );
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    if (body.size > limit) throw tooLarge(limit);
    const bytes = new Uint8Array(await body.arrayBuffer());
    return body.type === '' ? { body: bytes } : { body: bytes, contentType: body.type };
  }
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) {
    return {
      body: body.toString(),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (typeof body === 'object') {
    const iterable =
      typeof (body as ReadableStream).getReader === 'function' ||
      typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
    if (iterable) return { body: await readChunks(body as AsyncIterable<unknown>, limit) };
    // A plain object or array is JSON (SPEC §1.4): the signer serialises it once.
    if (isPlainJson(body)) {
      return { body: body as Record<string, unknown>, contentType: 'application/json' };
    }
  }
  throw new SigningError(
    'INVALID_BODY',
    'body must be a string, bytes, Blob, URLSearchParams, a byte stream, a plain object or array',
  );
}

/** The request as the caller described it: a string, URL or Request, plus init. */
async function describe(
  input: string | URL | Request,
  init: RequestInit | undefined,
  limit: number,
): Promise<{
  method: string;
  url: string;
  headers: Headers;
  body: SignableBody;
  carried: RequestInit;
}> {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
  const carried: Record<string, unknown> = {};
  let url: string;
  if (request) {
    url = request.url;
    for (const name of CARRIED) {
      if (request[name] !== undefined) carried[name] = request[name];
    }
  } else if (typeof input === 'string') {
    url = input;
  } else if (input instanceof URL) {
    url = input.href;
  } else {
    throw new SigningError('INVALID_URL', 'input must be a string, URL or Request');
  }
  const method = init?.method ?? request?.method ?? 'GET';
  // As in `new Request(input, init)`: init.headers replace the Request's headers.
  const headers = new Headers(init?.headers ?? request?.headers);
  let body: SignableBody;
  if (init?.body !== undefined && init.body !== null) {
    body = await signableBody(init.body, limit);
  } else if (request?.body) {
    if (request.bodyUsed)
      throw new SigningError('INVALID_BODY', 'the Request body was already read');
    body = { body: await readChunks(request.body, limit) };
  } else {
    body = { body: undefined };
  }
  return { method, url, headers, body, carried };
}

function checkSigner(signer: unknown): RequestSigner {
  if (
    typeof signer !== 'object' ||
    signer === null ||
    typeof (signer as RequestSigner).sign !== 'function'
  ) {
    throw new SigningError(
      'INVALID_ARGUMENT',
      'signer must have a sign() method (createQredoSigner or createPartnerSigner)',
    );
  }
  return signer as RequestSigner;
}

function skewOption(options: SignedFetchOptions): ClockSkew | undefined {
  const value = options.clockSkew;
  if (value === undefined || value === false) return undefined;
  if (value === true) return createClockSkew({ now: options.now });
  if (isClockSkew(value)) return value;
  return createClockSkew({ now: options.now, ...(value as ClockSkewOptions) });
}

/** Signs with a nonce and checks the signer really put one in (a Qredo signer would ignore it). */
function checkNonceHeader(signed: SignedRequest): SignedRequest {
  if (signed.headers['x-nonce'] === undefined) {
    throw new SigningError(
      'INVALID_OPTION',
      "nonce: 'auto' needs a Partner API signer; this signer signs timestamps",
    );
  }
  return signed;
}

/**
 * Creates a `fetch` that signs each request with `signer` and sends exactly the signed method
 * (upper-cased, so `patch` goes out as `PATCH`), URL (WHATWG serialisation, fragment dropped) and
 * body bytes.
 *
 * - Input: a string, a `URL` or a `Request`, plus `init`, as `fetch` takes them; `init` wins over the
 *   Request's method, headers and body, as in `new Request(input, init)`.
 * - Headers: the caller's (a `Headers`, a record or `[name, value]` pairs) with the scheme's headers
 *   set over them: a caller's header of the same name is replaced, because only the scheme's value
 *   matches the signature.
 * - Bodies: string, `Uint8Array`/`ArrayBuffer`/any `ArrayBufferView`, `Blob`, `URLSearchParams`,
 *   `ReadableStream` or async iterable of bytes, a Request's body, or a plain object/array (sent as
 *   JSON with `content-type: application/json` unless the caller set one). Streams are read once,
 *   up to `maxBodyBytes`. `FormData` is refused with `INVALID_BODY`, never sent unsigned. The
 *   Content-Type `fetch` would have derived from a Blob or URLSearchParams is set when the caller
 *   set none; a string keeps fetch's own default, `text/plain;charset=UTF-8`.
 * - A relative URL cannot be signed (`INVALID_URL`): there is no base to resolve it against.
 * - A redirect re-sends the request to another URL with a signature for the first one; servers
 *   normally refuse it. Pass `redirect: 'manual'` to handle redirects yourself.
 *
 * @example
 * ```ts
 * const signer = createQredoSigner({ apiKey, secret });
 * const qfetch = createSignedFetch(signer, { clockSkew: true });
 * const res = await qfetch('https://api.qredo.network/qapi/v1/company', {
 *   method: 'POST', body: { name: 'ACME' },
 * });
 * ```
 */
export function createSignedFetch(
  signer: RequestSigner,
  options: SignedFetchOptions = {},
): FetchFunction {
  checkSigner(signer);
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'options must be an object');
  }
  const limit = sizeLimit(options.maxBodyBytes);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new SigningError('INVALID_OPTION', 'fetch must be a function');
  }
  if (options.nonce !== undefined && options.nonce !== 'auto') {
    throw new SigningError('INVALID_OPTION', "nonce must be 'auto' (or left out)");
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SigningError('INVALID_OPTION', 'now must be a function');
  }
  const useNonce = options.nonce === 'auto';
  const skew = skewOption(options);
  const localNow = options.now;

  return async function signedFetch(input, init) {
    const send = options.fetch ?? globalThis.fetch;
    if (typeof send !== 'function') {
      throw new SigningError('UNSUPPORTED_RUNTIME', 'no fetch here: pass options.fetch');
    }
    const request = await describe(input, init, limit);
    const { headers } = request;
    if (request.body.contentType !== undefined && !headers.has('content-type')) {
      headers.set('content-type', request.body.contentType);
    }

    const sign = async (body: SignerInput['body']): Promise<SignedRequest> => {
      const parts: SignerInput = { method: request.method, url: request.url, body };
      if (useNonce) return checkNonceHeader(await signer.sign({ ...parts, nonce: 'auto' }));
      if (skew) return signer.sign({ ...parts, timestamp: skew.timestamp() });
      if (localNow)
        return signer.sign({ ...parts, timestamp: String(Math.floor(localNow() / 1000)) });
      return signer.sign(parts);
    };
    const transmit = (signed: SignedRequest): Promise<Response> => {
      for (const [name, value] of Object.entries(signed.headers)) headers.set(name, value);
      return send(signed.url, {
        ...request.carried,
        ...init,
        method: signed.method,
        headers,
        body: signed.body as BodyInit | undefined,
      });
    };

    let signed = await sign(request.body.body);
    if (!skew) return transmit(signed);

    const offsetUsed = skew.offsetMs;
    let sentAt = skew.now();
    let response = await transmit(signed);
    let receivedAt = skew.now();
    const date = response.headers.get('date');
    if (
      response.status === 401 &&
      !useNonce &&
      skew.correct(date, sentAt, receivedAt, offsetUsed)
    ) {
      // The body is bytes or a string by now, so it can be sent again; free the first response.
      await response.body?.cancel().catch(() => undefined);
      signed = await sign(signed.body);
      sentAt = skew.now();
      response = await transmit(signed);
      receivedAt = skew.now();
      skew.observe(response.headers.get('date'), sentAt, receivedAt);
    } else {
      skew.observe(date, sentAt, receivedAt);
    }
    return response;
  };
}
