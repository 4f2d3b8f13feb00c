/**
 * `createMockServer` (issue 19, contract §6.1): a stand-in for Qredo in SDK test suites of any
 * language. It listens on 127.0.0.1, authenticates every request with the library's verifiers
 * (Qredo API v1, Qredo API v2 including its token endpoints, Partner API), answers 200 with canned
 * JSON, and answers a request that fails with a 401 that says why (see diagnostics.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createMemoryNonceStore } from '../index.node.js';
import { failureBody, type MockScheme } from './diagnostics.js';
import { findRoute, type MockRoutes } from './routes.js';
import { createTokenIssuer, type MockTokenIssuer } from './token.js';
import {
  verifyPartner,
  verifyQredo,
  type MockPartnerKey,
  type MockQredoKey,
  type MockReceived,
  type MockVerifyContext,
} from './verify.js';
import { PARTNER_HEADERS, QREDO_HEADERS, TOKEN_HEADER } from '../scheme/headers.js';

/**
 * Options of {@link createMockServer}.
 *
 * @example
 * ```ts
 * const options: MockServerOptions = { qredo: { apiKey: 'k', secret }, workspace: 'w1' };
 * ```
 */
export interface MockServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (a mock has no business on a public interface). */
  host?: string;
  /** Qredo API credentials (v1 and v2). A key without `apiKey` accepts any API key. */
  qredo?: MockQredoKey | readonly MockQredoKey[];
  /** Partner API public keys. A key without `apiKey` accepts any API key. */
  partner?: MockPartnerKey | readonly MockPartnerKey[];
  /** The only v2 workspace id the token endpoints accept; default: any. */
  workspace?: string;
  /** Lifetime of the v2 JWTs, seconds (default 3600); clients renew at half of it. */
  tokenLifetimeSeconds?: number;
  /** Canned answers by `"METHOD /path"` or `"/path"` (see routes.ts). */
  routes?: MockRoutes;
  /** A directory of JSON answers: `DIR/METHOD/path.json` or `DIR/path.json`. */
  routesDir?: string;
  /** Timestamp window, seconds (default 30, as the verifiers). */
  maxSkewSeconds?: number;
  /** The mock's clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /**
   * The origin clients sign for (e.g. `http://localhost:8080` behind a proxy); default
   * `http://` + the request's Host header.
   */
  origin?: string;
  /** Receives one line per request (no secret, signature or token in it); default: silent. */
  log?: (line: string) => void;
  /** Largest accepted body, bytes (default 10 MiB; larger: 413). */
  maxBodyBytes?: number;
}

/**
 * A running mock, made by {@link createMockServer}.
 *
 * @example
 * ```ts
 * const mock = await createMockServer({ qredo: { secret } });
 * await fetch(`${mock.url}/qapi/v1/balance`, { headers: signed.headers });
 * await mock.close();
 * ```
 */
export interface MockServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** The port it listens on: the one asked for, or the free one picked for `port: 0`. */
  readonly port: number;
  /** Stops listening, ends open connections and wipes the token key. */
  close(): Promise<void>;
}

const TOKEN_PATH = /^(.*)\/workspaces\/([^/]+)\/token(\/refresh)?$/;
const WORKSPACE_IN_PATH = /\/workspaces\/([^/]+)(?:\/|$)/;
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new TooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? undefined : v?.trim());

/** Which scheme a request claims, by its headers (the token endpoints are matched by path). */
function schemeOf(headers: IncomingMessage['headers']): MockScheme {
  if (headers[PARTNER_HEADERS.apiKey] !== undefined) return 'partner';
  if (headers[QREDO_HEADERS.v1.apiKey] !== undefined) {
    const v2 =
      headers[QREDO_HEADERS.v2.timestamp] !== undefined ||
      headers[QREDO_HEADERS.v2.signature] !== undefined;
    return v2 ? 'qredo-v2' : 'qredo-v1';
  }
  if (headers[TOKEN_HEADER] !== undefined) return 'token';
  return 'none';
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  let bytes: Uint8Array | string;
  let type = 'application/json';
  if (body instanceof Uint8Array) [bytes, type] = [body, 'application/octet-stream'];
  else if (typeof body === 'string') [bytes, type] = [body, 'text/plain; charset=utf-8'];
  else bytes = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(bytes);
}

/** The API key as a log may show it: a short prefix (it is an identifier, but half a credential). */
function keyHint(apiKey: string | undefined): string {
  if (apiKey === undefined) return '';
  return ` key=${apiKey.length > 6 ? `${apiKey.slice(0, 6)}…` : apiKey}`;
}

/**
 * Starts a mock Qredo server (Node, Deno, Bun) on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { createMockServer } from 'qredo-sign/mock';
 * const mock = await createMockServer({ qredo: { apiKey: 'k', secret: process.env.SECRET! } });
 * // point the SDK under test at mock.url …
 * await mock.close();
 * ```
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const list = <T>(v: T | readonly T[] | undefined): readonly T[] =>
    v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];
  const now = options.now ?? Date.now;
  const context: MockVerifyContext = {
    qredoKeys: list(options.qredo),
    partnerKeys: list(options.partner),
    maxSkewSeconds: options.maxSkewSeconds ?? 30,
    now,
    // The mock's own store: replays are refused per mock, and two mocks in one process (two test
    // files) do not see each other's nonces.
    nonceStore: createMemoryNonceStore({ now }),
  };
  const issuer: MockTokenIssuer = createTokenIssuer(options.tokenLifetimeSeconds ?? 3600, now);
  const log = options.log;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<string> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const query = queryAt < 0 ? '' : target.slice(queryAt + 1);
    const origin =
      options.origin?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
    let body: Uint8Array;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      send(res, 413, { code: 413, msg: 'Payload Too Large' }, { connection: 'close' });
      return '413';
    }
    const received: MockReceived = { method, url: origin + target, headers: req.headers, body };
    const tokenMatch = TOKEN_PATH.exec(path);
    let scheme: MockScheme = tokenMatch
      ? tokenMatch[3]
        ? 'token'
        : 'qredo-v2'
      : schemeOf(req.headers);
    let apiKey: string | undefined;
    let tokenWorkspace: string | undefined;
    try {
      if (tokenMatch && method !== 'GET') {
        send(res, 405, { code: 405, msg: 'Method Not Allowed' }, { allow: 'GET' });
        return `405 ${scheme}`;
      }
      if (tokenMatch && options.workspace !== undefined && tokenMatch[2] !== options.workspace) {
        send(res, 404, { code: 404, msg: 'Not Found', detail: { reason: 'unknown workspace' } });
        return `404 ${scheme}`;
      }
      if (scheme === 'partner') apiKey = (await verifyPartner(received, context)).apiKey;
      else if (scheme === 'qredo-v1' || scheme === 'qredo-v2') {
        apiKey = (await verifyQredo(received, context, tokenMatch ? 'v2' : undefined)).apiKey;
      } else if (scheme === 'token') {
        const claims = issuer.check(one(req.headers[TOKEN_HEADER]) ?? '');
        [apiKey, tokenWorkspace] = [claims.sub, claims.workspace];
      } else {
        // No scheme's headers at all: the Qredo API's are the ones reported missing.
        await verifyQredo(received, context);
      }
    } catch (error) {
      const failure = failureBody(error, scheme, received, now());
      send(res, 401, failure);
      return `401 ${scheme} ${failure.detail.code}`;
    }

    if (tokenMatch) {
      // GET …/token (signed, v2 names) and GET …/token/refresh (x-token) both answer a new JWT.
      const workspace = tokenMatch[3] ? tokenWorkspace! : tokenMatch[2];
      if (workspace !== tokenMatch[2]) {
        send(res, 403, {
          code: 403,
          msg: 'Forbidden',
          detail: { reason: 'token of another workspace' },
        });
        return `403 ${scheme}`;
      }
      send(res, 200, { token: issuer.mint(apiKey!, workspace) });
      return `200 ${scheme}${keyHint(apiKey)} token issued`;
    }
    if (scheme === 'token') {
      scheme = 'qredo-v2';
      const inPath = WORKSPACE_IN_PATH.exec(path)?.[1];
      if (inPath !== undefined && inPath !== tokenWorkspace) {
        send(res, 403, {
          code: 403,
          msg: 'Forbidden',
          detail: { reason: 'token of another workspace' },
        });
        return `403 token`;
      }
    }
    const route = await findRoute(
      { method, path, query, scheme, apiKey: apiKey!, headers: req.headers, body },
      options.routes,
      options.routesDir,
    );
    const status = route?.status ?? 200;
    send(
      res,
      status,
      route ? route.body : { ok: true, scheme, apiKey, method, path },
      route?.headers,
    );
    return `${status} ${scheme}${keyHint(apiKey)}`;
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const started = Date.now();
    const port = (server.address() as AddressInfo).port;
    const target = req.url ?? '/';
    // The path only: a query may carry a token (contract §7 redacts those from logs).
    const shown = target.split('?')[0] + (target.includes('?') ? '?…' : '');
    handle(req, res, port).then(
      (outcome) =>
        log?.(
          `${new Date().toISOString()} ${req.method} ${shown} ${outcome} ${Date.now() - started}ms`,
        ),
      () => {
        if (!res.headersSent) send(res, 500, { code: 500, msg: 'Internal Server Error' });
        else res.destroy();
        log?.(`${new Date().toISOString()} ${req.method} ${shown} 500 internal error`);
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        issuer.destroy();
      });
    },
  };
}
