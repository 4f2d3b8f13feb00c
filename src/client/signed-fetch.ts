/**
 * `createSignedFetch` (contract §3a): a `fetch` that signs every request and sends exactly what it
 * signed. A signature covers the method, the URL and the body bytes, and `fetch` is free to change
 * each of them on the way out (it upper-cases only six methods, drops the fragment, encodes strings,
 * picks a multipart boundary); so the body is turned into bytes (or a string) here, signed, and
 * those very values are what `fetch` is given.
 */
import { SigningError } from '../lib/errors.js';
import type { SignedRequest } from '../scheme/signed-request.js';
import { describe, sizeLimit } from './fetch-body.js';
import {
  checkHidden,
  discard,
  dropBodyHeaders,
  fromOrigin,
  maxRedirectsOption,
  nextHop,
  originOf,
  redirectChoice,
  tooManyRedirects,
  wireRedirect,
} from './fetch-redirect.js';
import {
  retriableError,
  retriableStatus,
  retryDelay,
  retryPolicy,
  type RetryOptions,
} from './fetch-retry.js';
import {
  createClockSkew,
  isClockSkew,
  type ClockSkew,
  type ClockSkewOptions,
} from './clock-skew.js';
import { PARTNER_HEADERS } from '../scheme/headers.js';
import { setSignedHeaders } from './adapter-common.js';

/** `fetch`'s own signature, as the runtime's global `fetch` has it. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/**
 * The `init` of a signed fetch: `RequestInit`, whose `body` may also be a plain object or array
 * (an interface-typed payload included), sent as JSON with `content-type: application/json`
 * (contract §3a.1). Any `RequestInit` is one, so code written for `fetch` passes it unchanged.
 *
 * @example
 * ```ts
 * interface Company { name: string }
 * const init: SignedFetchInit = { method: 'POST', body: { name: 'ACME' } satisfies Company };
 * ```
 */
export interface SignedFetchInit extends Omit<RequestInit, 'body'> {
  /** What `fetch` takes, or a plain object or array to send as JSON. */
  body?: RequestInit['body'] | object;
}

/**
 * What {@link createSignedFetch} returns: `fetch`'s shape, with {@link SignedFetchInit} for
 * `init`. It is also a {@link FetchFunction}, so it can be handed to code that takes a `fetch`.
 *
 * @example
 * ```ts
 * const qfetch: SignedFetchFunction = createSignedFetch(signer);
 * await qfetch('https://api.qredo.network/qapi/v1/company', { method: 'POST', body: { name: 'ACME' } });
 * ```
 */
export type SignedFetchFunction = (
  input: string | URL | Request,
  init?: SignedFetchInit,
) => Promise<Response>;

/**
 * What a signed fetch hands its signer; both signers accept it. Only needed to write a signer of
 * your own for {@link createSignedFetch}.
 *
 * @example
 * ```ts
 * const input: SignerInput = { method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' };
 * ```
 */
export interface SignerInput {
  /** The method of the request being sent (GET when the caller gave none). */
  method: string;
  /** The absolute URL being sent to, fragment removed. */
  url: string;
  /** The body as it will be sent: text, bytes, or a JSON value the signer serialises. */
  body?: string | Uint8Array | Record<string, unknown> | unknown[];
  /** Decimal Unix seconds: the server's clock under `clockSkew`, else the local clock. */
  timestamp?: string;
  /** `'auto'` under the signed fetch's `nonce: 'auto'` (Partner API signers only). */
  nonce?: 'auto';
}

/**
 * Anything with the signers' `sign` method: a `createQredoSigner` or `createPartnerSigner` result.
 *
 * @example
 * ```ts
 * const signer: RequestSigner = createQredoSigner({ apiKey, secret });
 * ```
 */
export interface RequestSigner {
  /** Signs one request; a rejection is passed on to the signed fetch's caller unchanged. */
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
   * time and retry once. Only responses of the origin signed for count (never a redirect target),
   * and no offset beyond `maxOffsetSeconds` (default ±300 s) is applied (contract §3a.1). In browsers a
   * cross-origin response shows `Date` only when the server lists it in
   * `Access-Control-Expose-Headers`.
   */
  clockSkew?: boolean | ClockSkewOptions | ClockSkew;
  /**
   * The local clock (epoch ms) for the timestamps signed when `clockSkew` is off; default: the
   * signer's own (`Date.now`). With `clockSkew`, its `now` (or this) is used.
   */
  now?: () => number;
  /**
   * Most redirects followed for one call when the caller passes `redirect: 'follow'` (default 5,
   * at most 20). Beyond it the call rejects with `INVALID_REQUEST`.
   */
  maxRedirects?: number;
  /**
   * Off by default. `true` or {@link RetryOptions}: retry 429/502/503/504 answers (and transport
   * failures) of idempotent methods with full-jitter backoff, honouring `Retry-After`; each attempt
   * is signed anew (current time; a fresh nonce in nonce mode) over the same body bytes.
   */
  retry?: boolean | RetryOptions;
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
  if (signed.headers[PARTNER_HEADERS.nonce] === undefined) {
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
 * - Redirects (contract §3a.1): the runtime never follows one, because it would carry the signature
 *   and API key to whatever origin the `Location` names. By default the 3xx is returned (as with
 *   `redirect: 'manual'`); where the runtime hides redirects (browsers: an `opaqueredirect`
 *   response) the default rejects with `CROSS_ORIGIN_REDIRECT`, as `redirect: 'error'` would.
 *   `redirect: 'follow'` follows up to `maxRedirects` hops on the same origin, each signed anew for
 *   its URL (303, and 301/302 after a POST, become a GET without a body; 307/308 keep method and
 *   body); a hop to another origin rejects with `CROSS_ORIGIN_REDIRECT` and nothing is sent there.
 *   `redirect: 'error'` is passed to the runtime.
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
): SignedFetchFunction {
  checkSigner(signer);
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'options must be an object');
  }
  const limit = sizeLimit(options.maxBodyBytes);
  const maxRedirects = maxRedirectsOption(options.maxRedirects);
  const retry = retryPolicy(options.retry);
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
    const choice = redirectChoice(init?.redirect, request.requestRedirect);
    const { headers } = request;
    const origin = originOf(request.url);
    if (request.body.contentType !== undefined && !headers.has('content-type')) {
      headers.set('content-type', request.body.contentType);
    }

    const sign = async (
      method: string,
      url: string,
      body: SignerInput['body'],
    ): Promise<SignedRequest> => {
      const parts: SignerInput = { method, url, body };
      if (useNonce) return checkNonceHeader(await signer.sign({ ...parts, nonce: 'auto' }));
      if (skew) return signer.sign({ ...parts, timestamp: skew.timestamp() });
      if (localNow)
        return signer.sign({ ...parts, timestamp: String(Math.floor(localNow() / 1000)) });
      return signer.sign(parts);
    };
    const transmit = (signed: SignedRequest): Promise<Response> => {
      setSignedHeaders(headers, signed);
      return send(signed.url, {
        ...request.carried,
        ...init,
        redirect: wireRedirect(choice),
        method: signed.method,
        headers,
        body: signed.body as BodyInit | undefined,
      });
    };

    /** One URL: signed, sent, and (with clockSkew) re-signed once after a skewed 401. */
    const once = async (
      method: string,
      url: string,
      body: SignerInput['body'],
    ): Promise<{ response: Response; signed: SignedRequest }> => {
      let signed = await sign(method, url, body);
      if (!skew) return { response: await transmit(signed), signed };
      const offsetUsed = skew.offsetMs;
      let sentAt = skew.now();
      let response = await transmit(signed);
      let receivedAt = skew.now();
      // contract §3a.1: only the origin signed for may move the clock, never a redirect target.
      if (!fromOrigin(response, origin)) return { response, signed };
      const date = response.headers.get('date');
      if (
        response.status === 401 &&
        !useNonce &&
        skew.correct(date, sentAt, receivedAt, offsetUsed)
      ) {
        // The body is bytes or a string by now, so it can be sent again; free the first response.
        await discard(response);
        signed = await sign(method, url, signed.body);
        sentAt = skew.now();
        response = await transmit(signed);
        receivedAt = skew.now();
        if (fromOrigin(response, origin)) {
          skew.observe(response.headers.get('date'), sentAt, receivedAt);
        }
      } else {
        skew.observe(date, sentAt, receivedAt);
      }
      return { response, signed };
    };

    /** One URL with retries (contract §3a.1): each attempt goes through `once`, so is signed anew. */
    const attempt = async (
      method: string,
      url: string,
      body: SignerInput['body'],
    ): Promise<{ response: Response; signed: SignedRequest }> => {
      const upper = method.toUpperCase();
      const signal = init?.signal ?? request.carried.signal ?? undefined;
      const clock = skew?.now ?? localNow ?? Date.now;
      for (let tries = 0; ; tries++) {
        let result: { response: Response; signed: SignedRequest };
        try {
          result = await once(method, url, body);
        } catch (error) {
          if (!retry || tries >= retry.retries || !retriableError(retry, upper, error)) throw error;
          await retry.sleep(retryDelay(retry, tries, undefined, clock()), signal);
          continue;
        }
        const { response } = result;
        if (!retry || tries >= retry.retries || !retriableStatus(retry, upper, response.status)) {
          return result;
        }
        const wait = retryDelay(retry, tries, response, clock());
        await discard(response);
        // Objects were serialised by the first signature: later attempts send those very bytes.
        body = result.signed.body;
        await retry.sleep(wait, signal);
      }
    };

    let { response, signed } = await attempt(request.method, request.url, request.body.body);
    await checkHidden(response, choice);
    if (choice !== 'follow') return response;
    for (let hops = 0; ; hops++) {
      const hop = nextHop(response, signed.url, origin, signed.method);
      if (hop === undefined) return response;
      await discard(response);
      if (hops === maxRedirects) throw tooManyRedirects(maxRedirects);
      if (!hop.keepBody) dropBodyHeaders(headers);
      ({ response, signed } = await attempt(
        hop.method,
        hop.url,
        hop.keepBody ? signed.body : undefined,
      ));
      await checkHidden(response, choice);
    }
  };
}
