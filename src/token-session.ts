/**
 * Qredo API v2 sessions (SPEC §1.3, §3a). The API key and secret sign one request,
 * `GET {base}/workspaces/{id}/token` with the v2 header names, which answers `{"token": "<JWT>"}`;
 * later requests carry that JWT in `x-token`. It is renewed at half its lifetime through
 * `GET …/token/refresh` (sending `x-token`), and fetched anew when the refresh fails.
 *
 * The JWT is not verified here: its signature is the server's business and the client holds no key
 * to check it with. Its payload is only read (base64url JSON, RFC 7519 §7.2 steps 7–10 without the
 * signature check) for `exp` and `iat`, to know when to renew.
 */
import { SigningError } from './errors.js';
import { base64url } from './encoding.js';
import { createQredoSigner, type QredoSigner } from './qredo.js';
import type { BackendChoice } from './backends/registry.js';
import { redacted } from './signed-request.js';
import { createSignedFetch, type FetchFunction } from './fetch.js';
import {
  createClockSkew,
  isClockSkew,
  type ClockSkew,
  type ClockSkewOptions,
} from './clock-skew.js';

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
  workspaceId: string;
  /** The `fetch` that sends; default `globalThis.fetch`, looked up at each call. */
  fetch?: FetchFunction;
  backend?: BackendChoice;
  /** The local clock in epoch ms (default `Date.now`): token lifetimes and signed timestamps. */
  now?: () => number;
  /** Clock-skew correction for the signed token request (off by default; see createSignedFetch). */
  clockSkew?: boolean | ClockSkewOptions | ClockSkew;
}

/**
 * A Qredo API v2 workspace session (SPEC §1.3), made by {@link createQredoTokenSession}.
 *
 * @example
 * ```ts
 * const res = await session.fetch('https://api.example/v2/workspaces/w1/wallets');
 * ```
 */
export interface QredoTokenSession {
  /** A JWT valid now: the held one, or one fetched or refreshed (one request however many wait). */
  token(): Promise<string>;
  /** A `fetch` that adds `x-token` (replacing a caller's `x-token`). */
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

const MAX_RESPONSE_CHARS = 64 * 1024;
const JWT = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

function failed(message: string, cause?: unknown): SigningError {
  return new SigningError(
    'TOKEN_REQUEST_FAILED',
    message,
    cause === undefined ? undefined : { cause },
  );
}

/** A runtime error as a cause without anything but its message (which holds no token or secret). */
function safeCause(error: unknown): Error | undefined {
  if (error instanceof SigningError) return error;
  return error instanceof Error ? new Error(error.message) : undefined;
}

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

/** The `exp` and `iat` claims of a JWT, read without verifying it (see the module comment). */
function readClaims(token: string): { exp: number; iat?: number } {
  const match = JWT.exec(token);
  if (!match) throw failed('the token in the response is not a JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(match[1])),
    );
  } catch {
    throw failed('the JWT payload is not base64url JSON');
  }
  const { exp, iat } = (claims ?? {}) as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw failed('the JWT has no numeric exp claim, so its lifetime is unknown');
  }
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    throw failed('the JWT iat claim is not a number');
  }
  return iat === undefined ? { exp } : { exp, iat };
}

/** Reads `{"token": "<JWT>"}` from a response; errors name the status, never the body or token. */
async function tokenFrom(response: Response, what: string): Promise<string> {
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const text = response.statusText ? ` ${response.statusText}` : '';
    throw failed(`${what} failed: HTTP ${response.status}${text}`);
  }
  const text = await response.text();
  if (text.length > MAX_RESPONSE_CHARS) throw failed(`${what}: response too large`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw failed(`${what}: HTTP ${response.status} with a body that is not JSON`);
  }
  const token = (parsed as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || token === '') {
    throw failed(`${what}: HTTP ${response.status} without a "token" string`);
  }
  return token;
}

/**
 * Creates a Qredo API v2 session.
 *
 * Renewal: a token is held until half its lifetime has passed, the lifetime being `exp − iat`
 * (or `exp` minus the time it was received, by the server's clock as far as known, when there is
 * no `iat`), counted on the local clock from the moment it arrived, so a skewed local clock does not
 * matter when `iat` is present. Then `token()` refreshes it (`GET …/token/refresh` with `x-token`);
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

  function hold(token: string, receivedAt: number): HeldToken {
    const { exp, iat } = readClaims(token);
    const serverNowMs = receivedAt + (skew?.offsetMs ?? 0);
    const issued = iat ?? serverNowMs / 1000;
    const lifetimeMs = (exp - issued) * 1000;
    if (!(lifetimeMs > 0)) throw failed('the JWT has already expired (exp is not after its issue)');
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
    request('token refresh', () =>
      send(refreshUrl, {
        method: 'GET',
        headers: { accept: 'application/json', 'x-token': current },
      }),
    );

  async function obtain(): Promise<string> {
    const current = held;
    const live = current !== undefined && now() < current.expiresAt;
    if (live) {
      try {
        held = await refresh(current.token);
        return held.token;
      } catch {
        // SPEC §1.3: a token is fetched anew when refresh fails.
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

  const sessionFetch: FetchFunction = async (input, init) => {
    const value = await token();
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set('x-token', value);
    return send(input, { ...init, headers });
  };

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
