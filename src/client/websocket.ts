/**
 * Signed WebSocket upgrades. The Partner API's feeds are WebSockets whose opening handshake
 * (RFC 6455 §4.1: a GET with `Upgrade: websocket`) is signed like any GET on the ws: or wss: URL.
 * The signature travels in request headers, which Node's `ws` package and undici's `WebSocket`
 * (global in Node 22+) accept as `new WebSocket(url, { headers })`. The browser WebSocket API takes
 * no headers at all (its second argument is the subprotocol list), so there a signed upgrade
 * cannot be sent, and saying so beats a connection refused for no visible reason.
 */
import { SigningError } from '../lib/errors.js';
import {
  canonicalUrl,
  isWebSocketUrl,
  type NonceInit,
  type TimestampInit,
} from '../scheme/canonical.js';
import type { SignedRequest } from '../scheme/signed-request.js';
import { PARTNER_HEADERS } from '../scheme/headers.js';

/**
 * Anything with the signers' `sign` method: a `createQredoSigner` or `createPartnerSigner` result.
 *
 * @example
 * ```ts
 * const signer: WebSocketSigner = createPartnerSigner({ apiKey, privateKey });
 * ```
 */
export interface WebSocketSigner {
  /** Signs the upgrade request (`GET` of a ws(s) URL); its headers go on the handshake. */
  sign(request: {
    method: string;
    url: string;
    timestamp?: TimestampInit;
    nonce?: NonceInit | 'auto';
  }): Promise<SignedRequest>;
}

/**
 * Options of {@link signWebSocket}.
 *
 * @example
 * ```ts
 * const { url, headers } = await signWebSocket(partner, 'wss://play-api.qredo.network/api/v1/p/feed', { nonce: 'auto' });
 * ```
 */
export interface SignWebSocketOptions {
  /** The timestamp to sign; default now. Give at most one of timestamp and nonce. */
  timestamp?: TimestampInit;
  /** Partner API: a nonce, or `'auto'` for the signer's strictly increasing source. */
  nonce?: NonceInit | 'auto';
  /**
   * Whether the WebSocket that will be used can send request headers. Default: detected, false in
   * a browser (see {@link runtimeSendsWebSocketHeaders}). Set `true` in a browser-like environment
   * that opens sockets with `ws` or undici (jsdom tests, Electron's main process with a `window`).
   */
  headersSupported?: boolean;
}

/** What to open: `new WebSocket(url, { headers })` with `ws` or undici. */
export interface SignedWebSocket {
  /** The URL that was signed; connect to this one. */
  url: string;
  /** The scheme's headers, lower-case names. */
  headers: Record<string, string>;
}

/**
 * The detection rule, without any `node:` import: a browser's main thread has both `window` and
 * `document`; a browser worker (dedicated, shared, service) has `importScripts`. Neither Node, Deno
 * (2.x has no `window`), Bun nor workerd defines these. In a browser, the WebSocket constructor
 * cannot send headers.
 *
 * @example
 * ```ts
 * if (!runtimeSendsWebSocketHeaders()) useTokenInQueryInstead();
 * ```
 */
export function runtimeSendsWebSocketHeaders(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown };
  const browserMain = typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
  const browserWorker = typeof g.importScripts === 'function';
  return !browserMain && !browserWorker;
}

/**
 * Signs a WebSocket upgrade (a GET on a ws: or wss: URL, no body) and returns the URL to open and
 * the headers to send with it. Throws `SigningError('UNSUPPORTED_RUNTIME')` in a browser, where the
 * WebSocket API cannot carry headers (override the detection with `headersSupported`).
 *
 * @example
 * ```ts
 * import WebSocket from 'ws';
 * const { url, headers } = await signWebSocket(partnerSigner,
 *   'wss://play-api.qredo.network/api/v1/p/coreclient/feed', { nonce: 'auto' });
 * const socket = new WebSocket(url, { headers });
 * ```
 */
export async function signWebSocket(
  signer: WebSocketSigner,
  url: string | URL,
  options: SignWebSocketOptions = {},
): Promise<SignedWebSocket> {
  if (typeof signer !== 'object' || signer === null || typeof signer.sign !== 'function') {
    throw new SigningError(
      'INVALID_ARGUMENT',
      'signer must have a sign() method (createQredoSigner or createPartnerSigner)',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'options must be an object');
  }
  const supported = options.headersSupported ?? runtimeSendsWebSocketHeaders();
  if (!supported) {
    // Checked before signing so that no nonce is spent on a request that cannot be sent.
    throw new SigningError(
      'UNSUPPORTED_RUNTIME',
      'a browser WebSocket cannot send request headers, so a signed upgrade cannot be sent from ' +
        'here; open the feed from a server (Node with `ws`, Node 22+ WebSocket, Deno, Bun) and relay ' +
        'it, or pass headersSupported: true if this WebSocket can send headers',
    );
  }
  const canonical = canonicalUrl(url);
  if (!isWebSocketUrl(canonical)) {
    throw new SigningError('INVALID_URL', 'a WebSocket URL must be ws: or wss:');
  }
  const request: Parameters<WebSocketSigner['sign']>[0] = { method: 'GET', url: canonical };
  if (options.timestamp !== undefined) request.timestamp = options.timestamp;
  if (options.nonce !== undefined) request.nonce = options.nonce;
  const signed = await signer.sign(request);
  if (options.nonce !== undefined && signed.headers[PARTNER_HEADERS.nonce] === undefined) {
    throw new SigningError(
      'INVALID_OPTION',
      'nonce needs a Partner API signer; this signer signs timestamps',
    );
  }
  return { url: signed.url, headers: { ...signed.headers } };
}
