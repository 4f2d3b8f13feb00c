/**
 * Modular exponentiation and the Montgomery constants, over bigint.ts.
 *
 * Secret exponents (dp, dq) use fixed 5-bit windows: the number of windows comes from the public
 * bit length of the modulus, every window costs five squarings and one multiplication (also for a
 * zero window: table[0] is 1), and the table entry is read by scanning all 32 entries with masks,
 * so neither the branch pattern nor the memory addresses depend on the exponent. A 1024-bit half
 * has 205 windows: after the first, 1020 squarings and 204 multiplications, plus 15 + 15 for the
 * table; 4-bit windows would need 1020 + 255 + 14, 6-bit ones 1020 + 170 + 62.
 *
 * The public exponent (verification, the check before release, the blinding value) uses plain
 * left-to-right square-and-multiply: its bits are not secret.
 */
import { montMul, montSqr, padded } from './bigint';
import { copyLimbs, reduceOnce, selectEntry } from './rsa-limbs';
import { SEL_PTR, SLOT_SIZE, TABLE_ENTRIES, TABLE_PTR, WINDOW_BITS } from './rsa-layout';

const MASK: u32 = 0xfffffff;

/** The window of WINDOW_BITS bits of the exponent (L-limb number at e) starting at bit `pos`. */
function windowAt(e: usize, pos: i32): u32 {
  const k = pos / 28;
  const p = e + ((<usize>k) << 2);
  const pair = (<u64>load<u32>(p)) | ((<u64>load<u32>(p, 4)) << 28);
  return (<u32>(pair >> (<u64>(pos - k * 28)))) & ((1 << WINDOW_BITS) - 1);
}

/**
 * r = x^e (Montgomery form in and out, lazily reduced) for a secret exponent e < 2^bits, where
 * `bits` is the bit length of the modulus m. `one` is R mod m. r must not alias x.
 */
export function powSecret(
  r: usize,
  x: usize,
  e: usize,
  bits: i32,
  m: usize,
  mInv: u64,
  L: i32,
  one: usize,
): void {
  copyLimbs(TABLE_PTR, one, L);
  copyLimbs(TABLE_PTR + SLOT_SIZE, x, L);
  for (let k = 2; k < TABLE_ENTRIES; k++) {
    const dst = TABLE_PTR + <usize>k * SLOT_SIZE;
    if (k & 1) montMul(dst, dst - SLOT_SIZE, x, m, mInv, L);
    else montSqr(dst, TABLE_PTR + <usize>(k >> 1) * SLOT_SIZE, m, mInv, L);
  }
  const windows = (bits + WINDOW_BITS - 1) / WINDOW_BITS;
  selectEntry(r, TABLE_PTR, SLOT_SIZE, windowAt(e, (windows - 1) * WINDOW_BITS), L);
  for (let w = windows - 2; w >= 0; w--) {
    for (let s = 0; s < WINDOW_BITS; s++) montSqr(r, r, m, mInv, L);
    selectEntry(SEL_PTR, TABLE_PTR, SLOT_SIZE, windowAt(e, w * WINDOW_BITS), L);
    montMul(r, r, SEL_PTR, m, mInv, L);
  }
}

/** r = x^e (Montgomery form, lazily reduced) for a public exponent e ≥ 1. r must not alias x. */
export function powPublic(r: usize, x: usize, e: u32, m: usize, mInv: u64, L: i32): void {
  copyLimbs(r, x, L);
  for (let bit = 30 - <i32>clz<u32>(e); bit >= 0; bit--) {
    montSqr(r, r, m, mInv, L);
    if ((e >> bit) & 1) montMul(r, r, x, m, mInv, L);
  }
}

/** x = 2x (x < m < R/4, so 2x fits). */
function double(x: usize, L: i32): void {
  let carry: u32 = 0;
  for (let k = 0; k < L; k++) {
    const p = x + ((<usize>k) << 2);
    const v = (load<u32>(p) << 1) | carry;
    store<u32>(p, v & MASK);
    carry = v >> 28;
  }
}

/**
 * r = 2^k mod m exactly, for k = 28·(L + j) with j ≥ 0 (R·2^(28j), the constants of
 * toMontgomery and R mod m). Constant time in m: from 2^(bits−1) < m, doublings each followed by
 * a masked subtraction reach 2^(a + 28L) = 2^a·R with a = (k − 28L)/4, and two Montgomery
 * squarings turn that into 2^(4a)·R = 2^k. This needs ~28·(L + j)/4 + 28L − bits doublings
 * instead of k − bits.
 */
export function powerOfTwo(r: usize, k: i32, m: usize, mInv: u64, L: i32, bits: i32): void {
  const a = (k - 28 * L) >> 2;
  memory.fill(r, 0, (<usize>padded(L)) << 2);
  store<u32>(r + ((<usize>((bits - 1) / 28)) << 2), 1 << ((bits - 1) % 28));
  const doublings = a + 28 * L - (bits - 1);
  for (let i = 0; i < doublings; i++) {
    double(r, L);
    reduceOnce(r, m, L);
  }
  montSqr(r, r, m, mInv, L);
  montSqr(r, r, m, mInv, L);
  reduceOnce(r, m, L);
}
