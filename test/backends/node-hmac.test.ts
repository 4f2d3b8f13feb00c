/**
 * What only the node backend's HMAC-SHA256 (src/backends/node-hmac.ts) has: the one-shot
 * `crypto.hash` path it prefers, and that the secrets it keeps are wiped. Its results against
 * node:crypto's `createHmac`, on both paths, are in hmac-equivalence.test.ts with the other
 * implementations'.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { _nodeHmacInternals, importNodeHmacKey } from '../../src/backends/node-hmac.js';

const PREFIX = '1647356399POSThttps://api.qredo.network/qapi/v1/company';

const Paths = suite('node HMAC: paths');

Paths('this Node has crypto.hash, so the one-shot path is what runs', () => {
  // Node 20.12+; without it hmac-equivalence.test.ts would test createHmac twice.
  assert.ok(_nodeHmacInternals.oneShotAvailable());
});

Paths.run();

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
