/**
 * RSASSA-PKCS1-v1_5 signing (CRT, RFC 8017 §5.1.2 and §8.2.1) and the RSA verification primitive
 * (RFC 8017 §5.2.2), over fixed regions of linear memory (rsa-layout.ts). The JS side
 * (src/backends/wasm/rsa.ts) builds the encoded message, holds each key's prepared block between calls and
 * compares bytes; this module only computes.
 *
 * Call protocol (JS):
 *   key preparation: setKeyShape(), the raw integers in IO → prepareKey(private) →
 *     [prepareBlinding() with r, r⁻¹ in IO] → copy the KEY block (or its public prefix) out → wipe()
 *   signing: copy the block in, EM in IO → signHalves() → signCombine() → signature in IO, the
 *     refreshed blinding pair in the block → copy the pair out → wipe()
 *   verification: copy the public block in, signature in IO → recover() → EM' in IO → wipe()
 */
import { montInverse, montMul, montSqr, mulColumns, padded, toMontgomery } from './bigint';
import { bytesToLimbs, equalMask, lessThan, limbsToBytes, reduceOnce } from './rsa-limbs';
import { powerOfTwo, powPublic, powSecret } from './rsa-modexp';
import {
  ACC_PTR,
  BLIND_A_PTR,
  BLIND_B_PTR,
  C_PTR,
  DP_PTR,
  DQ_PTR,
  H_BITS_N,
  H_BITS_P,
  H_BITS_Q,
  H_E,
  H_K,
  H_LN,
  H_LP,
  H_LQ,
  H_MINV_N,
  H_MINV_P,
  H_MINV_Q,
  H_PTR,
  H_ROWS_P_N,
  H_ROWS_P_Q,
  H_ROWS_Q_N,
  IO_PTR,
  IO_SIZE,
  KEY_PTR,
  KEY_SIZE,
  M1_PTR,
  M2_PTR,
  M_PTR,
  MEMORY_PAGES,
  N_PTR,
  N_R2_PTR,
  P_CN_PTR,
  P_CQ_PTR,
  P_ONE_PTR,
  P_PTR,
  PUBLIC_SIZE,
  Q_CN_PTR,
  Q_ONE_PTR,
  Q_PTR,
  QI_PTR,
  S_PTR,
  SCRATCH_END,
  SEL_PTR,
  T_PTR,
  V_PTR,
  X_PTR,
} from './rsa-layout';

// Exported so JS reads the layout instead of copying it.
export const IO = IO_PTR;
export const IO_BYTES = IO_SIZE;
export const KEY = KEY_PTR;
export const KEY_BYTES = KEY_SIZE;
export const PUBLIC_BYTES = PUBLIC_SIZE;
export const BLIND_A = BLIND_A_PTR;
export const BLIND_B = BLIND_B_PTR;
/** Byte offset of the second CRT half's input, for the fault-injection test seam. */
export const M1 = M1_PTR;
export const MEMORY_END = SCRATCH_END;
/** 1 in the SIMD build, 0 in the scalar one (tests check which build they loaded). */
export const SIMD: i32 = ASC_FEATURE_SIMD ? 1 : 0;

/** Raw integers during key preparation: big-endian, right-aligned in fields of this size. */
const FIELD: usize = 512;
export const FIELD_BYTES = FIELD;

if (<i32>memory.size() < MEMORY_PAGES) memory.grow(MEMORY_PAGES - <i32>memory.size());

function get(word: usize): i32 {
  return load<i32>(KEY_PTR + (word << 2));
}
function set(word: usize, value: i32): void {
  store<i32>(KEY_PTR + (word << 2), value);
}
/** Reduction rows toMontgomery needs for a K-limb value modulo an L-limb modulus. */
function rowsFor(K: i32, L: i32): i32 {
  return K > L ? K - L + 1 : 0;
}

/** Limbs for a modulus of `bits` bits: 28·L ≥ bits + 2, so R ≥ 4m (bigint.ts, lazy reduction). */
function limbsFor(bits: i32): i32 {
  return (bits + 2 + 27) / 28;
}

/**
 * Starts a key preparation: clears the key block and writes the header from the public sizes
 * (bits of n, p, q; p and q are 0 for a public key), the public exponent and the modulus length
 * in bytes. JS then writes the raw integers into IO and calls prepareKey.
 */
export function setKeyShape(k: i32, bitsN: i32, bitsP: i32, bitsQ: i32, e: u32): void {
  wipe();
  set(H_K, k);
  set(H_BITS_N, bitsN);
  set(H_BITS_P, bitsP);
  set(H_BITS_Q, bitsQ);
  set(H_LN, limbsFor(bitsN));
  set(H_LP, limbsFor(bitsP));
  set(H_LQ, limbsFor(bitsQ));
  set(H_E, <i32>e);
}

/**
 * Converts the raw integers in IO (n, then p, q, dp, dq, qi for a private key; FIELD bytes each)
 * and computes the Montgomery constants, after setKeyShape.
 */
export function prepareKey(isPrivate: bool): void {
  const Ln = get(H_LN);
  bytesToLimbs(N_PTR, IO_PTR, <i32>FIELD, Ln);
  const nInv = montInverse(N_PTR);
  set(H_MINV_N, nInv);
  powerOfTwo(N_R2_PTR, 56 * Ln, N_PTR, nInv, Ln, get(H_BITS_N));
  if (!isPrivate) return;

  const Lp = get(H_LP);
  const Lq = get(H_LQ);
  bytesToLimbs(P_PTR, IO_PTR + FIELD, <i32>FIELD, Lp);
  bytesToLimbs(Q_PTR, IO_PTR + 2 * FIELD, <i32>FIELD, Lq);
  bytesToLimbs(DP_PTR, IO_PTR + 3 * FIELD, <i32>FIELD, Lp);
  bytesToLimbs(DQ_PTR, IO_PTR + 4 * FIELD, <i32>FIELD, Lq);
  bytesToLimbs(QI_PTR, IO_PTR + 5 * FIELD, <i32>FIELD, Lp);
  const pInv = montInverse(P_PTR);
  const qInv = montInverse(Q_PTR);
  set(H_MINV_P, pInv);
  set(H_MINV_Q, qInv);
  const rowsPn = rowsFor(Ln, Lp);
  const rowsQn = rowsFor(Ln, Lq);
  const rowsPq = rowsFor(Lq, Lp);
  set(H_ROWS_P_N, rowsPn);
  set(H_ROWS_Q_N, rowsQn);
  set(H_ROWS_P_Q, rowsPq);
  const bitsP = get(H_BITS_P);
  const bitsQ = get(H_BITS_Q);
  powerOfTwo(P_ONE_PTR, 28 * Lp, P_PTR, pInv, Lp, bitsP);
  powerOfTwo(Q_ONE_PTR, 28 * Lq, Q_PTR, qInv, Lq, bitsQ);
  powerOfTwo(P_CN_PTR, 28 * (2 * Lp + rowsPn), P_PTR, pInv, Lp, bitsP);
  powerOfTwo(Q_CN_PTR, 28 * (2 * Lq + rowsQn), Q_PTR, qInv, Lq, bitsQ);
  powerOfTwo(P_CQ_PTR, 28 * (2 * Lp + rowsPq), P_PTR, pInv, Lp, bitsP);
}

/**
 * The blinding pair from r and r⁻¹ mod n (JS draws r and inverts it; FIELD bytes each in IO):
 * A = rᵉ·R and B = r⁻¹·R (Montgomery form), so m·A = m·rᵉ and s'·B = s'·r⁻¹ (RFC 8017 §5.1.2
 * leaves blinding to the implementation; this is the classic base blinding).
 */
export function prepareBlinding(): void {
  const Ln = get(H_LN);
  const nInv = <u64>get(H_MINV_N);
  bytesToLimbs(C_PTR, IO_PTR, <i32>FIELD, Ln);
  toMontgomery(X_PTR, C_PTR, Ln, N_PTR, nInv, Ln, 0, N_R2_PTR);
  powPublic(BLIND_A_PTR, X_PTR, <u32>get(H_E), N_PTR, nInv, Ln);
  bytesToLimbs(C_PTR, IO_PTR + FIELD, <i32>FIELD, Ln);
  toMontgomery(BLIND_B_PTR, C_PTR, Ln, N_PTR, nInv, Ln, 0, N_R2_PTR);
}

/** The number "1" in SEL (for leaving Montgomery form: montMul(x, 1) = x·R⁻¹). */
function setOne(L: i32): usize {
  memory.fill(SEL_PTR, 0, (<usize>padded(L)) << 2);
  store<u32>(SEL_PTR, 1);
  return SEL_PTR;
}

/**
 * First half of a signature: the encoded message (K bytes at IO) is blinded (c = m·rᵉ mod n) and
 * both CRT exponentiations run: M1 = c^dp mod p (Montgomery form), M2 = c^dq mod q (exact).
 */
export function signHalves(): void {
  const Ln = get(H_LN);
  const Lp = get(H_LP);
  const Lq = get(H_LQ);
  const nInv = <u64>get(H_MINV_N);
  const pInv = <u64>get(H_MINV_P);
  const qInv = <u64>get(H_MINV_Q);
  bytesToLimbs(M_PTR, IO_PTR, get(H_K), Ln);
  montMul(C_PTR, M_PTR, BLIND_A_PTR, N_PTR, nInv, Ln); // m·rᵉ, < 2n

  toMontgomery(X_PTR, C_PTR, Ln, P_PTR, pInv, Lp, get(H_ROWS_P_N), P_CN_PTR);
  powSecret(M1_PTR, X_PTR, DP_PTR, get(H_BITS_P), P_PTR, pInv, Lp, P_ONE_PTR);

  toMontgomery(X_PTR, C_PTR, Ln, Q_PTR, qInv, Lq, get(H_ROWS_Q_N), Q_CN_PTR);
  powSecret(ACC_PTR, X_PTR, DQ_PTR, get(H_BITS_Q), Q_PTR, qInv, Lq, Q_ONE_PTR);
  montMul(M2_PTR, ACC_PTR, setOne(Lq), Q_PTR, qInv, Lq);
  reduceOnce(M2_PTR, Q_PTR, Lq);
}

/**
 * Second half: Garner's recombination s' = m2 + q·(qi·(m1 − m2) mod p) (RFC 8017 §5.1.2 step
 * 2.b), unblinding s = s'·r⁻¹ mod n, the check sᵉ ≡ m (mod n) before release, and the squaring
 * that refreshes the blinding pair. Returns 1 and the signature (K bytes) at IO + 512, or 0 and
 * zeros there when the check fails.
 */
export function signCombine(): i32 {
  const Ln = get(H_LN);
  const Lp = get(H_LP);
  const Lq = get(H_LQ);
  const K = get(H_K);
  const nInv = <u64>get(H_MINV_N);
  const pInv = <u64>get(H_MINV_P);

  // h = qi·(m1 − m2) mod p, with m1 − m2 taken as m1·R + 2p − m2·R ∈ (0, 4p) ⊂ [0, R).
  toMontgomery(X_PTR, M2_PTR, Lq, P_PTR, pInv, Lp, get(H_ROWS_P_Q), P_CQ_PTR);
  let borrow: i64 = 0;
  for (let k = 0; k < Lp; k++) {
    const o = (<usize>k) << 2;
    const d =
      <i64>load<u32>(M1_PTR + o) +
      2 * <i64>load<u32>(P_PTR + o) -
      <i64>load<u32>(X_PTR + o) +
      borrow;
    store<u32>(H_PTR + o, <u32>(d & 0xfffffff));
    borrow = d >> 28;
  }
  montMul(H_PTR, H_PTR, QI_PTR, P_PTR, pInv, Lp); // (m1 − m2)·R·qi·R⁻¹, < 2p
  reduceOnce(H_PTR, P_PTR, Lp);

  // s' = m2 + h·q < q + (p − 1)·q = n.
  mulColumns(H_PTR, Lp, Q_PTR, Lq);
  let carry: u64 = 0;
  for (let k = 0; k < Ln; k++) {
    const v =
      load<u64>(T_PTR + ((<usize>k) << 3)) +
      (k < Lq ? <u64>load<u32>(M2_PTR + ((<usize>k) << 2)) : 0) +
      carry;
    store<u32>(S_PTR + ((<usize>k) << 2), <u32>(v & 0xfffffff));
    carry = v >> 28;
  }
  memory.fill(S_PTR + ((<usize>Ln) << 2), 0, (<usize>(padded(Ln) - Ln)) << 2);
  montMul(S_PTR, S_PTR, BLIND_B_PTR, N_PTR, nInv, Ln); // s'·r⁻¹, < 2n
  reduceOnce(S_PTR, N_PTR, Ln);

  // Verify before release: a fault in either half would otherwise reveal a factor of n.
  toMontgomery(X_PTR, S_PTR, Ln, N_PTR, nInv, Ln, 0, N_R2_PTR);
  powPublic(V_PTR, X_PTR, <u32>get(H_E), N_PTR, nInv, Ln);
  montMul(V_PTR, V_PTR, setOne(Ln), N_PTR, nInv, Ln);
  reduceOnce(V_PTR, N_PTR, Ln);
  const ok = equalMask(V_PTR, M_PTR, Ln);
  limbsToBytes(IO_PTR + FIELD, S_PTR, Ln, K);
  if (!ok) memory.fill(IO_PTR + FIELD, 0, <usize>K);

  montSqr(BLIND_A_PTR, BLIND_A_PTR, N_PTR, nInv, Ln);
  montSqr(BLIND_B_PTR, BLIND_B_PTR, N_PTR, nInv, Ln);
  return ok & 1;
}

/**
 * The RSA verification primitive: the signature (K bytes at IO + 512) as s; 0 when s ≥ n, else 1
 * and sᵉ mod n as K bytes at IO, for JS to compare with the encoding it expects.
 */
export function recover(): i32 {
  const Ln = get(H_LN);
  const K = get(H_K);
  const nInv = <u64>get(H_MINV_N);
  bytesToLimbs(S_PTR, IO_PTR + FIELD, K, Ln);
  if (!lessThan(S_PTR, N_PTR, Ln)) return 0;
  toMontgomery(X_PTR, S_PTR, Ln, N_PTR, nInv, Ln, 0, N_R2_PTR);
  powPublic(V_PTR, X_PTR, <u32>get(H_E), N_PTR, nInv, Ln);
  montMul(V_PTR, V_PTR, setOne(Ln), N_PTR, nInv, Ln);
  reduceOnce(V_PTR, N_PTR, Ln);
  limbsToBytes(IO_PTR, V_PTR, Ln, K);
  return 1;
}

/** Field size of montgomeryKernel's operands in IO. */
export const KERNEL_FIELD_BYTES: i32 = 1024;

/**
 * The Montgomery kernels on raw operands, for tests and benchmarks: a, b and m as big-endian bytes
 * in IO fields 0, 1, 2 of KERNEL_FIELD_BYTES each, m odd, 1 ≤ L ≤ 148 limbs. Runs
 * `iterations` times acc = montMul(acc, b) (or montSqr(acc) when `square`) from acc = a and writes
 * acc to field 3 exactly as the kernel leaves it: L limbs, no final reduction. Any limb values
 * are accepted, so tests can drive every column to its bound (bigint.ts) and compare with BigInt.
 */
export function montgomeryKernel(L: i32, square: bool, iterations: i32): void {
  const F = <usize>KERNEL_FIELD_BYTES;
  bytesToLimbs(ACC_PTR, IO_PTR, <i32>F, L);
  bytesToLimbs(C_PTR, IO_PTR + F, <i32>F, L);
  bytesToLimbs(M_PTR, IO_PTR + 2 * F, <i32>F, L);
  const mInv = <u64>montInverse(M_PTR);
  for (let i = 0; i < iterations; i++) {
    if (square) montSqr(ACC_PTR, ACC_PTR, M_PTR, mInv, L);
    else montMul(ACC_PTR, ACC_PTR, C_PTR, M_PTR, mInv, L);
  }
  limbsToBytes(IO_PTR + 3 * F, ACC_PTR, L, <i32>F);
  wipe();
}

/** Zeroes the key block and every scratch region (not IO, which holds only public bytes then). */
export function wipe(): void {
  memory.fill(KEY_PTR, 0, SCRATCH_END - KEY_PTR);
}
