/**
 * The pure-JS backend against node:crypto (OpenSSL), the independent reference: HMAC-SHA256 for
 * every length around the SHA-256 block boundaries and every key-size class (RFC 2104 §2: shorter
 * than, equal to and longer than a block), RSASSA-PKCS1-v1_5 SHA-256 signatures byte for byte
 * (the scheme is deterministic, RFC 8017 §8.2.1), strict verification, and the fault check.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  constants,
  createHash,
  createHmac,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { jsBackend } from '../../src/backends/js.js';
import { createJsRsaSigningKey } from '../../src/backends/js-rsa.js';
import { nodeBackend } from '../../src/backends/node.js';
import { availableBackends, registerBackend, selectBackends } from '../../src/backends/registry.js';
import { isSigningError } from '../../src/lib/errors.js';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../src/keys/keys.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(isSigningError(error), `expected a SigningError, got ${String(error)}`);
    return (error as { code: string }).code;
  }
  return undefined;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// ——— HMAC-SHA256 ———

const H = suite('js backend: HMAC-SHA256');

const MESSAGE = randomBytes(300);
const KEY_SIZES = [0, 1, 31, 32, 63, 64, 65, 128, 200];

H('equals node:crypto for message lengths 0–300 and keys of 0/1/63/64/65/200 bytes', () => {
  for (const size of KEY_SIZES) {
    const secret = randomBytes(size);
    const key = jsBackend.importHmacKey(new Uint8Array(secret));
    // One prepared key serves every length in turn, so state left over by one MAC would show.
    for (let len = 0; len <= 300; len++) {
      const data = MESSAGE.subarray(0, len);
      const expected = createHmac('sha256', secret).update(data).digest();
      const mac = key.mac(data) as Uint8Array;
      assert.is(hex(mac), expected.toString('hex'), `key ${size} B, message ${len} B`);
      assert.is(key.macBase64url!(data), expected.toString('base64url'), `base64url ${len} B`);
    }
    key.destroy();
  }
});

H('two keys used alternately do not share state; results are fresh arrays', () => {
  const a = randomBytes(32);
  const b = randomBytes(70);
  const keyA = jsBackend.importHmacKey(new Uint8Array(a));
  const keyB = jsBackend.importHmacKey(new Uint8Array(b));
  const first = keyA.mac(MESSAGE) as Uint8Array;
  const kept = hex(first);
  for (const len of [55, 56, 64, 119, 120, 128]) {
    const data = MESSAGE.subarray(0, len);
    assert.is(keyB.macBase64url!(data), createHmac('sha256', b).update(data).digest('base64url'));
    assert.is(
      hex(keyA.mac(data) as Uint8Array),
      createHmac('sha256', a).update(data).digest('hex'),
    );
  }
  assert.is(hex(first), kept, 'an earlier result was overwritten');
});

H('macRequest equals node:crypto over prefix ‖ UTF-8 body, around its buffer size', () => {
  const secret = randomBytes(32);
  const key = jsBackend.importHmacKey(new Uint8Array(secret));
  const prefix = '1647356399POSThttps://api.qredo.network/api/v1/p/company';
  const reference = (body: string | Uint8Array | undefined) =>
    createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(prefix), Buffer.from(body ?? '')]))
      .digest('base64url');
  const bodies: (string | Uint8Array | undefined)[] = [undefined, '', '{"a":1}', MESSAGE];
  // Lengths whose worst-case UTF-8 size (3 bytes per code unit) straddles the 4096-byte buffer,
  // longest first so that a shorter input after a longer one would expose stale buffer bytes.
  for (const len of [5000, 1400, 1347, 1346, 1345, 1300, 64, 1]) {
    bodies.push('x'.repeat(len), 'é€😀'.repeat(Math.ceil(len / 4)), randomBytes(len));
  }
  for (const body of bodies) {
    const size = body === undefined ? 'no' : `${body.length}-unit ${typeof body}`;
    assert.is(key.macRequest!(prefix, body), reference(body), `${size} body`);
  }
  key.destroy();
  assert.is(
    codeOf(() => key.macRequest!(prefix, undefined)),
    'INVALID_OPTION',
  );
});

H('does not keep the caller’s key array', () => {
  const secret = new Uint8Array(randomBytes(40));
  const copy = Buffer.from(secret);
  const key = jsBackend.importHmacKey(secret);
  secret.fill(0); // the caller wipes its copy, as the schemes do after import
  assert.is(
    key.macBase64url!(MESSAGE),
    createHmac('sha256', copy).update(MESSAGE).digest('base64url'),
  );
});

H('a destroyed key refuses to compute', () => {
  const key = jsBackend.importHmacKey(new Uint8Array(32).fill(1));
  key.destroy();
  assert.is(
    codeOf(() => key.mac(MESSAGE)),
    'INVALID_OPTION',
  );
  assert.is(
    codeOf(() => key.macBase64url!(MESSAGE)),
    'INVALID_OPTION',
  );
});

H.run();

// ——— RSA ———

const R = suite('js backend: RSA PKCS#1 v1.5 SHA-256');

interface Fixture {
  bits: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
}

const FIXTURES: Fixture[] = [2048, 3072, 4096].map((bits) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  return { bits, privateKey, publicKey, pem };
});

const MESSAGES = [new Uint8Array(0), Uint8Array.of(0x61), randomBytes(150), randomBytes(5000)];

for (const f of FIXTURES) {
  R(`RSA-${f.bits}: signatures are byte-identical to crypto.sign and verify both ways`, () => {
    const material = parseRsaPrivateKey(f.pem);
    const signer = jsBackend.importRsaPrivateKey(material);
    const verifier = jsBackend.importRsaPublicKey(parseRsaPublicKey(f.publicKey));
    for (const data of MESSAGES) {
      const expected = nodeSign('sha256', data, f.privateKey);
      const signature = signer.sign(data) as Uint8Array;
      assert.is(hex(signature), expected.toString('hex'), `${data.length}-byte message`);
      assert.ok(verifier.verify(data, expected), 'node’s signature verifies');
      assert.ok(nodeVerify('sha256', data, f.publicKey, signature), 'ours verifies in node');
    }
    signer.destroy();
  });
}

const [F2048] = FIXTURES;

R('stays correct across blinding refreshes (squaring, and fresh r every 32 signatures)', () => {
  const signer = jsBackend.importRsaPrivateKey(parseRsaPrivateKey(F2048.pem));
  for (let i = 0; i < 70; i++) {
    const data = MESSAGE.subarray(0, i);
    const expected = nodeSign('sha256', data, F2048.privateKey).toString('hex');
    assert.is(hex(signer.sign(data) as Uint8Array), expected, `signature #${i}`);
  }
});

R('verification rejects tampered, short, long, out-of-range and foreign signatures', () => {
  const verifier = jsBackend.importRsaPublicKey(parseRsaPublicKey(F2048.publicKey));
  const data = MESSAGES[2];
  const good = new Uint8Array(nodeSign('sha256', data, F2048.privateKey));
  const k = good.length;
  assert.ok(verifier.verify(data, good));
  for (const i of [0, 1, 17, 128, k - 33, k - 1]) {
    for (const bit of [0x01, 0x80]) {
      const bad = good.slice();
      bad[i] ^= bit;
      assert.not.ok(verifier.verify(data, bad), `bit ${bit} of byte ${i} flipped`);
    }
  }
  const other = Uint8Array.from(data);
  other[0] ^= 1;
  assert.not.ok(verifier.verify(other, good), 'another message');
  assert.not.ok(verifier.verify(data, good.subarray(1)), 'one byte short');
  assert.not.ok(verifier.verify(data, new Uint8Array([0, ...good])), 'one leading zero too many');
  assert.not.ok(verifier.verify(data, new Uint8Array([...good, 0])), 'one trailing byte too many');
  assert.not.ok(verifier.verify(data, new Uint8Array(0)), 'empty');
  assert.not.ok(verifier.verify(data, new Uint8Array(k)), 'zero');
  assert.not.ok(verifier.verify(data, new Uint8Array(k).fill(0xff)), '≥ n');
  // s + n still fits in k bytes when n's top byte is below 0x80 (never for node's keys), so use n
  // itself and n + 1: both ≥ n, both must be refused before any arithmetic.
  const n = Buffer.from(F2048.publicKey.export({ format: 'jwk' }).n!, 'base64url');
  assert.not.ok(verifier.verify(data, new Uint8Array(n)), 's = n');
  const nPlus1 = new Uint8Array(n);
  nPlus1[k - 1] += 1; // n is odd, so no carry
  assert.not.ok(verifier.verify(data, nPlus1), 's = n + 1');
  const foreign = new Uint8Array(nodeSign('sha256', data, FIXTURES[1].privateKey));
  assert.not.ok(verifier.verify(data, foreign), 'a 3072-bit key’s signature');
  assert.not.ok(verifier.verify(data, undefined as unknown as Uint8Array), 'not bytes');
});

R('verification refuses a valid signature with its leading zero byte dropped (k − 1 bytes)', () => {
  // Same integer, wrong length: RFC 8017 §8.2.2 step 1 requires exactly k bytes.
  const verifier = jsBackend.importRsaPublicKey(parseRsaPublicKey(F2048.publicKey));
  let found = 0;
  for (let i = 0; i < 20000 && found < 2; i++) {
    const data = Buffer.from(`message ${i}`);
    const signature = nodeSign('sha256', data, F2048.privateKey);
    if (signature[0] !== 0) continue;
    found++;
    assert.ok(verifier.verify(data, new Uint8Array(signature)));
    assert.not.ok(verifier.verify(data, new Uint8Array(signature.subarray(1))), 'k − 1 bytes');
    assert.not.ok(nodeVerify('sha256', data, F2048.publicKey, signature.subarray(1)), 'node');
  }
  assert.is(found, 2, 'no signature with a leading zero byte in 20000 messages');
});

R('verification refuses s + n, which has the same s^e mod n (RFC 8017 §5.2.2 step 1)', () => {
  // s + n fits in k bytes only when s < 256^k − n: find a key with a small top byte, then a
  // message whose signature is small enough.
  let fixture: { privateKey: KeyObject; publicKey: KeyObject; n: bigint } | undefined;
  for (let tries = 0; !fixture && tries < 40; tries++) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const nBytes = Buffer.from(pair.publicKey.export({ format: 'jwk' }).n!, 'base64url');
    if (nBytes[0] < 0xc0) fixture = { ...pair, n: BigInt('0x' + nBytes.toString('hex')) };
  }
  assert.ok(fixture, 'no key with a modulus top byte below 0xc0 in 40 tries');
  const k = 256;
  const limit = (1n << BigInt(8 * k)) - fixture.n;
  const verifier = jsBackend.importRsaPublicKey(parseRsaPublicKey(fixture.publicKey));
  let checked = 0;
  for (let i = 0; i < 64 && checked < 3; i++) {
    const data = MESSAGE.subarray(0, i);
    const signature = nodeSign('sha256', data, fixture.privateKey);
    const s = BigInt('0x' + signature.toString('hex'));
    if (s >= limit) continue;
    const lifted = Buffer.from((s + fixture.n).toString(16).padStart(2 * k, '0'), 'hex');
    assert.is(lifted.length, k);
    assert.ok(verifier.verify(data, new Uint8Array(signature)), 'the signature itself verifies');
    assert.not.ok(verifier.verify(data, new Uint8Array(lifted)), 's + n is refused');
    assert.not.ok(nodeVerify('sha256', data, fixture.publicKey, lifted), 'node refuses it too');
    checked++;
  }
  assert.is(checked, 3, 'found too few signatures below 256^k − n');
});

R('verification compares the whole encoding, never parses it (RFC 8017 §8.2.2 step 3–4)', () => {
  // Encodings made with the private key through OpenSSL's raw PKCS#1 type-1 padding: the same
  // digest, wrapped in a DigestInfo that is not the canonical SHA-256 one.
  const verifier = jsBackend.importRsaPublicKey(parseRsaPublicKey(F2048.publicKey));
  const data = MESSAGES[2];
  const sha = createHash('sha256').update(data).digest();
  const variants: Record<string, Buffer> = {
    canonical: Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), sha]),
    'NULL parameters absent': Buffer.concat([
      Buffer.from('302f300b0609608648016503040201' + '0420', 'hex'),
      sha,
    ]),
    'SHA-1 OID': Buffer.concat([Buffer.from('3031300d06092b0e03021a050004' + '20', 'hex'), sha]),
    'trailing garbage': Buffer.concat([
      Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      sha,
      Buffer.from('00', 'hex'),
    ]),
  };
  for (const [name, digestInfo] of Object.entries(variants)) {
    const signature = privateEncrypt(
      { key: F2048.privateKey, padding: constants.RSA_PKCS1_PADDING },
      digestInfo,
    );
    const expected = name === 'canonical';
    assert.is(verifier.verify(data, new Uint8Array(signature)), expected, name);
    assert.is(nodeVerify('sha256', data, F2048.publicKey, signature), expected, `node: ${name}`);
  }
});

R('a fault in one CRT half is caught and the signature withheld', () => {
  const material = parseRsaPrivateKey(F2048.pem);
  const faulty = createJsRsaSigningKey(material.components!, { faultHalfP: (m1) => m1 ^ 1n });
  let caught: unknown;
  try {
    faulty.sign(MESSAGES[2]);
  } catch (error) {
    caught = error;
  }
  assert.ok(isSigningError(caught));
  assert.is((caught as { code: string }).code, 'SIGNATURE_FAULT');
  const text = JSON.stringify(caught) + String(caught) + (caught as Error).stack;
  const p = hex(material.components!.p);
  assert.not.ok(text.includes(p.slice(0, 16)), 'the error quotes no key material');
  // The same seam passing the half through unchanged signs correctly: the check, not the seam,
  // is what refused.
  const honest = createJsRsaSigningKey(material.components!, { faultHalfP: (m1) => m1 });
  const expected = nodeSign('sha256', MESSAGES[2], F2048.privateKey).toString('hex');
  assert.is(hex(honest.sign(MESSAGES[2]) as Uint8Array), expected);
});

R('opaque keys, missing getRandomValues and destroyed keys are typed errors', () => {
  assert.is(
    codeOf(() => jsBackend.importRsaPrivateKey({ bits: 2048, native: {} })),
    'UNAVAILABLE_BACKEND',
  );
  assert.is(
    codeOf(() => jsBackend.importRsaPublicKey({ bits: 2048, native: {} })),
    'UNAVAILABLE_BACKEND',
  );
  const material = parseRsaPrivateKey(F2048.pem);
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
  try {
    assert.is(
      codeOf(() => jsBackend.importRsaPrivateKey(material)),
      'UNAVAILABLE_BACKEND',
    );
  } finally {
    Object.defineProperty(globalThis, 'crypto', descriptor);
  }
  const signer = jsBackend.importRsaPrivateKey(material);
  signer.destroy();
  assert.is(
    codeOf(() => signer.sign(MESSAGES[1])),
    'INVALID_OPTION',
  );
});

R("'auto' never picks js for RSA while another backend exists", () => {
  registerBackend(jsBackend);
  if (!availableBackends().includes('node')) registerBackend(nodeBackend);
  const rsa = selectBackends('auto', 'rsa');
  assert.is.not(rsa.async.name, 'js');
  assert.is.not(rsa.sync?.name, 'js');
});

R.run();
