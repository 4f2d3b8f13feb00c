/**
 * Qredo API v2 sessions (contract §1.3) against a local server that checks the v2 HMAC headers on its
 * own (test/client/server.ts) and issues JWTs. One injected clock drives both the session and the server,
 * so lifetimes are exercised without waiting.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { errorOf } from '../support.js';
import { startServer, type Received, type TestServer } from './server.js';
import '../../src/index.node.js'; // registers the backends
import { createQredoTokenSession, type QredoTokenSession } from '../../src/client/token-session.js';
import { SigningError } from '../../src/lib/errors.js';

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64url');
const JWT_KEY = randomBytes(32);
const WORKSPACE = 'ws/1'; // a '/' proves the id is percent-encoded into one path segment
const WS_PATH = '/api/v2/workspaces/ws%2F1';

let clock = 1_800_000_000_000; // epoch ms, shared by the session and the server
const now = () => clock;

/** What the server answers; tests flip these. */
const behaviour = {
  lifetimeSeconds: 600,
  iat: true,
  exp: true,
  tokenStatus: 200,
  refreshStatus: 200,
  tokenBody: undefined as string | undefined,
  /** Replaces the payload's iat/exp (seconds), given the server's time in seconds. */
  claims: undefined as ((nowS: number) => Record<string, unknown>) | undefined,
};
const issued = new Map<string, number>(); // token → exp (seconds)
let serial = 0;

function makeJwt(): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const nowS = Math.floor(clock / 1000);
  const exp = nowS + behaviour.lifetimeSeconds;
  const payload: Record<string, unknown> = { sub: 'ws1', n: ++serial };
  if (behaviour.iat) payload.iat = nowS;
  if (behaviour.exp) payload.exp = exp;
  if (behaviour.claims) Object.assign(payload, behaviour.claims(nowS));
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  const token = `${head}.${createHmac('sha256', JWT_KEY).update(head).digest('base64url')}`;
  issued.set(token, exp);
  return token;
}

const liveToken = (r: Received) => {
  const token = r.headers['x-token'];
  const exp = typeof token === 'string' ? issued.get(token) : undefined;
  return exp !== undefined && clock / 1000 < exp;
};

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
  return true;
}

function route(r: Received, res: ServerResponse): boolean {
  const path = new URL(r.url).pathname;
  if (path === `${WS_PATH}/token`) {
    if (!r.verdict.ok || r.verdict.scheme !== 'qredo-v2') return reply(res, 401, { error: 'auth' });
    if (behaviour.tokenStatus !== 200) return reply(res, behaviour.tokenStatus, { error: 'down' });
    return reply(res, 200, behaviour.tokenBody ?? { token: makeJwt() });
  }
  if (path === `${WS_PATH}/token/refresh`) {
    if (!liveToken(r)) return reply(res, 401, { error: 'token' });
    if (behaviour.refreshStatus !== 200) return reply(res, behaviour.refreshStatus, {});
    return reply(res, 200, { token: makeJwt() });
  }
  if (path === `${WS_PATH}/wallets`) {
    return liveToken(r) ? reply(res, 200, { wallets: [] }) : reply(res, 401, { error: 'token' });
  }
  return false;
}

let server: TestServer;
const T = suite('createQredoTokenSession');
T.before(async () => {
  server = await startServer({ qredoSecrets: { qk: SECRET_BYTES }, now, handle: route });
});
T.after(async () => {
  await server.close();
});
T.before.each(() => {
  Object.assign(behaviour, {
    lifetimeSeconds: 600,
    iat: true,
    exp: true,
    tokenStatus: 200,
    refreshStatus: 200,
    tokenBody: undefined,
    claims: undefined,
  });
  server.requests.length = 0;
});

const session = (extra: Partial<Parameters<typeof createQredoTokenSession>[0]> = {}) =>
  createQredoTokenSession({
    apiKey: 'qk',
    secret: SECRET,
    baseUrl: `${server.origin}/api/v2/`,
    workspaceId: WORKSPACE,
    now,
    ...extra,
  });
const paths = () => server.requests.map((r) => new URL(r.url).pathname.slice(WS_PATH.length));

T('concurrent callers share one signed token request', async () => {
  const s = session();
  const tokens = await Promise.all(Array.from({ length: 10 }, () => s.token()));
  assert.equal(paths(), ['/token']);
  assert.ok(tokens.every((t) => t === tokens[0]));
  assert.ok(issued.has(tokens[0]));
  const [request] = server.requests;
  assert.is(request.verdict.scheme, 'qredo-v2');
  assert.is(request.method, 'GET');
  assert.is(request.headers['qredo-api-ts'], undefined);
  assert.is(await s.token(), tokens[0]); // held: no new request
  assert.is(server.requests.length, 1);
});

T('renews through refresh at half the lifetime, before expiry, one request', async () => {
  const s = session();
  const first = await s.token();
  clock += 299_000;
  assert.is(await s.token(), first);
  assert.is(server.requests.length, 1);
  clock += 2_000; // 301 s of 600: past half, far from expiry
  const renewed = await Promise.all(Array.from({ length: 5 }, () => s.token()));
  assert.equal(paths(), ['/token', '/token/refresh']);
  assert.is(server.requests[1].headers['x-token'], first);
  assert.is.not(renewed[0], first);
  assert.ok(renewed.every((t) => t === renewed[0]));
  assert.ok(clock / 1000 < issued.get(first)!, 'renewed while the old token was still valid');
});

T('a failed refresh falls back to a fresh token request', async () => {
  const s = session();
  const first = await s.token();
  behaviour.refreshStatus = 500;
  clock += 400_000;
  const next = await s.token();
  assert.equal(paths(), ['/token', '/token/refresh', '/token']);
  assert.is.not(next, first);
  assert.ok(issued.has(next));
});

T('an expired token is replaced by a fresh request, not refreshed', async () => {
  const s = session();
  await s.token();
  clock += 601_000;
  await s.token();
  assert.equal(paths(), ['/token', '/token']);
});

T('both failing: the held token while it lives, then TOKEN_REQUEST_FAILED', async () => {
  const s = session();
  const first = await s.token();
  behaviour.refreshStatus = 503;
  behaviour.tokenStatus = 503;
  clock += 350_000;
  assert.is(await s.token(), first);
  clock += 300_000; // expired
  const error = await errorOf(() => s.token());
  assert.instance(error, SigningError);
  assert.is((error as SigningError).code, 'TOKEN_REQUEST_FAILED');
  assert.match((error as SigningError).message, /HTTP 503/);
  behaviour.tokenStatus = 200; // the failure is not cached
  assert.ok(issued.has(await s.token()));
});

T('without iat, the lifetime counts from receipt', async () => {
  behaviour.iat = false;
  behaviour.lifetimeSeconds = 100;
  const s = session();
  const first = await s.token();
  clock += 49_000;
  assert.is(await s.token(), first);
  clock += 2_000;
  assert.is.not(await s.token(), first);
  assert.equal(paths(), ['/token', '/token/refresh']);
});

T('session.fetch adds x-token, replacing a caller-supplied one', async () => {
  const s = session();
  const res = await s.fetch(`${server.origin}${WS_PATH}/wallets`, {
    headers: { 'x-token': 'forged', accept: 'application/json' },
  });
  assert.is(res.status, 200);
  assert.equal(await res.json(), { wallets: [] });
  const wallets = server.requests[server.requests.length - 1];
  assert.is(wallets.headers['x-token'], await s.token());
  const viaRequest = await s.fetch(new Request(`${server.origin}${WS_PATH}/wallets`));
  assert.is(viaRequest.status, 200);
  await viaRequest.arrayBuffer();
});

T('errors: status and reason, never the secret or the token', async () => {
  const cases: [() => void, RegExp][] = [
    [() => (behaviour.tokenStatus = 403), /token request failed: HTTP 403/],
    [() => (behaviour.tokenBody = 'not json'), /not JSON/],
    [() => (behaviour.tokenBody = '{"jwt":"x"}'), /without a "token" string/],
    [() => (behaviour.tokenBody = '{"token":"abc"}'), /not a JWT/],
    [() => (behaviour.exp = false), /no numeric exp/],
    [() => (behaviour.lifetimeSeconds = -5), /exp claim is not after its iat/],
  ];
  for (const [arrange, message] of cases) {
    Object.assign(behaviour, {
      tokenStatus: 200,
      tokenBody: undefined,
      exp: true,
      lifetimeSeconds: 600,
    });
    arrange();
    const before = [...issued.keys()];
    const error = (await errorOf(() => session().token())) as SigningError;
    assert.instance(error, SigningError);
    assert.is(error.code, 'TOKEN_REQUEST_FAILED');
    assert.match(error.message, message);
    const leaked = [...issued.keys()].filter((t) => !before.includes(t));
    for (const text of [error.message, String(error), JSON.stringify(error)]) {
      assert.not.ok(text.includes(SECRET), 'secret in error');
      for (const token of leaked) assert.not.ok(text.includes(token), 'token in error');
    }
  }
  const wrong = session({ secret: randomBytes(32) });
  const error = (await errorOf(() => wrong.token())) as SigningError;
  assert.is(error.code, 'TOKEN_REQUEST_FAILED');
  assert.match(error.message, /HTTP 401/);
});

T('a network failure is TOKEN_REQUEST_FAILED', async () => {
  const s = session({
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
  });
  const error = (await errorOf(() => s.token())) as SigningError;
  assert.is(error.code, 'TOKEN_REQUEST_FAILED');
  assert.match(error.message, /fetch failed/);
});

T('bad options and the redacted view', async () => {
  for (const [extra, code] of [
    [{ baseUrl: 'api/v2' }, 'INVALID_URL'],
    [{ baseUrl: 'ftp://x/' }, 'INVALID_URL'],
    [{ workspaceId: '' }, 'INVALID_OPTION'],
    [{ secret: 'not base64!' }, 'INVALID_SECRET'],
  ] as const) {
    const error = await errorOf(() => session(extra as never));
    assert.is((error as SigningError).code, code);
  }
  const s: QredoTokenSession = session();
  const token = await s.token();
  for (const text of [String(s), JSON.stringify(s)]) {
    assert.not.ok(text.includes(SECRET));
    assert.not.ok(text.includes(token));
    assert.ok(text.includes('QredoTokenSession'));
  }
  s.destroy();
  assert.is(((await errorOf(() => s.token())) as SigningError).code, 'INVALID_OPTION');
});

const T_MAX = 3600; // the default maxTokenLifetimeSeconds

T('attack: a token claiming a 10-year life is still renewed within the 1 h bound', async () => {
  behaviour.lifetimeSeconds = 10 * 365 * 86400;
  const s = session();
  const first = await s.token();
  clock += (T_MAX / 2 - 1) * 1000;
  assert.is(await s.token(), first);
  clock += 2000; // just past half of the bound
  assert.is.not(await s.token(), first);
  assert.equal(paths(), ['/token', '/token/refresh']);
  // Without iat too, and with a bound of one's own.
  behaviour.iat = false;
  server.requests.length = 0;
  const short = session({ maxTokenLifetimeSeconds: 120 });
  const t = await short.token();
  clock += 61_000;
  assert.is.not(await short.token(), t);
  assert.equal(paths(), ['/token', '/token/refresh']);
});

T(
  'attack: absurd claims (exp in the past, before iat, enormous) are refused or bounded',
  async () => {
    const refused: [(n: number) => Record<string, unknown>, RegExp][] = [
      [(n) => ({ iat: n - 7200, exp: n - 3600 }), /already expired/], // exp − iat looks fine
      [(n) => ({ iat: undefined, exp: n - 1 }), /already expired/],
      [() => ({ iat: undefined, exp: -1 }), /already expired/],
      [(n) => ({ iat: n + 50, exp: n }), /not after its iat/],
      [(n) => ({ exp: String(n + 600) }), /no numeric exp/],
    ];
    for (const [claims, message] of refused) {
      behaviour.claims = claims;
      const error = (await errorOf(() => session().token())) as SigningError;
      assert.is(error.code, 'TOKEN_REQUEST_FAILED');
      assert.match(error.message, message);
    }
    behaviour.claims = (n) => ({ iat: n, exp: 1e300 });
    const s = session();
    const first = await s.token();
    clock += (T_MAX / 2 + 1) * 1000;
    assert.is.not(await s.token(), first);
  },
);

T('control: short-lived tokens are kept as they are (10 s renews after 5 s)', async () => {
  for (const iat of [true, false]) {
    Object.assign(behaviour, { lifetimeSeconds: 10, iat });
    server.requests.length = 0;
    const s = session();
    const first = await s.token();
    clock += 4_000;
    assert.is(await s.token(), first);
    clock += 2_000;
    assert.is.not(await s.token(), first);
    assert.equal(paths(), ['/token', '/token/refresh']);
  }
  const bad = await errorOf(() => session({ maxTokenLifetimeSeconds: 0 }));
  assert.is((bad as SigningError).code, 'INVALID_OPTION');
});

T.run();
