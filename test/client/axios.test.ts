/**
 * `qredo-sign/axios` against the independent verifier (test/client/server.ts, node:crypto): object and
 * other bodies, `params` in the signed URL exactly as sent, retries re-signed, and contract §3a.1: a
 * redirect to another origin (a second server on another port that records what reaches it) gets
 * no credential, by default and with `redirect: 'follow'`; the control shows plain axios leaks.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { api, errorOf } from '../support.js';
import { startServer, type TestServer } from './server.js';
import { signAxios } from '../../src/axios.js';

const SECRET = randomBytes(32);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partner = api.createPartnerSigner({ apiKey: 'pk', privateKey });
const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET });

let server: TestServer;
let other: TestServer;
let failNext = 0;

const X = suite('signAxios');
X.before(async () => {
  other = await startServer();
  server = await startServer({
    qredoSecrets: { qk: SECRET },
    partnerKeys: { pk: publicKey },
    handle(request, res) {
      const path = new URL(request.url).pathname.replace(/^\/api\/v1\/p/, '');
      if (path === '/flaky' && failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return true;
      }
      if (path === '/away') {
        res.writeHead(302, { location: `${other.origin}/stolen` }).end();
        return true;
      }
      if (path === '/see-other') {
        res.writeHead(303, { location: '/landed?from=post' }).end();
        return true;
      }
      if (path === '/here') {
        res.writeHead(307, { location: '/landed?after=1' }).end();
        return true;
      }
      return false;
    },
  });
});
X.after(async () => {
  await server.close();
  await other.close();
});

const last = () => server.requests[server.requests.length - 1];
const make = (
  signer: api.PartnerSigner | api.QredoSigner,
  options?: Parameters<typeof signAxios>[2],
) => {
  const instance = axios.create({ baseURL: `${server.origin}/api/v1/p` });
  signAxios(instance, signer, options);
  return instance;
};

X(
  'POST with an object body: JSON sent as JSON, signature verifies (Partner and Qredo)',
  async () => {
    for (const signer of [partner, qredo]) {
      const res = await make(signer).post('/company', {
        name: 'ACME',
        amount: '1.50',
        nested: [1, { é: true }],
      });
      assert.is(res.status, 200);
      assert.ok(last().verdict.ok, last().verdict.reason);
      assert.is(last().headers['content-type'], 'application/json');
      assert.equal(JSON.parse(last().body.toString()), {
        name: 'ACME',
        amount: '1.50',
        nested: [1, { é: true }],
      });
      assert.is(last().url, `${server.origin}/api/v1/p/company`);
    }
  },
);

X('GET with params: the params are in the signed URL exactly as sent', async () => {
  const params = {
    q: "it's a test",
    list: ['a b', 'c'],
    at: '[x]',
    plus: '1+1',
    é: 'ü',
    empty: '',
  };
  for (const signer of [partner, qredo]) {
    const res = await make(signer).get('/wallets?fixed=1', { params });
    assert.is(res.status, 200);
    assert.ok(last().verdict.ok, last().verdict.reason);
    const received = new URL(last().url).searchParams;
    assert.is(received.get('fixed'), '1');
    assert.is(received.get('q'), "it's a test");
    assert.is(received.get('plus'), '1+1');
    assert.is(received.get('é'), 'ü');
  }
});

X(
  'other bodies: text (sent untrimmed), bytes, URLSearchParams, FormData; PATCH upper-cased',
  async () => {
    const instance = make(qredo);
    await instance.put('/text', '  {"a":1}  ', { headers: { 'content-type': 'application/json' } });
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.is(last().body.toString(), '  {"a":1}  ');
    const bytes = new Uint8Array([0, 255, 1, 2, 128]);
    await instance.patch('/bytes', bytes);
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.is(last().method, 'PATCH');
    assert.equal(Array.from(last().body), [0, 255, 1, 2, 128]);
    await instance.post('/form', new URLSearchParams({ a: '1', b: 'x y' }));
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.is(last().body.toString(), 'a=1&b=x+y');
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob(['content']), 'f.txt');
    await instance.post('/multipart', form);
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.match(String(last().headers['content-type']), /^multipart\/form-data; boundary=/);
  },
);

X(
  'retries (the instance called again, as axios-retry does) are re-signed: distinct nonces',
  async () => {
    const instance = make(partner, { nonce: 'auto' });
    instance.interceptors.response.use(undefined, (error: AxiosError) => {
      const config = error.config as typeof error.config & { retried?: number };
      if (error.response?.status === 503 && config && (config.retried ?? 0) < 2) {
        config.retried = (config.retried ?? 0) + 1;
        return instance(config);
      }
      throw error;
    });
    failNext = 2;
    const before = server.requests.length;
    const res = await instance.post('/flaky', { n: 1 }, { params: { p: 'q r' } });
    assert.is(res.status, 200);
    const attempts = server.requests.slice(before);
    assert.is(attempts.length, 3);
    assert.ok(attempts[2].verdict.ok, attempts[2].verdict.reason);
    const signatures = new Set(attempts.map((r) => r.headers['x-sign']));
    const nonces = new Set(attempts.map((r) => r.headers['x-nonce']));
    assert.is(signatures.size, 3);
    assert.is(nonces.size, 3);
    for (const r of attempts) assert.is(r.body.toString(), '{"n":1}');
    assert.is(new URL(attempts[2].url).searchParams.get('p'), 'q r');
  },
);

X('attack: a redirect to another origin gets no credential (default: not followed)', async () => {
  const before = other.requests.length;
  const error = (await errorOf(() => make(partner).get('/away'))) as AxiosError;
  assert.instance(error, AxiosError);
  assert.is(error.response?.status, 302);
  assert.is(other.requests.length, before);
});

X("attack: redirect: 'follow' refuses another origin with CROSS_ORIGIN_REDIRECT", async () => {
  const before = other.requests.length;
  const error = (await errorOf(() =>
    make(partner, { redirect: 'follow' }).get('/away'),
  )) as api.SigningError;
  assert.instance(error, api.SigningError);
  assert.is(error.code, 'CROSS_ORIGIN_REDIRECT');
  assert.is(other.requests.length, before);
});

X(
  "redirect: 'follow' within the origin re-signs for the new URL (POST body kept on 307)",
  async () => {
    const res = await make(qredo, { redirect: 'follow' }).post('/here', { a: 1 });
    assert.is(res.status, 200);
    assert.is(new URL(last().url).pathname, '/landed');
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.is(last().body.toString(), '{"a":1}');
  },
);

X(
  'control: plain axios with the same signed headers follows the redirect and leaks them',
  async () => {
    const before = other.requests.length;
    const signed = await partner.sign({ url: `${server.origin}/away` });
    await axios.get(signed.url, { headers: signed.headers, validateStatus: () => true });
    const leaked = other.requests.slice(before);
    assert.is(leaked.length, 1);
    assert.is(leaked[0].headers['x-sign'], signed.headers['x-sign']);
  },
);

X(
  'a request changed after signing (an interceptor added before signAxios) is refused',
  async () => {
    const instance: AxiosInstance = axios.create({ baseURL: server.origin });
    instance.interceptors.request.use((config) => {
      config.data = '{"tampered":true}';
      return config;
    });
    signAxios(instance, qredo);
    const before = server.requests.length;
    const error = (await errorOf(() => instance.post('/t', { a: 1 }))) as api.SigningError;
    assert.is(error.code, 'INVALID_REQUEST');
    assert.is(server.requests.length, before);
  },
);

X(
  'refusals: a stream body, a Qredo signer with nonce, a bad instance; eject removes signing',
  async () => {
    const { Readable } = await import('node:stream');
    const e1 = (await errorOf(() =>
      make(qredo).post('/s', Readable.from(['x'])),
    )) as api.SigningError;
    assert.is(e1.code, 'INVALID_BODY');
    const e2 = (await errorOf(() => make(qredo, { nonce: 'auto' }).get('/n'))) as api.SigningError;
    assert.is(e2.code, 'INVALID_OPTION');
    assert.is(
      ((await errorOf(() => signAxios({} as AxiosInstance, qredo))) as api.SigningError).code,
      'INVALID_ARGUMENT',
    );
    const instance = axios.create({ baseURL: server.origin });
    const eject = signAxios(instance, qredo);
    eject();
    const error = (await errorOf(() => instance.get('/plain'))) as AxiosError;
    assert.is(error.response?.status, 401);
    assert.is(last().headers['qredo-api-sig'], undefined);
  },
);

X.run();
