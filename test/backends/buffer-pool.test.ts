/**
 * Issue 14 item 10: private key bytes must not be copied into Node's shared Buffer pool, where
 * nothing zeroes them and they outlive `destroy()`. `Buffer.from(u8)`, `Buffer.from(text, enc)`
 * and `readFileSync` of less than 4 KiB return slices of one pooled ArrayBuffer (`Buffer.poolSize`,
 * 8 KiB); a fresh `Buffer.from([1])` is a slice of the current pool, so its `.buffer` is that pool.
 * The attack: after a signer is made, used and destroyed, search every pool seen meanwhile for the
 * key's secret bytes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { api } from '../support.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = privateKey.export({ format: 'jwk' });
const PEM_PKCS1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const PEM_PKCS8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** base64url decoding in plain JS, so that the test itself puts nothing in the pool. */
function decodeB64url(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of text) {
    acc = (acc << 6) | alphabet.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

// 32 bytes from the middle of the prime p: present in the PKCS#8 DER and in the JWK field alike.
const P = decodeB64url(jwk.p!);
const NEEDLE = P.slice(48, 80);

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Runs `steps`, noting the current pool before and after each one; true if any holds the key. */
function keyInPool(steps: (() => void)[]): boolean {
  const pools = new Set<ArrayBufferLike>();
  const note = () => pools.add(Buffer.from([1]).buffer);
  note();
  for (const step of steps) {
    step();
    note();
  }
  return [...pools].some((pool) => contains(new Uint8Array(pool), NEEDLE));
}

test('control: the search finds key bytes that were copied into the pool', () => {
  const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
  let copy: Buffer | undefined;
  assert.ok(keyInPool([() => (copy = Buffer.from(der))]));
  assert.is(copy!.buffer.byteLength, Buffer.poolSize, 'Buffer.from of < 4 KiB is pooled');
  copy!.fill(0); // leave nothing behind for the next test
});

const inputs: [string, () => unknown][] = [
  ['PKCS#1 PEM', () => PEM_PKCS1],
  ['PKCS#8 PEM', () => PEM_PKCS8],
  ['PKCS#8 DER', () => new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }))],
  ['JWK', () => ({ ...jwk })],
];

for (const [label, make] of inputs) {
  test(`attack: a ${label} key on node leaves no copy in the Buffer pool after destroy()`, () => {
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    let signer: ReturnType<typeof api.createPartnerSigner> | undefined;
    let signature = '';
    const found = keyInPool([
      () =>
        (signer = api.createPartnerSigner({
          apiKey: 'k',
          privateKey: make() as never,
          backend: 'node',
        })),
      () => (signature = signer!.signSync({ url, nonce: '1' }).headers['x-sign']),
      () => signer!.destroy(),
    ]);
    assert.is(signature.length, 342, 'the honest signature is made');
    assert.not.ok(found, 'private key bytes remain in Node’s shared Buffer pool');
  });
}

test.run();
