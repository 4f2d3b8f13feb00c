/**
 * Under 'auto' on Node, a Qredo signer signs request-sized bodies on wasm and large ones on node,
 * importing the node key only on the first large body, from the block key K0 that its wasm key
 * keeps (issue 17: one key per signer, not two). Checked: signatures against node:crypto for key
 * lengths around the block size, the lazy import itself, and that K0 is wiped (the lent copy after
 * use, the slot on destroy) and lent only by keys imported to lend it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import { api } from '../support.js';
import { AUTO_HMAC_NATIVE_THRESHOLD, registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import {
  _wasmHashInternals,
  importWasmHmacKey,
  importWasmHmacKeyLending,
} from '../../src/backends/wasm/hash.js';
import type { BlockKeySource } from '../../src/backends/registry.js';

const Lazy = suite('auto: the large-body key is imported on first need');
const URL = 'https://api.qredo.network/qapi/v1/company';
const LARGE = 'x'.repeat(AUTO_HMAC_NATIVE_THRESHOLD + 1);
const SMALL = '{"a":1}';

const expected = (key: Uint8Array, ts: number, body: string) =>
  createHmac('sha256', key).update(`${ts}POST${URL}${body}`).digest('base64url');

/** Runs `body` with the node backend replaced by one that counts its HMAC imports. */
function countingNodeImports<T>(body: (count: () => number) => T): T {
  let imports = 0;
  registerBackend({
    ...nodeBackend,
    importHmacKey(key) {
      imports++;
      return nodeBackend.importHmacKey(key);
    },
  });
  try {
    return body(() => imports);
  } finally {
    registerBackend(nodeBackend);
  }
}

Lazy('small then large bodies match node:crypto, for keys around the 64-byte block', () => {
  for (const length of [1, 32, 63, 64, 65, 100, 200]) {
    const secret = new Uint8Array(randomBytes(length));
    const signer = api.createQredoSigner({ apiKey: 'k', secret: secret.slice() });
    assert.is(signer.backend, 'wasm');
    for (const [ts, body] of [
      [1, SMALL],
      [2, LARGE],
      [3, SMALL],
      [4, LARGE + 'y'],
    ] as const) {
      const signed = signer.signSync({ method: 'POST', url: URL, body, timestamp: ts });
      assert.is(
        signed.headers['qredo-api-sig'],
        expected(secret, ts, body),
        `key ${length}, ${ts}`,
      );
    }
    signer.destroy();
  }
});

Lazy('no node key until the first large body, then exactly one', () => {
  countingNodeImports((count) => {
    const secret = randomBytes(32);
    const signer = api.createQredoSigner({ apiKey: 'k', secret: secret.toString('base64') });
    signer.signSync({ method: 'POST', url: URL, body: SMALL, timestamp: 1 });
    assert.is(count(), 0, 'small bodies only: one (wasm) key');
    for (let i = 0; i < 3; i++) {
      const signed = signer.signSync({ method: 'POST', url: URL, body: LARGE, timestamp: 1 });
      assert.is(signed.headers['qredo-api-sig'], expected(secret, 1, LARGE));
    }
    assert.is(count(), 1, 'imported once, then kept');
    signer.destroy();
    // A named backend never lends: wasm alone imports nothing into node, even for large bodies.
    const wasm = api.createQredoSigner({ apiKey: 'k', secret: secret.slice(), backend: 'wasm' });
    wasm.signSync({ method: 'POST', url: URL, body: LARGE, timestamp: 1 });
    assert.is(count(), 1);
    wasm.destroy();
  });
});

Lazy('a destroyed auto signer does not import a key for a large body', () => {
  countingNodeImports((count) => {
    const signer = api.createQredoSigner({ apiKey: 'k', secret: randomBytes(32) });
    signer.destroy();
    assert.throws(() => signer.signSync({ method: 'POST', url: URL, body: LARGE, timestamp: 1 }));
    assert.is(count(), 0);
  });
});

Lazy.run();

const Wipe = suite('wasm block key: kept only when lending, wiped after use and on destroy');
const memory = () => new Uint8Array(_wasmHashInternals.memory().buffer);

Wipe('the lent copy is zeroed once the callback returns, and holds K0 while it runs', () => {
  const secret = new Uint8Array(randomBytes(32));
  const key = importWasmHmacKeyLending(secret);
  let lent: Uint8Array | undefined;
  const seen = key.withBlockKey((k0) => {
    lent = k0;
    return Buffer.from(k0).toString('hex');
  });
  assert.is(seen, Buffer.concat([secret, Buffer.alloc(32)]).toString('hex'));
  assert.ok(
    lent!.every((b) => b === 0),
    'the copy is wiped',
  );
  key.destroy();
});

Wipe('a long key lends SHA-256(K) padded (RFC 2104 §2), which MACs as K does', () => {
  const secret = new Uint8Array(randomBytes(100));
  const key = importWasmHmacKeyLending(secret);
  const mac = key.withBlockKey((k0) => createHmac('sha256', k0).update('m').digest('hex'));
  assert.is(mac, createHmac('sha256', secret).update('m').digest('hex'));
  key.destroy();
});

Wipe('destroy() zeroes the slot and the block key after it', () => {
  const key = importWasmHmacKeyLending(new Uint8Array(32).fill(0xa5));
  const slot = _wasmHashInternals.slotOf(key);
  const end = slot + _wasmHashInternals.slotSize() + 64;
  const blockKey = memory().subarray(end - 64, end);
  assert.is(blockKey[0], 0xa5, 'K0 is in linear memory before destroy');
  key.destroy();
  assert.ok(
    memory()
      .subarray(slot, end)
      .every((b) => b === 0),
  );
  assert.throws(() => (key as unknown as BlockKeySource).withBlockKey(() => 0));
});

Wipe('a key imported without lending cannot lend (it keeps no K0)', () => {
  const key = importWasmHmacKey(new Uint8Array(32).fill(0xa5));
  assert.throws(() => (key as unknown as BlockKeySource).withBlockKey(() => 0));
  key.destroy();
});

Wipe.run();
