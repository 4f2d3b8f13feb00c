/**
 * RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2) on the `rsa` WebAssembly module
 * (assembly/rsa.ts; `rsa-scalar` where the runtime has no SIMD). One instance per build serves
 * every key; a key lives in JS as its prepared block (the Montgomery constants computed once at
 * import) and is copied into linear memory for each operation, after which the module zeroes
 * every secret region (`wipe`), so between calls no secret rests in linear memory.
 *
 * Signing: CRT with Garner's recombination (RFC 8017 §5.1.2), fixed-window exponentiation with
 * masked table reads, base blinding with a pair (rᵉ, r⁻¹) squared after every signature and
 * drawn afresh every BLINDING_REFRESH signatures (src/backends/blinding.ts), and the signature checked against the public key before it is released
 * (`SIGNATURE_FAULT` otherwise: a faulty CRT half would reveal a prime factor).
 *
 * Verification builds the whole expected encoding EM = 00 01 FF…FF 00 DigestInfo H
 * (RFC 8017 §9.2) and compares it with sᵉ mod n in constant time; nothing is parsed out of the
 * signature.
 *
 * Done in JS with BigInt (variable time, on values that are public or fresh), at import and at
 * each refresh: drawing r and inverting it modulo n (src/backends/blinding.ts). SHA-256 runs on the `hash`
 * module (src/backends/wasm/hash.ts).
 */
import type {
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
  RsaSigningKey,
  RsaVerifyingKey,
} from '../types.js';
import { timingSafeEqual } from '../../lib/encoding.js';
import { SigningError } from '../../lib/errors.js';
import { bytesToBigInt, octetsBitLength } from '../../lib/octets.js';
import { BLINDING_REFRESH, drawBlindingPair, reportBlindingUse } from '../blinding.js';
import { emsaPkcs1Sha256 } from '../emsa.js';
import { wasmSha256 } from './hash.js';
import { PackedBlock } from './rsa-block.js';
import { instantiateWasm, wasmSimdSupported } from './load.js';
import { signatureWithheld, usedAfterDestroy } from '../faults.js';

/** Which build of the module computes: `simd` (wasm SIMD) or `scalar` (plain i64). */
export type WasmRsaBuild = 'simd' | 'scalar';

/** The exports of assembly/rsa.ts. */
interface RsaExports {
  readonly memory: WebAssembly.Memory;
  readonly IO: WebAssembly.Global;
  readonly IO_BYTES: WebAssembly.Global;
  readonly FIELD_BYTES: WebAssembly.Global;
  readonly KEY: WebAssembly.Global;
  readonly KEY_BYTES: WebAssembly.Global;
  readonly PUBLIC_BYTES: WebAssembly.Global;
  readonly BLIND_A: WebAssembly.Global;
  readonly M1: WebAssembly.Global;
  readonly MEMORY_END: WebAssembly.Global;
  readonly SIMD: WebAssembly.Global;
  setKeyShape(k: number, bitsN: number, bitsP: number, bitsQ: number, e: number): void;
  prepareKey(isPrivate: number): void;
  prepareBlinding(): void;
  signHalves(): void;
  signCombine(): number;
  recover(): number;
  wipe(): void;
}

/** One instance of a build, with its layout read from the module's exported globals. */
class RsaEngine {
  readonly io: number;
  readonly ioBytes: number;
  readonly field: number;
  readonly key: number;
  readonly keyBytes: number;
  readonly publicBytes: number;
  readonly blind: number;
  readonly m1: number;
  readonly end: number;
  private view: Uint8Array;

  constructor(readonly x: RsaExports) {
    this.io = x.IO.value;
    this.ioBytes = x.IO_BYTES.value;
    this.field = x.FIELD_BYTES.value;
    this.key = x.KEY.value;
    this.keyBytes = x.KEY_BYTES.value;
    this.publicBytes = x.PUBLIC_BYTES.value;
    this.blind = x.BLIND_A.value;
    this.m1 = x.M1.value;
    this.end = x.MEMORY_END.value;
    this.view = new Uint8Array(x.memory.buffer);
  }

  /** The memory as bytes (the module never grows it after start-up, but a view is cheap). */
  bytes(): Uint8Array {
    if (this.view.buffer !== this.x.memory.buffer) this.view = new Uint8Array(this.x.memory.buffer);
    return this.view;
  }

  /** Zeroes the key block, the scratch regions and IO. */
  clear(): void {
    this.x.wipe();
    this.bytes().fill(0, this.io, this.io + this.ioBytes);
  }
}

const engines = new Map<WasmRsaBuild, RsaEngine>();

function engineFor(build: WasmRsaBuild = wasmSimdSupported() ? 'simd' : 'scalar'): RsaEngine {
  let engine = engines.get(build);
  if (!engine) {
    const exports = instantiateWasm(build === 'simd' ? 'rsa' : 'rsa-scalar');
    engine = new RsaEngine(exports as unknown as RsaExports);
    engines.set(build, engine);
  }
  return engine;
}

// ——— encodings ———

/** x as `length` big-endian bytes written at `offset` of `target` (x < 256^length). */
function writeBigInt(target: Uint8Array, offset: number, x: bigint, length: number): void {
  for (let i = length - 1; i >= 0; i--) {
    target[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** Writes `value` right-aligned into IO field `index` (big-endian, zero-filled on the left). */
function writeField(engine: RsaEngine, index: number, value: Uint8Array): void {
  const start = engine.io + index * engine.field;
  const memory = engine.bytes();
  memory.fill(0, start, start + engine.field - value.length);
  memory.set(value, start + engine.field - value.length);
}

function publicExponent(e: Uint8Array): number {
  let value = 0;
  for (const byte of e) value = value * 256 + byte;
  return value; // keys.ts guarantees 3 ≤ e < 2^32, odd
}

function unavailable(what: string): SigningError {
  return new SigningError('UNAVAILABLE_BACKEND', `the wasm backend cannot use ${what}`);
}

// For the test hook only: each signing key's block, without keeping either alive.
const blockOfKey = new WeakMap<RsaSigningKey, PackedBlock>();

// Slots 12 and 13 hold the blinding pair (assembly/rsa-layout.ts, BLIND_A and BLIND_B).
const BLIND_SLOTS = [12, 14] as const;

// ——— keys ———

const faultyKeys = new WeakSet<RsaSigningKey>();

/**
 * Draws a fresh blinding value (src/backends/blinding.ts) and writes r and r⁻¹ to IO fields 0 and 1, where
 * `prepareBlinding` reads them to set the key block's pair (rᵉ, r⁻¹) in Montgomery form.
 */
function writeBlindingPair(engine: RsaEngine, n: bigint, k: number): void {
  const memory = engine.bytes();
  memory.fill(0, engine.io, engine.io + 2 * engine.field);
  const { r, rInverse } = drawBlindingPair(n, k);
  writeBigInt(memory, engine.io + engine.field - k, r, k);
  writeBigInt(memory, engine.io + 2 * engine.field - k, rInverse, k);
}

/**
 * A signing key on the WASM RSA module: RSASSA-PKCS1-v1_5 with SHA-256, synchronous, with the
 * protections described at the top of this file. Needs the key integers (an opaque `CryptoKey`
 * gives `UNAVAILABLE_BACKEND`) and `crypto.getRandomValues` for the blinding value.
 *
 * @example
 * ```ts
 * const key = importWasmRsaPrivateKey(parseRsaPrivateKey(pem));
 * const signature = key.sign(utf8('1647356399https://api.example/v1/x')); // 256 bytes for 2048 bits
 * key.destroy();
 * ```
 */
export function importWasmRsaPrivateKey(
  material: RsaPrivateKeyMaterial,
  build?: WasmRsaBuild,
): RsaSigningKey {
  const c = material.components;
  if (!c) throw unavailable('an opaque CryptoKey (it needs the key integers)');
  if (typeof globalThis.crypto?.getRandomValues !== 'function') {
    throw unavailable('this runtime: no crypto.getRandomValues for the blinding value');
  }
  const engine = engineFor(build);
  const k = c.n.length;
  const n = bytesToBigInt(c.n);
  let block: PackedBlock;
  try {
    engine.x.setKeyShape(
      k,
      octetsBitLength(c.n),
      octetsBitLength(c.p),
      octetsBitLength(c.q),
      publicExponent(c.e),
    );
    [c.n, c.p, c.q, c.dp, c.dq, c.qi].forEach((value, index) => writeField(engine, index, value));
    engine.x.prepareKey(1);
    writeBlindingPair(engine, n, k);
    engine.x.prepareBlinding();
    block = PackedBlock.take(engine, 14, k);
  } finally {
    engine.clear();
  }

  let destroyed = false;
  let uses = 0;
  const key: RsaSigningKey = {
    sign(data: Uint8Array): Uint8Array {
      if (destroyed) throw usedAfterDestroy('RSA key');
      const em = emsaPkcs1Sha256(wasmSha256(data), k);
      const memory = engine.bytes();
      try {
        block.load(engine);
        // The pair is squared after each signature; every BLINDING_REFRESH signatures it is
        // replaced by one from fresh randomness (src/backends/blinding.ts), so the sequence of blinding
        // values is never a function of one old draw.
        if (++uses > BLINDING_REFRESH) {
          writeBlindingPair(engine, n, k);
          engine.x.prepareBlinding();
          memory.fill(0, engine.io, engine.io + 2 * engine.field);
          uses = 1;
        }
        reportBlindingUse(() =>
          bytesToBigInt(memory.subarray(engine.blind, engine.key + engine.keyBytes)),
        );
        memory.set(em, engine.io);
        engine.x.signHalves();
        if (faultyKeys.has(key)) memory[engine.m1] ^= 1; // test seam: a faulty CRT half
        const ok = engine.x.signCombine();
        // The pair was squared in the block whatever the outcome; keep the fresh one.
        block.keep(engine, ...BLIND_SLOTS);
        if (ok !== 1) {
          throw signatureWithheld();
        }
        return memory.slice(engine.io + engine.field, engine.io + engine.field + k);
      } finally {
        engine.clear();
      }
    },
    destroy(): void {
      destroyed = true;
      block.bytes.fill(0);
    },
  };
  blockOfKey.set(key, block);
  return key;
}

/**
 * Test seam, not part of the API: how many bytes a signing key's prepared block holds in JS.
 *
 * @example
 * ```ts
 * __wasmRsaBlockBytesForTests(key); // 4992 for a 2048-bit key
 * ```
 */
export function __wasmRsaBlockBytesForTests(key: RsaSigningKey): number | undefined {
  return blockOfKey.get(key)?.bytes.length;
}

/**
 * A verifying key on the WASM RSA module: RSASSA-PKCS1-v1_5 with SHA-256. `verify` returns false,
 * never throws, for any wrong or malformed signature (wrong length, value ≥ n).
 *
 * @example
 * ```ts
 * const key = importWasmRsaPublicKey(parseRsaPublicKey(publicPem));
 * key.verify(message, signature); // true or false
 * ```
 */
export function importWasmRsaPublicKey(
  material: RsaPublicKeyMaterial,
  build?: WasmRsaBuild,
): RsaVerifyingKey {
  const c = material.components;
  if (!c) throw unavailable('an opaque CryptoKey (it needs n and e)');
  const engine = engineFor(build);
  const k = c.n.length;
  let block: PackedBlock;
  try {
    engine.x.setKeyShape(k, octetsBitLength(c.n), 0, 0, publicExponent(c.e));
    writeField(engine, 0, c.n);
    engine.x.prepareKey(0);
    block = PackedBlock.take(engine, 2, k);
  } finally {
    engine.clear();
  }
  return {
    verify(data: Uint8Array, signature: Uint8Array): boolean {
      if (!(signature instanceof Uint8Array) || signature.length !== k) return false;
      const expected = emsaPkcs1Sha256(wasmSha256(data), k);
      const memory = engine.bytes();
      try {
        block.load(engine);
        memory.set(signature, engine.io + engine.field);
        if (engine.x.recover() !== 1) return false; // s ≥ n
        return timingSafeEqual(memory.subarray(engine.io, engine.io + k), expected);
      } finally {
        engine.clear();
      }
    },
  };
}

/**
 * Test seam, not part of the API: makes every later signature of `key` compute with one bit of
 * its first CRT half flipped, so tests can show the check before release withholds it.
 *
 * @example
 * ```ts
 * __injectWasmRsaFaultForTests(key);
 * key.sign(data); // throws SigningError('SIGNATURE_FAULT')
 * ```
 */
export function __injectWasmRsaFaultForTests(key: RsaSigningKey): void {
  faultyKeys.add(key);
}

/**
 * Test seam, not part of the API: a copy of a build's linear memory and the layout of its public
 * I/O region, so tests can check that no secret stays there between operations.
 *
 * @example
 * ```ts
 * const { memory, io, ioBytes, simd } = __wasmRsaMemoryForTests('scalar');
 * ```
 */
export function __wasmRsaMemoryForTests(build?: WasmRsaBuild): {
  memory: Uint8Array;
  io: number;
  ioBytes: number;
  end: number;
  simd: boolean;
} {
  const engine = engineFor(build);
  return {
    memory: engine.bytes().slice(),
    io: engine.io,
    ioBytes: engine.ioBytes,
    end: engine.end,
    simd: engine.x.SIMD.value === 1,
  };
}
