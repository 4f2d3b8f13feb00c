/**
 * Attacks on Qredo API v2 sessions (issue 14 items 4 and 10; contract §3a.1), on real loopback servers:
 * A serves the workspace (checks the v2 HMAC with node:crypto, issues JWTs); B is another origin
 * that records whatever reaches it. Neither the signed token request, nor the refresh, nor
 * `session.fetch` may hand a credential to B; a token response without end must not be read without
 * end. Each attack sits beside a control.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { errorOf } from '../support.js';
import { credentials, startServer, type Received, type TestServer } from './server.js';
import '../../src/index.node.js'; // registers the backends
import { createQredoTokenSession } from '../../src/client/token-session.js';
import { SigningError } from '../../src/lib/errors.js';
import type { FetchFunction } from '../../src/client/signed-fetch.js';

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64url');
const WS = '/api/v2/workspaces/w1';

let clock = 1_800_000_000_000;
const now = () => clock;

function jwt(): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const iat = Math.floor(clock / 1000);
  return `${b64({ alg: 'HS256' })}.${b64({ iat, exp: iat + 600 })}.sig`;
}

/** How A answers the token endpoints; tests flip it. */
let tokenMode: 'ok' | 'redirect' | 'endless' | 'huge' | 'declared-huge' = 'ok';
let refreshMode: 'ok' | 'redirect' = 'ok';
/** Bytes A's endless/huge body managed to push before the client stopped it. */
let pushed = 0;

function endless(res: ServerResponse, limit: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"token":"');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = () => {
    while (pushed < limit) {
      pushed += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end('"}');
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

function routeA(r: Received, res: ServerResponse): boolean {
  const path = new URL(r.url).pathname;
  const json = (status: number, body: unknown, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...extra });
    res.end(JSON.stringify(body));
    return true;
  };
  if (path === `${WS}/token`) {
    if (tokenMode === 'redirect') return json(307, {}, { location: `${b.origin}${WS}/token` });
    if (!r.verdict.ok) return json(401, { error: r.verdict.reason });
    if (tokenMode === 'endless') return (endless(res, Number.MAX_SAFE_INTEGER), true);
    if (tokenMode === 'huge') return (endless(res, 8 * 1024 * 1024), true);
    if (tokenMode === 'declared-huge') {
      res.writeHead(200, { 'content-length': String(400 * 1024 * 1024) });
      res.write('{"token":"');
      return true; // and never more: a client waiting for 400 MiB would hang
    }
    return json(200, { token: jwt() });
  }
  if (path === `${WS}/token/refresh`) {
    if (refreshMode === 'redirect') {
      return json(302, {}, { location: `${b.origin}${WS}/token/refresh` });
    }
    return json(200, { token: jwt() });
  }
  if (path === `${WS}/moved`) return json(307, {}, { location: `${b.origin}${WS}/wallets` });
  if (path === `${WS}/here`) return json(308, {}, { location: `${WS}/wallets` });
  if (path === `${WS}/wallets`) {
    return r.headers['x-token'] ? json(200, { wallets: [] }) : json(401, {});
  }
  return false;
}

let a: TestServer;
let b: TestServer;
const T = suite('token sessions: credentials stay with their origin');
T.before(async () => {
  a = await startServer({ qredoSecrets: { qk: SECRET_BYTES }, now, handle: routeA });
  b = await startServer({ qredoSecrets: { qk: SECRET_BYTES }, now });
});
T.after(async () => {
  await a.close();
  await b.close();
});
T.before.each(() => {
  tokenMode = 'ok';
  refreshMode = 'ok';
  pushed = 0;
  a.requests.length = 0;
  b.requests.length = 0;
});

const session = (extra = {}) =>
  createQredoTokenSession({
    apiKey: 'qk',
    secret: SECRET,
    baseUrl: `${a.origin}/api/v2`,
    workspaceId: 'w1',
    now,
    ...extra,
  });
const nothingAtB = () => {
  for (const r of b.requests) assert.equal(credentials(r.headers), [], 'credential reached B');
  assert.is(b.requests.length, 0, 'B was contacted');
};
const codeOf = async (run: () => unknown) => ((await errorOf(run)) as SigningError).code;

T(
  'attack: the signed token request redirected to B → TOKEN_REQUEST_FAILED, B sees nothing',
  async () => {
    tokenMode = 'redirect';
    const error = (await errorOf(() => session().token())) as SigningError;
    assert.is(error.code, 'TOKEN_REQUEST_FAILED');
    assert.match(error.message, /HTTP 307/);
    nothingAtB();
    tokenMode = 'ok'; // control
    assert.ok((await session().token()).split('.').length === 3);
  },
);

T(
  'attack: the refresh (x-token) redirected to B; B sees nothing, a fresh token follows',
  async () => {
    const s = session();
    const first = await s.token();
    refreshMode = 'redirect';
    clock += 400_000; // past half the lifetime
    const next = await s.token();
    assert.is.not(next, first);
    assert.equal(
      a.requests.map((r) => new URL(r.url).pathname.slice(WS.length)),
      ['/token', '/token/refresh', '/token'],
    );
    nothingAtB();
  },
);

T('attack: session.fetch to another origin → FOREIGN_ORIGIN, not sent', async () => {
  const s = session();
  for (const url of [
    `${b.origin}${WS}/wallets`,
    `http://localhost:${a.port}${WS}/wallets`,
    `https://127.0.0.1:${a.port}${WS}/wallets`,
  ]) {
    assert.is(await codeOf(() => s.fetch(url)), 'FOREIGN_ORIGIN');
    assert.is(await codeOf(() => s.fetch(new Request(url))), 'FOREIGN_ORIGIN');
  }
  nothingAtB();
  assert.is(a.requests.length, 0); // refused before any token was even requested
  const res = await s.fetch(`${a.origin}${WS}/wallets`); // control
  assert.is(res.status, 200);
  assert.equal(await res.json(), { wallets: [] });
});

T('attack: session.fetch redirected to B: the 307 comes back; with follow, refused', async () => {
  const s = session();
  const res = await s.fetch(`${a.origin}${WS}/moved`, { method: 'POST', body: 'x' });
  assert.is(res.status, 307);
  await res.arrayBuffer();
  const follow = await codeOf(() => s.fetch(`${a.origin}${WS}/moved`, { redirect: 'follow' }));
  assert.is(follow, 'CROSS_ORIGIN_REDIRECT');
  nothingAtB();
});

T('control: a same-origin 308 is followed with x-token and the body again', async () => {
  const s = session();
  const res = await s.fetch(`${a.origin}${WS}/here`, {
    method: 'PUT',
    body: new Blob(['same bytes']),
    redirect: 'follow',
  });
  assert.is(res.status, 200);
  await res.arrayBuffer();
  const hop = a.requests[a.requests.length - 1];
  assert.is(hop.url, `${a.origin}${WS}/wallets`);
  assert.is(hop.method, 'PUT');
  assert.is(hop.body.toString(), 'same bytes');
  assert.is(hop.headers['x-token'], await s.token());
});

/** Counts the response bytes the client actually pulled. */
function counting(): { fetch: FetchFunction; read: () => number } {
  let read = 0;
  return {
    read: () => read,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (!res.body) return res;
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          read += value.length;
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, { status: res.status, headers: res.headers });
    },
  };
}

async function within<T>(ms: number, run: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

T('attack: an endless or huge token response is cut at 64 KiB, quickly', async () => {
  for (const mode of ['endless', 'huge', 'declared-huge'] as const) {
    tokenMode = mode;
    pushed = 0;
    const probe = counting();
    const started = Date.now();
    const error = (await within(
      3000,
      errorOf(() => session({ fetch: probe.fetch }).token()),
    )) as SigningError;
    assert.instance(error, SigningError, mode);
    assert.is(error.code, 'TOKEN_REQUEST_FAILED');
    assert.match(error.message, /larger than 65536 bytes/);
    assert.ok(probe.read() <= 64 * 1024 + 128 * 1024, `${mode}: read ${probe.read()} bytes`);
    assert.ok(Date.now() - started < 3000);
    // The server stopped being read: what it pushed is bounded by socket buffers, not the body.
    assert.ok(pushed < 8 * 1024 * 1024, `${mode}: pushed ${pushed}`);
  }
  tokenMode = 'ok'; // control: a normal answer still works after the attacks
  assert.ok(await session().token());
});

T.run();
