/**
 * A signer must not keep its options object (and with it the caller's secret or private key)
 * reachable after creation: only the prepared keys. Checked with a WeakRef and a forced GC.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateKeyPairSync } from 'node:crypto';
import { api } from '../support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

async function optionsCollected(
  create: (options: object) => { destroy(): void },
  make: () => object,
) {
  let options: object | undefined = make();
  const ref = new WeakRef(options);
  const signer = create(options);
  options = undefined;
  for (let i = 0; i < 5 && ref.deref(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const collected = ref.deref() === undefined;
  signer.destroy(); // keeps the signer alive until after the check
  return collected;
}

for (const backend of api.availableBackends()) {
  test(`a Qredo API signer on ${backend} does not hold its options`, async () => {
    const collected = await optionsCollected(
      (o) => api.createQredoSigner(o as never),
      () => ({ apiKey: 'k', secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', backend }),
    );
    assert.ok(collected);
  });
  test(`a Partner API signer on ${backend} does not hold its options`, async () => {
    const collected = await optionsCollected(
      (o) => api.createPartnerSigner(o as never),
      () => ({ apiKey: 'k', privateKey: PEM, backend }),
    );
    assert.ok(collected);
  });
}

test.run();
