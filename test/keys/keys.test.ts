/**
 * Every accepted key form (contract §1.2) signs and verifies identically on every backend that can use
 * it; node:crypto's own signature is the reference.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { api, BACKENDS, referenceRsaSignature, utf8 } from '../support.js';

const test = suite('key forms');
const DATA = utf8('1647356399https://play-api.qredo.network/api/v1/p/company{"name":"ACME"}');

for (const bits of [2048, 3072, 4096]) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const expected = referenceRsaSignature(privateKey, DATA);
  const exp = (o: object) => privateKey.export(o as never) as string | Buffer;
  const pub = (o: object) => publicKey.export(o as never) as string | Buffer;
  const privateForms: [string, () => Promise<unknown>][] = [
    ['PKCS#1 PEM', async () => exp({ type: 'pkcs1', format: 'pem' })],
    ['PKCS#8 PEM', async () => exp({ type: 'pkcs8', format: 'pem' })],
    ['PKCS#1 DER', async () => new Uint8Array(exp({ type: 'pkcs1', format: 'der' }) as Buffer)],
    ['PKCS#8 DER', async () => new Uint8Array(exp({ type: 'pkcs8', format: 'der' }) as Buffer)],
    [
      'PEM as bytes',
      async () => new Uint8Array(Buffer.from(exp({ type: 'pkcs8', format: 'pem' }))),
    ],
    ['JWK', async () => privateKey.export({ format: 'jwk' })],
    ['JWK as text', async () => JSON.stringify(privateKey.export({ format: 'jwk' }))],
    ['KeyObject', async () => privateKey],
    [
      'extractable CryptoKey',
      async () =>
        webcrypto.subtle.importKey(
          'pkcs8',
          exp({ type: 'pkcs8', format: 'der' }) as Buffer,
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          true,
          ['sign'],
        ),
    ],
  ];
  for (const backend of BACKENDS) {
    for (const [form, load] of privateForms) {
      // An extractable CryptoKey signs on wasm and js too: exported once, asynchronously, at the
      // first sign() (test/sign/cryptokey.test.ts has the non-extractable refusal).
      test(`RSA-${bits} private ${form} signs on ${backend}`, async () => {
        const signature = await api.rsaSign((await load()) as never, DATA, { backend });
        assert.is(Buffer.from(signature).toString('base64url'), expected);
      });
    }
  }

  const opaquePair = async () => {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const der = exp({ type: 'pkcs8', format: 'der' }) as Buffer;
    return {
      privateKey: await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']),
      publicKey: await webcrypto.subtle.importKey(
        'spki',
        pub({ type: 'spki', format: 'der' }) as Buffer,
        alg,
        true,
        ['verify'],
      ),
    };
  };
  test(`RSA-${bits} non-extractable CryptoKeyPair signs under auto (WebCrypto only)`, async () => {
    const pair = await opaquePair();
    assert.is(Buffer.from(await api.rsaSign(pair as never, DATA)).toString('base64url'), expected);
    const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: pair.privateKey as never });
    assert.is(signer.backend, 'webcrypto');
  });

  const signature = Buffer.from(expected, 'base64url');
  const publicForms: [string, () => unknown][] = [
    ['SPKI PEM', () => pub({ type: 'spki', format: 'pem' })],
    ['PKCS#1 public PEM', () => pub({ type: 'pkcs1', format: 'pem' })],
    ['SPKI DER', () => new Uint8Array(pub({ type: 'spki', format: 'der' }) as Buffer)],
    ['PKCS#1 public DER', () => new Uint8Array(pub({ type: 'pkcs1', format: 'der' }) as Buffer)],
    ['public JWK', () => publicKey.export({ format: 'jwk' })],
    ['public KeyObject', () => publicKey],
    ['private PEM (its public half)', () => exp({ type: 'pkcs1', format: 'pem' })],
  ];
  for (const backend of BACKENDS) {
    for (const [form, load] of publicForms) {
      test(`RSA-${bits} public ${form} verifies on ${backend}`, async () => {
        const key = load() as never;
        assert.is(await api.rsaVerify(key, DATA, new Uint8Array(signature), { backend }), true);
        const tampered = new Uint8Array(signature);
        tampered[10] ^= 1;
        assert.is(await api.rsaVerify(key, DATA, tampered, { backend }), false);
        assert.is(await api.rsaVerify(key, DATA, tampered.subarray(1), { backend }), false);
      });
    }
  }
}

test.run();
