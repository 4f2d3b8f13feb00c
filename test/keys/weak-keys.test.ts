/**
 * Issue 14 item 10: RSA keys with tiny prime factors, or primes far smaller than half the modulus,
 * are refused with WEAK_KEY, as private keys (signing) and as public keys (verification). The keys
 * are built here from primes made by node:crypto's generatePrimeSync and BigInt arithmetic, never
 * by this library; node:crypto itself accepts every one of them, so they are well-formed keys.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createPrivateKey,
  createPublicKey,
  generatePrimeSync,
  sign as nodeSign,
  type JsonWebKeyInput,
} from 'node:crypto';
import { api, errorOf } from '../support.js';

const E = 65537n;

const b64url = (x: bigint) => {
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
};
const bitLength = (x: bigint) => x.toString(2).length;

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** A prime of `bits` bits with gcd(e, p − 1) = 1, from node:crypto. */
function prime(bits: number): bigint {
  for (;;) {
    const p = generatePrimeSync(bits, { bigint: true });
    if ((p - 1n) % E !== 0n) return p;
  }
}

/** The private JWK of the two-prime key p·q (RFC 8017 §3.2 CRT values). */
function jwkOf(p: bigint, q: bigint): JsonWebKey {
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  return {
    kty: 'RSA',
    n: b64url(n),
    e: b64url(E),
    d: b64url(d),
    p: b64url(p),
    q: b64url(q),
    dp: b64url(d % (p - 1n)),
    dq: b64url(d % (q - 1n)),
    qi: b64url(modInverse(q, p)),
  };
}

const publicOf = (jwk: JsonWebKey): JsonWebKey => ({ kty: 'RSA', n: jwk.n, e: jwk.e });

/** Primes p (or the fixed prime `fixedP`) and q whose product has exactly 2048 bits. */
function key2048(pBits: number, qBits: number, fixedP?: bigint): JsonWebKey {
  for (;;) {
    const p = fixedP ?? prime(pBits);
    const q = prime(qBits);
    if (bitLength(p * q) === 2048) return jwkOf(p, q);
  }
}

// 65521 is the largest prime below 2^16; the cofactor makes a 2048-bit modulus.
const TINY = key2048(16, 2032, 65521n);
// 256-bit and 1792-bit primes: no small factor, but one prime far below half the size.
const UNBALANCED = key2048(256, 1792);
// The control: an unbalanced key as Wycheproof uses (1364 + 684 bits) is still a real key.
const WYCHEPROOF_SPLIT = key2048(684, 1364);
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';

test('the crafted keys are well-formed: node:crypto imports and signs with each', () => {
  for (const jwk of [TINY, UNBALANCED, WYCHEPROOF_SPLIT]) {
    assert.is(bitLength(BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`)), 2048);
    const key = createPrivateKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' as const });
    assert.is(nodeSign('sha256', Buffer.from('x'), key).length, 256);
  }
});

test('attack: a private key whose modulus has a factor below 2^16 is refused (WEAK_KEY)', async () => {
  const pem = createPrivateKey({
    key: TINY as JsonWebKeyInput['key'],
    format: 'jwk' as const,
  }).export({
    type: 'pkcs1',
    format: 'pem',
  });
  for (const privateKey of [TINY, pem]) {
    for (const backend of api.availableBackends()) {
      const error = await errorOf(() =>
        api.createPartnerSigner({ apiKey: 'k', privateKey, backend }),
      );
      assert.is((error as { code?: string })?.code, 'WEAK_KEY', `${backend}`);
    }
    const viaPrimitive = await errorOf(() => api.rsaSign(privateKey, new Uint8Array(1)));
    assert.is((viaPrimitive as { code?: string })?.code, 'WEAK_KEY');
  }
});

test('attack: a public key with a factor below 2^16 is refused for verification (WEAK_KEY)', async () => {
  const spki = createPublicKey({
    key: publicOf(TINY) as JsonWebKeyInput['key'],
    format: 'jwk',
  }).export({
    type: 'spki',
    format: 'pem',
  });
  // A signature that is valid under the crafted key: the verifier must still refuse the key.
  const now = String(Math.floor(Date.now() / 1000));
  const data = Buffer.from(`${now}${URL_}`);
  const signature = nodeSign(
    'sha256',
    data,
    createPrivateKey({ key: TINY as JsonWebKeyInput['key'], format: 'jwk' as const }),
  );
  for (const publicKey of [publicOf(TINY), spki]) {
    const error = await errorOf(() => api.rsaVerify(publicKey, data, signature));
    assert.is((error as { code?: string })?.code, 'WEAK_KEY');
    const viaVerifier = await errorOf(() =>
      api.verifyPartnerRequest(
        {
          method: 'GET',
          url: URL_,
          headers: {
            'x-api-key': 'k',
            'x-timestamp': now,
            'x-sign': signature.toString('base64url'),
          },
        },
        { publicKeyFor: () => publicKey },
      ),
    );
    assert.is((viaVerifier as { code?: string })?.code, 'WEAK_KEY');
  }
});

test('attack: a modulus that is 3 times an odd number is refused as a public key', async () => {
  // 2050 bits, so that only the factor 3 can be what is refused.
  const big = (BigInt(`0x${'c5'.repeat(256)}`) | 1n) * 3n;
  const error = await errorOf(() =>
    api.rsaVerify(
      { kty: 'RSA', n: b64url(big), e: 'AQAB' },
      new Uint8Array(1),
      new Uint8Array(256),
    ),
  );
  assert.is((error as { code?: string })?.code, 'WEAK_KEY');
});

test('attack: a key with a 256-bit prime (no small factor) is refused (WEAK_KEY)', async () => {
  const error = await errorOf(() =>
    api.createPartnerSigner({ apiKey: 'k', privateKey: UNBALANCED }),
  );
  assert.is((error as { code?: string })?.code, 'WEAK_KEY');
  assert.match((error as Error).message, /at least 512 bits/);
});

test('control: real and unbalanced (684 + 1364 bits) keys sign as node:crypto does and verify', async () => {
  for (const jwk of [WYCHEPROOF_SPLIT]) {
    const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: jwk, backend: 'node' });
    const signed = signer.signSync({ url: URL_, nonce: '1' });
    const data = Buffer.from(`1${URL_}`);
    const expected = nodeSign(
      'sha256',
      data,
      createPrivateKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' as const }),
    );
    assert.is(signed.headers['x-sign'], expected.toString('base64url'));
    assert.ok(await api.rsaVerify(publicOf(jwk), data, expected));
    signer.destroy();
  }
});

test.run();
