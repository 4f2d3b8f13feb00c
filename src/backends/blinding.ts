/**
 * RSA base blinding values for the `wasm` and `js` backends (the exponentiation sees c = m·rᵉ, never
 * m, so its timing does not depend on a chosen message; RFC 8017 §5.1.2 leaves blinding to the
 * implementation). Both backends draw r here, keep the pair (rᵉ, r⁻¹) and square it after each
 * signature (r → r², a fresh-looking value at the cost of two multiplications), and draw a new r
 * from `crypto.getRandomValues` every {@link BLINDING_REFRESH} signatures, as OpenSSL does: a pair
 * that is only ever squared is a deterministic sequence from the first r (issue 14 item 10).
 * A fresh draw per signature would cost a modular inversion in BigInt, about 0.8 ms on a 2048-bit
 * modulus against 1.7 ms for a whole WASM signature (measured here, Node 20).
 */
import { invert } from '@noble/curves/abstract/modular.js';
import { SigningError } from '../lib/errors.js';
import { bytesToBigInt } from '../lib/octets.js';

/** A blinding pair is replaced by one from fresh randomness after this many signatures. */
export const BLINDING_REFRESH = 32;

/** What the test observer sees: a fresh draw, or the blinding value one signature used. */
export type BlindingEvent = 'draw' | 'sign';

let observer: ((event: BlindingEvent, value: bigint) => void) | undefined;

/**
 * Test seam, not part of the API: called with each freshly drawn r and with the value each
 * signature was blinded with, so that tests can see the refresh. Never set outside tests.
 *
 * @example
 * ```ts
 * __observeBlindingForTests((event, value) => seen.push([event, value]));
 * ```
 */
export function __observeBlindingForTests(
  callback: ((event: BlindingEvent, value: bigint) => void) | undefined,
): void {
  observer = callback;
}

/** Reports the blinding value a signature used to the test observer, if one is set. */
export function reportBlindingUse(value: bigint | (() => bigint)): void {
  if (observer) observer('sign', typeof value === 'function' ? value() : value);
}

/**
 * Draws r ∈ [2, n − 1] invertible mod n from `crypto.getRandomValues` (16 bytes beyond the
 * modulus make the bias of the reduction negligible) and returns r with r⁻¹ mod n. A draw that
 * shares a factor with n (it would have found one: astronomically unlikely) is retried.
 *
 * @example
 * ```ts
 * const { r, rInverse } = drawBlindingPair(n, 256);
 * ```
 */
export function drawBlindingPair(n: bigint, k: number): { r: bigint; rInverse: bigint } {
  const bytes = new Uint8Array(k + 16);
  for (let attempt = 0; attempt < 8; attempt++) {
    globalThis.crypto.getRandomValues(bytes);
    const r = bytesToBigInt(bytes) % n;
    bytes.fill(0);
    if (r < 2n) continue;
    let rInverse: bigint;
    try {
      rInverse = invert(r, n);
    } catch {
      continue;
    }
    observer?.('draw', r);
    return { r, rInverse };
  }
  throw new SigningError('SIGNATURE_FAULT', 'could not draw an RSA blinding value');
}
