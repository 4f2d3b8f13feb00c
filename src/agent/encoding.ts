/**
 * Apache Milagro's point encodings on BLS12-381 (docs/signing-agent.md, Keys and Signatures), which are
 * not the ZCash/IETF ones `@noble/curves` serialises (§10.4: no flag bits, the real part of an Fp2
 * coordinate first, G2 uncompressed with y). Every field element is 48 bytes big-endian.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import type { Fp2 } from '@noble/curves/abstract/tower.js';

/** BLS12-381 fields and groups, as AMCL's BLS381 curve (§1). */
export const Fp = bls12_381.fields.Fp;
export const Fp2Field = bls12_381.fields.Fp2;
export const P = Fp.ORDER;
export const R = bls12_381.params.r;
export const G1 = bls12_381.G1.Point;
export const G2 = bls12_381.G2.Point;
export type G1Point = WeierstrassPoint<bigint>;
export type G2Point = WeierstrassPoint<Fp2>;

/** AMCL MODBYTES for BLS381: every BIG is read and written as exactly 48 bytes. */
export const FIELD_BYTES = 48;
/** `0x02|0x03 || x`: the agent's signature encoding. */
export const G1_COMPRESSED_BYTES = 49;
/** `0x04 || x || y`: M-Pin's G1 encoding. */
export const G1_UNCOMPRESSED_BYTES = 97;
/** `x.a || x.b || y.a || y.b`: the agent's public-key encoding. */
export const G2_BYTES = 192;

/** Big-endian unsigned integer of `bytes` (no reduction, like AMCL `BIG_fromBytes`). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < bytes.length; i++) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** `BE(n, length)`; `n` must be non-negative and fit. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

// p ≡ 3 (mod 4), so a square t has the roots ±t^((p+1)/4).
const SQRT_EXP = (P + 1n) / 4n;

/**
 * A square root of `t` in Fp, or undefined when `t` is not a square. Computed directly rather than
 * with noble's `Fp.sqrt`, which throws for non-squares: try-and-increment meets one on about half
 * of its attempts, and exceptions as control flow are slow.
 */
export function sqrtFp(t: bigint): bigint | undefined {
  const y = Fp.pow(t, SQRT_EXP);
  return Fp.eql(Fp.sqr(y), t) ? y : undefined;
}

/** `x³ + 4`, the right-hand side of G1's equation. */
export function g1Rhs(x: bigint): bigint {
  return Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
}

/** `0x02|0x03 (parity of y) || BE(x, 48)` of an affine point (§5 step 3). */
export function encodeG1Compressed(point: G1Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(G1_COMPRESSED_BYTES);
  out[0] = (y & 1n) === 1n ? 0x03 : 0x02;
  out.set(bigIntToBytes(x, FIELD_BYTES), 1);
  return out;
}

/** `0x04 || BE(x, 48) || BE(y, 48)` (AMCL `ECP_toOctet` uncompressed, §8.1). */
export function encodeG1Uncompressed(point: G1Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(G1_UNCOMPRESSED_BYTES);
  out[0] = 0x04;
  out.set(bigIntToBytes(x, FIELD_BYTES), 1);
  out.set(bigIntToBytes(y, FIELD_BYTES), 1 + FIELD_BYTES);
  return out;
}

/**
 * A G1 point from AMCL's octet (`ECP_fromOctet`, §6): compressed `02|03 || x` or uncompressed
 * `04 || x || y`, or undefined when it is not a curve point. `strict` also requires the exact
 * length and canonical coordinates (< p); AMCL itself reduces them mod p and ignores extra bytes,
 * which lets one signature have several encodings. No subgroup check here (callers decide).
 */
export function decodeG1(bytes: Uint8Array, strict: boolean): G1Point | undefined {
  const head = bytes[0];
  if (head === 0x02 || head === 0x03) {
    if (bytes.length < G1_COMPRESSED_BYTES || (strict && bytes.length !== G1_COMPRESSED_BYTES)) {
      return undefined;
    }
    const raw = bytesToBigInt(bytes.subarray(1, G1_COMPRESSED_BYTES));
    if (strict && raw >= P) return undefined;
    const x = Fp.create(raw);
    const rhs = g1Rhs(x);
    if (Fp.is0(rhs)) return undefined;
    const root = sqrtFp(rhs);
    if (root === undefined) return undefined;
    const y = (root & 1n) === BigInt(head & 1) ? root : Fp.neg(root);
    return G1.fromAffine({ x, y });
  }
  if (head === 0x04) {
    if (
      bytes.length < G1_UNCOMPRESSED_BYTES ||
      (strict && bytes.length !== G1_UNCOMPRESSED_BYTES)
    ) {
      return undefined;
    }
    const rawX = bytesToBigInt(bytes.subarray(1, 1 + FIELD_BYTES));
    const rawY = bytesToBigInt(bytes.subarray(1 + FIELD_BYTES, G1_UNCOMPRESSED_BYTES));
    if (strict && (rawX >= P || rawY >= P)) return undefined;
    const x = Fp.create(rawX);
    const y = Fp.create(rawY);
    if (!Fp.eql(Fp.sqr(y), g1Rhs(x))) return undefined;
    return G1.fromAffine({ x, y });
  }
  return undefined;
}

/** `BE(x.a) || BE(x.b) || BE(y.a) || BE(y.b)`, 192 bytes (§3.2; noble's c0 is AMCL's a). */
export function encodeG2(point: G2Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(G2_BYTES);
  [x.c0, x.c1, y.c0, y.c1].forEach((v, i) => out.set(bigIntToBytes(v, FIELD_BYTES), i * 48));
  return out;
}

/**
 * A G2 point from the 192-byte encoding, or undefined when it is not on the twist (AMCL
 * `ECP2_fromOctet`: each coordinate reduced mod p; `strict` refuses non-canonical ones and any
 * other length). No subgroup check here.
 */
export function decodeG2(bytes: Uint8Array, strict: boolean): G2Point | undefined {
  if (bytes.length < G2_BYTES || (strict && bytes.length !== G2_BYTES)) return undefined;
  const raw = [0, 1, 2, 3].map((i) => bytesToBigInt(bytes.subarray(i * 48, i * 48 + 48)));
  if (strict && raw.some((v) => v >= P)) return undefined;
  const [xa, xb, ya, yb] = raw.map((v) => Fp.create(v));
  const x = Fp2Field.create({ c0: xa, c1: xb });
  const y = Fp2Field.create({ c0: ya, c1: yb });
  // y² = x³ + 4(1 + i) (§1)
  const rhs = Fp2Field.add(Fp2Field.mul(Fp2Field.sqr(x), x), { c0: 4n, c1: 4n });
  if (!Fp2Field.eql(Fp2Field.sqr(y), rhs)) return undefined;
  if (Fp2Field.is0(x) && Fp2Field.is0(y)) return undefined;
  return G2.fromAffine({ x, y });
}
