/**
 * RSA key blocks sized to the key (issue 17): a signing key on the wasm backend keeps only the
 * limbs its modulus needs, and signs exactly as OpenSSL does across blinding refreshes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import {
  __wasmRsaBlockBytesForTests,
  importWasmRsaPrivateKey,
  importWasmRsaPublicKey,
} from '../../src/backends/wasm/rsa.js';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../src/keys/keys.js';
import '../../src/index.node.js'; // registers the embedded WASM modules

for (const [bits, most] of [
  [2048, 5000],
  [3072, 7100],
  [4096, 9024],
] as const) {
  test(`${bits}-bit key: block at most ${most} bytes, signatures equal OpenSSL's over 70 uses`, () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const key = importWasmRsaPrivateKey(parseRsaPrivateKey(pem));
    const bytes = __wasmRsaBlockBytesForTests(key)!;
    assert.ok(bytes <= most, `${bytes} bytes`);
    const verifier = importWasmRsaPublicKey(
      parseRsaPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
    );
    // 70 > 2 × BLINDING_REFRESH: the blinding pair is kept back into the block and redrawn.
    for (let i = 0; i < 70; i++) {
      const data = Buffer.from(`message ${i}`);
      const signature = key.sign(data) as Uint8Array;
      assert.equal(Buffer.from(signature), nodeSign('sha256', data, privateKey), `use ${i}`);
      if (i % 10 === 0) assert.ok(verifier.verify(data, signature));
    }
    key.destroy();
  });
}

test.run();
