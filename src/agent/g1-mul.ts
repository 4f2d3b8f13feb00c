/**
 * Scalar multiplication on G1 for the agent's hash and signature, faster than a generic
 * double-and-add while giving the same points (docs/signing-agent.md, Signatures).
 *
 * Cofactor. The full cofactor is h = (x−1)²/3 with x = −0xd201000000010000 (§1), and 3 divides
 * c = 1−x = 0xd201000000010001, so h = c·m with m = c/3. [c]P is in the order-r subgroup for every
 * curve point P (it is noble's effective cofactor, RFC 9380 §7), and c is sparse (6 bits set).
 * So [h]P = [m]([c]P): 64 doublings and 5 additions, then a 64-bit multiple, instead of a
 * 126-bit one, and the agent's signature [s]([h]P) = [s·m mod r]([c]P) needs no separate
 * multiplication by m at all.
 *
 * GLV (Gallant–Lambert–Vanstone). On G1, φ(x, y) = (β·x, y) with β a cube root of unity in Fp acts
 * as multiplication by λ = x² − 1 (λ² + λ + 1 = r). A scalar k < r splits into k = k1 + k2·λ with
 * k1, k2 ≤ λ + 1 (about 128 bits), so [k]Q = [k1]Q + [k2]φ(Q) takes 129 doublings. An addition
 * happens at every step (a dummy one when both bits are 0), as noble's multiply does, so the
 * sequence of group operations does not depend on the secret scalar. (BigInt field arithmetic is
 * not constant-time in JavaScript; see the README's security notes.)
 */
import { Fp, G1, type G1Point } from './encoding.js';

/** 1 − x for BLS12-381 (x = −0xd201000000010000): the effective G1 cofactor. */
const C = 0xd201000000010001n;
/** h / C = (1 − x)/3. */
export const M = C / 3n;
/** λ = x² − 1: φ acts on G1 as [λ]. */
const LAMBDA = 0xd201000000010000n * 0xd201000000010000n - 1n;
/** The cube root of unity with φ(G) = [λ]G (checked in test/agent/g1-mul.test.ts). */
const BETA =
  0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaacn;

/** `[k]·point` for a public scalar k ≥ 0: plain double-and-add (branches on public bits only). */
export function mulPublic(point: G1Point, k: bigint): G1Point {
  let acc = G1.ZERO;
  for (let i = k.toString(2).length - 1; i >= 0; i--) {
    acc = acc.double();
    if ((k >> BigInt(i)) & 1n) acc = acc.add(point);
  }
  return acc;
}

/** `[C]·P`: the point of the order-r subgroup that [h]P is the m-th multiple of. */
export function clearToSubgroup(point: G1Point): G1Point {
  return mulPublic(point, C);
}

/** `[k]·Q` for Q in the order-r subgroup and 0 < k < r, by GLV with a fixed operation sequence. */
export function mulSubgroup(point: G1Point, k: bigint): G1Point {
  const k2 = k / LAMBDA;
  const k1 = k % LAMBDA;
  const { x, y } = point.toAffine();
  const phi = G1.fromAffine({ x: Fp.mul(x, BETA), y });
  // table[b1 + 2·b2]; index 0 adds into a dummy accumulator instead.
  const table = [point, point, phi, point.add(phi)];
  let acc = G1.ZERO;
  let dummy = G1.ZERO;
  for (let i = 129; i >= 0; i--) {
    acc = acc.double();
    const bits = Number((k1 >> BigInt(i)) & 1n) | (Number((k2 >> BigInt(i)) & 1n) << 1);
    if (bits === 0) dummy = dummy.add(table[0]);
    else acc = acc.add(table[bits]);
  }
  void dummy;
  return acc;
}
