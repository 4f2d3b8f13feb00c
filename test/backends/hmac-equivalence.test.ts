/**
 * One HMAC-SHA256 suite (RFC 2104) run on every implementation of the `HmacKey` interface: the
 * node backend on its one-shot `crypto.hash` path and on its `createHmac` fallback
 * (src/backends/node-hmac.ts), the WASM module (assembly/hmac.ts through src/backends/wasm/hash.ts)
 * and the pure-JS backend (src/backends/js.ts). Expected values come from node:crypto's
 * `createHmac` (OpenSSL, which shares no pad or buffer code with any of them), the Python-generated
 * vectors and RFC 4231 — never from this library.
 *
 * The cases cover every message length 0–300 (SHA-256's padding: 55/56 bytes need a second block,
 * 63/64/65 cross one) under every key-size class of RFC 2104 §2 (shorter than, equal to and longer
 * than the 64-byte block, and longer than WASM's input buffer), and bodies on both sides of each
 * implementation's own buffer edges (node's scratch buffer, WASM's 32 KiB streaming buffer, js's
 * 4096-byte request buffer), run on all of them. What only one implementation has (wiping of
 * node's pads, WASM's slots and linear memory) stays in node-hmac.test.ts and wasm-hash.test.ts.
 * Needs `node scripts/build-wasm.mjs` first (src/backends/wasm/generated/ is a build output).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jsBackend } from '../../src/backends/js.js';
import { _nodeHmacInternals, importNodeHmacKey } from '../../src/backends/node-hmac.js';
import { EMBEDDED_WASM } from '../../src/backends/wasm/generated/embedded.js';
import { _wasmHashInternals, importWasmHmacKey } from '../../src/backends/wasm/hash.js';
import { registerWasmSources } from '../../src/backends/wasm/load.js';
import type { HmacKey } from '../../src/backends/types.js';
import { loadVectorFiles } from '../../src/conformance/vector-files.js';
import { codeOf } from '../support.js';

registerWasmSources(EMBEDDED_WASM);

/** One row of the table: an implementation under test and how to prepare a key with it. */
interface HmacImplementation {
  name: string;
  importKey(secret: Uint8Array): HmacKey;
}

const IMPLEMENTATIONS: HmacImplementation[] = [
  { name: 'node (one-shot crypto.hash)', importKey: (secret) => importNodeHmacKey(secret, true) },
  { name: 'node (createHmac)', importKey: (secret) => importNodeHmacKey(secret, false) },
  { name: 'wasm', importKey: (secret) => importWasmHmacKey(secret) },
  { name: 'js', importKey: (secret) => jsBackend.importHmacKey(secret) },
];

const vectors = await loadVectorFiles(
  (path) => JSON.parse(readFileSync(new URL(`../../vectors/${path}`, import.meta.url), 'utf8')),
  ['primitives', 'public.rfc4231'],
);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const bytes = (n: number) => new Uint8Array(randomBytes(n));
/** node:crypto's HMAC over the concatenation of `parts` (strings as UTF-8). */
const reference = (secret: Uint8Array, ...parts: (string | Uint8Array)[]) => {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
};

// Every implementation here is synchronous; a Promise would fail these comparisons loudly.
const mac = (key: HmacKey, data: Uint8Array) => hex(key.mac(data) as Uint8Array);
const macBase64url = (key: HmacKey, data: Uint8Array) => key.macBase64url!(data) as string;
const macRequest = (key: HmacKey, prefix: string, body: string | Uint8Array | undefined) =>
  key.macRequest!(prefix, body) as string;

/** Key-size classes of RFC 2104 §2: empty, short, a block − 1, a block, a block + 1, hashed. */
const KEY_SIZES = [0, 1, 31, 32, 63, 64, 65, 128, 200];
const MESSAGE = bytes(300);
const CHUNK = _wasmHashInternals.inputSize();
const SCRATCH = _nodeHmacInternals.scratchSize;
const NODE_PREFIX = '1647356399POSThttps://api.qredo.network/qapi/v1/company';
const JS_PREFIX = '1647356399POSThttps://api.qredo.network/api/v1/p/company';
const WASM_PREFIX = '1647356399POSThttps://api.qredo.network/qapi/v1/company/abc/transfer';

/**
 * [prefix, body lengths] around each implementation's buffer edges, every one run on all:
 * node's one-shot path hands over to createHmac past its scratch buffer (bytes: exact; text:
 * three bytes per code unit at most); WASM streams past its input buffer, and pads at every
 * multiple of 64; js's worst-case UTF-8 size straddles its 4096-byte request buffer. Longest
 * first, so that a shorter input after a longer one would expose stale buffer bytes.
 */
const EDGES: [string, number[]][] = [
  [
    NODE_PREFIX,
    [
      1 << 20,
      ...[-1, 0, 1].flatMap((d) => [
        SCRATCH - 64 - NODE_PREFIX.length + d,
        Math.floor((SCRATCH - 64 - NODE_PREFIX.length) / 3) + d,
      ]),
      ...[CHUNK, 2 * CHUNK, 3 * CHUNK].flatMap((edge) =>
        [-65, -64, -63, -56, -55, -1, 0, 1, 55, 56, 63, 64, 65].map((d) => edge + d),
      ),
    ],
  ],
  [JS_PREFIX, [5000, 1400, 1347, 1346, 1345, 1300, 64, 1]],
];
for (const [, lengths] of EDGES) lengths.sort((a, b) => b - a);

type Case = [title: string, run: (impl: HmacImplementation) => void];

const CASES: Case[] = [
  [
    'the generated HMAC vectors (Python hmac), through mac, macBase64url and macRequest',
    ({ importKey }) => {
      const list = vectors.primitives!.hmac;
      assert.ok(list.length > 100);
      for (const v of list) {
        const key = importKey(fromHex(v.keyHex));
        const data = fromHex(v.dataHex);
        const expected = Buffer.from(v.macHex, 'hex').toString('base64url');
        assert.is(mac(key, data), v.macHex, v.name);
        assert.is(macBase64url(key, data), expected, v.name);
        assert.is(macRequest(key, '', data.length ? data : undefined), expected, v.name);
        key.destroy();
      }
    },
  ],
  [
    'RFC 4231 test cases 1–7',
    ({ importKey }) => {
      const tests = vectors.public!.rfc4231!.tests;
      assert.is(tests.length, 7);
      for (const t of tests) {
        const key = importKey(fromHex(t.keyHex));
        // Case 5 gives only the leftmost 128 bits (RFC 4231 §4.6).
        assert.is(mac(key, fromHex(t.dataHex)).slice(0, t.macHex.length), t.macHex, `${t.tcId}`);
        key.destroy();
      }
    },
  ],
  [
    'every key-size class × every length 0–300: mac, macBase64url, macRequest of bytes and text',
    ({ importKey }) => {
      for (const size of KEY_SIZES) {
        const secret = bytes(size);
        // One prepared key serves every length in turn, so state left over by one MAC would show.
        const key = importKey(secret);
        for (let n = 0; n <= 300; n++) {
          const view = MESSAGE.subarray(0, n);
          const expected = reference(secret, view);
          assert.is(mac(key, view), expected.toString('hex'), `key ${size} B, message ${n} B`);
          assert.is(macBase64url(key, view), expected.toString('base64url'), `key ${size}, ${n}`);
          const body = bytes(n);
          const text = 'x'.repeat(n);
          assert.is(
            macRequest(key, NODE_PREFIX, body),
            reference(secret, NODE_PREFIX, body).toString('base64url'),
            `request bytes, key ${size}, ${n}`,
          );
          assert.is(
            macRequest(key, NODE_PREFIX, text),
            reference(secret, NODE_PREFIX + text).toString('base64url'),
            `request text, key ${size}, ${n}`,
          );
        }
        key.destroy();
      }
    },
  ],
  [
    'keys longer than the WASM input buffer are hashed first (RFC 2104 §2)',
    ({ importKey }) => {
      for (const size of [CHUNK, CHUNK + 1, 3 * CHUNK + 7]) {
        const secret = bytes(size);
        const key = importKey(secret);
        const data = bytes(150);
        assert.is(mac(key, data), reference(secret, data).toString('hex'), `key ${size} B`);
        key.destroy();
      }
    },
  ],
  [
    'text is signed as UTF-8, astral characters included',
    ({ importKey }) => {
      const secret = bytes(32);
      const key = importKey(secret);
      for (const text of [
        'é',
        '€uro',
        '😀 and 𝄞',
        '\u0000\t\r\n',
        'ü'.repeat(5000),
        '😀'.repeat(3000),
      ]) {
        assert.is(
          macRequest(key, NODE_PREFIX, text),
          reference(secret, Buffer.from(NODE_PREFIX + text, 'utf8')).toString('base64url'),
        );
      }
      key.destroy();
    },
  ],
  [
    "bodies on both sides of every implementation's buffer edges, and 1 MiB",
    ({ importKey }) => {
      const secret = bytes(32);
      const key = importKey(secret);
      for (const [prefix, lengths] of EDGES) {
        for (const n of lengths) {
          const body = bytes(n);
          const expected = reference(secret, body);
          assert.is(mac(key, body), expected.toString('hex'), `bytes ${n}`);
          assert.is(macBase64url(key, body), expected.toString('base64url'), `bytes ${n}`);
          for (const text of ['x'.repeat(n), '€'.repeat(n), 'é€😀'.repeat(Math.ceil(n / 4))]) {
            assert.is(
              macRequest(key, prefix, text),
              reference(secret, prefix + text).toString('base64url'),
              `text of ${text.length} units after a ${prefix.length}-byte prefix`,
            );
          }
          assert.is(
            macRequest(key, prefix, body),
            reference(secret, prefix, body).toString('base64url'),
            `bytes ${n} after a ${prefix.length}-byte prefix`,
          );
        }
      }
      key.destroy();
    },
  ],
  [
    'macRequest: prefix + string, bytes or no body, as node:crypto over the joined bytes',
    ({ importKey }) => {
      const secret = bytes(32);
      const key = importKey(secret);
      const prefix = WASM_PREFIX;
      const bodies: (string | Uint8Array | undefined)[] = [
        undefined,
        '',
        '{"a":1}',
        '{"amount":1}',
        'héllo wörld € 𝄞 — ünïcödé',
        new Uint8Array(0),
        bytes(1),
        bytes(150),
        MESSAGE,
        bytes(CHUNK - prefix.length), // exactly fills WASM's input buffer
        bytes(CHUNK - prefix.length + 1), // one byte too many: streamed
        'x'.repeat(CHUNK - prefix.length),
        'x'.repeat(CHUNK - prefix.length + 1),
        '€'.repeat(11000), // fits WASM's buffer by UTF-16 length, not by its 33000 UTF-8 bytes
        'a€'.repeat(30000),
        // Streamed text: 3- and 4-byte code points (surrogate pairs) meeting the buffer's end at
        // every offset, so an encoder stops short of a full buffer and resumes mid-string.
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((shift) => 'x'.repeat(shift) + '😀€'.repeat(12000)),
        bytes(1 << 20),
        'x'.repeat(1 << 20),
      ];
      for (const body of bodies) {
        const joined = Buffer.concat([Buffer.from(prefix), Buffer.from(body ?? '')]);
        const label = typeof body === 'string' ? `string ${body.length}` : `bytes ${body?.length}`;
        assert.is(
          macRequest(key, prefix, body),
          reference(secret, joined).toString('base64url'),
          label,
        );
      }
      key.destroy();
    },
  ],
  [
    'two keys used alternately do not share state; results are fresh arrays',
    ({ importKey }) => {
      const a = bytes(32);
      const b = bytes(70);
      const keyA = importKey(a);
      const keyB = importKey(b);
      const first = keyA.mac(MESSAGE) as Uint8Array;
      const kept = hex(first);
      for (const n of [55, 56, 64, 119, 120, 128]) {
        const data = MESSAGE.subarray(0, n);
        assert.is(macBase64url(keyB, data), reference(b, data).toString('base64url'));
        assert.is(mac(keyA, data), reference(a, data).toString('hex'));
      }
      assert.is(hex(first), kept, 'an earlier result was overwritten');
      keyA.destroy();
      keyB.destroy();
    },
  ],
  [
    'many keys alive at once stay independent',
    ({ importKey }) => {
      const count = 1500; // about three pages of WASM key slots
      const secrets = Array.from({ length: count }, (_, i) => bytes(i % 97));
      const keys = secrets.map((secret) => importKey(secret));
      const data = bytes(120);
      for (let i = count - 1; i >= 0; i -= 7) {
        assert.is(
          macBase64url(keys[i], data),
          reference(secrets[i], data).toString('base64url'),
          `key ${i}`,
        );
      }
      for (const key of keys) key.destroy();
    },
  ],
  [
    'repeats, shared first blocks, near misses and interleaved keys (what a first-block cache meets)',
    ({ importKey }) => {
      const secretA = bytes(32);
      const secretB = bytes(32);
      const a = importKey(secretA);
      const b = importKey(secretB);
      const check = (key: HmacKey, secret: Uint8Array, data: Uint8Array, label: string) =>
        assert.is(mac(key, data), reference(secret, data).toString('hex'), label);
      const base = bytes(300);
      for (let n = 60; n <= 300; n++) {
        // Same first block, every tail length; then the same message again.
        check(a, secretA, base.subarray(0, n), `shared first block, ${n}`);
        check(a, secretA, base.subarray(0, n), `repeat, ${n}`);
      }
      for (const at of [0, 1, 31, 32, 62, 63, 64]) {
        // One byte changed inside the first block; at 64 the first block is the same.
        const changed = base.slice(0, 150);
        changed[at] ^= 0x01;
        check(a, secretA, base.subarray(0, 150), `before change at ${at}`);
        check(a, secretA, changed, `changed at ${at}`);
        check(a, secretA, base.subarray(0, 150), `after change at ${at}`);
      }
      for (let i = 0; i < 20; i++) {
        // Two keys on the same message, and two messages on one key, alternating.
        check(a, secretA, base.subarray(0, 100 + i), `key A ${i}`);
        check(b, secretB, base.subarray(0, 100 + i), `key B ${i}`);
        check(b, secretB, base.subarray(i, 100 + i), `key B shifted ${i}`);
      }
      // A message shorter than a block between two that share one, and the request path with
      // consecutive timestamps (a new first block every second).
      check(a, secretA, base.subarray(0, 63), 'short');
      check(a, secretA, base.subarray(0, 200), 'after short');
      const url = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer';
      for (const ts of [1647356399, 1647356399, 1647356400, 1647356400, 1647356399]) {
        const prefix = `${ts}POST${url}`;
        assert.is(
          macRequest(a, prefix, '{"amount":1}'),
          reference(secretA, `${prefix}{"amount":1}`).toString('base64url'),
          `timestamp ${ts}`,
        );
      }
      a.destroy();
      b.destroy();
    },
  ],
  [
    "does not keep the caller's key array",
    ({ importKey }) => {
      for (const size of [40, 200]) {
        const secret = bytes(size);
        const copy = Buffer.from(secret);
        const key = importKey(secret);
        secret.fill(0); // the caller wipes its copy, as the schemes do after import
        assert.is(macBase64url(key, MESSAGE), reference(copy, MESSAGE).toString('base64url'));
        key.destroy();
      }
    },
  ],
  [
    'a destroyed key refuses to compute (INVALID_OPTION); destroying twice is harmless',
    ({ importKey }) => {
      const key = importKey(bytes(32));
      key.destroy();
      key.destroy();
      assert.is(
        codeOf(() => key.mac(MESSAGE)),
        'INVALID_OPTION',
      );
      assert.is(
        codeOf(() => key.macBase64url!(MESSAGE)),
        'INVALID_OPTION',
      );
      assert.is(
        codeOf(() => key.macRequest!(NODE_PREFIX, 'x')),
        'INVALID_OPTION',
      );
      assert.is(
        codeOf(() => key.macRequest!(NODE_PREFIX, undefined)),
        'INVALID_OPTION',
      );
    },
  ],
];

for (const implementation of IMPLEMENTATIONS) {
  const test = suite(`HMAC-SHA256 equals node:crypto: ${implementation.name}`);
  for (const [title, run] of CASES) test(title, () => run(implementation));
  test.run();
}
