/**
 * The WASM hash module (assembly/hash.ts through src/backends/wasm/hash.ts) against node:crypto (OpenSSL),
 * the independent reference: SHA-256 and HMAC-SHA256 for every length 0–300 (all the SHA-256
 * padding cases: 55/56 bytes switch to a second padding block, 63/64/65 cross a block), 1 MiB,
 * every boundary of the 32 KiB streaming buffer, every key-size class of RFC 2104 §2 (shorter
 * than, equal to and longer than the 64-byte block, and longer than the buffer), RFC 4231, many
 * keys alive at once, and that destroy() really zeroes the key slot in linear memory.
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
import { isSigningError } from '../../src/lib/errors.js';
import type { HmacKey } from '../../src/backends/types.js';

registerWasmSources(EMBEDDED_WASM);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256Ref = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmacRef = (key: Uint8Array, data: Uint8Array | string) =>
  createHmac('sha256', key).update(data).digest();
const bytes = (n: number) => new Uint8Array(randomBytes(n));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isSigningError(error) ? error.code : `not a SigningError: ${String(error)}`;
  }
  return undefined;
}

const CHUNK = _wasmHashInternals.inputSize();
/** Lengths around every place the streaming path splits or pads. */
const STREAM_LENGTHS = [CHUNK, 2 * CHUNK, 3 * CHUNK].flatMap((edge) =>
  [-65, -64, -63, -56, -55, -1, 0, 1, 55, 56, 63, 64, 65].map((d) => edge + d),
);
const KEY_LENGTHS = [0, 1, 32, 63, 64, 65, 200];

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

const Hmac = suite('wasm HMAC-SHA256 vs node:crypto');

Hmac('every key class × every length 0..300, mac and macBase64url', () => {
  for (const keyLength of KEY_LENGTHS) {
    const keyBytes = bytes(keyLength);
    const key = importWasmHmacKey(keyBytes);
    for (let n = 0; n <= 300; n++) {
      const data = bytes(n);
      const expected = hmacRef(keyBytes, data);
      assert.is(
        hex(key.mac(data) as Uint8Array),
        expected.toString('hex'),
        `key ${keyLength}, ${n}`,
      );
      assert.is(key.macBase64url!(data), expected.toString('base64url'), `b64 ${keyLength}, ${n}`);
    }
    key.destroy();
  }
});

Hmac('1 MiB and every streaming boundary', () => {
  const keyBytes = bytes(32);
  const key = importWasmHmacKey(keyBytes);
  for (const n of [1 << 20, ...STREAM_LENGTHS]) {
    const data = bytes(n);
    const expected = hmacRef(keyBytes, data);
    assert.is(hex(key.mac(data) as Uint8Array), expected.toString('hex'), `length ${n}`);
    assert.is(key.macBase64url!(data), expected.toString('base64url'), `b64 length ${n}`);
  }
  key.destroy();
});

Hmac('keys longer than the input buffer are hashed first (RFC 2104 §2)', () => {
  for (const keyLength of [CHUNK, CHUNK + 1, 3 * CHUNK + 7]) {
    const keyBytes = bytes(keyLength);
    const key = importWasmHmacKey(keyBytes);
    const data = bytes(150);
    assert.is(hex(key.mac(data) as Uint8Array), hmacRef(keyBytes, data).toString('hex'));
    key.destroy();
  }
});

Hmac('RFC 4231 test cases 1–7', () => {
  const file = JSON.parse(
    readFileSync(new URL('../../vectors/public/rfc4231-hmac-sha256.json', import.meta.url), 'utf8'),
  ) as { tests: { tcId: number; keyHex: string; dataHex: string; macHex: string }[] };
  assert.is(file.tests.length, 7);
  for (const t of file.tests) {
    const key = importWasmHmacKey(Buffer.from(t.keyHex, 'hex'));
    const mac = hex(key.mac(Buffer.from(t.dataHex, 'hex')) as Uint8Array);
    // Case 5 gives only the leftmost 128 bits (RFC 4231 §4.6).
    assert.is(mac.slice(0, t.macHex.length), t.macHex, `test case ${t.tcId}`);
    key.destroy();
  }
});

Hmac('macRequest: prefix + string, bytes or no body, as node:crypto over the joined bytes', () => {
  const keyBytes = bytes(32);
  const key = importWasmHmacKey(keyBytes);
  const prefix = '1647356399POSThttps://api.qredo.network/qapi/v1/company/abc/transfer';
  const bodies: (string | Uint8Array | undefined)[] = [
    undefined,
    '',
    '{"amount":1}',
    'héllo wörld € 𝄞 — ünïcödé',
    new Uint8Array(0),
    bytes(1),
    bytes(150),
    bytes(CHUNK - prefix.length), // exactly fills INPUT
    bytes(CHUNK - prefix.length + 1), // one byte too many: streamed
    'x'.repeat(CHUNK - prefix.length),
    'x'.repeat(CHUNK - prefix.length + 1),
    '€'.repeat(11000), // fits by UTF-16 length, not by its 33000 UTF-8 bytes
    'a€'.repeat(30000),
    // Streamed text: 3- and 4-byte code points (surrogate pairs) meeting INPUT's end at every
    // offset, so encodeInto stops short of a full buffer and resumes mid-string.
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((shift) => 'x'.repeat(shift) + '😀€'.repeat(12000)),
    bytes(1 << 20),
    'x'.repeat(1 << 20),
  ];
  for (const body of bodies) {
    const joined = Buffer.concat([Buffer.from(prefix), Buffer.from(body ?? '')]);
    const label = typeof body === 'string' ? `string ${body.length}` : `bytes ${body?.length}`;
    assert.is(
      key.macRequest!(prefix, body),
      hmacRef(keyBytes, joined).toString('base64url'),
      label,
    );
  }
  key.destroy();
});

Hmac('many keys alive at once (the memory grows) stay independent', () => {
  const count = 1500; // about three pages of slots
  const keyBytes = Array.from({ length: count }, (_, i) => bytes(i % 97));
  const keys = keyBytes.map((k) => importWasmHmacKey(k));
  const data = bytes(120);
  for (let i = count - 1; i >= 0; i -= 7) {
    assert.is(
      keys[i].macBase64url!(data),
      hmacRef(keyBytes[i], data).toString('base64url'),
      `key ${i}`,
    );
  }
  for (const key of keys) key.destroy();
});

Hmac('the first-block cache: repeats, shared first blocks, near misses, interleaved keys', () => {
  const keyA = bytes(32);
  const keyB = bytes(32);
  const a = importWasmHmacKey(keyA);
  const b = importWasmHmacKey(keyB);
  const check = (key: HmacKey, secret: Uint8Array, data: Uint8Array, label: string) =>
    assert.is(hex(key.mac(data) as Uint8Array), hmacRef(secret, data).toString('hex'), label);
  const base = bytes(300);
  for (let n = 60; n <= 300; n++) {
    // Same first block, every tail length; then the same message again (a hit).
    check(a, keyA, base.subarray(0, n), `shared first block, ${n}`);
    check(a, keyA, base.subarray(0, n), `repeat, ${n}`);
  }
  for (const at of [0, 1, 31, 32, 62, 63, 64]) {
    // One byte changed inside the first block is a miss; at 64 it is a hit with a new tail.
    const changed = base.slice(0, 150);
    changed[at] ^= 0x01;
    check(a, keyA, base.subarray(0, 150), `before change at ${at}`);
    check(a, keyA, changed, `changed at ${at}`);
    check(a, keyA, base.subarray(0, 150), `after change at ${at}`);
  }
  for (let i = 0; i < 20; i++) {
    // Two keys on the same message, and two messages on one key, alternating: caches are per slot.
    check(a, keyA, base.subarray(0, 100 + i), `key A ${i}`);
    check(b, keyB, base.subarray(0, 100 + i), `key B ${i}`);
    check(b, keyB, base.subarray(i, 100 + i), `key B shifted ${i}`);
  }
  // A message shorter than a block between two that share one, and the request path with
  // consecutive timestamps (the case the cache is for, and its miss every second).
  check(a, keyA, base.subarray(0, 63), 'short');
  check(a, keyA, base.subarray(0, 200), 'after short');
  const url = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer';
  for (const ts of [1647356399, 1647356399, 1647356400, 1647356400, 1647356399]) {
    const prefix = `${ts}POST${url}`;
    assert.is(
      a.macRequest!(prefix, '{"amount":1}'),
      hmacRef(keyA, `${prefix}{"amount":1}`).toString('base64url'),
      `timestamp ${ts}`,
    );
  }
  a.destroy();
  b.destroy();
});

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
