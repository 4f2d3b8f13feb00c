/**
 * A local HTTP (and WebSocket) server on 127.0.0.1 that checks signatures WITHOUT the library:
 * it rebuilds the signing input from the raw request it received (the method and the target from
 * the request line, the Host header, the body bytes as they arrived) and recomputes the HMAC or
 * checks the RSA signature with node:crypto. A client that signs one thing and sends another
 * (a lower-case method, a fragment, a re-encoded body, a different boundary) fails here.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify as rsaVerify,
  type KeyObject,
} from 'node:crypto';
import { WebSocketServer } from 'ws';

export interface Verdict {
  ok: boolean;
  scheme?: 'qredo-v1' | 'qredo-v2' | 'partner';
  apiKey?: string;
  /** The signed timestamp or nonce. */
  stamp?: string;
  reason?: string;
}

export interface Received {
  method: string;
  /** The absolute URL rebuilt from the Host header and the request target. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  verdict: Verdict;
  upgrade: boolean;
}

export interface ServerOptions {
  /** API key → raw HMAC key bytes (Qredo API v1 and v2 header names). */
  qredoSecrets?: Record<string, Uint8Array>;
  /** API key → RSA public key (Partner API). */
  partnerKeys?: Record<string, KeyObject | string>;
  /** The server's clock, epoch ms (default Date.now): the timestamp window and the Date header. */
  now?: () => number;
  /** Timestamp window, seconds either way (default 30). */
  maxSkewSeconds?: number;
  /** Custom routes: return true when the response was written. */
  handle?: (request: Received, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface TestServer {
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: Received[];
  /** Closes the server, its connections and its WebSockets. */
  close(): Promise<void>;
}

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? undefined : value;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks one received request against the keys, independently of src/. */
export function checkSignature(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  options: ServerOptions,
  seenNonces: Map<string, Set<string>>,
): Verdict {
  const nowMs = (options.now ?? Date.now)();
  const window = options.maxSkewSeconds ?? 30;
  const inWindow = (seconds: string) =>
    /^[0-9]{1,12}$/.test(seconds) && Math.abs(Number(seconds) - nowMs / 1000) <= window + 1;

  const partnerKey = one(headers['x-api-key']);
  if (partnerKey !== undefined) {
    const publicKey = options.partnerKeys?.[partnerKey];
    if (!publicKey) return { ok: false, reason: 'unknown partner key' };
    const sign = one(headers['x-sign']);
    const ts = one(headers['x-timestamp']);
    const nonce = one(headers['x-nonce']);
    if (sign === undefined || (ts === undefined) === (nonce === undefined)) {
      return { ok: false, reason: 'partner headers missing' };
    }
    const stamp = (ts ?? nonce)!;
    if (ts !== undefined && !inWindow(ts)) return { ok: false, reason: 'stale timestamp' };
    const input = Buffer.concat([Buffer.from(stamp + url, 'utf8'), body]);
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (!rsaVerify('sha256', input, key, Buffer.from(sign, 'base64url'))) {
      return { ok: false, reason: 'bad signature' };
    }
    if (nonce !== undefined) {
      let seen = seenNonces.get(partnerKey);
      if (!seen) seenNonces.set(partnerKey, (seen = new Set()));
      if (seen.has(nonce)) return { ok: false, reason: 'replayed nonce' };
      seen.add(nonce);
    }
    return { ok: true, scheme: 'partner', apiKey: partnerKey, stamp };
  }

  const apiKey = one(headers['qredo-api-key']);
  if (apiKey === undefined) return { ok: false, reason: 'no signature headers' };
  const secret = options.qredoSecrets?.[apiKey];
  if (!secret) return { ok: false, reason: 'unknown api key' };
  const v2 = headers['qredo-api-timestamp'] !== undefined;
  const ts = one(v2 ? headers['qredo-api-timestamp'] : headers['qredo-api-ts']);
  const sig = one(v2 ? headers['qredo-api-signature'] : headers['qredo-api-sig']);
  if (ts === undefined || sig === undefined) return { ok: false, reason: 'qredo headers missing' };
  if (!inWindow(ts)) return { ok: false, reason: 'stale timestamp' };
  const expected = createHmac('sha256', secret)
    .update(ts + method + url, 'utf8')
    .update(body)
    .digest('base64url');
  if (!sameText(expected, sig)) return { ok: false, reason: 'bad signature' };
  return { ok: true, scheme: v2 ? 'qredo-v2' : 'qredo-v1', apiKey, stamp: ts };
}

/** Every header that carries a credential or a signed stamp, in any scheme. */
export function credentials(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter(
    (name) =>
      name.startsWith('qredo-api-') ||
      ['x-sign', 'x-api-key', 'x-nonce', 'x-timestamp', 'x-token'].includes(name),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts the server on 127.0.0.1 (an ephemeral port). Default answers: 200 with
 * `{"ok":true,...}` when the signature verifies, 401 with `{"error": reason}` otherwise; always a
 * `Date` header from the server's clock. WebSocket upgrades are verified the same way (as a GET on
 * the ws: URL) and, when good, greeted with `hello <apiKey>`; bad ones get a 401 and no upgrade.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const now = options.now ?? Date.now;
  const requests: Received[] = [];
  const seenNonces = new Map<string, Set<string>>();
  const wss = new WebSocketServer({ noServer: true });

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = req.method!;
    const url = `http://${req.headers.host}${req.url}`;
    const verdict = checkSignature(method, url, req.headers, body, options, seenNonces);
    const received: Received = { method, url, headers: req.headers, body, verdict, upgrade: false };
    requests.push(received);
    res.setHeader('date', new Date(now()).toUTCString());
    if (options.handle && (await options.handle(received, res))) return;
    res.setHeader('content-type', 'application/json');
    if (verdict.ok) {
      res.writeHead(200).end(JSON.stringify({ ok: true, method, bytes: body.length }));
    } else {
      res.writeHead(401).end(JSON.stringify({ error: verdict.reason }));
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = `ws://${req.headers.host}${req.url}`;
    const verdict = checkSignature(
      req.method!,
      url,
      req.headers,
      Buffer.alloc(0),
      options,
      seenNonces,
    );
    requests.push({
      method: req.method!,
      url,
      headers: req.headers,
      body: Buffer.alloc(0),
      verdict,
      upgrade: true,
    });
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(`hello ${verdict.apiKey}`);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
