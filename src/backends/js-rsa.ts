/**
 * RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2) in native `BigInt`, for the `js` backend.
 *
 * NOT CONSTANT-TIME. BigInt arithmetic takes time that depends on the values (see js-bigint.ts),
 * so a local attacker who can time many signatures may learn something about the private key.
 * Countermeasures here: base blinding with a fresh random r (the exponentiation never sees an
 * attacker-chosen value), a fixed-window schedule, and the check of every signature before it
 * is released (a CRT fault would otherwise reveal a prime: Boneh–DeMillo–Lipton). That narrows
 * the leak; it does not remove it. This is why the registry's `'auto'` only picks `js` for RSA
 * when no other backend exists, and why `node`, `webcrypto` or `wasm` should be preferred.
 *
 * Private integers live in BigInts, which cannot be zeroed; `destroy()` wipes the typed arrays
 * this file owns (the exponent digits) and drops every reference so the rest can be collected.
 */
import { mod } from '@noble/curves/abstract/modular.js';
import { BLINDING_REFRESH, drawBlindingPair, reportBlindingUse } from './blinding.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { emsaPkcs1Sha256 } from './emsa.js';
import { timingSafeEqual } from '../lib/encoding.js';
import { SigningError } from '../lib/errors.js';
import {
  bigIntToBytes,
  bitLength,
  bytesToBigInt,
  exponentDigits,
  powFixedWindow,
  powPublic,
  windowWidth,
} from './js-bigint.js';
import type {
  RsaPrivateComponents,
  RsaPublicComponents,
  RsaSigningKey,
  RsaVerifyingKey,
} from './types.js';
import { signatureWithheld, usedAfterDestroy } from './faults.js';

type RandomSource = (bytes: Uint8Array) => void;

function randomSource(): RandomSource | undefined {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return typeof c?.getRandomValues === 'function' ? (b) => c.getRandomValues(b) : undefined;
}

/**
 * Test-only hooks; the backend never passes any.
 *
 * @example createJsRsaSigningKey(components, { faultHalfP: (m1) => m1 ^ 1n }) // sign() throws
 */
export interface JsRsaTestSeam {
  /** Replaces the mod-p half of the CRT result, to simulate a fault (RFC 8017 §5.1.2 step 2b). */
  faultHalfP?(m1: bigint): bigint;
}

/**
 * An RSA signing key over the CRT integers (RFC 8017 §5.1.2, §8.2.1). Throws
 * `UNAVAILABLE_BACKEND` when the runtime has no `crypto.getRandomValues`: signing without
 * blinding would expose the BigInt timing leak to chosen messages, so it is refused.
 *
 * @example
 * ```ts
 * const key = createJsRsaSigningKey(parseRsaPrivateKey(pem).components!);
 * const signature = key.sign(new TextEncoder().encode('message')); // 256 bytes for RSA-2048
 * ```
 */
export function createJsRsaSigningKey(
  c: RsaPrivateComponents,
  seam: JsRsaTestSeam = {},
): RsaSigningKey {
  if (!randomSource()) {
    throw new SigningError(
      'UNAVAILABLE_BACKEND',
      'the js backend needs crypto.getRandomValues to blind RSA signatures; none in this runtime',
    );
  }
  const n = bytesToBigInt(c.n);
  const k = Math.ceil(bitLength(n) / 8);
  const eBits = bytesToBigInt(c.e).toString(2);
  let p = bytesToBigInt(c.p);
  let q = bytesToBigInt(c.q);
  let qInv = bytesToBigInt(c.qi);
  const pBits = bitLength(p);
  const qBits = bitLength(q);
  const wp = windowWidth(pBits);
  const wq = windowWidth(qBits);
  // Digits padded to the prime's length, so the schedule does not show dP's or dQ's length.
  const dpDigits = exponentDigits(bytesToBigInt(c.dp), pBits, wp);
  const dqDigits = exponentDigits(bytesToBigInt(c.dq), qBits, wq);

  // Blinding pair (A, B) = (r^e, r^-1) mod n: sign(m) = B · (A·m)^d = r^-1 · r · m^d.
  let blind = 0n;
  let unblind = 0n;
  let uses = 0;
  let destroyed = false;

  function freshBlinding(): void {
    const { r, rInverse } = drawBlindingPair(n, k); // shared with wasm: src/backends/blinding.ts
    unblind = rInverse;
    blind = powPublic(r, eBits, n);
    uses = 0;
  }
  freshBlinding();

  return {
    sign(data: Uint8Array): Uint8Array {
      if (destroyed) throw usedAfterDestroy('RSA key');
      const em = emsaPkcs1Sha256(sha256(data), k);
      const m = bytesToBigInt(em);
      reportBlindingUse(blind);
      const blinded = (m * blind) % n;
      // RFC 8017 §5.1.2 step 2b: m1 = c^dP mod p, m2 = c^dQ mod q, h = (m1 − m2)·qInv mod p.
      let m1 = powFixedWindow(blinded % p, dpDigits, wp, p);
      const m2 = powFixedWindow(blinded % q, dqDigits, wq, q);
      if (seam.faultHalfP) m1 = seam.faultHalfP(m1);
      const h = mod((m1 - m2) * qInv, p);
      const s = ((m2 + q * h) * unblind) % n;
      // Next pair: (r²)^e = A², (r²)^-1 = B²; fresh randomness every BLINDING_REFRESH signatures.
      if (++uses >= BLINDING_REFRESH) freshBlinding();
      else {
        blind = (blind * blind) % n;
        unblind = (unblind * unblind) % n;
      }
      const signature = bigIntToBytes(s, k);
      // Verify before release: s^e mod n must give back the encoded message.
      if (!timingSafeEqual(bigIntToBytes(powPublic(s, eBits, n), k), em)) {
        signature.fill(0);
        throw signatureWithheld();
      }
      return signature;
    },
    destroy(): void {
      destroyed = true;
      dpDigits.fill(0);
      dqDigits.fill(0);
      p = q = qInv = blind = unblind = 0n;
    },
  };
}

/**
 * An RSA verifying key (RFC 8017 §8.2.2). `verify` returns false, never throws, for a signature
 * of the wrong length, one ≥ n, or any other mismatch.
 *
 * @example
 * ```ts
 * const key = createJsRsaVerifyingKey(parseRsaPublicKey(pem).components!);
 * key.verify(message, signature); // true or false
 * ```
 */
export function createJsRsaVerifyingKey(c: RsaPublicComponents): RsaVerifyingKey {
  const n = bytesToBigInt(c.n);
  const k = Math.ceil(bitLength(n) / 8);
  const eBits = bytesToBigInt(c.e).toString(2);
  return {
    verify(data: Uint8Array, signature: Uint8Array): boolean {
      try {
        // §8.2.2 step 1 and §5.2.2 step 1: exactly k bytes, and s < n.
        if (!(signature instanceof Uint8Array) || signature.length !== k) return false;
        const s = bytesToBigInt(signature);
        if (s >= n) return false;
        const m = powPublic(s, eBits, n);
        return timingSafeEqual(bigIntToBytes(m, k), emsaPkcs1Sha256(sha256(data), k));
      } catch {
        return false;
      }
    },
  };
}
