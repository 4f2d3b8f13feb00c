/**
 * The small codecs of the Qredo API signer's bundle against node:buffer and V8's own
 * String.prototype.isWellFormed: the secret decoder (either alphabet, padding optional, trailing
 * bits ignored: contract §1.1), the btoa-based encoders across their chunk boundary, and the
 * lone-surrogate test engines without isWellFormed fall back on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { base64, base64urlEncode, decodeSecret, isWellFormed } from '../../src/lib/encoding.js';

const std = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'accepted';
};

test('decodeSecret equals node:buffer for both alphabets, padded or not, trimmed', () => {
  for (let n = 1; n <= 70; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    for (const text of [std(bytes), url(bytes), std(bytes).replace(/=+$/, ''), url(bytes) + '=']) {
      if (text.endsWith('=') && !std(bytes).endsWith('=')) continue; // only where padding exists
      assert.equal(decodeSecret(` \n${text}\t `), bytes, text);
    }
  }
});

test('decodeSecret ignores the trailing bits of the last symbol, as Buffer does', () => {
  // 'QR' and 'QQ' both decode to 'A' (0x41): the low 4 bits of 'R' are not part of a byte.
  for (const text of ['QR', 'QQ', 'QR==', 'QUJ', 'QUI', 'QUJ=']) {
    assert.equal(decodeSecret(text), new Uint8Array(Buffer.from(text, 'base64')), text);
  }
});

test('decodeSecret refuses what is not base64 text or bytes, and empty secrets', () => {
  const bad = [
    '',
    '   ',
    'abc$',
    'abcde',
    'ab=cdefg',
    'abcde===',
    '=',
    'QQ===',
    'é',
    'QQ\u0000',
    42,
  ];
  for (const secret of [...bad, null, undefined, {}, new Uint8Array(0)]) {
    assert.is(
      codeOf(() => decodeSecret(secret)),
      'INVALID_SECRET',
      String(secret),
    );
  }
  const bytes = new Uint8Array([1, 2, 3]);
  assert.is(decodeSecret(bytes), bytes, 'bytes are the key as they are');
});

test('btoa-based encoders equal node:buffer around the 32 KiB chunk boundary', () => {
  for (const n of [0, 1, 2, 3, 32767, 32768, 32769, 65535, 65537, 98305]) {
    const bytes = new Uint8Array(randomBytes(n));
    assert.is(base64.encode(bytes), std(bytes), `base64, length ${n}`);
    assert.is(base64urlEncode(bytes), url(bytes), `base64url, length ${n}`);
    const view = new Uint8Array(randomBytes(n + 7).buffer, 5, n); // an offset view
    assert.is(base64urlEncode(view), url(view), `base64url of a view, length ${n}`);
  }
});

test('isWellFormed, native and its fallback, agree with V8 on surrogate-heavy strings', () => {
  const units = [0x41, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00, 0xe000, 0xffff];
  const samples: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    for (let n = i % 7; n > 0; n--)
      s += String.fromCharCode(units[(i * 7 + n * 13) % units.length]);
    s += String.fromCharCode(...randomBytes(2).map((b) => units[b % units.length]));
    samples.push(s);
  }
  const want = samples.map((s) => s.isWellFormed());
  assert.ok(want.includes(true) && want.includes(false));
  assert.equal(samples.map(isWellFormed), want, 'native path');
  // The fallback runs where String.prototype.isWellFormed is missing: remove it for this check.
  const native = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;
  delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
  let fallback: boolean[];
  try {
    fallback = samples.map(isWellFormed);
  } finally {
    Object.defineProperty(String.prototype, 'isWellFormed', native);
  }
  assert.equal(fallback, want, 'fallback path');
});

test.run();
