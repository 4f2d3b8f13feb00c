/**
 * Contract §3a.1: a signed request built from a plain object or array body carries
 * `content-type: application/json`, so the README's `fetch(req.url, { method, headers, body })`
 * sends JSON as JSON (before, fetch labelled the serialised string `text/plain`). Strings and
 * bytes get no label: the signer cannot know their type. The wire check uses the independent
 * node:crypto verifier of test/client/server.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { api, SYNC_BACKENDS } from '../support.js';
import { startServer, type TestServer } from '../client/server.js';

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const URL_ = 'https://api.qredo.network/api/v1/p/company';

interface Company {
  name: string;
  tags: string[];
}
const company: Company = { name: 'Acme', tags: ['a'] };

const L = suite('signed requests label JSON bodies');

L(
  'object and array bodies carry application/json; strings, bytes and no body carry none',
  async () => {
    for (const backend of SYNC_BACKENDS) {
      for (const profile of ['v1', 'v2'] as const) {
        const qredo = api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend, profile });
        const partner = api.createPartnerSigner({ apiKey: 'p', privateKey: PRIVATE_PEM, backend });
        try {
          for (const body of [company, [1, 2]] as const) {
            const signed = [
              qredo.signSync({ method: 'POST', url: URL_, body }),
              await qredo.sign({ method: 'POST', url: URL_, body }),
              partner.signSync({ url: URL_, body }),
              await partner.sign({ url: URL_, body }),
            ];
            for (const s of signed) {
              assert.is(s.headers['content-type'], 'application/json', `${backend} ${profile}`);
              assert.is(s.body, JSON.stringify(body));
            }
          }
          for (const body of ['{"name":"Acme"}', new TextEncoder().encode('{}'), undefined]) {
            const method = body === undefined ? 'GET' : 'POST';
            const q = qredo.signSync({ method, url: URL_, body });
            const p = partner.signSync({ url: URL_, body });
            assert.is(q.headers['content-type'], undefined, `${backend}: ${typeof body}`);
            assert.is(p.headers['content-type'], undefined, `${backend}: ${typeof body}`);
          }
        } finally {
          qredo.destroy();
          partner.destroy();
        }
      }
    }
  },
);

L('the label is not signed: the signature is the same as for the serialised string', () => {
  const qredo = api.createQredoSigner({ apiKey: 'k', secret: SECRET });
  const fromObject = qredo.signSync({ method: 'POST', url: URL_, body: company, timestamp: 1 });
  const fromString = qredo.signSync({
    method: 'POST',
    url: URL_,
    body: JSON.stringify(company),
    timestamp: 1,
  });
  assert.is(fromObject.headers['qredo-api-sig'], fromString.headers['qredo-api-sig']);
  qredo.destroy();
});

let server: TestServer;
L.before(async () => {
  server = await startServer({ qredoSecrets: { k: SECRET_BYTES }, partnerKeys: { p: publicKey } });
});
L.after(async () => {
  await server.close();
});

L('the README pattern sends JSON as JSON, and an independent verifier accepts it', async () => {
  const qredo = api.createQredoSigner({ apiKey: 'k', secret: SECRET });
  const partner = api.createPartnerSigner({ apiKey: 'p', privateKey: PRIVATE_PEM });
  for (const req of [
    await qredo.sign({ method: 'POST', url: `${server.origin}/company`, body: company }),
    await partner.sign({ url: `${server.origin}/company`, body: company }),
  ]) {
    const response = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
    });
    await response.arrayBuffer();
    const received = server.requests[server.requests.length - 1]!;
    assert.ok(received.verdict.ok, received.verdict.reason);
    assert.is(received.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(received.body.toString('utf8')), company);
  }
  qredo.destroy();
  partner.destroy();
});

L.run();
