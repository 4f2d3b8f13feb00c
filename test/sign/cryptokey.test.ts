/**
 * CryptoKeys given to the Partner signer (issue 16): under 'auto' a CryptoKey signs asynchronously
 * and signSync() says so with ASYNC_ONLY_BACKEND; an extractable key (or key pair) on `wasm` or
 * `js` is exported at the first sign(), after which signSync() works too. Expected signatures come
 * from node:crypto.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPublicKey, generateKeyPairSync, sign as nodeSign, webcrypto } from 'node:crypto';
import { api, errorOf } from '../support.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PKCS8 = privateKey.export({ type: 'pkcs8', format: 'der' });
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const REQUEST = { url: URL_, nonce: '1' };
const EXPECTED = nodeSign('sha256', Buffer.from(`1${URL_}`), privateKey).toString('base64url');
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

const cryptoKey = (extractable: boolean) =>
  webcrypto.subtle.importKey('pkcs8', PKCS8, RSA, extractable, ['sign']) as Promise<CryptoKey>;

async function keyPair(extractable: boolean) {
  const publicKey = await webcrypto.subtle.importKey(
    'spki',
    createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
    RSA,
    true,
    ['verify'],
  );
  return { privateKey: await cryptoKey(extractable), publicKey };
}

const codeOf = async (run: () => unknown) =>
  ((await errorOf(run)) as { code?: string } | undefined)?.code;

test("'auto' with a CryptoKey: sign() works, signSync() is ASYNC_ONLY_BACKEND naming the reason", async () => {
  for (const extractable of [false, true]) {
    const signer = api.createPartnerSigner({
      apiKey: 'k',
      privateKey: await cryptoKey(extractable),
    });
    assert.is((await signer.sign(REQUEST)).headers['x-sign'], EXPECTED);
    const error = (await errorOf(() => signer.signSync(REQUEST))) as Error & { code: string };
    assert.is(error.code, 'ASYNC_ONLY_BACKEND', `extractable: ${extractable}`);
    assert.match(error.message, /CryptoKey/);
    assert.match(error.message, /sign\(\)/);
  }
});

for (const backend of ['wasm', 'js'] as const) {
  test(`${backend}: an extractable CryptoKey and a CryptoKeyPair sign; signSync() works after sign()`, async () => {
    for (const privateKeyInput of [await cryptoKey(true), await keyPair(true)]) {
      const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: privateKeyInput, backend });
      assert.is(signer.backend, backend);
      const early = (await errorOf(() => signer.signSync(REQUEST))) as Error & { code: string };
      assert.is(early.code, 'ASYNC_ONLY_BACKEND');
      assert.match(early.message, /asynchronously/);
      const [a, b] = await Promise.all([signer.sign(REQUEST), signer.sign(REQUEST)]);
      assert.is(a.headers['x-sign'], EXPECTED);
      assert.is(b.headers['x-sign'], EXPECTED);
      assert.is(signer.signSync(REQUEST).headers['x-sign'], EXPECTED);
      signer.destroy();
      assert.is(await codeOf(() => signer.sign(REQUEST)), 'INVALID_OPTION');
    }
  });

  test(`${backend}: a non-extractable CryptoKey is still refused (its bytes cannot be read)`, async () => {
    const refused = await codeOf(async () => {
      const signer = api.createPartnerSigner({
        apiKey: 'k',
        privateKey: await cryptoKey(false),
        backend,
      });
      await signer.sign(REQUEST);
    });
    assert.is(refused, 'UNAVAILABLE_BACKEND');
  });

  test(`${backend}: rsaSign() with an extractable CryptoKey`, async () => {
    const data = Buffer.from(`1${URL_}`);
    const signature = await api.rsaSign(await cryptoKey(true), data, { backend });
    assert.is(Buffer.from(signature).toString('base64url'), EXPECTED);
  });
}

test.run();
