/**
 * What only the WASM RSA module (assembly/rsa.ts through src/backends/wasm/rsa.ts) has, in both
 * builds (SIMD and scalar): the check before release (a fault injected into one CRT half
 * withholds the signature), linear memory left zero after every operation, and the Montgomery
 * kernels with worst-case operands (every limb at its maximum, moduli just below a power of two)
 * for every limb count, compared with BigInt. Signatures and verification against node:crypto,
 * with the other implementations', are in rsa-equivalence.test.ts.
 * Needs `node scripts/build-wasm.mjs` first (src/backends/wasm/generated/ is a build output).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
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

const KEYS: TestKey[] = [makeKey(2048), makeKey(2048)];

const MESSAGES = [
  new Uint8Array(0),
  new TextEncoder().encode('hello'),
  new Uint8Array(randomBytes(1000)),
];

function bytesOf(x: bigint, length: number): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(length * 2, '0'), 'hex'));
}

/** True when no byte of the build's linear memory is non-zero. */
function memoryIsZero(build: WasmRsaBuild): boolean {
  const { memory } = __wasmRsaMemoryForTests(build);
  return memory.every((byte) => byte === 0);
}

const signing = suite('wasm rsa: builds, memory and faults');

signing('the two builds are what they claim', () => {
  assert.is(__wasmRsaMemoryForTests('simd').simd, true);
  assert.is(__wasmRsaMemoryForTests('scalar').simd, false);
});

for (const build of BUILDS) {
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
}

signing.run();

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
