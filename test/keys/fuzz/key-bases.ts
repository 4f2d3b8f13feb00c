/**
 * The key fuzzer's starting points (issue 6): the 2048-bit test key of vectors/keys.json in every
 * form contract §1.2 accepts (PKCS#1/PKCS#8 private PEM and DER, SPKI and PKCS#1 public PEM and DER,
 * private and public JWK), and the recipes fast-check draws to damage them: plain numbers, so
 * that a failure reproduces from its seed.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { boundaries, readDerTree, type DerNode } from './der-tree.js';

const KEYS = JSON.parse(
  readFileSync(new URL('../../../vectors/keys.json', import.meta.url), 'utf8'),
);
const RSA = KEYS.keys.rsa2048;

export const PRIVATE_JWK: Record<string, string> = RSA.jwk;
export const PUBLIC_JWK: Record<string, string> = RSA.publicJwk;
/** The fixtures of keys.json that are not 2048–4096-bit RSA keys (each has its own error). */
export const FIXTURES: Record<string, string> = KEYS.fixtures;

const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const pemBody = (pem: string) => der(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

export interface DerBase {
  kind: 'der';
  name: string;
  private: boolean;
  label: string;
  der: Uint8Array;
  tree: DerNode;
  boundaries: number[];
}
export interface PemBase {
  kind: 'pem';
  name: string;
  private: boolean;
  pem: string;
}
export interface JwkBase {
  kind: 'jwk';
  name: string;
  private: boolean;
  jwk: Record<string, string>;
}
export type Base = DerBase | PemBase | JwkBase;

function derBase(name: string, label: string, bytes: Uint8Array, isPrivate: boolean): DerBase {
  const tree = readDerTree(bytes);
  return {
    kind: 'der',
    name,
    label,
    private: isPrivate,
    der: bytes,
    tree,
    boundaries: boundaries(tree),
  };
}

export const BASES: Base[] = [
  derBase('PKCS#1 DER', 'RSA PRIVATE KEY', der(RSA.pkcs1DerB64), true),
  derBase('PKCS#8 DER', 'PRIVATE KEY', der(RSA.pkcs8DerB64), true),
  derBase('SPKI DER', 'PUBLIC KEY', der(RSA.spkiDerB64), false),
  derBase('PKCS#1 public DER', 'RSA PUBLIC KEY', pemBody(RSA.pkcs1PublicPem), false),
  { kind: 'pem', name: 'PKCS#1 PEM', private: true, pem: RSA.pkcs1Pem },
  { kind: 'pem', name: 'PKCS#8 PEM', private: true, pem: RSA.pkcs8Pem },
  { kind: 'pem', name: 'SPKI PEM', private: false, pem: RSA.spkiPem },
  { kind: 'pem', name: 'PKCS#1 public PEM', private: false, pem: RSA.pkcs1PublicPem },
  { kind: 'jwk', name: 'private JWK', private: true, jwk: PRIVATE_JWK },
  { kind: 'jwk', name: 'public JWK', private: false, jwk: PUBLIC_JWK },
];

/** Text that holds the private key: an error containing any 16-character run of it leaks. */
export const KEY_TEXTS: string[] = [
  RSA.pkcs1Pem,
  RSA.pkcs8Pem,
  ...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((f) => PRIVATE_JWK[f]),
  ...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((f) =>
    Buffer.from(PRIVATE_JWK[f], 'base64url').toString('hex'),
  ),
];

/** One edit: what it does is read from `kind` and its numbers modulo what the form offers. */
export interface Op {
  kind: number;
  a: number;
  b: number;
  c: number;
  bytes: Uint8Array;
}
export interface Recipe {
  base: number;
  delivery: number;
  ops: Op[];
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.nat(63),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
});

export const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  base: fc.nat(BASES.length - 1),
  delivery: fc.nat(7),
  ops: fc.array(opArb, { minLength: 1, maxLength: 3 }),
});

/** A mutated input and the words that say how it was made. */
export interface Mutated {
  input: unknown;
  description: string;
  /** True when the base key held the private half. */
  fromPrivate: boolean;
}
