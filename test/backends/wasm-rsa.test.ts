/**
 * The WASM RSA module (assembly/rsa.ts through src/backends/wasm/rsa.ts) against node:crypto (OpenSSL), the
 * independent reference, in both builds (SIMD and scalar): RSASSA-PKCS1-v1_5 SHA-256 signatures
 * byte for byte for 2048-, 3072- and 4096-bit keys (and an odd size, e = 3, and primes of unequal
 * size), verification of OpenSSL's signatures and rejection of altered, short, long and ≥ n
 * ones, the check before release (a fault injected into one CRT half withholds the signature),
 * linear memory left zero after every operation, and the Montgomery kernels with worst-case
 * operands (every limb at its maximum, moduli just below a power of two) for every limb count,
 * compared with BigInt.
 * Needs `node scripts/build-wasm.mjs` first (src/backends/wasm/generated/ is a build output).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { EMBEDDED_WASM } from '../../src/backends/wasm/generated/embedded.js';
import { instantiateWasm, registerWasmSources } from '../../src/backends/wasm/load.js';
import {
  __injectWasmRsaFaultForTests,
  __wasmRsaMemoryForTests,
  importWasmRsaPrivateKey,
  importWasmRsaPublicKey,
  type WasmRsaBuild,
} from '../../src/backends/wasm/rsa.js';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../src/keys/keys.js';
import { isSigningError } from '../../src/lib/errors.js';
import type { RsaPrivateKeyMaterial, RsaPublicKeyMaterial } from '../../src/backends/types.js';

registerWasmSources(EMBEDDED_WASM);

const BUILDS: WasmRsaBuild[] = ['simd', 'scalar'];
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

interface TestKey {
  label: string;
  nodeKey: KeyObject;
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
  const publicMaterial = parseRsaPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  const nBytes = material.components!.n;
  return {
    label: `${bits}-bit e=${publicExponent}`,
    nodeKey: privateKey,
    material,
    publicMaterial,
    n: BigInt('0x' + hex(nBytes)),
    k: nBytes.length,
  };
}

/** A prime of about bits/2 bits, taken from a fresh node key. */
function primeOf(bits: number): bigint {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({
    format: 'jwk',
  });
  return BigInt('0x' + Buffer.from(jwk.p!, 'base64url').toString('hex'));
}

/**
 * A key whose primes differ in size (p and q need different limb counts), which node:crypto
 * signs with but keygen never makes: the CRT constants for Lp ≠ Lq get exercised.
 */
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
  return {
    label: `unbalanced ${p.toString(2).length}/${q.toString(2).length}-bit primes`,
    nodeKey: createPrivateKey({ key: jwk, format: 'jwk' }),
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
  makeKey(4096), // the full modulus needs 147 limbs: montMul's path above 128
  makeKey(4096),
  makeUnbalancedKey(bigPrime, smallPrime), // Lp > Lq
  makeUnbalancedKey(smallPrime, bigPrime), // Lp < Lq
];

const MESSAGES = [
  new Uint8Array(0),
  new TextEncoder().encode('hello'),
  new Uint8Array(randomBytes(1000)),
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isSigningError(error) ? error.code : `not a SigningError: ${String(error)}`;
  }
  return undefined;
}

function bytesOf(x: bigint, length: number): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(length * 2, '0'), 'hex'));
}

/** True when no byte of the build's linear memory is non-zero. */
function memoryIsZero(build: WasmRsaBuild): boolean {
  const { memory } = __wasmRsaMemoryForTests(build);
  return memory.every((byte) => byte === 0);
}

const signing = suite('wasm rsa: signing matches node:crypto');

signing('the two builds are what they claim', () => {
  assert.is(__wasmRsaMemoryForTests('simd').simd, true);
  assert.is(__wasmRsaMemoryForTests('scalar').simd, false);
});

for (const build of BUILDS) {
  signing(`${build}: signatures are byte-identical to crypto.sign for every key`, () => {
    for (const key of KEYS) {
      const signer = importWasmRsaPrivateKey(key.material, build);
      for (const message of MESSAGES) {
        const expected = nodeSign('sha256', message, key.nodeKey);
        assert.is(hex(signer.sign(message) as Uint8Array), hex(expected), key.label);
      }
      signer.destroy();
    }
  });

  signing(
    `${build}: repeated signatures stay identical while the blinding pair is refreshed`,
    () => {
      const key = KEYS[0];
      const signer = importWasmRsaPrivateKey(key.material, build);
      const expected = hex(nodeSign('sha256', MESSAGES[1], key.nodeKey));
      for (let i = 0; i < 12; i++) assert.is(hex(signer.sign(MESSAGES[1]) as Uint8Array), expected);
      // Two keys alive at once do not disturb each other (one instance serves both).
      const other = importWasmRsaPrivateKey(KEYS[4].material, build);
      assert.is(
        hex(other.sign(MESSAGES[2]) as Uint8Array),
        hex(nodeSign('sha256', MESSAGES[2], KEYS[4].nodeKey)),
      );
      assert.is(hex(signer.sign(MESSAGES[1]) as Uint8Array), expected);
      signer.destroy();
      other.destroy();
    },
  );

  signing(`${build}: linear memory is all zero after import, signing and verifying`, () => {
    const key = KEYS[1];
    const signer = importWasmRsaPrivateKey(key.material, build);
    assert.ok(memoryIsZero(build), 'after import');
    const signature = signer.sign(MESSAGES[2]) as Uint8Array;
    assert.ok(memoryIsZero(build), 'after signing');
    const verifier = importWasmRsaPublicKey(key.publicMaterial, build);
    assert.is(verifier.verify(MESSAGES[2], signature), true);
    assert.ok(memoryIsZero(build), 'after verifying');
    signer.destroy();
  });

  signing(`${build}: a faulty CRT half is caught and the signature withheld`, () => {
    const key = KEYS[0];
    const signer = importWasmRsaPrivateKey(key.material, build);
    assert.is(
      hex(signer.sign(MESSAGES[1]) as Uint8Array),
      hex(nodeSign('sha256', MESSAGES[1], key.nodeKey)),
    );
    __injectWasmRsaFaultForTests(signer);
    let error: unknown;
    let released: unknown;
    try {
      released = signer.sign(MESSAGES[1]);
    } catch (e) {
      error = e;
    }
    assert.is(released, undefined);
    assert.ok(isSigningError(error) && error.code === 'SIGNATURE_FAULT');
    assert.not.match(String((error as Error).message), /[0-9a-f]{16}/);
    assert.ok(memoryIsZero(build), 'nothing of the faulty signature or the key remains');
    signer.destroy();
  });

  signing(`${build}: a destroyed key refuses to sign`, () => {
    const signer = importWasmRsaPrivateKey(KEYS[0].material, build);
    signer.destroy();
    assert.is(
      codeOf(() => signer.sign(MESSAGES[1])),
      'INVALID_OPTION',
    );
  });
}

signing('opaque keys (no integers) are UNAVAILABLE_BACKEND', () => {
  const opaquePrivate = { bits: 2048 } as RsaPrivateKeyMaterial;
  const opaquePublic = { bits: 2048 } as RsaPublicKeyMaterial;
  assert.is(
    codeOf(() => importWasmRsaPrivateKey(opaquePrivate)),
    'UNAVAILABLE_BACKEND',
  );
  assert.is(
    codeOf(() => importWasmRsaPublicKey(opaquePublic)),
    'UNAVAILABLE_BACKEND',
  );
});

signing.run();

const verifying = suite('wasm rsa: verification');

for (const build of BUILDS) {
  verifying(
    `${build}: accepts node:crypto's signatures, rejects altered and malformed ones`,
    () => {
      for (const key of KEYS) {
        const verifier = importWasmRsaPublicKey(key.publicMaterial, build);
        const message = MESSAGES[2];
        const good = new Uint8Array(nodeSign('sha256', message, key.nodeKey));
        assert.is(verifier.verify(message, good), true, key.label);
        assert.is(verifier.verify(MESSAGES[1], good), false, 'another message');
        for (const index of [0, 1, key.k >> 1, key.k - 1]) {
          const bad = good.slice();
          bad[index] ^= 0x01;
          assert.is(verifier.verify(message, bad), false, `bit flipped in byte ${index}`);
        }
        assert.is(verifier.verify(message, good.subarray(1)), false, 'one byte short');
        assert.is(verifier.verify(message, Uint8Array.of(0, ...good)), false, 'one byte long');
        assert.is(verifier.verify(message, new Uint8Array(0)), false, 'empty');
        assert.is(verifier.verify(message, bytesOf(key.n, key.k)), false, 's = n');
        assert.is(verifier.verify(message, bytesOf(key.n + 1n, key.k)), false, 's = n + 1');
        assert.is(
          verifier.verify(message, new Uint8Array(key.k).fill(0xff)),
          false,
          's = 2^8k − 1',
        );
        assert.is(verifier.verify(message, new Uint8Array(key.k)), false, 's = 0');
        // The same signature, now reduced into range by adding n would need s + n < 2^(8k): when it
        // fits, s + n ≡ s (mod n) must still be refused because it is ≥ n.
        const sPlusN = BigInt('0x' + hex(good)) + key.n;
        if (sPlusN < 1n << BigInt(8 * key.k)) {
          assert.is(verifier.verify(message, bytesOf(sPlusN, key.k)), false, 's + n');
        }
      }
    },
  );

  verifying(`${build}: verifies its own signatures for every key`, () => {
    for (const key of KEYS) {
      const signer = importWasmRsaPrivateKey(key.material, build);
      const verifier = importWasmRsaPublicKey(key.publicMaterial, build);
      const signature = signer.sign(MESSAGES[0]) as Uint8Array;
      assert.is(verifier.verify(MESSAGES[0], signature), true, key.label);
      signer.destroy();
    }
  });
}

verifying.run();

// ——— the kernels, below the key API ———

interface RsaKernelExports {
  memory: WebAssembly.Memory;
  IO: WebAssembly.Global;
  FIELD_BYTES: WebAssembly.Global;
  KERNEL_FIELD_BYTES: WebAssembly.Global;
  setKeyShape(k: number, bitsN: number, bitsP: number, bitsQ: number, e: number): void;
  prepareKey(isPrivate: number): void;
  recover(): number;
  wipe(): void;
  montgomeryKernel(L: number, square: number, iterations: number): void;
}

const kernelInstances = {
  simd: instantiateWasm('rsa') as unknown as RsaKernelExports,
  scalar: instantiateWasm('rsa-scalar') as unknown as RsaKernelExports,
};

function randomBelow(limit: bigint): bigint {
  const length = Math.ceil(limit.toString(16).length / 2) + 8;
  return BigInt('0x' + randomBytes(length).toString('hex')) % limit;
}

/**
 * What the kernel must leave for a·b with modulus m and L limbs: REDC's exact quotient
 * (a·b + μ·m)/R with μ = a·b·(−m⁻¹) mod R, truncated to L limbs (it is < 2m, and so needs no
 * truncation, whenever a, b < 2m and R ≥ 4m).
 */
function expectedRedc(a: bigint, b: bigint, m: bigint, L: number): bigint {
  const R = 1n << BigInt(28 * L);
  const mu = (((R - ((a * b) % R)) % R) * inverseMod(m, R)) % R;
  return ((a * b + mu * m) / R) % R;
}

function runKernel(
  x: RsaKernelExports,
  L: number,
  a: bigint,
  b: bigint,
  m: bigint,
  square: boolean,
): bigint {
  const F = x.KERNEL_FIELD_BYTES.value as number;
  const io = x.IO.value as number;
  const memory = new Uint8Array(x.memory.buffer);
  memory.set(bytesOf(a, F), io);
  memory.set(bytesOf(b, F), io + F);
  memory.set(bytesOf(m, F), io + 2 * F);
  x.montgomeryKernel(L, square ? 1 : 0, 1);
  const out = BigInt('0x' + hex(memory.subarray(io + 3 * F, io + 4 * F)));
  memory.fill(0, io, io + 4 * F);
  return out;
}

const kernels = suite('wasm rsa: Montgomery kernels against BigInt');

for (const build of BUILDS) {
  // All-ones operands and modulus give the largest a·b column sums there are. The row multipliers
  // m_i follow from the data, so the bound's full worst case (every m_i at its maximum too) is
  // proven in bigint.ts rather than reached here: with the normalisation above 128 limbs removed
  // these inputs still fit in 64 bits (measured), so that branch rests on the proof.
  kernels(`${build}: every limb count 1–148, all limbs at their maximum`, () => {
    const x = kernelInstances[build];
    for (let L = 1; L <= 148; L++) {
      const R = 1n << BigInt(28 * L);
      const max = R - 1n; // every limb 2^28 − 1: the largest column sums of bigint.ts's bound
      const expected = expectedRedc(max, max, max, L);
      assert.is(runKernel(x, L, max, max, max, false), expected, `montMul L=${L}`);
      assert.is(runKernel(x, L, max, max, max, true), expected, `montSqr L=${L}`);
    }
  });

  kernels(`${build}: moduli just below 2^k, largest legal operands, and random ones`, () => {
    const x = kernelInstances[build];
    for (let L = 1; L <= 148; L++) {
      const bits = 28 * L - 2; // the most bits L limbs take (R ≥ 4m)
      const m = (1n << BigInt(bits)) - 1n;
      const top = 2n * m - 1n; // a, b < 2m: what the exponentiation feeds back
      const R = 1n << BigInt(28 * L);
      const rInverse = inverseMod(R, m);
      for (const [a, b] of [
        [top, top],
        [top, randomBelow(2n * m)],
        [randomBelow(2n * m), randomBelow(2n * m)],
      ]) {
        const product = runKernel(x, L, a, b, m, false);
        assert.ok(product < 2n * m, `montMul result below 2m, L=${L}`);
        assert.is(product % m, (a * b * rInverse) % m, `montMul L=${L}`);
        const square = runKernel(x, L, a, a, m, true);
        assert.ok(square < 2n * m, `montSqr result below 2m, L=${L}`);
        assert.is(square % m, (a * a * rInverse) % m, `montSqr L=${L}`);
      }
    }
  });

  kernels(`${build}: sᵉ mod n for moduli 2^k − 1 around the 128-limb boundary`, () => {
    const x = kernelInstances[build];
    const field = x.FIELD_BYTES.value as number;
    const io = x.IO.value as number;
    for (const bits of [2048, 3582, 3583, 3584, 4096]) {
      const n = (1n << BigInt(bits)) - 1n;
      const k = Math.ceil(bits / 8);
      for (const e of [3, 65537, 0xffffffff]) {
        for (const s of [n - 1n, n - 2n, randomBelow(n)]) {
          const memory = new Uint8Array(x.memory.buffer);
          x.setKeyShape(k, bits, 0, 0, e);
          memory.set(bytesOf(n, field), io);
          x.prepareKey(0);
          memory.fill(0, io, io + 2 * field);
          memory.set(bytesOf(s, k), io + field);
          assert.is(x.recover(), 1);
          const got = BigInt('0x' + hex(memory.subarray(io, io + k)));
          assert.is(got, modPow(s, BigInt(e), n), `bits=${bits} e=${e}`);
          x.wipe();
          memory.fill(0, io, io + 2 * field);
        }
      }
    }
  });
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

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

kernels.run();
