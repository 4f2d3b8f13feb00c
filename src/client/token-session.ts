/**
 * Qredo API v2 sessions (contract §1.3, §3a). The API key and secret sign one request,
 * `GET {base}/workspaces/{id}/token` with the v2 header names, which answers `{"token": "<JWT>"}`;
 * later requests carry that JWT in `x-token`. It is renewed at half its lifetime through
 * `GET …/token/refresh` (sending `x-token`), and fetched anew when the refresh fails.
 *
 * The JWT is not verified here: its signature is the server's business and the client holds no key
 * to check it with. Its payload is only read (base64url JSON, RFC 7519 §7.2 steps 7–10 without the
 * signature check) for `exp` and `iat`, to know when to renew. Being unverified, those claims are
 * bounded before use (see `hold`): a token claiming ten years is still renewed within
 * `maxTokenLifetimeSeconds`, and one whose `exp` has passed is refused.
 *
 * Credentials stay with their origin (contract §3a.1): the signed token request and the refresh never
 * follow a redirect, and `session.fetch` (session-fetch.ts) sends `x-token` only to `baseUrl`'s
 * origin.
 */
import { SigningError } from '../lib/errors.js';
import { createQredoSigner, type QredoSigner } from '../sign/qredo-signer.js';
import type { BackendChoice } from '../backends/registry.js';
import { redacted } from '../scheme/signed-request.js';
import { createSignedFetch, type FetchFunction } from './signed-fetch.js';
import { failed, readClaims, safeCause, tokenFrom } from './token-response.js';
import { checkHidden, maxRedirectsOption } from './fetch-redirect.js';
import { createSessionFetch } from './session-fetch.js';
import {
  createClockSkew,
  isClockSkew,
  type ClockSkew,
  type ClockSkewOptions,
} from './clock-skew.js';
import { TOKEN_HEADER } from '../scheme/headers.js';

/**
 * Options of {@link createQredoTokenSession}.
 *
 * @example
 * ```ts
 * const options: QredoTokenSessionOptions = { apiKey, secret, baseUrl: 'https://api.example/v2', workspaceId: 'w1' };
 * ```
 */
export interface QredoTokenSessionOptions {
  /** The API key (sent in `qredo-api-key`). */
  apiKey: string;
  /** The API secret: base64 text as shown in the web app, or the raw key bytes. */
  secret: string | Uint8Array;
  /** The API base URL, e.g. `https://api.qredo.network/api/v2` (a trailing `/` is ignored). */
  baseUrl: string | URL;
  /** The workspace whose token is requested (`{baseUrl}/workspaces/{workspaceId}/token`). */
  workspaceId: string;
  /** The `fetch` that sends; default `globalThis.fetch`, looked up at each call. */
  fetch?: FetchFunction;
  /** Which backend computes the HMAC of the token request; default `'auto'`. */
  backend?: BackendChoice;
  /** The local clock in epoch ms (default `Date.now`): token lifetimes and signed timestamps. */
  now?: () => number;
  /** Clock-skew correction for the signed token request (off by default; see createSignedFetch). */
  clockSkew?: boolean | ClockSkewOptions | ClockSkew;
  /**
   * Longest lifetime believed of a token, in seconds (default 3600): a token is renewed at half of
   * `min(its claimed lifetime, this)`, however far away its `exp` claim is.
   */
  maxTokenLifetimeSeconds?: number;
  /** Bound on the hops `session.fetch` follows under `redirect: 'follow'` (default 5). */
  maxRedirects?: number;
}

/**
 * A Qredo API v2 workspace session (contract §1.3), made by {@link createQredoTokenSession}.
 *
 * @example
 * ```ts
 * const res = await session.fetch('https://api.example/v2/workspaces/w1/wallets');
 * ```
 */
export interface QredoTokenSession {
  /** A JWT valid now: the held one, or one fetched or refreshed (one request however many wait). */
  token(): Promise<string>;
  /**
   * A `fetch` that adds `x-token` (replacing a caller's `x-token`), for URLs on `baseUrl`'s origin
   * only (`FOREIGN_ORIGIN` otherwise, not sent); redirects as in `createSignedFetch`.
   */
  readonly fetch: FetchFunction;
  /** Forgets the token and wipes the signing key; the session cannot be used afterwards. */
  destroy(): void;
}

interface HeldToken {
  readonly token: string;
  /** Local epoch ms: renew from then on. */
  readonly renewAt: number;
  /** Local epoch ms: no longer usable (refresh needs a live token). */
  readonly expiresAt: number;
}

const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 3600;
// How far the server's clock may be from the one used here when judging `exp`. The signed token
// request was accepted, so the clock that signed it was within the server's timestamp window (±30 s
// by default, contract §3); twice that absorbs a wider window and the 1 s resolution of the claims.
const CLOCK_SLACK_SECONDS = 60;

function checkBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) {
    throw new SigningError('INVALID_URL', 'baseUrl must be a string or URL');
  }
  let url: URL;
  try {
    url = new URL(baseUrl instanceof URL ? baseUrl.href : baseUrl);
  } catch {
    throw new SigningError('INVALID_URL', 'baseUrl is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SigningError('INVALID_URL', 'baseUrl must be http(s)');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new SigningError('INVALID_URL', 'baseUrl must not have a query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Creates a Qredo API v2 session.
 *
 * Renewal: a token is held until half its lifetime has passed, counted on the local clock from the
 * moment it arrived. The lifetime is `exp − iat` (so a skewed local clock matters little), or `exp`
 * minus the time it was received by the server's clock as far as known when there is no `iat`; as
 * the claims are unverified, it is never taken longer than `exp` allows by that clock (60 s of slack)
 * nor than `maxTokenLifetimeSeconds` (default 1 h), and a token already expired is refused. Then
 * `token()` refreshes it (`GET …/token/refresh` with `x-token`, never following a redirect);
 * if that fails, it signs a new token request; if that fails too, the held token is returned while
 * it has not expired, and the call rejects with `TOKEN_REQUEST_FAILED` otherwise. Errors carry the
 * HTTP status and a short reason, never the secret or a token.
 *
 * @example
 * ```ts
 * const session = createQredoTokenSession({
 *   apiKey, secret, baseUrl: 'https://api.qredo.network/api/v2', workspaceId,
 * });
 * const res = await session.fetch(`https://api.qredo.network/api/v2/workspaces/${workspaceId}/wallets`);
 * ```
 */
export function createQredoTokenSession(options: QredoTokenSessionOptions): QredoTokenSession {
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'options must be an object');
  }
  const base = checkBaseUrl(options.baseUrl);
  const { workspaceId } = options;
  if (typeof workspaceId !== 'string' || workspaceId === '') {
    throw new SigningError('INVALID_OPTION', 'workspaceId must be a non-empty string');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new SigningError('INVALID_OPTION', 'fetch must be a function');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SigningError('INVALID_OPTION', 'now must be a function');
  }
  const now = options.now ?? Date.now;
  const maxLifetime = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (typeof maxLifetime !== 'number' || !(maxLifetime > 0) || !Number.isFinite(maxLifetime)) {
    throw new SigningError('INVALID_OPTION', 'maxTokenLifetimeSeconds must be a positive number');
  }
  const maxRedirects = maxRedirectsOption(options.maxRedirects);
  const skew: ClockSkew | undefined =
    options.clockSkew === undefined || options.clockSkew === false
      ? undefined
      : isClockSkew(options.clockSkew)
        ? options.clockSkew
        : createClockSkew({ now, ...(options.clockSkew === true ? {} : options.clockSkew) });
  const tokenUrl = `${base}/workspaces/${encodeURIComponent(workspaceId)}/token`;
  const refreshUrl = `${tokenUrl}/refresh`;
  let signer: QredoSigner | undefined = createQredoSigner({
    apiKey: options.apiKey,
    secret: options.secret,
    backend: options.backend,
    profile: 'v2',
  });
  const send: FetchFunction = (input, init) => {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
      throw new SigningError('UNSUPPORTED_RUNTIME', 'no fetch here: pass options.fetch');
    }
    return fetchImpl(input, init);
  };
  const signedFetch = createSignedFetch(signer, {
    fetch: send,
    now,
    ...(skew ? { clockSkew: skew } : {}),
  });

  let held: HeldToken | undefined;
  let inflight: Promise<string> | undefined;

  /**
   * When to renew a token and when it dies, on the local clock. The claims are unverified, so each
   * bound holds whatever they say: the lifetime is `exp − iat` (independent of the local clock), but
   * never more than `exp` leaves by the clock here (plus the skew slack), nor more than
   * `maxTokenLifetimeSeconds`; an `exp` already past (beyond the slack) or not after `iat` is
   * refused. Short lifetimes are kept as they are.
   */
  function hold(token: string, receivedAt: number): HeldToken {
    const { exp, iat } = readClaims(token);
    const serverNowS = (receivedAt + (skew?.offsetMs ?? 0)) / 1000;
    if (iat !== undefined && !(exp > iat)) throw failed('the JWT exp claim is not after its iat');
    const left = exp - serverNowS;
    if (!(left + CLOCK_SLACK_SECONDS > 0) || (iat === undefined && !(left > 0))) {
      throw failed('the JWT has already expired (its exp claim is in the past)');
    }
    const claimed = iat === undefined ? left : Math.min(exp - iat, left + CLOCK_SLACK_SECONDS);
    const lifetimeMs = Math.min(claimed, maxLifetime) * 1000;
    return { token, renewAt: receivedAt + lifetimeMs / 2, expiresAt: receivedAt + lifetimeMs };
  }

  async function request(what: string, run: () => Promise<Response>): Promise<HeldToken> {
    let response: Response;
    try {
      response = await run();
    } catch (error) {
      if (error instanceof SigningError && error.code !== 'TOKEN_REQUEST_FAILED') throw error;
      throw failed(
        `${what} failed: ${safeCause(error)?.message ?? 'network error'}`,
        safeCause(error),
      );
    }
    const token = await tokenFrom(response, what);
    return hold(token, now());
  }

  const fresh = () =>
    request('token request', () =>
      signedFetch(tokenUrl, { method: 'GET', headers: { accept: 'application/json' } }),
    );
  const refresh = (current: string) =>
    request('token refresh', async () => {
      // Never followed: a redirect would carry x-token to its target (contract §3a.1).
      const response = await send(refreshUrl, {
        method: 'GET',
        headers: { accept: 'application/json', [TOKEN_HEADER]: current },
        redirect: 'manual',
      });
      await checkHidden(response, 'default');
      return response;
    });

  async function obtain(): Promise<string> {
    const current = held;
    const live = current !== undefined && now() < current.expiresAt;
    if (live) {
      try {
        held = await refresh(current.token);
        return held.token;
      } catch {
        // contract §1.3: a token is fetched anew when refresh fails.
      }
    }
    try {
      held = await fresh();
      return held.token;
    } catch (error) {
      if (live && now() < current.expiresAt) return current.token;
      held = undefined;
      throw error;
    }
  }

  async function token(): Promise<string> {
    if (!signer) throw new SigningError('INVALID_OPTION', 'this session has been destroyed');
    if (held && now() < held.renewAt) return held.token;
    return (inflight ??= obtain().finally(() => {
      inflight = undefined;
    }));
  }

  const sessionFetch = createSessionFetch({
    origin: new URL(base).origin,
    token,
    send,
    maxRedirects,
  });

  return Object.assign(
    Object.create(
      redacted('QredoTokenSession', { apiKey: signer.apiKey, baseUrl: base, workspaceId }),
    ) as object,
    {
      token,
      fetch: sessionFetch,
      destroy() {
        signer?.destroy();
        signer = undefined;
        held = undefined;
      },
    },
  );
}
