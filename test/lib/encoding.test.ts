/**
 * The internal base64url encoder (the signing path) and the exported codec against node:buffer,
 * for lengths around the 3-byte groups and large inputs; the decoder's refusals.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { base64, base64url, base64urlEncode } from '../../src/lib/encoding.js';

const LENGTHS = [0, 1, 2, 3, 4, 5, 31, 32, 33, 100, 12287, 12288, 12289, 24577, 100_000];

test('JS encoder equals node:buffer for base64url and base64', () => {
  for (const n of LENGTHS) {
    const bytes = new Uint8Array(randomBytes(n));
    assert.is(base64urlEncode(bytes), Buffer.from(bytes).toString('base64url'), `length ${n}`);
    assert.is(base64.encode(bytes), Buffer.from(bytes).toString('base64'), `length ${n}`);
    assert.is(base64url.encode(bytes), Buffer.from(bytes).toString('base64url'));
  }
});

test('base64url.decode round-trips and refuses what is not base64url text', () => {
  for (const n of LENGTHS) {
    const bytes = new Uint8Array(randomBytes(n));
    assert.equal(base64url.decode(base64urlEncode(bytes)), bytes);
  }
  for (const bad of ['A', 'A===', 'AB=C', '+/', 'ab cd', 'ABCDE', 'ABCDE=']) {
    assert.throws(
      () => base64url.decode(bad),
      (e: { code?: string }) => e.code === 'INVALID_OPTION',
      bad,
    );
  }
});

test.run();
