/**
 * Retries and explicit clock sync in createSignedFetch (contract §3a.1, issue 20), against loopback
 * servers that verify every attempt's signature with node:crypto on their own (test/client/server.ts):
 * no attempt may reuse a signature, a timestamp or a nonce, and all must carry the same bytes.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { api, errorOf } from '../support.js';
import { credentials, startServer, type Received, type TestServer } from './server.js';
import { createSignedFetch, type FetchFunction } from '../../src/client/signed-fetch.js';
import { createClockSkew } from '../../src/client/clock-skew.js';
import { retryAfterMs } from '../../src/client/fetch-retry.js';
import { SigningError } from '../../src/lib/errors.js';

const SECRET_BYTES = randomBytes(32);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET_BYTES.toString('base64') });
const partner = api.createPartnerSigner({ apiKey: 'pk', privateKey: PRIVATE_PEM });

/** Statuses the server answers in turn (then the verdict's own 200/401), with extra headers. */
let script: [number, Record<string, string>][] = [];
function scripted(r: Received, res: ServerResponse): boolean {
  const next = script.shift();
  if (!next) return false;
  // Only a request that verified earns the scripted failure: a bad one shows as a 401.
  if (!r.verdict.ok) return false;
  res.writeHead(next[0], next[1]).end('busy');
  return true;
}

let server: TestServer;
const slept: number[] = [];
const sleep = async (ms: number) => void slept.push(ms);
const R = suite('retries');
R.before(async () => {
  server = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    partnerKeys: { pk: publicKey },
    handle: scripted,
  });
});
R.after(() => server.close());
R.before.each(() => {
  server.requests.length = 0;
  slept.length = 0;
  script = [];
});

R(
  '503, 429, then 200 (nonce mode): three distinct signatures, all verify, same bytes',
  async () => {
    script = [
      [503, {}],
      [429, { 'retry-after': '1' }],
    ];
    const qf = createSignedFetch(partner, {
      nonce: 'auto',
      retry: { random: () => 0.5, sleep },
    });
    const res = await qf(`${server.origin}/api/v1/p/orders/7`, { method: 'PUT', body: { qty: 1 } });
    assert.is(res.status, 200);
    await res.arrayBuffer();
    const attempts = server.requests;
    assert.is(attempts.length, 3);
    for (const r of attempts) assert.ok(r.verdict.ok, r.verdict.reason); // node:crypto RSA verify
    const signatures = new Set(attempts.map((r) => r.headers['x-sign']));
    const nonces = new Set(attempts.map((r) => r.headers['x-nonce']));
    assert.is(signatures.size, 3);
    assert.is(nonces.size, 3);
    for (const r of attempts) assert.is(r.body.toString(), '{"qty":1}');
    assert.equal(slept, [100, 1000]); // full jitter 0.5 · 200 ms, then Retry-After: 1
  },
);

R('timestamp mode: each attempt signed with the time of that attempt', async () => {
  script = [
    [502, {}],
    [504, {}],
  ];
  let t = Date.now() - 10_000;
  const qf = createSignedFetch(qredo, {
    now: () => (t += 4_000), // the clock moves 4 s per reading
    retry: { sleep },
  });
  const res = await qf(`${server.origin}/qapi/v1/balance`);
  assert.is(res.status, 200);
  await res.arrayBuffer();
  const stamps = server.requests.map((r) => r.headers['qredo-api-ts']);
  assert.is(new Set(stamps).size, 3);
  assert.ok(server.requests.every((r) => r.verdict.ok)); // node:crypto HMAC
  assert.is(new Set(server.requests.map((r) => r.headers['qredo-api-sig'])).size, 3);
});

R('POST is not retried by default; it is when listed in methods', async () => {
  script = [[503, {}]];
  const res = await createSignedFetch(qredo, { retry: { sleep } })(`${server.origin}/x`, {
    method: 'POST',
    body: 'once',
  });
  assert.is(res.status, 503);
  await res.arrayBuffer();
  assert.is(server.requests.length, 1);
  script = [[503, {}]];
  const again = await createSignedFetch(qredo, { retry: { sleep, methods: ['post'] } })(
    `${server.origin}/x`,
    { method: 'POST', body: 'twice' },
  );
  assert.is(again.status, 200);
  await again.arrayBuffer();
  assert.is(server.requests.length, 3);
});

R('retries exhausted: the last answer is returned; other statuses are not retried', async () => {
  script = [
    [503, {}],
    [503, {}],
    [503, {}],
  ];
  const res = await createSignedFetch(qredo, { retry: { retries: 2, sleep } })(`${server.origin}/`);
  assert.is(res.status, 503);
  await res.arrayBuffer();
  assert.is(server.requests.length, 3);
  script = [[500, {}]];
  const other = await createSignedFetch(qredo, { retry: { sleep } })(`${server.origin}/`);
  assert.is(other.status, 500);
  await other.arrayBuffer();
  assert.is(server.requests.length, 4);
});

R('backoff: full jitter under a doubling ceiling, capped by maxDelayMs', async () => {
  script = Array.from({ length: 5 }, () => [503, {}] as [number, Record<string, string>]);
  const qf = createSignedFetch(qredo, {
    retry: { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999, sleep },
  });
  const res = await qf(`${server.origin}/`);
  await res.arrayBuffer();
  assert.equal(slept, [99, 199, 399, 799, 999]);
});

R('Retry-After: seconds and HTTP-date, capped by maxDelayMs', async () => {
  const at = new Date(Date.now() + 30_000).toUTCString();
  script = [
    [429, { 'retry-after': '7200' }],
    [503, { 'retry-after': at }],
  ];
  const qf = createSignedFetch(qredo, { retry: { maxDelayMs: 60_000, sleep } });
  const res = await qf(`${server.origin}/`);
  assert.is(res.status, 200);
  await res.arrayBuffer();
  assert.is(slept[0], 60_000); // two hours asked, capped
  assert.ok(slept[1] > 28_000 && slept[1] <= 30_000, `${slept[1]}`);
  assert.is(retryAfterMs('0', 0), 0);
  assert.is(retryAfterMs('Thu, 01 Jan 1970 00:00:00 GMT', 5000), 0);
  assert.is(retryAfterMs('soon', 0), undefined);
  assert.is(retryAfterMs(null, 0), undefined);
});

R('a transport failure is retried; an abort while waiting stops everything', async () => {
  let failures = 1;
  const flaky: FetchFunction = (input, init) =>
    failures-- > 0 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
  const res = await createSignedFetch(qredo, { fetch: flaky, retry: { sleep } })(
    `${server.origin}/`,
  );
  assert.is(res.status, 200);
  await res.arrayBuffer();
  assert.is(server.requests.length, 1);

  script = [[503, {}]];
  const controller = new AbortController();
  const pending = createSignedFetch(qredo, { retry: { baseDelayMs: 60_000, random: () => 1 } })(
    `${server.origin}/`,
    { signal: controller.signal },
  );
  setTimeout(() => controller.abort(new Error('user gave up')), 50);
  const error = (await errorOf(() => pending)) as Error;
  assert.is(error.message, 'user gave up');
  assert.is(server.requests.length, 2);
});

R('bad retry options are INVALID_OPTION', async () => {
  for (const retry of [
    { retries: -1 },
    { retries: 1.5 },
    { statuses: 'all' },
    { methods: [1] },
    { maxDelayMs: Infinity },
    { sleep: 5 },
    'yes',
  ]) {
    const error = await errorOf(() => createSignedFetch(qredo, { retry: retry as never }));
    assert.is((error as SigningError).code, 'INVALID_OPTION', JSON.stringify(retry));
  }
});

const AHEAD_MS = 90_000; // the server's clock is 90 s ahead of ours
let ageHeader: string | undefined;
let dateShift = 0;
let clockServer: TestServer;
const C = suite('clock sync()');
C.before(async () => {
  clockServer = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    now: () => Date.now() + AHEAD_MS + dateShift,
    handle: (_r, res) => {
      if (ageHeader !== undefined) res.setHeader('age', ageHeader);
      return false;
    },
  });
});
C.after(() => clockServer.close());
C.before.each(() => {
  clockServer.requests.length = 0;
  ageHeader = undefined;
  dateShift = 0;
});

C(
  'sync() learns the offset from one unsigned HEAD; the first signed request then verifies',
  async () => {
    const skew = createClockSkew();
    const offset = await skew.sync(`${clockServer.origin}/qapi/v1/`);
    assert.ok(offset !== undefined && Math.abs(offset - AHEAD_MS) <= 1500, `offset ${offset}`);
    assert.is(skew.offsetMs, offset);
    const [head] = clockServer.requests;
    assert.is(head.method, 'HEAD');
    assert.equal(credentials(head.headers), []); // nothing to steal in a clock probe
    const res = await createSignedFetch(qredo, { clockSkew: skew })(`${clockServer.origin}/a`);
    assert.is(res.status, 200);
    await res.arrayBuffer();
    assert.is(clockServer.requests.length, 2); // no 401 round trip was needed
    // Control: without sync (clock skew off) the same request is refused as stale.
    const stale = await createSignedFetch(qredo)(`${clockServer.origin}/a`);
    assert.is(stale.status, 401);
    await stale.arrayBuffer();
  },
);

C('sync() ignores a cached answer (Age) and an offset beyond the bound', async () => {
  const skew = createClockSkew();
  ageHeader = '30';
  assert.is(await skew.sync(new URL(`${clockServer.origin}/`)), undefined);
  assert.is(skew.offsetMs, 0);
  ageHeader = undefined;
  dateShift = 3_600_000; // +1 h 1.5 min: beyond ±300 s
  assert.is(await skew.sync(`${clockServer.origin}/`), undefined);
  assert.is(skew.offsetMs, 0);
  const bounded = createClockSkew({ maxOffsetSeconds: 60 });
  dateShift = 0;
  assert.is(await bounded.sync(`${clockServer.origin}/`), undefined); // 90 s > 60 s
  const code = ((await errorOf(() => skew.sync('data:,x'))) as SigningError).code;
  assert.is(code, 'INVALID_URL');
});

R.run();
C.run();
