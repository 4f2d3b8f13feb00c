/**
 * Attacks on the client side (issue 14 items 4, 5, 10; contract §3a.1), each against real loopback
 * servers: A is the origin signed for (it checks signatures with node:crypto, test/client/server.ts), B is
 * another origin (another port) that records whatever reaches it. `localhost:<A's port>` is a third
 * origin on A's very socket. Each attack sits beside a control showing the honest request works.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { api, errorOf } from '../support.js';
import { credentials, startServer, type Received, type TestServer } from './server.js';
import { createSignedFetch, type FetchFunction } from '../../src/client/signed-fetch.js';
import { createClockSkew } from '../../src/client/clock-skew.js';
import { SigningError } from '../../src/lib/errors.js';

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET });
const partner = api.createPartnerSigner({ apiKey: 'pk', privateKey: PRIVATE_PEM });

/** A's extra routes: `/go?status=307&to=<url>` redirects; `/hostile-date` answers 401 dated +1 h. */
let hostileDateMs = 3_600_000;
function routeA(r: Received, res: ServerResponse): boolean {
  const url = new URL(r.url);
  if (url.pathname === '/go') {
    res.writeHead(Number(url.searchParams.get('status') ?? '307'), {
      location: url.searchParams.get('to') ?? '/',
    });
    res.end();
    return true;
  }
  if (url.pathname === '/loop') {
    res.writeHead(302, { location: '/loop' }).end();
    return true;
  }
  if (url.pathname === '/hostile-date') {
    res.setHeader('date', new Date(Date.now() + hostileDateMs).toUTCString());
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"stale timestamp"}');
    return true;
  }
  return false;
}

let a: TestServer;
let b: TestServer;
const R = suite('signed fetch: credentials stay with their origin');
R.before(async () => {
  a = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    partnerKeys: { pk: publicKey },
    handle: routeA,
  });
  // B would accept A's credentials: a replay within the window verifies there.
  b = await startServer({ qredoSecrets: { qk: SECRET_BYTES }, partnerKeys: { pk: publicKey } });
});
R.after(async () => {
  await a.close();
  await b.close();
});
R.before.each(() => {
  a.requests.length = 0;
  b.requests.length = 0;
});

const go = (to: string, status = 307) =>
  `${a.origin}/go?status=${status}&to=${encodeURIComponent(to)}`;
const nothingAtB = () => {
  for (const r of b.requests) assert.equal(credentials(r.headers), [], 'credential reached B');
  assert.is(b.requests.length, 0, 'B was contacted');
};

R('attack (default): A redirects to B; the 307 comes back, B sees nothing', async () => {
  const qf = createSignedFetch(qredo);
  const res = await qf(go(`${b.origin}/steal`), { method: 'POST', body: '{"amount":1}' });
  assert.is(res.status, 307);
  assert.is(res.headers.get('location'), `${b.origin}/steal`);
  nothingAtB();
  assert.ok(a.requests[0].verdict.ok); // control: A got the honest, verified request
});

R('attack (default): Partner signer, timestamp and nonce: no x-sign/x-api-key at B', async () => {
  for (const options of [{}, { nonce: 'auto' as const }]) {
    const res = await createSignedFetch(partner, options)(go(`${b.origin}/steal`, 302));
    assert.is(res.status, 302);
    await res.arrayBuffer();
  }
  nothingAtB();
});

R('attack (Request input, its default redirect "follow"): still not followed', async () => {
  const res = await createSignedFetch(qredo)(new Request(go(`${b.origin}/steal`)));
  assert.is(res.status, 307);
  nothingAtB();
});

R(
  "attack (redirect: 'follow'): cross-origin hop → CROSS_ORIGIN_REDIRECT, B sees nothing",
  async () => {
    for (const target of [`${b.origin}/steal`, `http://localhost:${a.port}/steal`]) {
      const error = await errorOf(() =>
        createSignedFetch(qredo)(go(target), { method: 'PUT', body: 'x', redirect: 'follow' }),
      );
      assert.instance(error, SigningError);
      assert.is((error as SigningError).code, 'CROSS_ORIGIN_REDIRECT');
      assert.not.ok((error as Error).message.includes(SECRET));
    }
    nothingAtB();
    assert.is(a.requests.length, 2); // the localhost hop (A's own socket) was not sent either
  },
);

R("control (redirect: 'follow'): same-origin hops re-signed per Fetch's method rules", async () => {
  const qf = createSignedFetch(qredo);
  const cases = [
    [307, 'POST', 'POST', 'body'],
    [308, 'PUT', 'PUT', 'body'],
    [303, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [302, 'DELETE', 'DELETE', 'body'],
  ] as const;
  for (const [status, method, hopMethod, hopBody] of cases) {
    a.requests.length = 0;
    const res = await qf(go('/landed?q=1', status), {
      method,
      body: 'body',
      headers: { 'content-type': 'text/x-test' },
      redirect: 'follow',
    });
    assert.is(res.status, 200, `${status} ${method}`);
    await res.arrayBuffer();
    const [first, hop] = a.requests;
    assert.ok(first.verdict.ok);
    assert.ok(hop.verdict.ok, hop.verdict.reason); // signed anew for /landed?q=1
    assert.is(hop.url, `${a.origin}/landed?q=1`);
    assert.is(hop.method, hopMethod);
    assert.is(hop.body.toString(), hopBody);
    assert.is(hop.headers['content-type'], hopBody ? 'text/x-test' : undefined);
  }
  nothingAtB();
});

R('bounded hops: a redirect loop stops after maxRedirects', async () => {
  const error = await errorOf(() =>
    createSignedFetch(qredo, { maxRedirects: 3 })(`${a.origin}/loop`, { redirect: 'follow' }),
  );
  assert.is((error as SigningError).code, 'INVALID_REQUEST');
  assert.is(a.requests.length, 4);
  assert.ok(a.requests.every((r) => r.verdict.ok));
});

R('hidden redirects (browser opaqueredirect): the default rejects, manual returns it', async () => {
  let calls = 0;
  const opaque: FetchFunction = async (_input, init) => {
    calls++;
    assert.is(init?.redirect, 'manual'); // the runtime is never asked to follow
    return {
      type: 'opaqueredirect',
      status: 0,
      ok: false,
      redirected: false,
      url: '',
      headers: new Headers(),
      body: null,
    } as unknown as Response;
  };
  const qf = createSignedFetch(qredo, { fetch: opaque });
  for (const redirect of [undefined, 'follow'] as const) {
    const error = await errorOf(() => qf(`${a.origin}/x`, redirect ? { redirect } : {}));
    assert.is((error as SigningError).code, 'CROSS_ORIGIN_REDIRECT');
  }
  const res = await qf(`${a.origin}/x`, { redirect: 'manual' });
  assert.is(res.type, 'opaqueredirect');
  assert.is(calls, 3);
});

R("redirect: 'error' is passed to the runtime; bad values are INVALID_OPTION", async () => {
  const error = await errorOf(() =>
    createSignedFetch(qredo)(go(`${b.origin}/x`), { redirect: 'error' }),
  );
  assert.instance(error, TypeError); // the runtime's own network error
  nothingAtB();
  const bad = await errorOf(() =>
    createSignedFetch(qredo)(`${a.origin}/x`, { redirect: 'sideways' as RequestRedirect }),
  );
  assert.is((bad as SigningError).code, 'INVALID_OPTION');
  assert.is(a.requests.length, 1);
});

const S = suite('clock skew: bounded, and only from the origin signed for');
S.before(async () => {
  a = await startServer({ qredoSecrets: { qk: SECRET_BYTES }, handle: routeA });
  b = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    handle: (_r, res) => {
      res.setHeader('date', new Date(Date.now() + 200_000).toUTCString());
      res.writeHead(401).end();
      return true;
    },
  });
});
S.after(async () => {
  await a.close();
  await b.close();
});

S('attack: a 401 dated +1 h does not make the client sign a future time', async () => {
  hostileDateMs = 3_600_000;
  const skew = createClockSkew();
  const qf = createSignedFetch(qredo, { clockSkew: skew });
  a.requests.length = 0;
  const res = await qf(`${a.origin}/hostile-date`, { method: 'POST', body: 'pay' });
  assert.is(res.status, 401);
  await res.arrayBuffer();
  assert.is(a.requests.length, 1, 'not re-signed');
  assert.is(skew.offsetMs, 0);
  const later = await qf(`${a.origin}/later`);
  assert.is(later.status, 200); // later requests keep working
  assert.ok(a.requests[1].verdict.ok);
  await later.arrayBuffer();
  // Control: a 401 dated +120 s (inside the ±300 s bound) is still corrected and re-signed.
  hostileDateMs = 120_000;
  a.requests.length = 0;
  const corrected = await qf(`${a.origin}/hostile-date`);
  await corrected.arrayBuffer();
  assert.is(a.requests.length, 2);
  assert.ok(Math.abs(skew.offsetMs - 120_000) <= 1500, `offset ${skew.offsetMs}`);
});

S('a smaller bound is an option; beyond it nothing is learned from 200s either', () => {
  const skew = createClockSkew({ maxOffsetSeconds: 60, now: () => 1_700_000_000_000 });
  skew.observe('Tue, 14 Nov 2023 22:15:20 GMT', 1_700_000_000_000, 1_700_000_000_000); // +120 s
  assert.is(skew.offsetMs, 0);
  skew.observe('Tue, 14 Nov 2023 22:13:50 GMT', 1_700_000_000_000, 1_700_000_000_000); // +30 s
  assert.is(skew.offsetMs, 30_500);
  assert.is(skew.maxOffsetMs, 60_000);
  const error = errorOf(() => createClockSkew({ maxOffsetSeconds: -1 }));
  return error.then((e) => assert.is((e as SigningError).code, 'INVALID_OPTION'));
});

S('attack: a redirect target followed by a custom fetch does not move the clock', async () => {
  const skew = createClockSkew();
  // A wrapper that follows on its own, as some runtimes' or libraries' fetch do.
  const following: FetchFunction = (input, init) => fetch(input, { ...init, redirect: 'follow' });
  const qf = createSignedFetch(qredo, { clockSkew: skew, fetch: following });
  a.requests.length = 0;
  const res = await qf(go(`${b.origin}/dated`));
  assert.is(res.status, 401); // B's answer, dated +200 s
  assert.ok(res.redirected);
  await res.arrayBuffer();
  assert.is(skew.offsetMs, 0);
  assert.is(a.requests.length, 1, 'no re-signed retry');
});

R.run();
S.run();
