/**
 * Fixed linear-memory layout of the RSA module. Every region sits at a constant address, so the
 * stub runtime never allocates and JS finds each region through the exported globals of
 * `rsa.ts`, never through its own copy of these numbers.
 *
 *      0  (compiler static data; there is none today)
 *   1024  IO        4 KiB   bytes exchanged with JS: raw key integers, the encoded message, the
 *                           signature (all big-endian)
 *   5120  KEY                a key's prepared form: header words, then number slots. JS copies
 *                           this block in before an operation and out after key preparation; the
 *                           public prefix (header, n, its constants) is all a verifying key needs
 *         SCRATCH           Montgomery accumulator, temporaries, exponentiation table
 *
 * Numbers are little-endian arrays of 28-bit limbs in u32 words (see bigint.ts). Each slot has
 * 16 zero bytes before the number, because the four-row Montgomery pass loads limbs j−3..j−1
 * beside limb j (limbs −3..−1 must read as zero), and 156 words after: 148 limbs, the padding to
 * padded(148) = 152 words, and 4 more that the squaring's last vector group may read.
 *
 * Between operations everything from KEY to the end of SCRATCH is zero (`wipe()`), so no secret
 * rests in linear memory: tests read the memory to check it.
 */
export const LIMB_CAPACITY: i32 = 148; // 4096-bit modulus: ceil((4096 + 2) / 28) = 147 limbs
export const SLOT_SIZE: usize = 640; // 16 guard bytes + 156 words
const GUARD: usize = 16;

export const IO_PTR: usize = 1024;
export const IO_SIZE: usize = 4096;

export const KEY_PTR: usize = IO_PTR + IO_SIZE;
/** Header: u32 words, see the H_* indices. */
export const HEADER_SIZE: usize = 64;

// Header word indices (byte offset = 4 × index).
export const H_LN: usize = 0; // limbs of n
export const H_LP: usize = 1; // limbs of p
export const H_LQ: usize = 2; // limbs of q
export const H_BITS_N: usize = 3;
export const H_BITS_P: usize = 4;
export const H_BITS_Q: usize = 5;
export const H_MINV_N: usize = 6; // −n⁻¹ mod 2^28
export const H_MINV_P: usize = 7;
export const H_MINV_Q: usize = 8;
export const H_E: usize = 9; // public exponent (< 2^32)
export const H_K: usize = 10; // modulus length in bytes
export const H_ROWS_P_N: usize = 11; // reduction rows to bring an Ln-limb value below R_p
export const H_ROWS_Q_N: usize = 12;
export const H_ROWS_P_Q: usize = 13; // … an Lq-limb value below R_p

const SLOTS: usize = KEY_PTR + HEADER_SIZE + GUARD; // slot i's number is at SLOTS + i × SLOT_SIZE

// Public prefix: what a verifying key holds.
export const N_PTR: usize = SLOTS;
export const N_R2_PTR: usize = SLOTS + 1 * SLOT_SIZE; // R_n² mod n
export const PUBLIC_SIZE: usize = HEADER_SIZE + 2 * SLOT_SIZE;

// Private part.
export const P_PTR: usize = SLOTS + 2 * SLOT_SIZE;
export const Q_PTR: usize = SLOTS + 3 * SLOT_SIZE;
export const DP_PTR: usize = SLOTS + 4 * SLOT_SIZE;
export const DQ_PTR: usize = SLOTS + 5 * SLOT_SIZE;
export const QI_PTR: usize = SLOTS + 6 * SLOT_SIZE;
export const P_ONE_PTR: usize = SLOTS + 7 * SLOT_SIZE; // R_p mod p
export const Q_ONE_PTR: usize = SLOTS + 8 * SLOT_SIZE;
export const P_CN_PTR: usize = SLOTS + 9 * SLOT_SIZE; // constants of toMontgomery(), see bigint.ts
export const Q_CN_PTR: usize = SLOTS + 10 * SLOT_SIZE;
export const P_CQ_PTR: usize = SLOTS + 11 * SLOT_SIZE;
export const BLIND_A_PTR: usize = SLOTS + 12 * SLOT_SIZE; // rᵉ·R_n mod n
export const BLIND_B_PTR: usize = SLOTS + 13 * SLOT_SIZE; // r⁻¹·R_n mod n
export const KEY_SIZE: usize = HEADER_SIZE + 14 * SLOT_SIZE;

export const SCRATCH_PTR: usize = KEY_PTR + KEY_SIZE;
/** Montgomery accumulator: u64 columns, 2 × padded(148) + 8 = 312 of them. */
export const T_PTR: usize = SCRATCH_PTR;
const T_SIZE: usize = 2560;
/** Difference scratch of the final conditional subtraction. */
export const SUB_PTR: usize = T_PTR + T_SIZE + GUARD;
const TMPS: usize = SUB_PTR + SLOT_SIZE;
export const M_PTR: usize = TMPS; // message representative (limbs of the encoded message)
export const C_PTR: usize = TMPS + 1 * SLOT_SIZE; // blinded message
export const X_PTR: usize = TMPS + 2 * SLOT_SIZE; // base of an exponentiation, Montgomery form
export const ACC_PTR: usize = TMPS + 3 * SLOT_SIZE; // exponentiation accumulator
export const SEL_PTR: usize = TMPS + 4 * SLOT_SIZE; // table entry selected by masks
export const M1_PTR: usize = TMPS + 5 * SLOT_SIZE; // c^dp mod p, Montgomery form
export const M2_PTR: usize = TMPS + 6 * SLOT_SIZE; // c^dq mod q, exact
export const H_PTR: usize = TMPS + 7 * SLOT_SIZE; // qi·(m1 − m2) mod p
export const S_PTR: usize = TMPS + 8 * SLOT_SIZE; // the signature
export const V_PTR: usize = TMPS + 9 * SLOT_SIZE; // sᵉ mod n, for the check before release
export const SQ_PTR: usize = TMPS + 10 * SLOT_SIZE; // 2a, the doubled operand of a squaring
/** The row multipliers of a pass, each splat into a v128 (8 × 16 bytes), see bigint.ts. */
export const SPLAT_PTR: usize = SQ_PTR + SLOT_SIZE - GUARD;
export const TABLE_PTR: usize = TMPS + 12 * SLOT_SIZE; // 32 slots
export const WINDOW_BITS: i32 = 5;
export const TABLE_ENTRIES: i32 = 1 << WINDOW_BITS;
export const SCRATCH_END: usize = TABLE_PTR - GUARD + (TABLE_ENTRIES as usize) * SLOT_SIZE;
export const MEMORY_PAGES: i32 = <i32>((SCRATCH_END + 0xffff) >> 16);
