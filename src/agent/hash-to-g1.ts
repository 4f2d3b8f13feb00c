/**
 * The agent's hash to G1 (AMCL `BLS_HASHIT` + `ECP_mapit`; docs/signing-agent.md, Signatures): SHAKE256 to 48
 * bytes, reduce mod p, try-and-increment for the first x with x³+4 a non-zero square, take the
 * even root, then multiply by the FULL G1 cofactor (computed as in g1-mul.ts). Not RFC 9380: noble's `hashToCurve` (SSWU with
 * a DST) and `clearCofactor` (the effective cofactor 1−x) give other points (§10).
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { Fp, G1, FIELD_BYTES, bytesToBigInt, g1Rhs, sqrtFp, type G1Point } from './encoding.js';
import { M, clearToSubgroup, mulPublic } from './g1-mul.js';

/**
 * AMCL `ECP_mapit` on a 48-byte big-endian digest: the point of G1's order-r subgroup that the
 * agent (signatures, §4 steps 2–5) and M-Pin (identities, §8.1) derive from it.
 *
 * @example
 * ```ts
 * const H = mapToG1(shake256(message, { dkLen: 48 }));
 * ```
 */
export function mapToG1(digest: Uint8Array): G1Point {
  return mulPublic(mapToSubgroupBase(digest), M);
}

/**
 * `[1−x]·P` for the try-and-increment point P of `digest`: H(m) = `[m]` of it (g1-mul.ts), and a
 * signature `[s·m mod r]` of it. The loop and its increments are AMCL's (§4 steps 2–4).
 */
export function mapToSubgroupBase(digest: Uint8Array): G1Point {
  // AMCL increments x without reducing again; reducing each candidate is the same point (§4.3).
  let x = bytesToBigInt(digest) % Fp.ORDER;
  for (;;) {
    const x0 = x;
    x = Fp.add(x, 1n);
    const rhs = g1Rhs(x0);
    if (Fp.is0(rhs)) continue;
    const root = sqrtFp(rhs);
    if (root === undefined) continue;
    // ECP_setx(x, s = 0): the root whose canonical integer is even.
    const y = (root & 1n) === 0n ? root : Fp.neg(root);
    const Q = clearToSubgroup(G1.fromAffine({ x: x0, y }));
    // [h]P is infinity exactly when [C]P is (m is prime to r); AMCL then tries the next x.
    if (!Q.is0()) return Q;
  }
}

/**
 * H(m) of the agent's BLS signatures (§4): `mapToG1(SHAKE256(m, 48 bytes))`. Any length of
 * message, the empty one included; no domain-separation tag.
 *
 * @example
 * ```ts
 * const H = hashToG1(new TextEncoder().encode('test message'));
 * ```
 */
export function hashToG1(message: Uint8Array): G1Point {
  return mapToG1(shake256(message, { dkLen: FIELD_BYTES }));
}

/** The base point of H(m) (see {@link mapToSubgroupBase}), for signing. */
export function hashToSubgroupBase(message: Uint8Array): G1Point {
  return mapToSubgroupBase(shake256(message, { dkLen: FIELD_BYTES }));
}
