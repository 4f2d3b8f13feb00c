/**
 * createSignedFetch against a local server that verifies signatures on its own (test/client/server.ts):
 * every input and body form, header merging, refusals that must never reach the wire, `nonce:
 * 'auto'` under concurrency, and the opt-in clock-skew correction.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { api, errorOf } from '../support.js';
import { startServer, type TestServer } from './server.js';
import { createSignedFetch, type FetchFunction } from '../../src/client/signed-fetch.js';
import { createClockSkew } from '../../src/client/clock-skew.js';

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET });
const partner = api.createPartnerSigner({ apiKey: 'pk', privateKey: PRIVATE_PEM });

let server: TestServer;
/** fetch that counts what actually went out, to prove refused requests never did. */
let sent = 0;
const countingFetch: FetchFunction = (input, init) => {
  sent++;
  return fetch(input, init);
};

const F = suite('createSignedFetch');
F.before(async () => {
  server = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    partnerKeys: { pk: publicKey },
  });
});
F.after(async () => {
  await server.close();
});

const last = () => server.requests[server.requests.length - 1];
const qfetch = () => createSignedFetch(qredo, { fetch: countingFetch });

async function expectVerified(response: Response, method: string, body: Uint8Array | string) {
  const r = last();
  assert.is(r.verdict.reason, undefined);
  assert.ok(r.verdict.ok);
  assert.is(response.status, 200);
  assert.is(r.method, method);
  const expected = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  assert.equal(Array.from(r.body), Array.from(expected));
  await response.arrayBuffer();
}

F('string URL, string body: verifies, fetch default text/plain kept', async () => {
  const res = await qfetch()(`${server.origin}/a?x=1`, { method: 'POST', body: 'héllo' });
  await expectVerified(res, 'POST', 'héllo');
  assert.is(last().headers['content-type'], 'text/plain;charset=UTF-8');
  assert.is(last().verdict.scheme, 'qredo-v1');
});

F('caller Content-Type on a string body is kept', async () => {
  const res = await qfetch()(`${server.origin}/a`, {
    method: 'PUT',
    body: '<x/>',
    headers: { 'Content-Type': 'application/xml' },
  });
  await expectVerified(res, 'PUT', '<x/>');
  assert.is(last().headers['content-type'], 'application/xml');
});

F('URL object with a fragment: the fragment is not signed or sent', async () => {
  const res = await qfetch()(new URL(`${server.origin}/path/%7Euser?q=a%20b#frag`));
  await expectVerified(res, 'GET', '');
  assert.is(last().url, `${server.origin}/path/%7Euser?q=a%20b`);
});

F("'patch' goes out as PATCH", async () => {
  const res = await qfetch()(`${server.origin}/p`, { method: 'patch', body: '{"a":1}' });
  await expectVerified(res, 'PATCH', '{"a":1}');
});

F('Request input: its method, headers and stream body', async () => {
  const request = new Request(`${server.origin}/r#x`, {
    method: 'POST',
    body: 'from a Request',
    headers: { 'x-custom': 'kept' },
  });
  const res = await qfetch()(request);
  await expectVerified(res, 'POST', 'from a Request');
  assert.is(last().headers['x-custom'], 'kept');
  assert.is(last().headers['content-type'], 'text/plain;charset=UTF-8');
});

F('Request input with init overriding method, headers and body', async () => {
  const request = new Request(`${server.origin}/r`, {
    method: 'POST',
    body: 'old',
    headers: { a: '1' },
  });
  const res = await qfetch()(request, { method: 'delete', body: 'new', headers: { b: '2' } });
  await expectVerified(res, 'DELETE', 'new');
  assert.is(last().headers.a, undefined);
  assert.is(last().headers.b, '2');
});

F('byte bodies: Uint8Array, ArrayBuffer, offset views', async () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  const views: [string, BodyInit, Uint8Array][] = [
    ['Uint8Array', bytes, bytes],
    ['ArrayBuffer', bytes.slice().buffer, bytes],
    ['subarray', bytes.subarray(5, 105), bytes.subarray(5, 105)],
    ['DataView', new DataView(bytes.buffer, 10, 20), bytes.subarray(10, 30)],
    ['Int16Array', new Int16Array(bytes.buffer, 2, 10), bytes.subarray(2, 22)],
    ['Buffer', Buffer.from(bytes.subarray(1, 4)), bytes.subarray(1, 4)],
  ];
  for (const [, body, expected] of views) {
    const res = await qfetch()(`${server.origin}/bytes`, { method: 'POST', body });
    await expectVerified(res, 'POST', expected);
    assert.is(last().headers['content-type'], undefined);
  }
});

F('Blob: bytes and its type as Content-Type', async () => {
  const blob = new Blob(['a', new Uint8Array([0, 255]), 'z'], { type: 'application/octet-stream' });
  const res = await qfetch()(`${server.origin}/blob`, { method: 'POST', body: blob });
  await expectVerified(res, 'POST', new Uint8Array([97, 0, 255, 122]));
  assert.is(last().headers['content-type'], 'application/octet-stream');
});

F('URLSearchParams: form encoding and its Content-Type', async () => {
  const params = new URLSearchParams({ a: 'b c', é: '&' });
  const res = await qfetch()(`${server.origin}/form`, { method: 'POST', body: params });
  await expectVerified(res, 'POST', 'a=b+c&%C3%A9=%26');
  assert.is(last().headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
});

F('ReadableStream and async-iterable bodies are read once into bytes', async () => {
  const chunks = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])];
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  let res = await qfetch()(`${server.origin}/s`, { method: 'POST', body: stream });
  await expectVerified(res, 'POST', new Uint8Array([1, 2, 3, 4, 5, 6]));
  const readable = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
  res = await qfetch()(`${server.origin}/s`, {
    method: 'POST',
    body: readable as unknown as BodyInit,
  });
  await expectVerified(res, 'POST', 'abcd');
});

F('plain object: JSON, content-type application/json unless the caller set one', async () => {
  let res = await qfetch()(`${server.origin}/j`, {
    method: 'POST',
    body: { name: 'ACME', n: [1, 2] } as unknown as BodyInit,
  });
  await expectVerified(res, 'POST', '{"name":"ACME","n":[1,2]}');
  assert.is(last().headers['content-type'], 'application/json');
  res = await qfetch()(`${server.origin}/j`, {
    method: 'POST',
    body: [1] as unknown as BodyInit,
    headers: [['content-type', 'application/vnd.x+json']],
  });
  await expectVerified(res, 'POST', '[1]');
  assert.is(last().headers['content-type'], 'application/vnd.x+json');
});

F("headers: Headers, record and pairs merge; the scheme's headers win", async () => {
  const forms: HeadersInit[] = [
    new Headers({ 'x-a': '1', 'qredo-api-sig': 'stale' }),
    { 'x-a': '1', 'Qredo-Api-Sig': 'stale' },
    [
      ['x-a', '1'],
      ['qredo-api-sig', 'stale'],
    ],
  ];
  for (const headers of forms) {
    const res = await qfetch()(`${server.origin}/h`, { headers });
    await expectVerified(res, 'GET', '');
    assert.is(last().headers['x-a'], '1');
    assert.is.not(last().headers['qredo-api-sig'], 'stale');
  }
});

F('FormData is refused with INVALID_BODY and never sent', async () => {
  const form = new FormData();
  form.set('a', 'b');
  const before = sent;
  const error = await errorOf(() => qfetch()(`${server.origin}/f`, { method: 'POST', body: form }));
  assert.instance(error, api.SigningError);
  assert.is((error as InstanceType<typeof api.SigningError>).code, 'INVALID_BODY');
  assert.is(sent, before);
});

F('a locked stream or an already-read Request body: INVALID_BODY, not sent', async () => {
  const before = sent;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  stream.getReader();
  let error = await errorOf(() => qfetch()(`${server.origin}/l`, { method: 'POST', body: stream }));
  assert.is((error as { code?: string }).code, 'INVALID_BODY');
  const used = new Request(`${server.origin}/l`, { method: 'POST', body: 'once' });
  await used.text();
  error = await errorOf(() => qfetch()(used));
  assert.is((error as { code?: string }).code, 'INVALID_BODY');
  assert.is(sent, before);
});

F('bodies beyond maxBodyBytes: BODY_TOO_LARGE, not sent', async () => {
  const small = createSignedFetch(qredo, { fetch: countingFetch, maxBodyBytes: 4 });
  const before = sent;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(3)); // endless: proves the read stops at the limit
    },
  });
  for (const body of [stream, new Blob(['12345'])]) {
    const error = await errorOf(() => small(`${server.origin}/big`, { method: 'POST', body }));
    assert.is((error as { code?: string }).code, 'BODY_TOO_LARGE');
  }
  const request = new Request(`${server.origin}/big`, { method: 'POST', body: '12345' });
  const error = await errorOf(() => small(request));
  assert.is((error as { code?: string }).code, 'BODY_TOO_LARGE');
  assert.is(sent, before);
  const res = await small(`${server.origin}/ok`, { method: 'POST', body: new Blob(['1234']) });
  await expectVerified(res, 'POST', '1234');
});

F('a body on GET is refused, not sent', async () => {
  const before = sent;
  const error = await errorOf(() => qfetch()(`${server.origin}/g`, { body: 'x' }));
  assert.is((error as { code?: string }).code, 'INVALID_BODY');
  assert.is(sent, before);
});

F('webcrypto (async-only) Qredo signer and a v2-profile signer', async () => {
  for (const options of [{ backend: 'webcrypto' as const }, { profile: 'v2' as const }]) {
    const signer = api.createQredoSigner({ apiKey: 'qk', secret: SECRET, ...options });
    const res = await createSignedFetch(signer)(`${server.origin}/w`, {
      method: 'POST',
      body: 'w',
    });
    await expectVerified(res, 'POST', 'w');
  }
  assert.is(last().verdict.scheme, 'qredo-v2');
});

F('Partner signer: timestamp and nonce, JSON body and GET', async () => {
  let res = await createSignedFetch(partner)(`${server.origin}/api/v1/p/company`, {
    method: 'POST',
    body: { name: 'ACME' } as unknown as BodyInit,
  });
  await expectVerified(res, 'POST', '{"name":"ACME"}');
  assert.ok(last().headers['x-timestamp']);
  res = await createSignedFetch(partner, { nonce: 'auto' })(`${server.origin}/api/v1/p/company`);
  await expectVerified(res, 'GET', '');
  assert.ok(last().headers['x-nonce']);
  assert.is(last().headers['x-timestamp'], undefined);
});

F("nonce: 'auto' with a Qredo signer is an INVALID_OPTION, not sent", async () => {
  const before = sent;
  const error = await errorOf(() =>
    createSignedFetch(qredo, { fetch: countingFetch, nonce: 'auto' })(`${server.origin}/n`),
  );
  assert.is((error as { code?: string }).code, 'INVALID_OPTION');
  assert.is(sent, before);
});

F("40 concurrent nonce 'auto' signatures: strictly increasing, all verify", async () => {
  const signer = api.createPartnerSigner({ apiKey: 'pk', privateKey: PRIVATE_PEM });
  const url = `${server.origin}/api/v1/p/feed`;
  const signed = await Promise.all(
    Array.from({ length: 40 }, () => signer.sign({ url, nonce: 'auto' })),
  );
  const nonces = signed.map((s) => BigInt(s.headers['x-nonce']));
  for (let i = 1; i < nonces.length; i++) assert.ok(nonces[i] > nonces[i - 1], `nonce ${i}`);
  const responses = await Promise.all(
    signed.map((s) => fetch(s.url, { method: s.method, headers: s.headers })),
  );
  for (const r of responses) {
    assert.is(r.status, 200);
    await r.arrayBuffer();
  }
  // and through the signed fetch itself, concurrently
  const qf = createSignedFetch(signer, { nonce: 'auto' });
  const viaFetch = await Promise.all(Array.from({ length: 40 }, () => qf(url)));
  for (const r of viaFetch) {
    assert.is(r.status, 200);
    await r.arrayBuffer();
  }
  // A replay of any of them is refused by the server: the check above could fail.
  const replay = await fetch(signed[0].url, { headers: signed[0].headers });
  assert.is(replay.status, 401);
  await replay.arrayBuffer();
});

F('nonce persistence hook: a restarted sender continues above the persisted value', async () => {
  let persisted = '';
  const first = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: PRIVATE_PEM,
    nonce: { onIssue: (n) => (persisted = n), now: () => 5 },
  });
  const url = `${server.origin}/api/v1/p/x`;
  await first.sign({ url, nonce: 'auto' });
  const a = await first.sign({ url, nonce: 'auto' });
  assert.is(persisted, a.headers['x-nonce']);
  assert.is(persisted, '5001'); // 5 ms → 5000 µs, then +1 within the same millisecond
  const second = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: PRIVATE_PEM,
    nonce: { after: persisted, now: () => 5 }, // same clock reading: must still go above
  });
  const b = await second.sign({ url, nonce: 'auto' });
  assert.is(b.headers['x-nonce'], '5002');
  const res = await fetch(b.url, { headers: b.headers });
  assert.is(res.status, 200);
  await res.arrayBuffer();
});

const S = suite('clock skew');
const SKEW_MS = -120_000; // the client's clock is two minutes slow
let skewServer: TestServer;
S.before(async () => {
  skewServer = await startServer({ qredoSecrets: { qk: SECRET_BYTES } });
});
S.after(async () => {
  await skewServer.close();
});
const wrongClock = () => Date.now() + SKEW_MS;

S('off (default) with a wrong clock: 401, no retry', async () => {
  const before = skewServer.requests.length;
  const res = await createSignedFetch(qredo, { now: wrongClock })(`${skewServer.origin}/b`);
  assert.is(res.status, 401);
  await res.arrayBuffer();
  assert.is(skewServer.requests.length, before + 1);
  assert.is(skewServer.requests[before].verdict.reason, 'stale timestamp');
});

S('on: the 401 becomes a 200 after one retry, then the offset is known', async () => {
  const skew = createClockSkew({ now: wrongClock });
  const qf = createSignedFetch(qredo, { clockSkew: skew });
  const before = skewServer.requests.length;
  const res = await qf(`${skewServer.origin}/b`, { method: 'POST', body: 'replayed body' });
  assert.is(res.status, 200);
  await res.arrayBuffer();
  const [first, second] = skewServer.requests.slice(before);
  assert.is(skewServer.requests.length, before + 2);
  assert.is(first.verdict.reason, 'stale timestamp');
  assert.ok(second.verdict.ok);
  assert.is(second.body.toString(), 'replayed body');
  // 120 s, learned from a Date header of 1 s resolution on a local round trip.
  assert.ok(Math.abs(skew.offsetMs + SKEW_MS) <= 1500, `offset ${skew.offsetMs}`);
  const again = await qf(`${skewServer.origin}/c`);
  assert.is(again.status, 200);
  await again.arrayBuffer();
  assert.is(skewServer.requests.length, before + 3);
});

S('on, with clockSkew: true and the fetch-level now', async () => {
  const qf = createSignedFetch(qredo, { clockSkew: true, now: wrongClock });
  const res = await qf(`${skewServer.origin}/d`);
  assert.is(res.status, 200);
  await res.arrayBuffer();
});

S('on: a 401 for another reason (bad key) is not retried', async () => {
  const wrong = api.createQredoSigner({ apiKey: 'qk', secret: randomBytes(32) });
  const before = skewServer.requests.length;
  const res = await createSignedFetch(wrong, { clockSkew: true })(`${skewServer.origin}/e`);
  assert.is(res.status, 401);
  await res.arrayBuffer();
  assert.is(skewServer.requests.length, before + 1);
});

S('the estimate: Date + 0.5 s − mid-point of the round trip', () => {
  const skew = createClockSkew({ now: () => 1_700_000_010_000 });
  const date = 'Tue, 14 Nov 2023 22:13:20 GMT'; // 1_700_000_000 s
  assert.is(skew.estimate(date, 1_699_999_900_000, 1_699_999_900_200), 100_400);
  assert.is(skew.estimate('not a date', 0, 0), undefined);
  assert.is(skew.estimate(null, 0, 0), undefined);
  skew.observe(date, 1_700_000_000_000, 1_700_000_000_200); // 400 ms: below the resolution
  assert.is(skew.offsetMs, 0);
  assert.is(skew.correct(date, 1_700_000_003_000, 1_700_000_003_000, 0), false); // 2.5 s ≤ 5 s
  assert.is(skew.correct(date, 1_700_000_010_000, 1_700_000_010_000, 0), true); // 9.5 s
  assert.is(skew.offsetMs, -9_500);
  // local 1_700_000_010.000 s, server 9.5 s behind: 1_700_000_000.5 → whole seconds
  assert.is(skew.timestamp(), '1700000000');
});

F.run();
S.run();
