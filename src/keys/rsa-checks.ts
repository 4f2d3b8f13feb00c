/**
 * Validation of RSA key integers (docs/contract.md §1.2): sizes, exponent, small factors and the
 * consistency of the CRT values, whatever format the key came in. Refused keys are `WEAK_KEY` or
 * `INVALID_KEY`; messages name the fault, never a key byte.
 */
import { SigningError } from '../lib/errors.js';
import { bytesToBigInt, octetsBitLength } from '../lib/octets.js';
import { hasSmallPrimeFactor } from './small-factors.js';
import type { RsaPrivateComponents, RsaPublicComponents } from './material.js';

/**
 * The smallest modulus accepted (docs/contract.md §1.2): smaller is `WEAK_KEY`.
 *
 * @example
 * ```ts
 * if (bits < MIN_RSA_BITS) throw new Error('too small');
 * ```
 */
export const MIN_RSA_BITS = 2048;
/**
 * The largest modulus accepted; it bounds the cost of a hostile key.
 *
 * @example
 * ```ts
 * if (bits > MAX_RSA_BITS) throw new Error('too large');
 * ```
 */
export const MAX_RSA_BITS = 4096;

/**
 * An `INVALID_KEY` error with `message` (which must hold no key bytes).
 *
 * @example
 * ```ts
 * throw invalidKey('not an RSA key');
 * ```
 */
export const invalidKey = (message: string): SigningError =>
  new SigningError('INVALID_KEY', message);
const invalid = invalidKey;

function checkBits(bits: number): number {
  if (bits < MIN_RSA_BITS) {
    throw new SigningError(
      'WEAK_KEY',
      `RSA modulus of ${bits} bits; at least ${MIN_RSA_BITS} needed`,
    );
  }
  if (bits > MAX_RSA_BITS) {
    throw invalid(`RSA modulus of ${bits} bits; at most ${MAX_RSA_BITS} supported`);
  }
  return bits;
}

/**
 * Checks a public key's integers and returns the modulus size in bits.
 *
 * @example
 * ```ts
 * const bits = checkPublic({ n, e }); // 2048
 * ```
 */
export function checkPublic(c: RsaPublicComponents): number {
  const bits = checkBits(octetsBitLength(c.n));
  if ((c.n[c.n.length - 1] & 1) === 0) throw invalid('RSA modulus is even');
  // Odd e with 3 <= e < 2^32 covers every real key (65537 in practice) and bounds verify cost.
  const eBits = octetsBitLength(c.e);
  if (eBits < 2 || eBits > 32 || (c.e[c.e.length - 1] & 1) === 0) {
    throw invalid('RSA public exponent must be odd, at least 3 and below 2^32');
  }
  if (hasSmallPrimeFactor(bytesToBigInt(c.n))) {
    throw new SigningError(
      'WEAK_KEY',
      'RSA modulus has a small prime factor (below 2^16): the key is broken; make a new one',
    );
  }
  return bits;
}

/**
 * The smallest accepted prime of a key whose modulus has `bits` bits: a quarter of it (512 bits
 * for 2048). Key generators (OpenSSL, FIPS 186-5 §A.1.3) make both primes half the size, but real
 * test keys are not all balanced (Wycheproof's 2048-bit signing keys split 1364 + 684 bits), and
 * what matters is that the smaller prime is far beyond ECM factoring (the record factor found by
 * ECM has 274 bits). A crafted key with a 256-bit prime in a 2048-bit modulus is refused.
 *
 * @example
 * ```ts
 * minPrimeBits(2048); // 512
 * ```
 */
export const minPrimeBits = (bits: number): number => Math.floor(bits / 4);

/**
 * Checks that the integers belong together (RFC 8017 §3.2): n = p·q, each CRT value reduced, and
 * e·dP ≡ 1 (mod p−1), e·dQ ≡ 1 (mod q−1), q·qInv ≡ 1 (mod p), e·d ≡ 1 (mod p−1 and q−1). CRT
 * signers use dP, dQ and qInv, never d, so a key with one wrong CRT value would otherwise import
 * fine and only fail (SIGNATURE_FAULT) or, in OpenSSL, silently fall back to d at each signature;
 * a damaged d would go unnoticed. Refusing such a key here names the real problem. The d check
 * holds whether d was reduced mod φ(n) or mod λ(n), as both are multiples of p−1 and q−1.
 * BigInt arithmetic is not constant-time; it runs once per key import, not per signature.
 *
 * @example
 * ```ts
 * checkPrivate(components); // throws INVALID_KEY or WEAK_KEY naming the fault
 * ```
 */
export function checkPrivate(c: RsaPrivateComponents): void {
  // Every private integer is below n: a longer one is refused before any arithmetic on it, so
  // that a hostile key costs no more than a real one.
  for (const part of [c.d, c.p, c.q, c.dp, c.dq, c.qi]) {
    if (part.length > c.n.length) throw invalid('RSA key is inconsistent (an integer exceeds n)');
  }
  const n = bytesToBigInt(c.n);
  const p = bytesToBigInt(c.p);
  const q = bytesToBigInt(c.q);
  if (p < 3n || q < 3n || p * q !== n) throw invalid('RSA key is inconsistent (n ≠ p·q)');
  const least = minPrimeBits(octetsBitLength(c.n));
  if (octetsBitLength(c.p) < least || octetsBitLength(c.q) < least) {
    throw new SigningError(
      'WEAK_KEY',
      `RSA prime factors must each have at least ${least} bits (a quarter of the modulus); ` +
        'make a new key with openssl genrsa',
    );
  }
  const e = bytesToBigInt(c.e);
  const dp = bytesToBigInt(c.dp);
  const dq = bytesToBigInt(c.dq);
  const qi = bytesToBigInt(c.qi);
  const d = bytesToBigInt(c.d);
  if (dp === 0n || dp >= p || dq === 0n || dq >= q || qi === 0n || qi >= p || d === 0n || d >= n) {
    throw invalid('RSA key is inconsistent (CRT values out of range)');
  }
  const p1 = p - 1n;
  const q1 = q - 1n;
  if (
    (e * dp) % p1 !== 1n ||
    (e * dq) % q1 !== 1n ||
    (q * qi) % p !== 1n ||
    (e * d) % p1 !== 1n ||
    (e * d) % q1 !== 1n
  ) {
    throw invalid('RSA key is inconsistent (d, dP, dQ or qInv do not match n and e)');
  }
}

/**
 * Checks what WebCrypto tells of an opaque `CryptoKey` (its integers cannot be read synchronously)
 * and returns its size in bits.
 *
 * @example
 * ```ts
 * const bits = checkCryptoKey(keyPair.privateKey);
 * ```
 */
export function checkCryptoKey(key: { readonly algorithm: object }): number {
  // Typed by shape, not as the DOM's CryptoKey: the declarations must compile without the DOM lib.
  const alg = key.algorithm as { name?: string; hash?: { name?: string }; modulusLength?: number };
  if (alg.name !== 'RSASSA-PKCS1-v1_5' || alg.hash?.name !== 'SHA-256') {
    throw invalid('CryptoKey must be an RSASSA-PKCS1-v1_5 key with hash SHA-256');
  }
  return checkBits(alg.modulusLength ?? 0);
}
