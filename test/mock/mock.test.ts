/**
 * `createMockServer` (issue 19, contract §6.1). Requests are signed without the library (Python's
 * `hmac`, node:crypto `sign`) wherever a test claims the mock accepts what other languages send;
 * the v2 flow uses the library's own token session, since that is the client the mock must serve.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { createMockServer, mockResponse } from '../../src/mock.js';
import { createQredoTokenSession } from '../../src/index.node.js';

const SECRET_BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 0xff));
const SECRET = SECRET_BYTES.toString('base64url'); // as the web app shows it (URL-safe)
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
const now = () => Math.floor(Date.now() / 1000).toString();

/** HMAC-SHA256 by Python's standard library alone, unpadded URL-safe base64 (contract §1.1). */
function pythonHmac(secret: string, input: Buffer): string {
  const script = [
    'import base64, hashlib, hmac, sys',
    'key = base64.urlsafe_b64decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 4))',
    'mac = hmac.new(key, sys.stdin.buffer.read(), hashlib.sha256).digest()',
    'sys.stdout.write(base64.urlsafe_b64encode(mac).rstrip(b"=").decode())',
  ].join('\n');
  return execFileSync('python3', ['-c', script, secret], { input }).toString();
}

const nodeHmac = (input: Buffer) =>
  createHmac('sha256', SECRET_BYTES).update(input).digest('base64url');

async function send(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: Buffer },
) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body === undefined ? undefined : new Uint8Array(init.body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

test('mock: a Qredo API request signed by Python hmac alone is accepted, and logged without secrets', async () => {
  const lines: string[] = [];
  const mock = await createMockServer({
    qredo: { apiKey: 'key-1', secret: SECRET },
    log: (l) => lines.push(l),
  });
  try {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'loopback only by default');
    // A Unicode query, written as the client sends it (percent-encoded, the WHATWG form it signs).
    const url = new URL(`${mock.url}/qapi/v1/transfer?fund=ф x`).href;
    const body = Buffer.from('{"amount":"10","note":"café"}\n');
    const ts = now();
    const sig = pythonHmac(SECRET, Buffer.concat([Buffer.from(`${ts}POST${url}`), body]));
    const res = await send(url, {
      method: 'POST',
      headers: { 'qredo-api-key': 'key-1', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
      body,
    });
    assert.is(res.status, 200, res.text);
    assert.equal(res.json, {
      ok: true,
      scheme: 'qredo-v1',
      apiKey: 'key-1',
      method: 'POST',
      path: '/qapi/v1/transfer',
    });
    assert.is(lines.length, 1);
    assert.match(lines[0], /POST \/qapi\/v1\/transfer\?… 200 qredo-v1/);
    assert.not.ok(lines[0].includes(sig));
    assert.not.ok(lines[0].includes(SECRET));
  } finally {
    await mock.close();
  }
});

test('mock (attack): a tampered body gets 401 with the implied signing input and never the expected signature', async () => {
  const mock = await createMockServer({ qredo: { apiKey: 'key-1', secret: SECRET } });
  try {
    const url = `${mock.url}/qapi/v1/withdraw`;
    const ts = now();
    const honest = Buffer.from('{"amount":"1"}\n');
    const tampered = Buffer.from('{"amount":"1000"}\n');
    const sig = pythonHmac(SECRET, Buffer.concat([Buffer.from(`${ts}POST${url}`), honest]));
    const headers = { 'qredo-api-key': 'key-1', 'qredo-api-ts': ts, 'qredo-api-sig': sig };
    // Control: the honest request passes.
    assert.is((await send(url, { method: 'POST', headers, body: honest })).status, 200);

    const res = await send(url, { method: 'POST', headers, body: tampered });
    assert.is(res.status, 401);
    const implied = Buffer.concat([Buffer.from(`${ts}POST${url}`), tampered]);
    assert.is(res.json.code, 401);
    assert.is(res.json.msg, 'Unauthorized');
    assert.is(res.json.detail.reason, 'signature');
    assert.is(res.json.detail.code, 'BAD_SIGNATURE');
    assert.is(res.json.detail.signingInput, implied.toString('utf8'));
    assert.is(res.json.detail.signingInputHex, implied.toString('hex'));
    assert.is(res.json.detail.signingInputEscaped, `${ts}POST${url}{"amount":"1000"}\\n`);
    assert.ok(Math.abs(res.json.detail.skewSeconds) < 5, String(res.json.detail.skewSeconds));
    // The signature the mock would have expected for the tampered request: nowhere in the answer,
    // in any encoding (otherwise the mock signs for whoever asks).
    const expected = nodeHmac(implied);
    const raw = Buffer.from(expected, 'base64url');
    for (const form of [expected, raw.toString('base64'), raw.toString('hex')]) {
      assert.not.ok(res.text.includes(form), 'the expected signature leaked');
    }
  } finally {
    await mock.close();
  }
});

test('mock (attack): stale timestamp, missing header, unknown key and wrong secret each get 401 with their reason', async () => {
  const mock = await createMockServer({ qredo: { apiKey: 'key-1', secret: SECRET } });
  try {
    const url = `${mock.url}/qapi/v1/balance`;
    const old = String(Number(now()) - 3600);
    const stale = await send(url, {
      headers: {
        'qredo-api-key': 'key-1',
        'qredo-api-ts': old,
        'qredo-api-sig': nodeHmac(Buffer.from(`${old}GET${url}`)),
      },
    });
    assert.is(stale.status, 401);
    assert.is(stale.json.detail.reason, 'timestamp');
    assert.ok(
      Math.abs(stale.json.detail.skewSeconds + 3600) < 5,
      String(stale.json.detail.skewSeconds),
    );

    const ts = now();
    const missing = await send(url, { headers: { 'qredo-api-key': 'key-1', 'qredo-api-ts': ts } });
    assert.is(missing.status, 401);
    assert.is(missing.json.detail.reason, 'header');
    assert.is(missing.json.detail.missingHeader, 'qredo-api-sig');
    assert.is(missing.json.detail.signingInput, `${ts}GET${url}`);

    const none = await send(url, { headers: {} });
    assert.is(none.json.detail.missingHeader, 'qredo-api-key');

    const sig = nodeHmac(Buffer.from(`${ts}GET${url}`));
    const unknown = await send(url, {
      headers: { 'qredo-api-key': 'key-2', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
    });
    assert.is(unknown.json.detail.code, 'UNKNOWN_KEY');
    const other = createHmac('sha256', Buffer.alloc(32, 1))
      .update(`${ts}GET${url}`)
      .digest('base64url');
    const wrong = await send(url, {
      headers: { 'qredo-api-key': 'key-1', 'qredo-api-ts': ts, 'qredo-api-sig': other },
    });
    assert.is(wrong.json.detail.reason, 'signature');
    assert.not.ok(wrong.text.includes(sig), 'the expected signature leaked');
    // Control.
    const good = await send(url, {
      headers: { 'qredo-api-key': 'key-1', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
    });
    assert.is(good.status, 200);
  } finally {
    await mock.close();
  }
});

test('mock: a Partner request signed by node:crypto sign verifies; a replayed nonce is refused', async () => {
  const mock = await createMockServer({ partner: { apiKey: 'partner-1', publicKey: PUBLIC_PEM } });
  try {
    const url = `${mock.url}/api/v1/p/company`;
    const body = Buffer.from('{"name":"ACME ☃"}');
    const ts = now();
    const sign = (stamp: string) =>
      nodeSign('sha256', Buffer.concat([Buffer.from(stamp + url), body]), privateKey).toString(
        'base64url',
      );
    const byTimestamp = await send(url, {
      method: 'POST',
      headers: { 'x-api-key': 'partner-1', 'x-timestamp': ts, 'x-sign': sign(ts) },
      body,
    });
    assert.is(byTimestamp.status, 200, byTimestamp.text);
    assert.is(byTimestamp.json.scheme, 'partner');

    const nonceHeaders = { 'x-api-key': 'partner-1', 'x-nonce': 'n-1', 'x-sign': sign('n-1') };
    assert.is((await send(url, { method: 'POST', headers: nonceHeaders, body })).status, 200);
    const replay = await send(url, { method: 'POST', headers: nonceHeaders, body });
    assert.is(replay.status, 401);
    assert.is(replay.json.detail.code, 'REPLAYED_NONCE');
    assert.is(replay.json.detail.skewSeconds, null);
    assert.is(replay.json.detail.signingInput, `n-1${url}${body.toString()}`);
  } finally {
    await mock.close();
  }
});

test('mock: the v2 token flow works with createQredoTokenSession, refresh included', async () => {
  let clock = Date.now();
  const lines: string[] = [];
  const mock = await createMockServer({
    qredo: { apiKey: 'key-v2', secret: SECRET },
    workspace: 'w1',
    tokenLifetimeSeconds: 600,
    now: () => clock,
    log: (l) => lines.push(l),
  });
  const session = createQredoTokenSession({
    apiKey: 'key-v2',
    secret: SECRET,
    baseUrl: `${mock.url}/api/v2`,
    workspaceId: 'w1',
    now: () => clock,
  });
  try {
    const first = await session.fetch(`${mock.url}/api/v2/workspaces/w1/wallets`);
    assert.is(first.status, 200);
    assert.equal(await first.json(), {
      ok: true,
      scheme: 'qredo-v2',
      apiKey: 'key-v2',
      method: 'GET',
      path: '/api/v2/workspaces/w1/wallets',
    });
    const token = await session.token();
    clock += 400_000; // past half of the 600 s lifetime: the session refreshes
    const second = await session.fetch(`${mock.url}/api/v2/workspaces/w1/wallets`);
    assert.is(second.status, 200);
    assert.is.not(await session.token(), token);
    assert.ok(
      lines.some((l) => /GET \/api\/v2\/workspaces\/w1\/token 200/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /GET \/api\/v2\/workspaces\/w1\/token\/refresh 200/.test(l)),
      lines.join('\n'),
    );
    for (const line of lines) assert.not.ok(line.includes(token), 'a token was logged');

    // Attack: a token whose payload names another workspace, signature kept, is refused.
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [
      h,
      Buffer.from(JSON.stringify({ ...claims, workspace: 'w2' })).toString('base64url'),
      s,
    ].join('.');
    const res = await send(`${mock.url}/api/v2/workspaces/w2/wallets`, {
      headers: { 'x-token': forged },
    });
    assert.is(res.status, 401);
    assert.is(res.json.detail.code, 'INVALID_TOKEN');
    // Attack: a genuine token used on another workspace's path.
    const cross = await send(`${mock.url}/api/v2/workspaces/w2/wallets`, {
      headers: { 'x-token': token },
    });
    assert.is(cross.status, 403);
    // Attack: v1 header names on the token endpoint are refused (contract §1.3 uses the v2 names).
    const ts = now();
    const tokenUrl = `${mock.url}/api/v2/workspaces/w1/token`;
    const v1 = await send(tokenUrl, {
      headers: {
        'qredo-api-key': 'key-v2',
        'qredo-api-ts': ts,
        'qredo-api-sig': nodeHmac(Buffer.from(`${ts}GET${tokenUrl}`)),
      },
    });
    assert.is(v1.status, 401);
    // An expired token is refused.
    clock += 3_600_000;
    const expired = await send(`${mock.url}/api/v2/workspaces/w1/wallets`, {
      headers: { 'x-token': token },
    });
    assert.is(expired.status, 401);
  } finally {
    session.destroy();
    await mock.close();
  }
});

/** A raw request, so that the target is sent exactly as written (fetch would normalise `..`). */
function rawGet(base: string, target: string, headers: Record<string, string>) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('mock: canned answers from a routes map and a directory; no file outside the directory is served', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-mock-routes-'));
  mkdirSync(join(dir, 'routes', 'GET', 'qapi', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'routes', 'GET', 'qapi', 'v1', 'balance.json'), '{"total":42}');
  writeFileSync(join(dir, 'secret.json'), '{"leaked":true}');
  const mock = await createMockServer({
    qredo: { secret: SECRET }, // any API key
    routes: {
      'POST /qapi/v1/transfer': { tx_id: 't1' },
      '/qapi/v1/missing': mockResponse({ status: 404, body: { code: 404, msg: 'Not Found' } }),
      'GET /qapi/v1/echo': (req: { query: string }) => ({ body: { query: req.query } }),
    },
    routesDir: join(dir, 'routes'),
  });
  const signed = (method: string, target: string) => {
    const ts = now();
    return {
      'qredo-api-key': 'any',
      'qredo-api-ts': ts,
      'qredo-api-sig': nodeHmac(Buffer.from(`${ts}${method}${mock.url}${target}`)),
    };
  };
  try {
    const balance = await rawGet(mock.url, '/qapi/v1/balance', signed('GET', '/qapi/v1/balance'));
    assert.equal(JSON.parse(balance.text), { total: 42 });
    const echo = await rawGet(mock.url, '/qapi/v1/echo?a=1', signed('GET', '/qapi/v1/echo?a=1'));
    assert.equal(JSON.parse(echo.text), { query: 'a=1' });
    const missing = await rawGet(mock.url, '/qapi/v1/missing', signed('GET', '/qapi/v1/missing'));
    assert.is(missing.status, 404);
    const transfer = await send(`${mock.url}/qapi/v1/transfer`, {
      method: 'POST',
      headers: signed('POST', '/qapi/v1/transfer'),
    });
    assert.equal(transfer.json, { tx_id: 't1' });
    // Attack: dot segments (plain and encoded) must not reach ../secret.json.
    for (const target of ['/../secret', '/%2e%2e/secret', '/GET/../../secret']) {
      const res = await rawGet(mock.url, target, signed('GET', target));
      assert.not.ok(res.text.includes('leaked'), target);
    }
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
