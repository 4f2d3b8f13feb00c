/**
 * `qredo-sign/openapi-fetch` against the independent verifier (test/client/server.ts, node:crypto): an
 * openapi-fetch client's GET (path and query parameters), POST (JSON) and PATCH requests verify;
 * a redirect to another origin (a second server on another port recording what reaches it) gets
 * nothing, while the control (headers added in place, openapi-fetch's default 'follow') leaks.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import createClient, { type Middleware } from 'openapi-fetch';
import { api, errorOf } from '../support.js';
import { startServer, type TestServer } from './server.js';
import { signingMiddleware } from '../../src/openapi-fetch.js';

/** What openapi-typescript would generate for a small part of the Partner API. */
interface paths {
  '/company/{id}/wallets': {
    get: {
      parameters: {
        path: { id: string };
        query?: { kind?: string; tags?: string[]; note?: string };
      };
      responses: { 200: { content: { 'application/json': { ok: boolean } } } };
    };
  };
  '/company': {
    post: {
      requestBody: { content: { 'application/json': { name: string; amount: string } } };
      responses: { 200: { content: { 'application/json': { ok: boolean } } } };
    };
    patch: {
      requestBody: { content: { 'application/json': { name: string } } };
      responses: { 200: { content: { 'application/json': { ok: boolean } } } };
    };
  };
  '/away': {
    get: { responses: { 302: { content: never } } };
  };
}

const SECRET = randomBytes(32);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partner = api.createPartnerSigner({ apiKey: 'pk', privateKey });
const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET });

let server: TestServer;
let other: TestServer;

const O = suite('openapi-fetch signingMiddleware');
O.before(async () => {
  other = await startServer();
  server = await startServer({
    qredoSecrets: { qk: SECRET },
    partnerKeys: { pk: publicKey },
    handle(request, res) {
      if (new URL(request.url).pathname.endsWith('/away')) {
        res.writeHead(302, { location: `${other.origin}/stolen` }).end();
        return true;
      }
      return false;
    },
  });
});
O.after(async () => {
  await server.close();
  await other.close();
});

const last = () => server.requests[server.requests.length - 1];
const client = (middleware: Middleware) => {
  const c = createClient<paths>({ baseUrl: `${server.origin}/api/v1/p` });
  c.use(middleware);
  return c;
};

O('GET with path and query parameters verifies (Partner, Qredo)', async () => {
  for (const signer of [partner, qredo]) {
    const { data, response } = await client(signingMiddleware(signer)).GET(
      '/company/{id}/wallets',
      {
        params: { path: { id: 'c 1' }, query: { kind: "it's", tags: ['a', 'b c'], note: 'é+' } },
      },
    );
    assert.is(response.status, 200, JSON.stringify(last().verdict));
    assert.ok(data?.ok);
    assert.ok(last().verdict.ok, last().verdict.reason);
    const url = new URL(last().url);
    assert.is(url.pathname, '/api/v1/p/company/c%201/wallets');
    assert.is(url.searchParams.get('note'), 'é+');
  }
});

O('POST and PATCH with JSON bodies verify; the body arrives as serialised once', async () => {
  for (const signer of [partner, qredo]) {
    const c = client(signingMiddleware(signer, signer === partner ? { nonce: 'auto' } : {}));
    const post = await c.POST('/company', { body: { name: 'ACME', amount: '1.50' } });
    assert.is(post.response.status, 200);
    assert.ok(last().verdict.ok, last().verdict.reason);
    assert.is(last().body.toString(), '{"name":"ACME","amount":"1.50"}');
    assert.is(last().headers['content-type'], 'application/json');
    const patch = await c.PATCH('/company', { body: { name: 'B' } });
    assert.is(patch.response.status, 200);
    assert.is(last().method, 'PATCH');
    assert.ok(last().verdict.ok, last().verdict.reason);
  }
});

O(
  'attack: a redirect to another origin is returned, not followed; nothing reaches it',
  async () => {
    const before = other.requests.length;
    const { response } = await client(signingMiddleware(partner)).GET('/away');
    assert.is(response.status, 302);
    assert.is(other.requests.length, before);
    const strict = await errorOf(() =>
      client(signingMiddleware(partner, { redirect: 'error' })).GET('/away'),
    );
    assert.instance(strict, TypeError); // fetch's own rejection of a redirect under 'error'
    assert.is(other.requests.length, before);
  },
);

O(
  'control: headers added in place (openapi-fetch default redirect: follow) leak to the other origin',
  async () => {
    const before = other.requests.length;
    const naive: Middleware = {
      async onRequest({ request }) {
        const signed = await partner.sign({ url: request.url });
        for (const [k, v] of Object.entries(signed.headers)) request.headers.set(k, v);
        return request;
      },
    };
    await client(naive).GET('/away');
    const leaked = other.requests.slice(before);
    assert.is(leaked.length, 1);
    assert.ok(leaked[0].headers['x-sign']);
  },
);

O(
  'refusals before anything is sent: body too large, nonce with a Qredo signer, bad options',
  async () => {
    const before = server.requests.length;
    const big = await errorOf(() =>
      client(signingMiddleware(qredo, { maxBodyBytes: 10 })).POST('/company', {
        body: { name: 'x'.repeat(20), amount: '1' },
      }),
    );
    assert.is((big as api.SigningError).code, 'BODY_TOO_LARGE');
    const nonce = await errorOf(() =>
      client(signingMiddleware(qredo, { nonce: 'auto' })).GET('/away'),
    );
    assert.is((nonce as api.SigningError).code, 'INVALID_OPTION');
    assert.is(server.requests.length, before);
    const bad = await errorOf(() => signingMiddleware(qredo, { redirect: 'follow' as 'manual' }));
    assert.is((bad as api.SigningError).code, 'INVALID_OPTION');
    const noSigner = await errorOf(() => signingMiddleware({} as api.QredoSigner));
    assert.is((noSigner as api.SigningError).code, 'INVALID_ARGUMENT');
  },
);

O.run();
