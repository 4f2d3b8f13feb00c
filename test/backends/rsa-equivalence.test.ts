/**
 * One RSASSA-PKCS1-v1_5 SHA-256 suite (RFC 8017 §8.2) run on every implementation of the RSA key
 * interfaces that does its own arithmetic: the WASM module in both builds, SIMD and scalar
 * (assembly/rsa.ts through src/backends/wasm/rsa.ts), and the pure-JS backend
 * (src/backends/js-rsa.ts). Expected values come from node:crypto (OpenSSL): the scheme is
 * deterministic, so every signature must equal `crypto.sign`'s byte for byte, and verification
 * must agree with `crypto.verify` on OpenSSL's signatures and on altered, short, long, ≥ n and
 * non-canonical ones. The node backend is OpenSSL itself and is not in the table.
 *
 * Keys: 2048, 3072 and 4096 bits (4096: the full modulus needs 147 limbs, montMul's path above
 * 128), a modulus that is not a whole number of bytes, e = 3, and primes of unequal size (which
 * node:crypto signs with but keygen never makes). What only one implementation has (WASM's linear
 * memory and kernels, the fault seams, js's need for getRandomValues) stays in wasm-rsa.test.ts
 * and js-backend.test.ts. Needs `node scripts/build-wasm.mjs` first.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  constants,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { jsBackend } from '../../src/backends/js.js';
import { EMBEDDED_WASM } from '../../src/backends/wasm/generated/embedded.js';
import { registerWasmSources } from '../../src/backends/wasm/load.js';
import { importWasmRsaPrivateKey, importWasmRsaPublicKey } from '../../src/backends/wasm/rsa.js';
import type {
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
  RsaSigningKey,
  RsaVerifyingKey,
} from '../../src/backends/types.js';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../src/keys/keys.js';
import { codeOf } from '../support.js';

registerWasmSources(EMBEDDED_WASM);

/** One row of the table: an implementation under test and how to prepare keys with it. */
interface RsaImplementation {
  name: string;
  importPrivate(material: RsaPrivateKeyMaterial): RsaSigningKey;
  importPublic(material: RsaPublicKeyMaterial): RsaVerifyingKey;
}

const IMPLEMENTATIONS: RsaImplementation[] = [
  {
    name: 'wasm (simd)',
    importPrivate: (m) => importWasmRsaPrivateKey(m, 'simd'),
    importPublic: (m) => importWasmRsaPublicKey(m, 'simd'),
  },
  {
    name: 'wasm (scalar)',
    importPrivate: (m) => importWasmRsaPrivateKey(m, 'scalar'),
    importPublic: (m) => importWasmRsaPublicKey(m, 'scalar'),
  },
  {
    name: 'js',
    importPrivate: (m) => jsBackend.importRsaPrivateKey(m),
    importPublic: (m) => jsBackend.importRsaPublicKey(m),
  },
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const toBigInt = (bytes: Uint8Array) => BigInt('0x' + (hex(bytes) || '0'));
function bytesOf(x: bigint, length: number): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(length * 2, '0'), 'hex'));
}

// Every implementation here is synchronous; a Promise would fail these comparisons loudly.
const sign = (key: RsaSigningKey, data: Uint8Array) => key.sign(data) as Uint8Array;
const verify = (key: RsaVerifyingKey, data: Uint8Array, signature: Uint8Array) =>
  key.verify(data, signature) as boolean;

interface TestKey {
  label: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  material: RsaPrivateKeyMaterial;
  publicMaterial: RsaPublicKeyMaterial;
  n: bigint;
  k: number;
}

function makeKey(bits: number, publicExponent = 65537): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent,
  });
  const material = parseRsaPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs1' }));
  const nBytes = material.components!.n;
  return {
    label: `${bits}-bit e=${publicExponent}`,
    privateKey,
    publicKey,
    material,
    publicMaterial: parseRsaPublicKey(publicKey.export({ format: 'pem', type: 'spki' })),
    n: toBigInt(nBytes),
    k: nBytes.length,
  };
}

/** x⁻¹ mod m (extended Euclid; x and m coprime). */
function inverseMod(x: bigint, m: bigint): bigint {
  let [a, b, x0, x1] = [x % m, m, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return ((x0 % m) + m) % m;
}

/** A prime of about bits/2 bits, taken from a fresh node key. */
function primeOf(bits: number): bigint {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({
    format: 'jwk',
  });
  return toBigInt(Buffer.from(jwk.p!, 'base64url'));
}

/** A key whose primes differ in size (p and q need different limb counts). */
function makeUnbalancedKey(p: bigint, q: bigint): TestKey {
  const e = 65537n;
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = inverseMod(e, lambda);
  const b64 = (x: bigint) => {
    const h = x.toString(16);
    return Buffer.from(h.length % 2 ? '0' + h : h, 'hex').toString('base64url');
  };
  const jwk = {
    kty: 'RSA',
    n: b64(p * q),
    e: b64(e),
    d: b64(d),
    p: b64(p),
    q: b64(q),
    dp: b64(d % (p - 1n)),
    dq: b64(d % (q - 1n)),
    qi: b64(inverseMod(q, p)),
  };
  const material = parseRsaPrivateKey(jwk);
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return {
    label: `unbalanced ${p.toString(2).length}/${q.toString(2).length}-bit primes`,
    privateKey,
    publicKey: privateKey,
    material,
    publicMaterial: parseRsaPublicKey({ kty: 'RSA', n: jwk.n, e: jwk.e }),
    n: p * q,
    k: material.components!.n.length,
  };
}

const bigPrime = primeOf(2400);
const smallPrime = primeOf(1700);

// A few keys per size; generation dominates this file's run time (4096-bit keys take seconds).
const KEYS: TestKey[] = [
  makeKey(2048),
  makeKey(2048),
  makeKey(2048, 3),
  makeKey(2051), // modulus not a whole number of bytes
  makeKey(3072),
  makeKey(3072),
  makeKey(4096),
  makeKey(4096),
  makeUnbalancedKey(bigPrime, smallPrime), // Lp > Lq
  makeUnbalancedKey(smallPrime, bigPrime), // Lp < Lq
];
const [K2048] = KEYS;
const K3072 = KEYS[4];

const MESSAGE = new Uint8Array(randomBytes(300));
const MESSAGES = [
  new Uint8Array(0),
  Uint8Array.of(0x61),
  new TextEncoder().encode('hello'),
  new Uint8Array(randomBytes(150)),
  new Uint8Array(randomBytes(1000)),
  new Uint8Array(randomBytes(5000)),
];

/** Messages whose signature under K2048 starts with a zero byte (about one in 256). */
const LEADING_ZERO: { data: Uint8Array; signature: Buffer }[] = [];
for (let i = 0; i < 20000 && LEADING_ZERO.length < 2; i++) {
  const data = new TextEncoder().encode(`message ${i}`);
  const signature = nodeSign('sha256', data, K2048.privateKey);
  if (signature[0] === 0) LEADING_ZERO.push({ data, signature });
}

/**
 * s + n fits in k bytes only when s < 256^k − n: a key with a small top byte, and signatures
 * below that limit.
 */
function liftableFixture() {
  for (let tries = 0; tries < 40; tries++) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const nBytes = Buffer.from(pair.publicKey.export({ format: 'jwk' }).n!, 'base64url');
    if (nBytes[0] >= 0xc0) continue;
    const n = toBigInt(nBytes);
    const limit = (1n << BigInt(8 * 256)) - n;
    const lifts: { data: Uint8Array; signature: Buffer; lifted: Buffer }[] = [];
    for (let i = 0; i < 64 && lifts.length < 3; i++) {
      const data = MESSAGE.subarray(0, i);
      const signature = nodeSign('sha256', data, pair.privateKey);
      const s = toBigInt(signature);
      if (s >= limit) continue;
      lifts.push({ data, signature, lifted: Buffer.from(bytesOf(s + n, 256)) });
    }
    return { publicKey: pair.publicKey, lifts };
  }
  return undefined;
}
const LIFTABLE = liftableFixture();

type Case = [title: string, run: (impl: RsaImplementation) => void];

const CASES: Case[] = [
  [
    'signatures are byte-identical to crypto.sign for every key and verify both ways',
    ({ importPrivate, importPublic }) => {
      for (const key of KEYS) {
        const signer = importPrivate(key.material);
        const verifier = importPublic(key.publicMaterial);
        for (const data of MESSAGES) {
          const expected = nodeSign('sha256', data, key.privateKey);
          const signature = sign(signer, data);
          assert.is(hex(signature), hex(expected), `${key.label}, ${data.length}-byte message`);
          assert.ok(verify(verifier, data, expected), `${key.label}: node's signature verifies`);
          assert.ok(nodeVerify('sha256', data, key.publicKey, signature), 'ours verifies in node');
        }
        signer.destroy();
      }
    },
  ],
  [
    'stays correct across blinding refreshes, with a second key alive in between',
    ({ importPrivate }) => {
      const signer = importPrivate(K2048.material);
      const other = importPrivate(K3072.material);
      for (let i = 0; i < 70; i++) {
        const data = MESSAGE.subarray(0, i);
        const expected = hex(nodeSign('sha256', data, K2048.privateKey));
        assert.is(hex(sign(signer, data)), expected, `signature #${i}`);
        if (i % 12 === 11) {
          // Two keys alive at once do not disturb each other (one WASM instance serves both).
          const theirs = hex(nodeSign('sha256', MESSAGES[4], K3072.privateKey));
          assert.is(hex(sign(other, MESSAGES[4])), theirs, `the other key after #${i}`);
        }
      }
      signer.destroy();
      other.destroy();
    },
  ],
  [
    'verifies its own signatures for every key',
    ({ importPrivate, importPublic }) => {
      for (const key of KEYS) {
        const signer = importPrivate(key.material);
        const verifier = importPublic(key.publicMaterial);
        assert.ok(verify(verifier, MESSAGES[0], sign(signer, MESSAGES[0])), key.label);
        signer.destroy();
      }
    },
  ],
  [
    'verification rejects tampered, short, long, out-of-range and foreign signatures',
    ({ importPublic }) => {
      for (const key of KEYS) {
        const verifier = importPublic(key.publicMaterial);
        const data = MESSAGES[4];
        const good = new Uint8Array(nodeSign('sha256', data, key.privateKey));
        const { k, n, label } = key;
        assert.ok(verify(verifier, data, good), label);
        for (const i of [0, 1, 17, 128, k >> 1, k - 33, k - 1]) {
          for (const bit of [0x01, 0x80]) {
            const bad = good.slice();
            bad[i] ^= bit;
            assert.not.ok(verify(verifier, data, bad), `${label}: bit ${bit} of byte ${i}`);
          }
        }
        const other = Uint8Array.from(data);
        other[0] ^= 1;
        assert.not.ok(verify(verifier, other, good), `${label}: a message one bit away`);
        assert.not.ok(verify(verifier, MESSAGES[2], good), `${label}: another message`);
        assert.not.ok(verify(verifier, data, good.subarray(1)), `${label}: one byte short`);
        assert.not.ok(verify(verifier, data, Uint8Array.of(0, ...good)), `${label}: leading 0`);
        assert.not.ok(verify(verifier, data, Uint8Array.of(...good, 0)), `${label}: trailing 0`);
        assert.not.ok(verify(verifier, data, new Uint8Array(0)), `${label}: empty`);
        assert.not.ok(verify(verifier, data, new Uint8Array(k)), `${label}: s = 0`);
        const ones = new Uint8Array(k).fill(0xff);
        assert.not.ok(verify(verifier, data, ones), `${label}: s = 2^8k − 1`);
        // n and n + 1: both ≥ n, both must be refused before any arithmetic.
        assert.not.ok(verify(verifier, data, bytesOf(n, k)), `${label}: s = n`);
        assert.not.ok(verify(verifier, data, bytesOf(n + 1n, k)), `${label}: s = n + 1`);
        // s + n ≡ s (mod n) must still be refused because it is ≥ n, when it fits in k bytes.
        const sPlusN = toBigInt(good) + n;
        if (sPlusN < 1n << BigInt(8 * k)) {
          assert.not.ok(verify(verifier, data, bytesOf(sPlusN, k)), `${label}: s + n`);
        }
        const foreignKey = key === K3072 ? K2048 : K3072;
        const foreign = new Uint8Array(nodeSign('sha256', data, foreignKey.privateKey));
        assert.not.ok(verify(verifier, data, foreign), `${label}: ${foreignKey.label}'s signature`);
        const notBytes = undefined as unknown as Uint8Array;
        assert.not.ok(verify(verifier, data, notBytes), `${label}: not bytes`);
      }
    },
  ],
  [
    'verification refuses a valid signature with its leading zero byte dropped (k − 1 bytes)',
    ({ importPublic }) => {
      // Same integer, wrong length: RFC 8017 §8.2.2 step 1 requires exactly k bytes.
      assert.is(LEADING_ZERO.length, 2, 'no signature with a leading zero byte in 20000 messages');
      const verifier = importPublic(K2048.publicMaterial);
      for (const { data, signature } of LEADING_ZERO) {
        assert.ok(verify(verifier, data, new Uint8Array(signature)));
        assert.not.ok(verify(verifier, data, new Uint8Array(signature.subarray(1))), 'k − 1');
        assert.not.ok(nodeVerify('sha256', data, K2048.publicKey, signature.subarray(1)), 'node');
      }
    },
  ],
  [
    'verification refuses s + n, which has the same s^e mod n (RFC 8017 §5.2.2 step 1)',
    ({ importPublic }) => {
      assert.ok(LIFTABLE, 'no key with a modulus top byte below 0xc0 in 40 tries');
      assert.is(LIFTABLE.lifts.length, 3, 'found too few signatures below 256^k − n');
      const verifier = importPublic(parseRsaPublicKey(LIFTABLE.publicKey));
      for (const { data, signature, lifted } of LIFTABLE.lifts) {
        assert.is(lifted.length, 256);
        assert.ok(verify(verifier, data, new Uint8Array(signature)), 'the signature verifies');
        assert.not.ok(verify(verifier, data, new Uint8Array(lifted)), 's + n is refused');
        assert.not.ok(nodeVerify('sha256', data, LIFTABLE.publicKey, lifted), 'node refuses it');
      }
    },
  ],
  [
    'verification compares the whole encoding, never parses it (RFC 8017 §8.2.2 steps 3–4)',
    ({ importPublic }) => {
      // Encodings made with the private key through OpenSSL's raw PKCS#1 type-1 padding: the same
      // digest, wrapped in a DigestInfo that is not the canonical SHA-256 one.
      const verifier = importPublic(K2048.publicMaterial);
      const data = MESSAGES[3];
      const sha = createHash('sha256').update(data).digest();
      const canonical = Buffer.from('3031300d060960864801650304020105000420', 'hex');
      const variants: Record<string, Buffer> = {
        canonical: Buffer.concat([canonical, sha]),
        'NULL parameters absent': Buffer.concat([
          Buffer.from('302f300b0609608648016503040201' + '0420', 'hex'),
          sha,
        ]),
        'SHA-1 OID': Buffer.concat([
          Buffer.from('3031300d06092b0e03021a050004' + '20', 'hex'),
          sha,
        ]),
        'trailing garbage': Buffer.concat([canonical, sha, Buffer.from('00', 'hex')]),
      };
      for (const [name, digestInfo] of Object.entries(variants)) {
        const signature = privateEncrypt(
          { key: K2048.privateKey, padding: constants.RSA_PKCS1_PADDING },
          digestInfo,
        );
        const expected = name === 'canonical';
        assert.is(verify(verifier, data, new Uint8Array(signature)), expected, name);
        assert.is(
          nodeVerify('sha256', data, K2048.publicKey, signature),
          expected,
          `node: ${name}`,
        );
      }
    },
  ],
  [
    'opaque keys (no integers) are UNAVAILABLE_BACKEND',
    ({ importPrivate, importPublic }) => {
      for (const opaque of [{ bits: 2048 }, { bits: 2048, native: {} }]) {
        assert.is(
          codeOf(() => importPrivate(opaque as RsaPrivateKeyMaterial)),
          'UNAVAILABLE_BACKEND',
        );
        assert.is(
          codeOf(() => importPublic(opaque as RsaPublicKeyMaterial)),
          'UNAVAILABLE_BACKEND',
        );
      }
    },
  ],
  [
    'a destroyed key refuses to sign (INVALID_OPTION)',
    ({ importPrivate }) => {
      const signer = importPrivate(K2048.material);
      signer.destroy();
      assert.is(
        codeOf(() => signer.sign(MESSAGES[1])),
        'INVALID_OPTION',
      );
    },
  ],
];

for (const implementation of IMPLEMENTATIONS) {
  const test = suite(`RSA PKCS#1 v1.5 SHA-256 equals node:crypto: ${implementation.name}`);
  for (const [title, run] of CASES) test(title, () => run(implementation));
  test.run();
}
