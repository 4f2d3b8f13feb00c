/**
 * `session.fetch` of a Qredo API v2 session (contract §1.3, §3a.1): a `fetch` that adds the session's
 * JWT as `x-token`, and only ever sends it to the origin of the session's `baseUrl`. The JWT is a
 * bearer credential for the whole workspace; a URL on another origin (a typo, a URL taken from a
 * response, a redirect) would hand it to whoever runs that origin.
 */
import { SigningError } from '../lib/errors.js';
import { DEFAULT_MAX_BODY_BYTES, readChunks } from './fetch-body.js';
import {
  checkHidden,
  discard,
  dropBodyHeaders,
  nextHop,
  redirectChoice,
  tooManyRedirects,
  wireRedirect,
} from './fetch-redirect.js';
import type { FetchFunction } from './signed-fetch.js';
import { TOKEN_HEADER } from '../scheme/headers.js';

/** What {@link createSessionFetch} needs from its session. */
export interface SessionFetchParts {
  /** The origin of `baseUrl`: the only one that sees `x-token`. */
  origin: string;
  /** A JWT valid now. */
  token(): Promise<string>;
  /** The runtime `fetch`. */
  send: FetchFunction;
  /** Bound on hops followed under `redirect: 'follow'`. */
  maxRedirects: number;
}

// Fetch upper-cases only these (Fetch standard, "normalize a method"); others go out as given.
const NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function targetOf(input: string | URL | Request): string {
  let raw: string;
  if (typeof Request !== 'undefined' && input instanceof Request) raw = input.url;
  else if (input instanceof URL) raw = input.href;
  else if (typeof input === 'string') raw = input;
  else throw new SigningError('INVALID_URL', 'input must be a string, URL or Request');
  try {
    return new URL(raw).href;
  } catch {
    throw new SigningError('INVALID_URL', 'session.fetch needs an absolute URL');
  }
}

/** A body that can be sent more than once (a 307/308 hop re-sends it). */
async function replayable(
  body: BodyInit | null | undefined,
  request: Request | undefined,
): Promise<BodyInit | undefined> {
  if (body === undefined || body === null) {
    if (!request?.body) return undefined;
    return readChunks(request.body, DEFAULT_MAX_BODY_BYTES) as Promise<BodyInit>;
  }
  if (typeof (body as ReadableStream).getReader === 'function') {
    return readChunks(body as ReadableStream<unknown>, DEFAULT_MAX_BODY_BYTES) as Promise<BodyInit>;
  }
  return body;
}

/**
 * Creates the session's `fetch`. Redirects as in `createSignedFetch`: returned by default
 * (rejected where the runtime hides them), followed on the same origin with `redirect: 'follow'`
 * (`x-token` attached again), refused with `CROSS_ORIGIN_REDIRECT` to another origin.
 *
 * @example
 * ```ts
 * const fetchWithToken = createSessionFetch({ origin, token, send: fetch, maxRedirects: 5 });
 * ```
 */
export function createSessionFetch(parts: SessionFetchParts): FetchFunction {
  const { origin, send, maxRedirects } = parts;
  return async function sessionFetch(input, init) {
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    const target = targetOf(input);
    const targetOrigin = new URL(target).origin;
    if (targetOrigin !== origin) {
      throw new SigningError(
        'FOREIGN_ORIGIN',
        `session.fetch sends the session token only to ${origin}; ${targetOrigin} is another ` +
          'origin and the request was not sent',
      );
    }
    const choice = redirectChoice(init?.redirect, request?.redirect);
    const value = await parts.token();
    // As in `new Request(input, init)`: init.headers replace the Request's headers.
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set(TOKEN_HEADER, value);
    const wire = wireRedirect(choice);
    if (choice !== 'follow') {
      const response = await send(input, { ...init, headers, redirect: wire });
      await checkHidden(response, choice);
      return response;
    }

    let method = init?.method ?? request?.method ?? 'GET';
    if (NORMALISED.has(method.toUpperCase())) method = method.toUpperCase();
    let body = await replayable(init?.body, request);
    const carried: RequestInit = request
      ? { cache: request.cache, credentials: request.credentials, signal: request.signal }
      : {};
    let url = target;
    for (let hops = 0; ; hops++) {
      const response = await send(url, {
        ...carried,
        ...init,
        method,
        headers,
        body,
        redirect: wire,
      });
      await checkHidden(response, choice);
      const hop = nextHop(response, url, origin, method);
      if (hop === undefined) return response;
      await discard(response);
      if (hops === maxRedirects) throw tooManyRedirects(maxRedirects);
      if (!hop.keepBody) {
        dropBodyHeaders(headers);
        body = undefined;
      }
      url = hop.url;
      method = hop.method;
    }
  };
}
