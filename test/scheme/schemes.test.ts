/**
 * Both schemes on every backend, sync and async, against independent references computed here
 * with node:crypto, plus random requests (fast-check) for byte-for-byte agreement.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import {
  api,
  BACKENDS,
  SYNC_BACKENDS,
  errorOf,
  referenceQredoSignature,
  referenceRsaSignature,
  utf8,
} from '../support.js';

const SECRET_TEXT = 'dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGZvciBxcmVkby1zaWdu'; // base64 of a test phrase
const SECRET = Buffer.from(SECRET_TEXT, 'base64');
const { privateKey: RSA_KEY } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = RSA_KEY.export({ type: 'pkcs1', format: 'pem' }) as string;

const latin = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

for (const backend of BACKENDS) {
  const modes = (SYNC_BACKENDS as readonly string[]).includes(backend)
    ? (['sync', 'async'] as const)
    : (['async'] as const);
  for (const mode of modes) {
    const test = suite(`schemes on ${backend} (${mode})`);
    const qredo = api.createQredoSigner({ apiKey: 'test-key', secret: SECRET_TEXT, backend });
    const partner = api.createPartnerSigner({
      apiKey: 'partner-key',
      privateKey: RSA_PEM,
      backend,
    });
    const signQ = (r: Parameters<typeof qredo.sign>[0]) =>
      mode === 'sync' ? qredo.signSync(r) : qredo.sign(r);
    const signP = (r: Parameters<typeof partner.sign>[0]) =>
      mode === 'sync' ? partner.signSync(r) : partner.sign(r);

    test('contract §5 worked example', async () => {
      const signed = await signQ({
        method: 'GET',
        url: 'https://api.qredo.network/qapi/v1/balance',
        timestamp: 1647356399,
      });
      const input = '1647356399GEThttps://api.qredo.network/qapi/v1/balance';
      assert.is(latin(signed.signingInput), input);
      assert.equal(signed.headers, {
        'qredo-api-key': 'test-key',
        'qredo-api-ts': '1647356399',
        'qredo-api-sig': referenceQredoSignature(SECRET, input),
      });
      assert.is(signed.headers['qredo-api-sig'].length, 43);
      assert.is(signed.body, undefined);
      assert.is(qredo.backend, backend);
    });

    test('method upper-cased and sent, fragment dropped, JSON body serialised once', async () => {
      const body = { name: 'ACME ☃', list: [1, 'two', null], emoji: '😀' };
      const signed = await signQ({
        method: 'patch',
        url: 'HTTPS://API.qredo.network:443/a/./b/../c?q=a b#frag',
        body,
        timestamp: '1647356399000000000',
      });
      assert.is(signed.method, 'PATCH');
      assert.is(signed.url, 'https://api.qredo.network/a/c?q=a%20b');
      assert.is(signed.body, JSON.stringify(body));
      const input = `1647356399000000000PATCH${signed.url}${JSON.stringify(body)}`;
      assert.equal(signed.signingInput, utf8(input));
      assert.is(signed.headers['qredo-api-sig'], referenceQredoSignature(SECRET, utf8(input)));
    });

    test('binary body is signed and returned byte for byte', async () => {
      const body = new Uint8Array([0, 255, 0xc3, 0x28, 10, 13, 128]);
      const signed = await signQ({ method: 'PUT', url: 'https://x.test/p', body, timestamp: 5n });
      assert.is(signed.body, body);
      const input = Buffer.concat([Buffer.from('5PUThttps://x.test/p'), body]);
      assert.equal(signed.signingInput, new Uint8Array(input));
      assert.is(signed.headers['qredo-api-sig'], referenceQredoSignature(SECRET, input));
    });

    test('default timestamp is now in seconds', async () => {
      const before = Math.floor(Date.now() / 1000);
      const signed = await signQ({ method: 'GET', url: 'https://x.test/' });
      const ts = Number(signed.headers['qredo-api-ts']);
      assert.ok(ts >= before && ts <= before + 2);
    });

    test('v2 profile header names (contract §1.3)', async () => {
      const v2 = api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend, profile: 'v2' });
      const signed = await (mode === 'sync' ? v2.signSync : v2.sign)({
        method: 'GET',
        url: 'https://x.test/workspaces/w/token',
        timestamp: 1,
      });
      assert.equal(Object.keys(signed.headers).sort(), [
        'qredo-api-key',
        'qredo-api-signature',
        'qredo-api-timestamp',
      ]);
      assert.is(
        signed.headers['qredo-api-signature'],
        referenceQredoSignature(SECRET, '1GEThttps://x.test/workspaces/w/token'),
      );
    });

    test('Partner API: timestamp, nonce, default method, signature equals node:crypto', async () => {
      const withBody = await signP({
        url: 'https://p.test/api/v1/p/company',
        body: { a: 1 },
        nonce: 42,
      });
      assert.is(withBody.method, 'POST');
      assert.is(withBody.headers['x-nonce'], '42');
      assert.is(latin(withBody.signingInput), '42https://p.test/api/v1/p/company{"a":1}');
      assert.is(withBody.headers['x-sign'], referenceRsaSignature(RSA_KEY, withBody.signingInput));
      assert.is(withBody.headers['x-sign'].length, 342);
      const noBody = await signP({ url: 'wss://p.test/feed', timestamp: 1647356399 });
      assert.is(noBody.method, 'GET');
      assert.equal(Object.keys(noBody.headers).sort(), ['x-api-key', 'x-sign', 'x-timestamp']);
      assert.is(
        noBody.headers['x-sign'],
        referenceRsaSignature(RSA_KEY, utf8('1647356399wss://p.test/feed')),
      );
    });

    test("nonce: 'auto' strictly increases within one millisecond", async () => {
      const nonces: bigint[] = [];
      for (let i = 0; i < 20; i++) {
        const signed = await signP({ url: 'https://p.test/x', nonce: 'auto' });
        nonces.push(BigInt(signed.headers['x-nonce']));
      }
      for (let i = 1; i < nonces.length; i++) assert.ok(nonces[i] > nonces[i - 1]);
    });

    test('random requests agree byte for byte with node:crypto', async () => {
      const methods = fc.constantFrom(
        'get',
        'POST',
        'put',
        'DELETE',
        'patch',
        'OPTIONS',
        'X-CUSTOM',
      );
      const segment = fc.string({ unit: 'grapheme', maxLength: 12 });
      const bodyArb = fc.oneof(
        fc.constant(undefined),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.dictionary(
          fc.string({ maxLength: 8 }),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          methods,
          fc.array(segment, { maxLength: 4 }),
          bodyArb,
          fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 30n })),
          async (method, segments, body, timestamp) => {
            const upper = method.toUpperCase();
            const sendsBody = upper !== 'GET' && body !== undefined;
            const url =
              'https://api.qredo.test/' +
              segments.map(encodeURIComponent).join('/') +
              '?x=' +
              segments.join('');
            const signed = await signQ({
              method,
              url,
              body: sendsBody ? body : undefined,
              timestamp,
            });
            const bodyBytes = !sendsBody
              ? Buffer.alloc(0)
              : body instanceof Uint8Array
                ? Buffer.from(body)
                : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
            const wire = new URL(url);
            wire.hash = ''; // contract §1.4: the fragment is not sent, so not signed
            const input = Buffer.concat([
              Buffer.from(`${timestamp}${upper}${wire.href}`),
              bodyBytes,
            ]);
            assert.equal(Buffer.from(signed.signingInput), input);
            assert.is(signed.headers['qredo-api-sig'], referenceQredoSignature(SECRET, input));
          },
        ),
        { numRuns: backend === 'webcrypto' ? 300 : 1000, seed: 20261123 },
      );
    });

    if (mode === 'async' && !(SYNC_BACKENDS as readonly string[]).includes(backend)) {
      test('signSync on an async-only backend is ASYNC_ONLY_BACKEND', async () => {
        const error = (await errorOf(() =>
          qredo.signSync({ method: 'GET', url: 'https://x.test/' }),
        )) as api.SigningError;
        assert.is(error.code, 'ASYNC_ONLY_BACKEND');
        const perror = (await errorOf(() =>
          partner.signSync({ url: 'https://x.test/' }),
        )) as api.SigningError;
        assert.is(perror.code, 'ASYNC_ONLY_BACKEND');
      });
    }

    test.run();
  }
}
