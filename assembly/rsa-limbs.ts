/**
 * Limb-array helpers for the RSA module: byte conversions, the masked final subtraction, masked
 * comparison and the masked table read. Numbers are little-endian 28-bit limbs in u32 words,
 * zero-padded to padded(L) words (see bigint.ts).
 *
 * Timing: loop counts depend only on lengths, never on values, and nothing here branches on or
 * indexes memory by a value; `lessThan` is used on public values only (a signature against n).
 */
import { padded } from './bigint';
import { SUB_PTR } from './rsa-layout';

const MASK: u64 = 0xfffffff;

function limb(p: usize, i: i32): u64 {
  return <u64>load<u32>(p + ((<usize>i) << 2));
}

/** Copies a number of L limbs with its padding. */
// prettier-ignore
export function copyLimbs(dst: usize, src: usize, L: i32): void { memory.copy(dst, src, <usize>padded(L) << 2); }

/** x = x − m when x ≥ m, for x < 2m, by masks: the exact residue. */
export function reduceOnce(x: usize, m: usize, L: i32): void {
  let borrow: i64 = 0;
  for (let k = 0; k < L; k++) {
    const d = <i64>limb(x, k) - <i64>limb(m, k) + borrow;
    store<u32>(SUB_PTR + ((<usize>k) << 2), <u32>(d & (<i64>MASK)));
    borrow = d >> 28; // 0 or −1 (arithmetic shift)
  }
  const keep = <u32>borrow; // all ones when x < m
  for (let k = 0; k < L; k++) {
    const o = (<usize>k) << 2;
    store<u32>(x + o, (load<u32>(x + o) & keep) | (load<u32>(SUB_PTR + o) & ~keep));
  }
}

/** All ones when the two L-limb numbers are equal, else 0, reading every limb. */
export function equalMask(x: usize, y: usize, L: i32): u32 {
  let diff: u32 = 0;
  for (let k = 0; k < L; k++) {
    diff |= load<u32>(x + ((<usize>k) << 2)) ^ load<u32>(y + ((<usize>k) << 2));
  }
  return <u32>((<u64>diff - 1) >> 32); // diff < 2^28 borrows into the high word only when 0
}

/** 1 when x < y (L limbs each), else 0. */
export function lessThan(x: usize, y: usize, L: i32): i32 {
  let borrow: i64 = 0;
  for (let k = 0; k < L; k++) borrow = (<i64>limb(x, k) - <i64>limb(y, k) + borrow) >> 28;
  return <i32>(borrow & 1);
}

/**
 * Big-endian bytes (len of them at src) to L limbs at dst, zero-padded. Bits beyond L limbs are
 * dropped (callers pass values that fit).
 */
export function bytesToLimbs(dst: usize, src: usize, len: i32, L: i32): void {
  memory.fill(dst, 0, (<usize>padded(L)) << 2);
  let acc: u64 = 0;
  let bits = 0;
  let k = 0;
  for (let i = len - 1; i >= 0; i--) {
    acc |= (<u64>load<u8>(src + <usize>i)) << (<u64>bits);
    bits += 8;
    if (bits >= 28) {
      if (k < L) store<u32>(dst + ((<usize>k) << 2), <u32>(acc & MASK));
      k++;
      acc >>= 28;
      bits -= 28;
    }
  }
  if (k < L) store<u32>(dst + ((<usize>k) << 2), <u32>acc);
}

/** L limbs at src (a value below 2^(8·len)) to len big-endian bytes at dst. */
export function limbsToBytes(dst: usize, src: usize, L: i32, len: i32): void {
  let acc: u64 = 0;
  let bits = 0;
  let k = 0;
  for (let i = len - 1; i >= 0; i--) {
    if (bits < 8) {
      acc |= (k < L ? limb(src, k) : 0) << (<u64>bits);
      k++;
      bits += 28;
    }
    store<u8>(dst + <usize>i, <u8>acc);
    acc >>= 8;
    bits -= 8;
  }
}

/**
 * dst = entry `index` of a table of 32 numbers (L limbs, `stride` bytes apart), reading every
 * entry and keeping the wanted one by mask: the address pattern is the same for every index.
 */
export function selectEntry(dst: usize, table: usize, stride: usize, index: u32, L: i32): void {
  const words = padded(L);
  if (ASC_FEATURE_SIMD) {
    // Two vectors (eight words) of dst at a time, held in registers over the 32 entries; the
    // mask of entry k is k == index lane-wise, from a running splat of k (no shuffle per entry).
    const want = i32x4.splat(<i32>index);
    const step = i32x4.splat(1);
    let w = 0;
    for (; w + 8 <= words; w += 8) {
      const o = (<usize>w) << 2;
      let k = i32x4.splat(0);
      let acc0 = i32x4.splat(0);
      let acc1 = i32x4.splat(0);
      let p = table + o;
      for (let e = 0; e < 32; e++) {
        const mask = i32x4.eq(k, want);
        acc0 = v128.or(acc0, v128.and(v128.load(p), mask));
        acc1 = v128.or(acc1, v128.and(v128.load(p, 16), mask));
        k = i32x4.add(k, step);
        p += stride;
      }
      v128.store(dst + o, acc0);
      v128.store(dst + o, acc1, 16);
    }
    if (w < words) {
      // words is a multiple of 4: one vector left.
      const o = (<usize>w) << 2;
      let k = i32x4.splat(0);
      let acc = i32x4.splat(0);
      let p = table + o;
      for (let e = 0; e < 32; e++) {
        acc = v128.or(acc, v128.and(v128.load(p), i32x4.eq(k, want)));
        k = i32x4.add(k, step);
        p += stride;
      }
      v128.store(dst + o, acc);
    }
  } else {
    for (let w = 0; w < words; w += 2) {
      let acc: u64 = 0;
      let p = table + ((<usize>w) << 2);
      for (let k: u32 = 0; k < 32; k++) {
        const mask = <u64>(<i64>((<i32>((k ^ index) - 1)) >> 31));
        acc |= load<u64>(p) & mask;
        p += stride;
      }
      store<u64>(dst + ((<usize>w) << 2), acc);
    }
  }
}
