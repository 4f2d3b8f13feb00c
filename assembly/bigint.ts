/**
 * Montgomery arithmetic for RSA over 28-bit limbs with delayed carries, in a SIMD build
 * (`i64x2.extmul_*_i32x4_u`: four limb products per instruction pair) and a scalar build (plain
 * i64), chosen at compile time by ASC_FEATURE_SIMD.
 *
 * Numbers are little-endian arrays of 28-bit limbs in u32 words. A number "of L limbs" occupies
 * padded(L) words, those above L zero, and the four words below limb 0 are zero too
 * (rsa-layout.ts gives every slot that guard): the passes below handle four rows at a time,
 * reading limbs j, j−1, j−2, j−3 for column j, over whole groups of four columns, without tests.
 *
 * ## Column bounds (why nothing overflows)
 * The accumulator T holds one u64 per column and takes limb products without carrying; carries
 * move up once per pass. A limb product is at most M² with M = 2^28 − 1, and a column also takes
 * one carry word, at most B/2^28 if B bounds every column.
 * - montMul (R = 2^(28·L)): a column takes at most L products a_i·b_j and L products m_i·n_j, so
 *   B ≤ 2L·M² + B/2^28, i.e. B < 2L·2^56 ≤ 2^64 for L ≤ 128 (28·128 = 3584 bits: every CRT half
 *   and every full modulus up to 3582 bits). For 129 ≤ L ≤ 148 (full moduli of 3583–4096 bits)
 *   the live columns are normalised to < 2^28 every 64 rows: B < 2^28 + 128·M² + B/2^28 < 2^64.
 * - montSqr: the triangle Σ_(i<j) a_i·(2a_j) + a_k² puts at most L·M² in a column (at most
 *   (L−1)/2 doubled products and one square, or L/2 doubled products), the reduction at most L·M²
 *   more: the same 2L·M² as montMul for L ≤ 128. Above 128 limbs the columns are normalised
 *   between the two phases: B < 2^28 + 148·M² + B/2^28 < 2^64.
 * - toMontgomery: a limb (< 2^28) plus at most 148 products plus a carry. mulColumns: at most 148
 *   products. Both < 2^64.
 * test/backends/wasm-rsa.test.ts drives every limb count with all-ones operands and moduli (the largest
 * a·b sums) and checks the result against BigInt; the m_i follow from the data, so a column with
 * every m_i at its maximum as well is covered by the bound above, not by a test.
 *
 * ## Lazy reduction
 * L is chosen with 28·L ≥ bits(m) + 2, so R ≥ 4m: for a, b < 2m (or a < R, b < m) the result
 * (a·b + μ·m)/R < 4m²/R + m ≤ 2m, and no conditional subtraction is needed between products;
 * `reduceOnce` (rsa-limbs.ts) takes exact residues by masks where an exact value matters.
 *
 * Timing: every loop count and memory address depends only on L (public), never on a value.
 *
 * Speed, and the kernel designs measured and dropped: assembly/PERFORMANCE.md.
 */
import { SPLAT_PTR, SQ_PTR, SUB_PTR, T_PTR } from './rsa-layout';

const MASK: u64 = 0xfffffff;

/** Words a number of L limbs occupies: ≥ L + 3 (limb L + 2 reads as 0), a multiple of 4. */
// prettier-ignore
export function padded(L: i32): i32 { return (L + 6) & ~3; }

function limb(p: usize, i: i32): u64 {
  return <u64>load<u32>(p + ((<usize>i) << 2));
}

/** −m⁻¹ mod 2^28 for odd m: each Newton step x·(2 − m·x) doubles the correct low bits. */
export function montInverse(m: usize): u32 {
  const m0 = load<u32>(m);
  let x = m0; // m0·m0 ≡ 1 (mod 8): 3 bits
  x *= 2 - m0 * x; // 6
  x *= 2 - m0 * x; // 12
  x *= 2 - m0 * x; // 24
  x *= 2 - m0 * x; // 48 ≥ 28
  return (0 - x) & (<u32>MASK);
}

// ——— passes over the columns ———
// T[c] += Σ_k x_k·y_(c−k) for the columns c of the pass; y points at the operand limb of the
// first column for row 0; the SIMD loops round the column count up to a multiple of four.

/**
 * The four-row passes and their SIMD groups. binaryen -O3 inlines every other helper of this
 * file on its own (the scalar build is the same bytes with or without `@inline`), but not
 * group8 and quad4; a call there costs the kernel its registers. `@inline` on a static method is
 * also syntax Prettier parses, where a decorated top-level function is not.
 */
abstract class FourRows {
  /** One group of four columns with four row terms; y is 12 bytes below limb c (SIMD build). */
  @inline static group4(t: usize, y: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
    let lo = v128.load(t);
    let hi = v128.load(t, 16);
    let v = v128.load(y, 12);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(v0, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(v0, v));
    v = v128.load(y, 8);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(v1, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(v1, v));
    v = v128.load(y, 4);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(v2, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(v2, v));
    v = v128.load(y);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(v3, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(v3, v));
    v128.store(t, lo);
    v128.store(t, hi, 16);
  }

  /** One group of four columns with eight row terms, a_k·b and m_k·n (SIMD build). */
  @inline static group8(
    t: usize,
    b: usize,
    n: usize,
    va0: v128,
    va1: v128,
    va2: v128,
    va3: v128,
    vm0: v128,
    vm1: v128,
    vm2: v128,
    vm3: v128,
  ): void {
    let lo = v128.load(t);
    let hi = v128.load(t, 16);
    let v = v128.load(b, 12);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(va0, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(va0, v));
    v = v128.load(b, 8);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(va1, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(va1, v));
    v = v128.load(b, 4);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(va2, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(va2, v));
    v = v128.load(b);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(va3, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(va3, v));
    v = v128.load(n, 12);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vm0, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vm0, v));
    v = v128.load(n, 8);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vm1, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vm1, v));
    v = v128.load(n, 4);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vm2, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vm2, v));
    v = v128.load(n);
    lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vm3, v));
    hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vm3, v));
    v128.store(t, lo);
    v128.store(t, hi, 16);
  }

  /**
   * Eight row terms (four rows of a·b and four of m·n) sharing one load and store of T per group.
   * The SIMD loop does two groups per iteration: V8 checks the stack and steps the pointers once
   * per iteration, which costs a tenth of a one-group iteration.
   */
  @inline static quad8(
    t: usize,
    a0: u64,
    a1: u64,
    a2: u64,
    a3: u64,
    m0: u64,
    m1: u64,
    m2: u64,
    m3: u64,
    b: usize,
    n: usize,
    cols: i32,
  ): void {
    const end = t + ((<usize>cols) << 3);
    b -= 12; // limb j at offset 12, j−1 at 8, j−2 at 4, j−3 at 0
    n -= 12;
    if (ASC_FEATURE_SIMD) {
      const va0 = i32x4.splat(<i32>a0);
      const va1 = i32x4.splat(<i32>a1);
      const va2 = i32x4.splat(<i32>a2);
      const va3 = i32x4.splat(<i32>a3);
      const vm0 = i32x4.splat(<i32>m0);
      const vm1 = i32x4.splat(<i32>m1);
      const vm2 = i32x4.splat(<i32>m2);
      const vm3 = i32x4.splat(<i32>m3);
      FourRows.pinSplats(va0, va1, va2, va3);
      FourRows.pinSplats(vm0, vm1, vm2, vm3);
      while (t + 32 < end) {
        FourRows.group8(t, b, n, va0, va1, va2, va3, vm0, vm1, vm2, vm3);
        FourRows.group8(t + 32, b + 16, n + 16, va0, va1, va2, va3, vm0, vm1, vm2, vm3);
        t += 64;
        b += 32;
        n += 32;
      }
      if (t < end) FourRows.group8(t, b, n, va0, va1, va2, va3, vm0, vm1, vm2, vm3);
    } else {
      while (t < end) {
        let s = load<u64>(t);
        s += a0 * <u64>load<u32>(b, 12) + a1 * <u64>load<u32>(b, 8);
        s += a2 * <u64>load<u32>(b, 4) + a3 * <u64>load<u32>(b);
        s += m0 * <u64>load<u32>(n, 12) + m1 * <u64>load<u32>(n, 8);
        s += m2 * <u64>load<u32>(n, 4) + m3 * <u64>load<u32>(n);
        store<u64>(t, s);
        t += 8;
        b += 4;
        n += 4;
      }
    }
  }

  /**
   * Stores the splats once before a loop. Without a use outside the loop V8 schedules each splat
   * into the loop body and redoes it every iteration (two instructions, one of them a shuffle,
   * which competes with the extmuls' own shuffles).
   */
  @inline static pinSplats(v0: v128, v1: v128, v2: v128, v3: v128): void {
    v128.store(SPLAT_PTR, v0);
    v128.store(SPLAT_PTR, v1, 16);
    v128.store(SPLAT_PTR, v2, 32);
    v128.store(SPLAT_PTR, v3, 48);
  }

  /** Four row terms: T[c] += Σ_(k<4) x_k·y_(c−k). Two groups per SIMD iteration, as quad8. */
  @inline static quad4(t: usize, x0: u64, x1: u64, x2: u64, x3: u64, y: usize, cols: i32): void {
    const end = t + ((<usize>cols) << 3);
    y -= 12;
    if (ASC_FEATURE_SIMD) {
      const v0 = i32x4.splat(<i32>x0);
      const v1 = i32x4.splat(<i32>x1);
      const v2 = i32x4.splat(<i32>x2);
      const v3 = i32x4.splat(<i32>x3);
      FourRows.pinSplats(v0, v1, v2, v3);
      while (t + 32 < end) {
        FourRows.group4(t, y, v0, v1, v2, v3);
        FourRows.group4(t + 32, y + 16, v0, v1, v2, v3);
        t += 64;
        y += 32;
      }
      if (t < end) FourRows.group4(t, y, v0, v1, v2, v3);
    } else {
      while (t < end) {
        let s = load<u64>(t);
        s += x0 * <u64>load<u32>(y, 12) + x1 * <u64>load<u32>(y, 8);
        s += x2 * <u64>load<u32>(y, 4) + x3 * <u64>load<u32>(y);
        store<u64>(t, s);
        t += 8;
        y += 4;
      }
    }
  }
}

/** One row of two terms: T[c] += x·y_c + m·n_c (the rows left over after the four-row passes). */
function row(t: usize, x: u64, m: u64, y: usize, n: usize, cols: i32): void {
  const end = t + ((<usize>cols) << 3);
  if (ASC_FEATURE_SIMD) {
    const vx = i32x4.splat(<i32>x);
    const vm = i32x4.splat(<i32>m);
    FourRows.pinSplats(vx, vm, vx, vm);
    while (t < end) {
      const vy = v128.load(y);
      const vn = v128.load(n);
      let lo = v128.load(t);
      let hi = v128.load(t, 16);
      lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vx, vy));
      hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vx, vy));
      lo = i64x2.add(lo, i64x2.extmul_low_i32x4_u(vm, vn));
      hi = i64x2.add(hi, i64x2.extmul_high_i32x4_u(vm, vn));
      v128.store(t, lo);
      v128.store(t, hi, 16);
      t += 32;
      y += 16;
      n += 16;
    }
  } else {
    while (t < end) {
      store<u64>(t, load<u64>(t) + x * <u64>load<u32>(y) + m * <u64>load<u32>(n));
      t += 8;
      y += 4;
      n += 4;
    }
  }
}

/** One row of one term: T[c] += x·y_c (the squaring's reduction tail, the triangle's tail). */
function row1(t: usize, x: u64, y: usize, cols: i32): void {
  const end = t + ((<usize>cols) << 3);
  if (ASC_FEATURE_SIMD) {
    const vx = i32x4.splat(<i32>x);
    FourRows.pinSplats(vx, vx, vx, vx);
    while (t < end) {
      const vy = v128.load(y);
      v128.store(t, i64x2.add(v128.load(t), i64x2.extmul_low_i32x4_u(vx, vy)));
      v128.store(t, i64x2.add(v128.load(t, 16), i64x2.extmul_high_i32x4_u(vx, vy)), 16);
      t += 32;
      y += 16;
    }
  } else {
    while (t < end) {
      store<u64>(t, load<u64>(t) + x * <u64>load<u32>(y));
      t += 8;
      y += 4;
    }
  }
}

/** Carries `count` columns at t into 28-bit digits and adds the last carry to the next column. */
function normalizeColumns(t: usize, count: i32): void {
  let carry: u64 = 0;
  const end = t + ((<usize>count) << 3);
  while (t < end) {
    const v = load<u64>(t) + carry;
    store<u64>(t, v & MASK);
    carry = v >> 28;
    t += 8;
  }
  store<u64>(t, load<u64>(t) + carry);
}

/** The L columns at t, carried, as L limbs at r (the value is known to fit); zeroes the padding. */
function columnsToLimbs(r: usize, t: usize, L: i32): void {
  let carry: u64 = 0;
  const end = r + ((<usize>L) << 2);
  // Two limbs per iteration: the carry chain is the critical path, the loop control is not.
  for (; r + 4 < end; r += 8) {
    const v = load<u64>(t) + carry;
    const w = load<u64>(t, 8) + (v >> 28);
    store<u64>(r, (v & MASK) | ((w & MASK) << 32));
    carry = w >> 28;
    t += 16;
  }
  if (r < end) {
    store<u32>(r, <u32>((load<u64>(t) + carry) & MASK));
    r += 4;
  }
  const padEnd = end - ((<usize>L) << 2) + ((<usize>padded(L)) << 2);
  for (; r < padEnd; r += 4) store<u32>(r, 0);
}

function clearColumns(count: i32): void {
  // Inline stores: memory.fill is a call into the engine, costly for a few hundred bytes. The
  // count rounds up to whole stores (≤ 3 columns more): at most 311 columns, T holds 320.
  const end = T_PTR + ((<usize>count) << 3);
  if (ASC_FEATURE_SIMD) {
    const zero = i64x2.splat(0);
    for (let t = T_PTR; t < end; t += 32) {
      v128.store(t, zero);
      v128.store(t, zero, 16);
    }
  } else {
    for (let t = T_PTR; t < end; t += 16) {
      store<u64>(t, 0);
      store<u64>(t, 0, 8);
    }
  }
}

/**
 * The last L mod 4 reduction rows, one at a time: m_i makes column i ≡ 0 (mod 2^28), its carry
 * moves to column i + 1. With x ≠ 0 the row also adds x_i·y (montMul's multiplicand).
 */
function tailRows(i: i32, x: usize, y: usize, m: usize, mInv: u64, end: i32, P: i32): void {
  const y0 = limb(y, 0);
  const n0 = limb(m, 0);
  for (; i < end; i++) {
    const t = T_PTR + ((<usize>i) << 3);
    const xi = x ? limb(x, i) : 0;
    const u = load<u64>(t) + xi * y0;
    const mi = (u * mInv) & MASK;
    if (x) row(t, xi, mi, y, m, P);
    else row1(t, mi, m, P);
    store<u64>(t, load<u64>(t, 8) + ((u + mi * n0) >> 28), 8);
  }
}

// ——— Montgomery multiplication and squaring ———

/**
 * r = a·b·R⁻¹ mod m (R = 2^(28·L)), lazily reduced: below 2m for a, b < 2m. `mInv` is
 * −m⁻¹ mod 2^28. r may alias a or b.
 *
 * Four rows per pass (coarsely integrated operand scanning): the multipliers m_i..m_(i+3) come
 * first from the four lowest live columns (scalar, 16 products), then one pass adds all eight
 * row terms, so T is loaded and stored once per four rows.
 */
export function montMul(r: usize, a: usize, b: usize, m: usize, mInv: u64, L: i32): void {
  const P = padded(L);
  clearColumns(2 * P + 8);
  const b0 = limb(b, 0);
  const b1 = limb(b, 1);
  const b2 = limb(b, 2);
  const b3 = limb(b, 3);
  const n0 = limb(m, 0);
  const n1 = limb(m, 1);
  const n2 = limb(m, 2);
  const n3 = limb(m, 3);
  const wide = L > 128;
  let i = 0;
  for (; i + 3 < L; i += 4) {
    const t = T_PTR + ((<usize>i) << 3);
    const x0 = limb(a, i);
    const x1 = limb(a, i + 1);
    const x2 = limb(a, i + 2);
    const x3 = limb(a, i + 3);
    // Column i + k with every term of rows i..i+k−1 and the carry, then m_k clears it.
    let u = load<u64>(t) + x0 * b0;
    const m0 = (u * mInv) & MASK;
    u = load<u64>(t, 8) + x0 * b1 + x1 * b0 + m0 * n1 + ((u + m0 * n0) >> 28);
    const m1 = (u * mInv) & MASK;
    u = load<u64>(t, 16) + x0 * b2 + x1 * b1 + x2 * b0 + m0 * n2 + m1 * n1 + ((u + m1 * n0) >> 28);
    const m2 = (u * mInv) & MASK;
    u =
      load<u64>(t, 24) +
      x0 * b3 +
      x1 * b2 +
      x2 * b1 +
      x3 * b0 +
      m0 * n3 +
      m1 * n2 +
      m2 * n1 +
      ((u + m2 * n0) >> 28);
    const m3 = (u * mInv) & MASK;
    const carry = (u + m3 * n0) >> 28; // what column i + 3 passes up once the pass is done
    FourRows.quad8(t, x0, x1, x2, x3, m0, m1, m2, m3, b, m, P);
    store<u64>(t, load<u64>(t, 32) + carry, 32);
    if (wide && ((i + 4) & 63) == 0) normalizeColumns(t + 32, P + 4);
  }
  tailRows(i, a, b, m, mInv, L, P);
  columnsToLimbs(r, T_PTR + ((<usize>L) << 3), L);
}

/**
 * r = a²·R⁻¹ mod m, as montMul(r, a, a) with about a quarter fewer products: the triangle
 * Σ_(i<j) a_i·(2a_j) plus the squares a_i² (half the products of a·a), then the L reduction rows.
 * Four rows per pass in both phases; in the triangle the columns 2i..2i+6 where the four rows
 * start are summed in scalar code (16 products), the rest in one pass from column 2i + 7.
 */
export function montSqr(r: usize, a: usize, m: usize, mInv: u64, L: i32): void {
  const P = padded(L);
  clearColumns(2 * P + 8);
  const d = SQ_PTR; // 2a: limbs below 2^29, so a doubled product stays below 2^57
  if (ASC_FEATURE_SIMD) {
    for (let w = 0; w < P; w += 4) {
      const o = (<usize>w) << 2;
      v128.store(d + o, i32x4.shl(v128.load(a + o), 1));
    }
  } else {
    for (let w = 0; w < P; w++)
      store<u32>(d + ((<usize>w) << 2), load<u32>(a + ((<usize>w) << 2)) << 1);
  }
  // The triangle's last vector group reads up to word L + 5 ≤ P + 2; a squaring of a wider
  // number may have left words there.
  store<u64>(d + ((<usize>P) << 2), 0);
  store<u64>(d + ((<usize>P) << 2), 0, 8);

  let i = 0;
  for (; i + 3 < L; i += 4) {
    const t = T_PTR + ((<usize>(2 * i)) << 3);
    const x0 = limb(a, i);
    const x1 = limb(a, i + 1);
    const x2 = limb(a, i + 2);
    const x3 = limb(a, i + 3);
    const d1 = limb(d, i + 1);
    const d2 = limb(d, i + 2);
    const d3 = limb(d, i + 3);
    const d4 = limb(d, i + 4);
    const d5 = limb(d, i + 5);
    const d6 = limb(d, i + 6);
    store<u64>(t, load<u64>(t) + x0 * x0);
    store<u64>(t, load<u64>(t, 8) + x0 * d1, 8);
    store<u64>(t, load<u64>(t, 16) + x0 * d2 + x1 * x1, 16);
    store<u64>(t, load<u64>(t, 24) + x0 * d3 + x1 * d2, 24);
    store<u64>(t, load<u64>(t, 32) + x0 * d4 + x1 * d3 + x2 * x2, 32);
    store<u64>(t, load<u64>(t, 40) + x0 * d5 + x1 * d4 + x2 * d3, 40);
    store<u64>(t, load<u64>(t, 48) + x0 * d6 + x1 * d5 + x2 * d4 + x3 * x3, 48);
    // Columns 2i+7 .. i+L+2: row i+k pairs a_(i+k) with 2a_(c−i−k), all of index > i+k.
    const cols = L - i - 4;
    if (cols > 0) FourRows.quad4(t + 56, x0, x1, x2, x3, d + ((<usize>(i + 7)) << 2), cols);
  }
  for (; i < L; i++) {
    const t = T_PTR + ((<usize>(2 * i)) << 3);
    const x = limb(a, i);
    store<u64>(t, load<u64>(t) + x * x);
    const cols = L - i - 1;
    if (cols > 0) row1(t + 8, x, d + ((<usize>(i + 1)) << 2), cols);
  }
  if (L > 128) normalizeColumns(T_PTR, 2 * L);

  const n0 = limb(m, 0);
  const n1 = limb(m, 1);
  const n2 = limb(m, 2);
  const n3 = limb(m, 3);
  for (i = 0; i + 3 < L; i += 4) {
    const t = T_PTR + ((<usize>i) << 3);
    let u = load<u64>(t);
    const m0 = (u * mInv) & MASK;
    u = load<u64>(t, 8) + m0 * n1 + ((u + m0 * n0) >> 28);
    const m1 = (u * mInv) & MASK;
    u = load<u64>(t, 16) + m0 * n2 + m1 * n1 + ((u + m1 * n0) >> 28);
    const m2 = (u * mInv) & MASK;
    u = load<u64>(t, 24) + m0 * n3 + m1 * n2 + m2 * n1 + ((u + m2 * n0) >> 28);
    const m3 = (u * mInv) & MASK;
    const carry = (u + m3 * n0) >> 28;
    FourRows.quad4(t, m0, m1, m2, m3, m, P);
    store<u64>(t, load<u64>(t, 32) + carry, 32);
  }
  tailRows(i, 0, m, m, mInv, L, P);
  columnsToLimbs(r, T_PTR + ((<usize>L) << 3), L);
}

/**
 * r = (the K-limb value at src)·R mod m, lazily reduced (< 2m): the Montgomery form of a number
 * wider than m. `rows` REDC rows without multiplicand divide by 2^(28·rows) and leave a value
 * below 2^(28·(K − rows)) + m < R when rows = K − L + 1 (none are needed when K ≤ L); one
 * Montgomery product by c = R²·2^(28·rows) mod m restores the factor.
 */
export function toMontgomery(
  r: usize,
  src: usize,
  K: i32,
  m: usize,
  mInv: u64,
  L: i32,
  rows: i32,
  c: usize,
): void {
  const P = padded(L);
  clearColumns((K > L ? K : L) + P + 8);
  for (let k = 0; k < K; k++) store<u64>(T_PTR + ((<usize>k) << 3), limb(src, k));
  tailRows(0, 0, m, m, mInv, rows, P);
  columnsToLimbs(SUB_PTR, T_PTR + ((<usize>rows) << 3), L);
  montMul(r, SUB_PTR, c, m, mInv, L);
}

/** Plain product into the columns of T: x·y (x of Lx limbs, y of Ly), not carried. */
export function mulColumns(x: usize, Lx: i32, y: usize, Ly: i32): void {
  const P = padded(Ly);
  clearColumns(Lx + P + 8);
  for (let i = 0; i < Lx; i++) row1(T_PTR + ((<usize>i) << 3), limb(x, i), y, P);
}
