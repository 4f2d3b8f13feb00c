/**
 * The node backend's HMAC-SHA256 (src/backends/node-hmac.ts): RFC 2104 on two one-shot
 * `crypto.hash` calls, and the `createHmac` path it falls back to. Both are checked against the
 * Python-generated vectors and against node:crypto's own `createHmac` (OpenSSL's HMAC, which does
 * not share the pad code under test) over every length 0–300, the scratch buffer's edges, every
 * key-size class of RFC 2104 §2, UTF-8 text, and that the secrets are wiped.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { _nodeHmacInternals, importNodeHmacKey } from '../../src/backends/node-hmac.js';
import { isSigningError } from '../../src/lib/errors.js';

interface HmacVector {
  name: string;
  keyHex: string;
  dataHex: string;
  macHex: string;
}
const vectors = (
  JSON.parse(readFileSync(new URL('../../vectors/primitives.json', import.meta.url), 'utf8')) as {
    hmac: HmacVector[];
  }
).hmac;

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const bytes = (n: number) => new Uint8Array(randomBytes(n));
const reference = (key: Uint8Array, ...parts: (string | Uint8Array)[]) => {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest('base64url');
};

const SCRATCH = _nodeHmacInternals.scratchSize;
const PREFIX = '1647356399POSThttps://api.qredo.network/qapi/v1/company';
/** Body lengths on both sides of where the one-shot path hands over to createHmac. */
const EDGE_LENGTHS = [-1, 0, 1].flatMap((d) => [
  SCRATCH - 64 - PREFIX.length + d, // bytes: exact
  Math.floor((SCRATCH - 64 - PREFIX.length) / 3) + d, // text: three bytes per code unit at most
]);

for (const [label, oneShot] of [
  ['one-shot crypto.hash', true],
  ['createHmac', false],
] as const) {
  const test = suite(`node HMAC: ${label}`);

  test('this Node has crypto.hash, so the one-shot path is what runs', () => {
    // Node 20.12+; without it every case below would test createHmac twice.
    assert.ok(_nodeHmacInternals.oneShotAvailable());
  });

  test('the generated HMAC vectors (Python hmac), through mac, macBase64url and macRequest', () => {
    assert.ok(vectors.length > 100);
    for (const v of vectors) {
      const key = importNodeHmacKey(fromHex(v.keyHex), oneShot);
      const data = fromHex(v.dataHex);
      assert.is(Buffer.from(key.mac(data) as Uint8Array).toString('hex'), v.macHex, v.name);
      const expected = Buffer.from(v.macHex, 'hex').toString('base64url');
      assert.is(key.macBase64url!(data), expected, v.name);
      assert.is(key.macRequest!('', data.length ? data : undefined), expected, v.name);
      key.destroy();
    }
  });

  test('every length 0–300 and every key-size class, bytes and text bodies', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const secret = bytes(keyLength);
      const key = importNodeHmacKey(secret, oneShot);
      for (let n = 0; n <= 300; n++) {
        const body = bytes(n);
        assert.is(
          key.macRequest!(PREFIX, body),
          reference(secret, PREFIX, body),
          `${keyLength}/${n}`,
        );
        const text = 'x'.repeat(n);
        assert.is(key.macRequest!(PREFIX, text), reference(secret, PREFIX + text));
      }
      key.destroy();
    }
  });

  test('text is signed as UTF-8, astral characters included', () => {
    const secret = bytes(32);
    const key = importNodeHmacKey(secret, oneShot);
    for (const text of [
      'é',
      '€uro',
      '😀 and 𝄞',
      '\u0000\t\r\n',
      'ü'.repeat(5000),
      '😀'.repeat(3000),
    ]) {
      assert.is(
        key.macRequest!(PREFIX, text),
        reference(secret, Buffer.from(PREFIX + text, 'utf8')),
      );
    }
    key.destroy();
  });

  test('bodies on both sides of the scratch buffer size, and 1 MiB', () => {
    const secret = bytes(32);
    const key = importNodeHmacKey(secret, oneShot);
    for (const n of [...EDGE_LENGTHS, 1 << 20]) {
      const body = bytes(n);
      assert.is(key.macRequest!(PREFIX, body), reference(secret, PREFIX, body), `bytes ${n}`);
      assert.is(key.macBase64url!(body), reference(secret, body), `bytes ${n}`);
      const text = '€'.repeat(n);
      assert.is(key.macRequest!(PREFIX, text), reference(secret, PREFIX + text), `text ${n}`);
    }
    key.destroy();
  });

  test('a destroyed key refuses to sign', () => {
    const key = importNodeHmacKey(bytes(32), oneShot);
    key.destroy();
    key.destroy(); // twice is harmless
    for (const run of [() => key.macRequest!(PREFIX, 'x'), () => key.mac(bytes(10))]) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      assert.ok(isSigningError(error) && error.code === 'INVALID_OPTION');
    }
  });

  test.run();
}

const Wipes = suite('node HMAC: secrets wiped');

Wipes('the scratch copy of K⊕ipad is zeroed after every MAC', () => {
  const key = importNodeHmacKey(new Uint8Array(32).fill(0xff));
  key.macRequest!(PREFIX, 'body');
  const scratch = _nodeHmacInternals.scratch()!;
  assert.equal([...scratch.subarray(0, 64)], new Array(64).fill(0));
  // The message after it is not secret and stays; the pads are still in the key.
  assert.is(scratch.toString('latin1', 64, 64 + PREFIX.length), PREFIX);
  key.destroy();
});

Wipes('a message shorter than K⊕opad leaves no pad byte behind it in the scratch buffer', () => {
  // Both pads are copied into the scratch buffer in one go; the message overwrites K⊕opad from
  // byte 64, so a short message must not leave the rest of it there.
  const key = importNodeHmacKey(new Uint8Array(32).fill(0xff));
  key.macRequest!('x', undefined);
  const scratch = _nodeHmacInternals.scratch()!;
  assert.equal([...scratch.subarray(0, 64)], new Array(64).fill(0), 'K⊕ipad');
  assert.is(scratch[64], 'x'.charCodeAt(0));
  assert.equal([...scratch.subarray(65, 160)], new Array(95).fill(0), 'what followed the message');
  key.destroy();
});

Wipes('destroy() zeroes both padded blocks', () => {
  const key = importNodeHmacKey(new Uint8Array(32).fill(0xff));
  const pads = _nodeHmacInternals.pads(key)!;
  // 0xff ⊕ 0x36 and 0xff ⊕ 0x5c: the pads really hold key material before the wipe.
  assert.is(pads.inner[0], 0xc9);
  assert.is(pads.outer[0], 0xa3);
  key.destroy();
  assert.ok(pads.inner.every((b) => b === 0));
  assert.ok(pads.outer.every((b) => b === 0));
});

Wipes.run();
