/**
 * A mock Qredo API v2 for the Signing Agent on 127.0.0.1: the token flow (the HMAC checked with
 * node:crypto by test/client/server.ts's checkSignature), agent registration, actions, decisions and a
 * WebSocket feed. A decision is accepted only when its body has the exact v2 shape and its
 * signature verifies (blsVerify, whose verdicts the oracle vectors pin) under the BLS key
 * registered for the caller's API key; anything else gets 401 and is recorded as refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkSignature } from '../client/server.js';
import { blsVerify } from '../../src/agent.js';

export interface MockAction {
  id: string;
  status: number;
  messages: Uint8Array[];
  expireTime?: number;
}

export interface Decision {
  actionId: string;
  status: number;
  signature: string;
  accepted: boolean;
  reason?: string;
}

export interface MockV2 {
  base: string;
  workspaceId: string;
  registered: Map<string, { bls: Uint8Array; ec: Uint8Array; body: string }>;
  actions: Map<string, MockAction>;
  decisions: Decision[];
  feedTokens: string[];
  upgrades: string[];
  addAction(messages: Uint8Array[], status?: number): MockAction;
  push(action: MockAction | string): void;
  dropFeeds(): void;
  feedClients(): number;
  close(): Promise<void>;
}

const DECISION = /^\{"status":(3|4),"signatures":\["([0-9a-f]{98})"\]\}$/;
const REGISTRATION =
  /^\{"blsPublicKey":"([A-Za-z0-9+/=]{256})","ecPublicKey":"([A-Za-z0-9+/=]{88})"\}$/;

function jwt(seconds: number): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return `${b({ alg: 'none' })}.${b({ iat, exp: iat + seconds, n: randomBytes(6).toString('hex') })}.sig`;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startMockV2(options: {
  apiKey: string;
  secret: Uint8Array;
  workspaceId?: string;
}): Promise<MockV2> {
  const workspaceId = options.workspaceId ?? 'ws-1';
  const tokens = new Map<string, string>(); // JWT → API key
  const feedTokens: string[] = [];
  const registered = new Map<string, { bls: Uint8Array; ec: Uint8Array; body: string }>();
  const actions = new Map<string, MockAction>();
  const decisions: Decision[] = [];
  const upgrades: string[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  let next = 1;

  const addAction = (messages: Uint8Array[], status = 17): MockAction => {
    const a = { id: `act-${next++}-${randomBytes(3).toString('hex')}`, status, messages };
    actions.set(a.id, a);
    return a;
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(`http://${req.headers.host}${req.url}`);
    const path = url.pathname;
    const ws = `/api/v2/workspaces/${workspaceId}`;
    if (req.method === 'GET' && path === `${ws}/token`) {
      const v = checkSignature(
        'GET',
        url.href,
        req.headers,
        body,
        { qredoSecrets: { [options.apiKey]: options.secret } },
        new Map(),
      );
      if (!v.ok || v.scheme !== 'qredo-v2') return json(res, 401, { code: 401, msg: v.reason });
      const t = jwt(3600);
      tokens.set(t, v.apiKey!);
      return json(res, 200, { token: t });
    }
    const apiKey = tokens.get(String(req.headers['x-token']));
    if (!apiKey) return json(res, 401, { code: 401, msg: 'x-token' });
    if (req.method === 'GET' && path === `${ws}/token/refresh`) {
      const t = jwt(3600);
      tokens.set(t, apiKey);
      return json(res, 200, { token: t });
    }
    const keyPath = path.match(new RegExp(`^${ws}/apikeys/([^/]+)$`));
    if (req.method === 'PUT' && keyPath) {
      const m = REGISTRATION.exec(body.toString('utf8'));
      if (!m) return json(res, 400, { code: 400, msg: 'registration body' });
      const bls = new Uint8Array(Buffer.from(m[1], 'base64'));
      const ec = new Uint8Array(Buffer.from(m[2], 'base64'));
      if (bls.length !== 192 || ec.length !== 65 || ec[0] !== 4)
        return json(res, 400, { code: 400, msg: 'key sizes' });
      registered.set(decodeURIComponent(keyPath[1]), { bls, ec, body: body.toString('utf8') });
      const a = addAction([randomBytes(40)]);
      return json(res, 200, { actionID: a.id });
    }
    const actionPath = path.match(/^\/api\/v2\/actions\/([^/]+)$/);
    if (actionPath) {
      const a = actions.get(decodeURIComponent(actionPath[1]));
      if (!a) return json(res, 404, { code: 404, msg: 'no such action' });
      if (req.method === 'GET') {
        return json(res, 200, {
          id: a.id,
          status: a.status,
          messages: a.messages.map((m) => Buffer.from(m).toString('hex')),
        });
      }
      if (req.method === 'POST') {
        const m = DECISION.exec(body.toString('utf8'));
        const key = registered.get(apiKey);
        const record: Decision = {
          actionId: a.id,
          status: m ? Number(m[1]) : -1,
          signature: m?.[2] ?? '',
          accepted: false,
        };
        decisions.push(record);
        if (!m) return json(res, 400, { code: 400, msg: (record.reason = 'decision body') });
        if (!key) return json(res, 401, { code: 401, msg: (record.reason = 'no key registered') });
        if (!blsVerify(key.bls, a.messages[0], new Uint8Array(Buffer.from(m[2], 'hex')))) {
          return json(res, 401, { code: 401, msg: (record.reason = 'bad signature') });
        }
        record.accepted = true;
        a.status = record.status;
        return json(res, 200, {});
      }
    }
    if (req.method === 'POST' && path === `${ws}/websocket/token`) {
      const t = randomBytes(16).toString('hex');
      feedTokens.push(t);
      return json(res, 200, { token: t });
    }
    return json(res, 404, { code: 404, msg: 'not found' });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(`ws://${req.headers.host}${req.url}`);
    upgrades.push(url.href);
    const t = url.searchParams.get('token');
    if (
      url.pathname !== `/api/v2/workspaces/${workspaceId}/websocket` ||
      !t ||
      !feedTokens.includes(t)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    feedTokens.splice(feedTokens.indexOf(t), 1); // one use per feed token
    wss.handleUpgrade(req, socket, head, (client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/api/v2`,
    workspaceId,
    registered,
    actions,
    decisions,
    feedTokens,
    upgrades,
    addAction,
    push(action) {
      const text =
        typeof action === 'string'
          ? action
          : JSON.stringify({
              id: action.id,
              status: action.status,
              messages: action.messages.map((m) => Buffer.from(m).toString('base64')),
              expireTime: action.expireTime ?? Math.floor(Date.now() / 1000) + 600,
            });
      for (const s of sockets) s.send(text);
    },
    dropFeeds() {
      for (const s of sockets) s.terminate();
    },
    feedClients: () => sockets.size,
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
