/**
 * The v2 action feed (docs/signing-agent.md, The v2 protocol): a WebSocket whose messages are JSON actions with
 * standard-base64 `messages` and an `expireTime`. The feed's URL and handshake are NOT pinned by
 * any source (§11), so they are a pluggable {@link FeedHandshake}; the default follows community
 * code (a feed token from `POST …/websocket/token`, passed as a query parameter because browsers
 * cannot send WebSocket headers) and is unverified. Every URL that is logged is redacted.
 */
import { SigningError } from '../lib/errors.js';
import type { FetchFunction } from '../client/signed-fetch.js';
import { parseAction, type AgentAction } from './protocol.js';
import { reasonOf } from './http.js';
import { redactText, redactUrl } from './redact.js';
import { TOKEN_HEADER } from '../scheme/headers.js';

/**
 * What a handshake opens. `headers` only where the WebSocket implementation can send them.
 *
 * @example
 * ```ts
 * const connection: FeedConnection = { url: 'wss://example/feed?token=t', protocols: 'json' };
 * ```
 */
export interface FeedConnection {
  /** The ws(s) URL to open (it may carry a token: it is redacted in every log line). */
  url: string;
  /**
   * Headers for the upgrade request; only `ws` and other non-browser WebSockets send them
   * (browsers cannot), so a browser handshake puts its token in `url` or `protocols`.
   */
  headers?: Record<string, string>;
  /** WebSocket subprotocols (`Sec-WebSocket-Protocol`), passed to the constructor as given. */
  protocols?: string | string[];
}

/**
 * What a handshake gets: the session's `fetch` adds `x-token` on the API origin.
 *
 * @example
 * ```ts
 * const handshake = async (ctx: FeedHandshakeContext) => ({ url: `wss://example/${ctx.workspaceId}` });
 * ```
 */
export interface FeedHandshakeContext {
  /** The agent's v2 API base URL, without a trailing `/`. */
  baseUrl: string;
  /** The agent's workspace. */
  workspaceId: string;
  /** The session's current access token, fetched or renewed as needed. */
  token(): Promise<string>;
  /** The session's signed `fetch`, for a handshake that must ask the API for a feed ticket. */
  fetch: FetchFunction;
}

/**
 * Produces the WebSocket to open, called before every (re)connection so a short-lived feed token
 * is fetched anew each time.
 *
 * @example
 * ```ts
 * const handshake: FeedHandshake = async (ctx) => ({ url: 'wss://example/feed', headers: { 'x-token': await ctx.token() } });
 * ```
 */
export type FeedHandshake = (context: FeedHandshakeContext) => Promise<FeedConnection>;

function wsBase(baseUrl: string): string {
  return baseUrl.replace(/^http/, 'ws');
}

function fill(path: string, workspaceId: string): string {
  return path.replace('{workspaceId}', encodeURIComponent(workspaceId));
}

/**
 * UNVERIFIED default handshake: `POST {base}{tokenPath}` (with `x-token`) answers
 * `{"token": …}`, then the feed is `{base as ws(s)}{feedPath}?{param}=<token>`.
 *
 * @example
 * ```ts
 * tokenQueryHandshake({ feedPath: '/workspaces/{workspaceId}/actions/feed' });
 * ```
 */
export function tokenQueryHandshake(
  options: { tokenPath?: string; feedPath?: string; param?: string } = {},
): FeedHandshake {
  const tokenPath = options.tokenPath ?? '/workspaces/{workspaceId}/websocket/token';
  const feedPath = options.feedPath ?? '/workspaces/{workspaceId}/websocket';
  const param = options.param ?? 'token';
  return async (ctx) => {
    const response = await ctx.fetch(`${ctx.baseUrl}${fill(tokenPath, ctx.workspaceId)}`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw new SigningError(
        'AGENT_REQUEST_FAILED',
        `feed token request failed: HTTP ${response.status}`,
      );
    }
    let token: unknown;
    try {
      token = (JSON.parse(text) as { token?: unknown } | null)?.token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new SigningError('AGENT_REQUEST_FAILED', 'feed token response has no "token" string');
    }
    const url = new URL(`${wsBase(ctx.baseUrl)}${fill(feedPath, ctx.workspaceId)}`);
    url.searchParams.set(param, token);
    return { url: url.href };
  };
}

/**
 * UNVERIFIED alternative: the session JWT in an `x-token` header (Node with `ws`, Bun, Deno; not
 * browsers).
 *
 * @example
 * ```ts
 * createSigningAgent({ ...options, feed: { handshake: headerTokenHandshake() } });
 * ```
 */
export function headerTokenHandshake(options: { feedPath?: string } = {}): FeedHandshake {
  const feedPath = options.feedPath ?? '/workspaces/{workspaceId}/websocket';
  return async (ctx) => ({
    url: `${wsBase(ctx.baseUrl)}${fill(feedPath, ctx.workspaceId)}`,
    headers: { [TOKEN_HEADER]: await ctx.token() },
  });
}

/**
 * The part of the WHATWG WebSocket (browsers, undici, Deno, Bun, `ws`) the feed uses.
 *
 * @example
 * ```ts
 * const socket: WebSocketLike = new WebSocket('wss://example/feed');
 * ```
 */
export interface WebSocketLike {
  /** Set by the feed: the connection is open (the reconnection delay is reset). */
  onopen: EventHandler<unknown> | null;
  /** Set by the feed: one message, whose `data` is a JSON action. */
  onmessage: EventHandler<{ data: unknown }> | null;
  /** Set by the feed: the connection ended; the feed reconnects after a delay. */
  onclose: EventHandler<{ code?: number }> | null;
  /** Set by the feed: a connection error (a `close` event follows). */
  onerror: EventHandler<unknown> | null;
  /** Called by the feed when it is done with the connection (its `signal` aborted, or it closed). */
  close(code?: number, reason?: string): void;
}

/**
 * A handler the feed assigns. Declared through a method so its parameter is compared both ways:
 * the DOM's and `ws`'s sockets type their handlers with their own, richer event classes, which
 * carry the `data` and `code` the feed reads, and must be accepted without a cast.
 */
type EventHandler<E> = { handle(event: E): void }['handle'];

/**
 * A WebSocket constructor: the global one (browsers, Deno, Bun, workerd, Node 22), or `ws`'s default
 * export on Node 20. The feed passes protocols, or `{ headers, protocols }` when the handshake
 * gives headers (only `ws` takes that form).
 *
 * @example
 * ```ts
 * const WS: WebSocketConstructor = WebSocket;
 * ```
 */
export type WebSocketConstructor =
  | (new (url: string, protocols?: string | string[]) => WebSocketLike)
  | (new (
      url: string,
      options?: { headers?: Record<string, string>; protocols?: string | string[] },
    ) => WebSocketLike);

/**
 * Feed options of `createSigningAgent` and `agent.feed()`.
 *
 * @example
 * ```ts
 * const feed: FeedOptions = { handshake: tokenQueryHandshake(), WebSocket: (await import('ws')).default };
 * ```
 */
export interface FeedOptions {
  /** How to open the feed (default {@link tokenQueryHandshake}; unverified). */
  handshake?: FeedHandshake;
  /** The WebSocket constructor (default `globalThis.WebSocket`; on Node 20 pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** First reconnection delay (default 1000 ms), doubled up to `maxDelayMs` (default 30 000). */
  initialDelayMs?: number;
  /** Longest reconnection delay in milliseconds (default 30 000). */
  maxDelayMs?: number;
  /** Give up after this many failed connections in a row (default: never). */
  maxAttempts?: number;
}

interface FeedEnv {
  context: FeedHandshakeContext;
  options: FeedOptions;
  signal?: AbortSignal;
  now: () => number;
  log: (line: string) => void;
}

type Event = { type: 'open' } | { type: 'message'; data: unknown } | { type: 'close' };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function textOf(data: unknown): Promise<string | undefined> {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (data instanceof Uint8Array) return new TextDecoder().decode(data);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.text();
  return undefined;
}

/**
 * The actions of the feed, reconnecting (exponential backoff, a fresh handshake each time) until
 * `signal` aborts or the consumer stops iterating. Expired actions (`expireTime ≤ now`, §7.4) and
 * malformed messages are dropped (and logged without their content). No status is filtered here.
 */
export async function* actionFeed(env: FeedEnv): AsyncGenerator<AgentAction, void, undefined> {
  const { options, signal, log } = env;
  // One signature to call: which of the two forms a constructor takes is the caller's contract.
  const WS = (options.WebSocket ??
    (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket) as
    (new (url: string, protocolsOrOptions?: unknown) => WebSocketLike) | undefined;
  if (typeof WS !== 'function') {
    throw new SigningError(
      'UNSUPPORTED_RUNTIME',
      'no WebSocket here: pass feed.WebSocket (e.g. the `ws` package on Node 20)',
    );
  }
  const handshake = options.handshake ?? tokenQueryHandshake();
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  let failures = 0;
  while (!signal?.aborted) {
    if (failures > 0) {
      if (options.maxAttempts !== undefined && failures >= options.maxAttempts) {
        throw new SigningError(
          'AGENT_REQUEST_FAILED',
          `feed: gave up after ${failures} failed connections`,
        );
      }
      const delay = Math.min(max, initial * 2 ** (failures - 1));
      log(`feed: reconnecting in ${delay} ms`);
      await sleep(delay, signal);
      if (signal?.aborted) break;
    }
    let connection: FeedConnection;
    try {
      connection = await handshake(env.context);
    } catch (error) {
      failures++;
      log(`feed: handshake failed (${reasonOf(error)})`);
      continue;
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(connection?.url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:')) {
      failures++;
      log('feed: the handshake did not return a ws(s) URL');
      continue;
    }
    const shown = redactUrl(connection.url);
    const secrets = [
      connection.url,
      ...parsed.searchParams.values(),
      ...Object.values(connection.headers ?? {}),
    ];
    const queue: Event[] = [];
    let wake: (() => void) | undefined;
    const push = (e: Event) => {
      queue.push(e);
      wake?.();
    };
    let socket: WebSocketLike;
    try {
      socket = connection.headers
        ? new WS(connection.url, {
            headers: connection.headers,
            ...(connection.protocols ? { protocols: connection.protocols } : {}),
          })
        : new WS(connection.url, connection.protocols);
    } catch (error) {
      failures++;
      log(`feed: cannot open ${shown} (${redactText(reasonOf(error), secrets)})`);
      continue;
    }
    socket.onopen = () => push({ type: 'open' });
    socket.onmessage = (e) => push({ type: 'message', data: e.data });
    socket.onclose = () => push({ type: 'close' });
    socket.onerror = () => undefined; // a close event follows every error
    const onAbort = () => push({ type: 'close' });
    signal?.addEventListener('abort', onAbort, { once: true });
    let opened = false;
    try {
      for (;;) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const event = queue.shift()!;
        if (event.type === 'close') break;
        if (event.type === 'open') {
          opened = true;
          failures = 0;
          log(`feed: connected to ${shown}`);
          continue;
        }
        const text = await textOf(event.data);
        let action: AgentAction;
        try {
          action = parseAction(JSON.parse(text ?? ''), 'base64');
        } catch {
          log('feed: dropped a message that is not an action');
          continue;
        }
        if (action.expireTime !== undefined && action.expireTime * 1000 <= env.now()) {
          log(`feed: dropped expired action ${action.id}`);
          continue;
        }
        yield action;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      socket.onopen = socket.onmessage = socket.onclose = null;
      try {
        socket.close(1000, 'done');
      } catch {
        // already closed
      }
    }
    if (!opened) failures++;
    else failures = 1; // a dropped connection: reconnect after the first delay
    if (!signal?.aborted) log(`feed: connection to ${shown} closed`);
  }
}
