/**
 * Issue 14 item 10: RSA blinding in the `wasm` (both builds) and `js` backends draws fresh
 * randomness, not only at key import. Seen through the test observer of src/backends/blinding.ts: each
 * fresh draw of r, and the blinding value each signature used. The signatures themselves are
 * checked against node:crypto (blinding must never change the bytes).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { EMBEDDED_WASM } from '../../src/backends/wasm/generated/embedded.js';
import { registerWasmSources } from '../../src/backends/wasm/load.js';
import { importWasmRsaPrivateKey } from '../../src/backends/wasm/rsa.js';
import { createJsRsaSigningKey } from '../../src/backends/js-rsa.js';
import { parseRsaPrivateKey } from '../../src/keys/keys.js';
import {
  BLINDING_REFRESH,
  __observeBlindingForTests,
  type BlindingEvent,
} from '../../src/backends/blinding.js';
import type { RsaSigningKey } from '../../src/backends/types.js';

registerWasmSources(EMBEDDED_WASM);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const MESSAGE = new TextEncoder().encode('1https://play-api.qredo.network/api/v1/p/company');
const EXPECTED = Buffer.from(nodeSign('sha256', MESSAGE, privateKey)).toString('hex');

const BACKENDS: [string, () => RsaSigningKey][] = [
  ['wasm (simd)', () => importWasmRsaPrivateKey(parseRsaPrivateKey(PEM), 'simd')],
  ['wasm (scalar)', () => importWasmRsaPrivateKey(parseRsaPrivateKey(PEM), 'scalar')],
  ['js', () => createJsRsaSigningKey(parseRsaPrivateKey(PEM).components!)],
];

function observe(): { events: [BlindingEvent, bigint][]; stop(): void } {
  const events: [BlindingEvent, bigint][] = [];
  __observeBlindingForTests((event, value) => events.push([event, value]));
  return { events, stop: () => __observeBlindingForTests(undefined) };
}

const of = (events: [BlindingEvent, bigint][], kind: BlindingEvent) =>
  events.filter(([event]) => event === kind).map(([, value]) => value);

for (const [label, importKey] of BACKENDS) {
  test(`${label}: fresh random blinding at import and every ${BLINDING_REFRESH} signatures`, () => {
    const { events, stop } = observe();
    try {
      const key = importKey();
      const count = 2 * BLINDING_REFRESH + 1;
      // Independent of the observer: the runtime's randomness is asked for while signing.
      const getRandomValues = globalThis.crypto.getRandomValues;
      let randomCalls = 0;
      globalThis.crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
        randomCalls++;
        return getRandomValues.call(globalThis.crypto, array as never) as T;
      }) as typeof getRandomValues;
      try {
        for (let i = 0; i < count; i++) {
          const signature = key.sign(MESSAGE) as Uint8Array;
          assert.is(Buffer.from(signature).toString('hex'), EXPECTED, `signature ${i}`);
        }
      } finally {
        globalThis.crypto.getRandomValues = getRandomValues;
      }
      key.destroy();
      // Before the fix the WASM pair was drawn once at import and then only ever squared.
      assert.ok(
        randomCalls >= 2,
        `crypto.getRandomValues called ${randomCalls} times while signing`,
      );
      const draws = of(events, 'draw');
      assert.is(draws.length, 3, 'at import, after 32 and after 64 signatures');
      assert.is(new Set(draws).size, 3, 'every draw is a new value');
      const uses = of(events, 'sign');
      assert.is(uses.length, count);
      assert.is(new Set(uses).size, count, 'no two signatures share a blinding value');
    } finally {
      stop();
    }
  });

  test(`${label}: two keys from the same material draw different r`, () => {
    const { events, stop } = observe();
    try {
      const [a, b] = [importKey(), importKey()];
      a.sign(MESSAGE);
      b.sign(MESSAGE);
      a.destroy();
      b.destroy();
      const draws = of(events, 'draw');
      assert.is(draws.length, 2);
      assert.is.not(draws[0], draws[1]);
    } finally {
      stop();
    }
  });
}

test.run();
