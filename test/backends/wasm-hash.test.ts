/**
 * The WASM hash module (assembly/hash.ts through src/backends/wasm/hash.ts): loading, SHA-256
 * against node:crypto (OpenSSL) for every length 0–300 (55/56 bytes switch to a second padding
 * block, 63/64/65 cross a block), 1 MiB and every boundary of the 32 KiB streaming buffer, and
 * what only the WASM HMAC has: key slots reused safely, and destroy() really zeroing the slot in
 * linear memory. HMAC-SHA256 results against node:crypto, with the other implementations', are in
 * hmac-equivalence.test.ts.
 * Needs `node scripts/build-wasm.mjs` first (src/backends/wasm/generated/ is a build output).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EMBEDDED_WASM } from '../../src/backends/wasm/generated/embedded.js';
import {
  _forgetWasmModule,
  initWasm,
  instantiateWasm,
  loadWasmModule,
  provideWasmModule,
  registerWasmSources,
  wasmSimdSupported,
} from '../../src/backends/wasm/load.js';
import { _wasmHashInternals, importWasmHmacKey, wasmSha256 } from '../../src/backends/wasm/hash.js';
import { codeOf } from '../support.js';

registerWasmSources(EMBEDDED_WASM);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256Ref = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmacRef = (key: Uint8Array, data: Uint8Array | string) =>
  createHmac('sha256', key).update(data).digest();
const bytes = (n: number) => new Uint8Array(randomBytes(n));

const CHUNK = _wasmHashInternals.inputSize();
/** Lengths around every place the streaming path splits or pads. */
const STREAM_LENGTHS = [CHUNK, 2 * CHUNK, 3 * CHUNK].flatMap((edge) =>
  [-65, -64, -63, -56, -55, -1, 0, 1, 55, 56, 63, 64, 65].map((d) => edge + d),
);

const Loading = suite('wasm loading');

Loading('the hash module imports nothing and is compiled once', () => {
  const module = loadWasmModule('hash');
  assert.is(loadWasmModule('hash'), module);
  assert.equal(WebAssembly.Module.imports(module), []);
});

Loading('the layout starts above the static data', () => {
  assert.ok(_wasmHashInternals.staticDataEnd() <= _wasmHashInternals.statePtr());
  assert.is(CHUNK % 64, 0);
});

Loading('an unknown module is UNAVAILABLE_BACKEND', async () => {
  assert.is(
    codeOf(() => loadWasmModule('no-such-module')),
    'UNAVAILABLE_BACKEND',
  );
  let code: string | undefined;
  await initWasm(['no-such-module']).catch((e) => (code = e.code));
  assert.is(code, 'UNAVAILABLE_BACKEND');
});

Loading('bad embedded bytes are UNAVAILABLE_BACKEND, not a raw CompileError', () => {
  registerWasmSources({ 'broken-a': 'AGFzbQEAAAAB', 'broken-b': 'not base64!' });
  assert.is(
    codeOf(() => loadWasmModule('broken-a')),
    'UNAVAILABLE_BACKEND',
  );
  assert.is(
    codeOf(() => loadWasmModule('broken-b')),
    'UNAVAILABLE_BACKEND',
  );
  _forgetWasmModule('broken-a');
  _forgetWasmModule('broken-b');
});

Loading('initWasm compiles asynchronously; a provided module is used as given', async () => {
  const bytes = readFileSync(new URL('../../dist/wasm/hash.wasm', import.meta.url));
  registerWasmSources({ 'hash-async': new Uint8Array(bytes) });
  await initWasm(['hash-async']);
  const asyncModule = loadWasmModule('hash-async');
  assert.ok(asyncModule instanceof WebAssembly.Module);
  const precompiled = new WebAssembly.Module(bytes);
  provideWasmModule('hash-provided', precompiled);
  assert.is(loadWasmModule('hash-provided'), precompiled);
  const exports = instantiateWasm('hash-provided') as unknown as {
    memory: WebAssembly.Memory;
    INPUT_PTR: WebAssembly.Global;
    OUT_PTR: WebAssembly.Global;
    sha256(len: number): void;
  };
  const memory = new Uint8Array(exports.memory.buffer);
  memory.set(new TextEncoder().encode('abc'), exports.INPUT_PTR.value);
  exports.sha256(3);
  const out = exports.OUT_PTR.value as number;
  // FIPS 180-4 example "abc" (also the NIST CAVP short message).
  assert.is(
    hex(memory.subarray(out, out + 32)),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  _forgetWasmModule('hash-async');
  _forgetWasmModule('hash-provided');
});

Loading('SIMD detection answers true on Node 20 (V8 has wasm SIMD)', () => {
  assert.is(wasmSimdSupported(), true);
});

Loading.run();

const Sha = suite('wasm SHA-256 vs node:crypto');

Sha('every length 0..300', () => {
  for (let n = 0; n <= 300; n++) {
    const data = bytes(n);
    assert.is(hex(wasmSha256(data)), sha256Ref(data), `length ${n}`);
  }
});

Sha('1 MiB and every streaming boundary', () => {
  for (const n of [1 << 20, ...STREAM_LENGTHS]) {
    const data = bytes(n);
    assert.is(hex(wasmSha256(data)), sha256Ref(data), `length ${n}`);
  }
});

Sha('a subarray view hashes only its own bytes', () => {
  const whole = bytes(500);
  const view = whole.subarray(37, 437);
  assert.is(hex(wasmSha256(view)), sha256Ref(view));
});

Sha.run();

const Hmac = suite('wasm HMAC-SHA256 slots');

Hmac("a slot reused by another key never answers from the first key's cache", () => {
  const first = bytes(32);
  const message = bytes(128);
  const key = importWasmHmacKey(first);
  key.mac(message);
  const slot = _wasmHashInternals.slotOf(key);
  key.destroy();
  const second = bytes(32);
  const other = importWasmHmacKey(second);
  assert.is(_wasmHashInternals.slotOf(other), slot);
  assert.is(hex(other.mac(message) as Uint8Array), hmacRef(second, message).toString('hex'));
  other.destroy();
});

Hmac.run();

const Wipe = suite('wasm HMAC key hygiene');

function memoryBytes(): Uint8Array {
  return new Uint8Array(_wasmHashInternals.memory().buffer);
}

Wipe('destroy() zeroes the key slot in linear memory; the slot is reused correctly', () => {
  const keyBytes = bytes(32);
  const key = importWasmHmacKey(keyBytes);
  const slot = _wasmHashInternals.slotOf(key);
  const size = _wasmHashInternals.slotSize();
  key.mac(bytes(100)); // fills the first-block cache too
  const before = memoryBytes().slice(slot, slot + size);
  assert.ok(
    before.subarray(0, 64).some((b) => b !== 0),
    'the slot holds the two pad states',
  );
  assert.ok(
    before.subarray(64, 96).some((b) => b !== 0),
    'the slot holds a cached first-block state',
  );
  key.destroy();
  assert.equal([...memoryBytes().subarray(slot, slot + size)], new Array(size).fill(0));
  key.destroy(); // idempotent
  assert.is(
    codeOf(() => key.mac(bytes(10))),
    'INVALID_OPTION',
  );
  const otherBytes = bytes(20);
  const other = importWasmHmacKey(otherBytes);
  assert.is(_wasmHashInternals.slotOf(other), slot);
  const data = bytes(64);
  assert.is(hex(other.mac(data) as Uint8Array), hmacRef(otherBytes, data).toString('hex'));
  other.destroy();
});

Wipe('importing leaves no copy of the key in the input buffer or scratch state', () => {
  for (const keyLength of [1, 64, 65, 200, CHUNK + 1]) {
    const key = importWasmHmacKey(new Uint8Array(keyLength).fill(0xa5));
    const memory = memoryBytes();
    const input = _wasmHashInternals.inputPtr();
    const inputBytes = memory.subarray(input, input + Math.min(keyLength, CHUNK));
    assert.ok(
      inputBytes.every((b) => b === 0),
      `input wiped for a ${keyLength}-byte key`,
    );
    const state = _wasmHashInternals.statePtr();
    // STATE, OUT, B64 and PAD sit between STATE_PTR and INPUT_PTR (assembly/hash-layout.ts).
    assert.ok(
      memory.subarray(state, input).every((b) => b === 0),
      `scratch wiped for a ${keyLength}-byte key`,
    );
    key.destroy();
  }
});

Wipe.run();
