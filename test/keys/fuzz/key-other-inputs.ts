/**
 * Key inputs for the fuzzer that are not mutations of the test key: the other fixtures of
 * vectors/keys.json (weak, oversized, EC, Ed25519, encrypted), values of every other type,
 * runtime key objects of every kind (KeyObject, CryptoKey), and hostile sizes (megabytes of
 * unmatched PEM lines, megabyte JWK fields) that must be refused in linear time.
 */
import { createPublicKey, createSecretKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { BASES, FIXTURES, PRIVATE_JWK, type Mutated } from './key-mutations.js';
import { KEY_OBJECT } from './key-fuzz-case.js';

/** Inputs that are not mutations of the test key: other key types, runtime objects, non-keys. */
export async function otherInputs(): Promise<Mutated[]> {
  const subtle = webcrypto.subtle;
  const alg = (name: string, hash = 'SHA-256') => ({
    name,
    hash,
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  });
  const pkcs8 = KEY_OBJECT.export({ type: 'pkcs8', format: 'der' });
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const list: [string, unknown][] = [
    ...Object.entries(FIXTURES),
    ['null', null],
    ['undefined', undefined],
    ['0', 0],
    ['42', 42],
    ['true', true],
    ['symbol', Symbol('k')],
    ['function', () => 1],
    ['array', []],
    ['empty object', {}],
    ['Date', new Date(0)],
    ['Map', new Map()],
    ['Uint16Array', new Uint16Array(16)],
    ['DataView', new DataView(new ArrayBuffer(8))],
    ['empty ArrayBuffer', new ArrayBuffer(0)],
    ['empty bytes', new Uint8Array(0)],
    ['empty string', ''],
    ['space', ' '],
    ['"{"', '{'],
    ['"[]"', '[]'],
    ['"null"', 'null'],
    ['"{}"', '{}'],
    ['JSON string', '"x"'],
    ['secret KeyObject', createSecretKey(Buffer.alloc(32, 1))],
    ['EC KeyObject', ec.privateKey],
    ['EC public KeyObject', ec.publicKey],
    ['Ed25519 KeyObject', generateKeyPairSync('ed25519').privateKey],
    ['RSA-PSS KeyObject', generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey],
    ['RSA-1024 KeyObject', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['the key as KeyObject', KEY_OBJECT],
    ['its public KeyObject', createPublicKey(KEY_OBJECT)],
    [
      'HMAC CryptoKey',
      await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    ],
    [
      'ECDSA CryptoKey',
      (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']))
        .privateKey,
    ],
    [
      'RSA-PSS CryptoKey',
      await subtle.importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']),
    ],
    [
      'RSASSA SHA-1 CryptoKey',
      await subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, false, [
        'sign',
      ]),
    ],
    [
      'the key as extractable CryptoKey',
      await subtle.importKey('pkcs8', pkcs8, rsa, true, ['sign']),
    ],
    ['the key as opaque CryptoKey', await subtle.importKey('pkcs8', pkcs8, rsa, false, ['sign'])],
    [
      'a 1024-bit RSASSA CryptoKey',
      (
        await subtle.generateKey({ ...alg('RSASSA-PKCS1-v1_5'), modulusLength: 1024 }, false, [
          'sign',
          'verify',
        ])
      ).privateKey,
    ],
  ];
  // Hostile sizes: refused (or, where a valid block follows unrelated lines, read) in linear time.
  const pkcs1 = BASES.find((b) => b.name === 'PKCS#1 PEM') as { pem: string };
  list.push(
    ['50,000 unmatched BEGIN lines', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(50_000)],
    [
      '50,000 BEGIN lines of another label, then the key',
      '-----BEGIN X KEY-----\n'.repeat(50_000) + pkcs1.pem,
    ],
    ['a JWK with a 4 MB modulus', { ...PRIVATE_JWK, n: 'A'.repeat(4_000_000) }],
    ['a JWK text with a 4 MB d', JSON.stringify({ ...PRIVATE_JWK, d: 'B'.repeat(4_000_000) })],
    ['4 MB of zero bytes', new Uint8Array(4_000_000)],
    ['a DER SEQUENCE of 100,000 INTEGERs', derSequenceOfIntegers(100_000)],
  );
  return list.map(([name, input]) => ({
    input,
    description: `other input: ${name}`,
    fromPrivate: true,
  }));
}

/** A well-formed SEQUENCE of `count` one-byte INTEGERs: many children, each cheap to read. */
function derSequenceOfIntegers(count: number): Uint8Array {
  const length = count * 3;
  const head = [
    0x30,
    0x84,
    length >>> 24,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
  ];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  for (let i = 0; i < count; i++) out.set([0x02, 0x01, 0x01], head.length + i * 3);
  return out;
}
