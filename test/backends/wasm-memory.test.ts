/**
 * The hash module's linear memory grows geometrically as HMAC key slots are taken (issue 17): a
 * process holding many keys grows it a few times, not once per 64 KiB page.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac } from 'node:crypto';
import { _wasmHashInternals, importWasmHmacKey } from '../../src/backends/wasm/hash.js';
import type { HmacKey } from '../../src/backends/types.js';

test('memory grows by doubling while 20,000 keys are imported, and every key still MACs right', () => {
  const memory = _wasmHashInternals.memory();
  const keys: HmacKey[] = [];
  const secrets: Uint8Array[] = [];
  let grows = 0;
  let size = memory.buffer.byteLength;
  for (let i = 0; i < 20000; i++) {
    const secret = new Uint8Array(32);
    secret[0] = i & 255;
    secret[1] = i >> 8;
    secrets.push(secret);
    keys.push(importWasmHmacKey(secret));
    if (memory.buffer.byteLength !== size) {
      grows++;
      const next = memory.buffer.byteLength;
      assert.ok(next >= 2 * size || next - size === 256 * 65536, `grew ${size} -> ${next}`);
      size = next;
    }
  }
  // 20,000 × 192-byte slots need ~60 pages: page by page that was ~60 grows, doubling ~6.
  assert.ok(grows >= 1 && grows <= 8, `${grows} grows`);
  const data = new TextEncoder().encode('1GEThttps://x.test/');
  for (const i of [0, 7777, 19999]) {
    const expected = createHmac('sha256', secrets[i]!).update(data).digest('base64url');
    assert.is(keys[i]!.macBase64url!(data), expected);
  }
  for (const key of keys) key.destroy();
});

test.run();
