/**
 * SHA-256 compression (FIPS 180-4 §6.2) over fixed buffers in linear memory. No managed objects:
 * the module is built with `--runtime stub`, so nothing here may allocate.
 *
 * Speed: rounds 0-15 are unrolled and rounds 16-63 run as three passes of one unrolled 16-round
 * body, its constants read from K; the 16-word message schedule lives in locals (FIPS 180-4
 * §6.2.2 computes W[t] for t ≥ 16 from W[t-2], W[t-7], W[t-15], W[t-16], so a ring of 16 locals is
 * enough, and after 16 rounds every name is back in its place). The working variables are renamed
 * from round to round instead of shifted, so a round only writes the `d` and `h` of that round.
 * With all 64 rounds unrolled the compiled function was about twice the size, and a request-sized
 * HMAC (four compressions between JS calls) took 748-801 against 703 ns here; unrolled stays
 * ahead only on long inputs, 142-150 against 153-155 ns a block (Node 20, alternating processes
 * on one CPU; assembly/PERFORMANCE.md). The schedule in locals beat a 64-word array in memory (hash-wasm's
 * layout) by a third, and the Maj form below saves an operation a round.
 *
 * Timing: SHA-256 has no data-dependent branch or memory index; lengths are public.
 */
import { PAD_PTR } from './hash-layout';

// The functions of FIPS 180-4 §4.1.2. Binaryen inlines them (the .wat of compressBlocks has no
// call), so they need no @inline decorator, which Prettier cannot parse.
function S0(x: u32): u32 {
  return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22);
}
function S1(x: u32): u32 {
  return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25);
}
function s0(x: u32): u32 {
  return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
}
function s1(x: u32): u32 {
  return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10);
}
// Ch in a form with one operation fewer than FIPS 180-4 §4.1.2 writes it. Maj is inlined in the
// rounds as Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)): the `a ^ b` of one round is the `b ^ c` of
// the next (the roles shift by one), so it is carried in `y` and each round saves an operation
// (345 → 360 MB/s).
function ch(x: u32, y: u32, z: u32): u32 {
  return z ^ (x & (y ^ z));
}

/** The 64 round constants K (FIPS 180-4 §4.2.2), in static data below STATE (hash-layout.ts). */
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Big-endian 32-bit word at `p` (SHA-256 reads its message big-endian, FIPS 180-4 §3.1). */
function be(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/**
 * Compresses `blocks` consecutive 64-byte blocks at `src`, starting from the eight-word state at
 * `from` and writing the result to `to` (native-endian words; they may be the same). With zero
 * blocks it copies the state, which lets HMAC start from a key slot without a separate copy. The
 * state stays in locals across blocks.
 */
export function compressBlocks(from: usize, to: usize, src: usize, blocks: usize): void {
  let a = load<u32>(from, 0);
  let b = load<u32>(from, 4);
  let c = load<u32>(from, 8);
  let d = load<u32>(from, 12);
  let e = load<u32>(from, 16);
  let f = load<u32>(from, 20);
  let g = load<u32>(from, 24);
  let h = load<u32>(from, 28);
  const end = src + (blocks << 6);
  while (src < end) {
    const a0 = a,
      b0 = b,
      c0 = c,
      d0 = d,
      e0 = e,
      f0 = f,
      g0 = g,
      h0 = h;
    let w0 = be(src),
      w1 = be(src + 4),
      w2 = be(src + 8),
      w3 = be(src + 12);
    let w4 = be(src + 16),
      w5 = be(src + 20),
      w6 = be(src + 24),
      w7 = be(src + 28);
    let w8 = be(src + 32),
      w9 = be(src + 36),
      w10 = be(src + 40),
      w11 = be(src + 44);
    let w12 = be(src + 48),
      w13 = be(src + 52),
      w14 = be(src + 56),
      w15 = be(src + 60);
    let t: u32, x: u32;
    let y = b ^ c;
    // prettier-ignore
    {
      t = h + S1(e) + ch(e, f, g) + 0x428a2f98 + w0; d += t; x = a ^ b; h = t + S0(a) + ((x & y) ^ b); y = x;
      t = g + S1(d) + ch(d, e, f) + 0x71374491 + w1; c += t; x = h ^ a; g = t + S0(h) + ((x & y) ^ a); y = x;
      t = f + S1(c) + ch(c, d, e) + 0xb5c0fbcf + w2; b += t; x = g ^ h; f = t + S0(g) + ((x & y) ^ h); y = x;
      t = e + S1(b) + ch(b, c, d) + 0xe9b5dba5 + w3; a += t; x = f ^ g; e = t + S0(f) + ((x & y) ^ g); y = x;
      t = d + S1(a) + ch(a, b, c) + 0x3956c25b + w4; h += t; x = e ^ f; d = t + S0(e) + ((x & y) ^ f); y = x;
      t = c + S1(h) + ch(h, a, b) + 0x59f111f1 + w5; g += t; x = d ^ e; c = t + S0(d) + ((x & y) ^ e); y = x;
      t = b + S1(g) + ch(g, h, a) + 0x923f82a4 + w6; f += t; x = c ^ d; b = t + S0(c) + ((x & y) ^ d); y = x;
      t = a + S1(f) + ch(f, g, h) + 0xab1c5ed5 + w7; e += t; x = b ^ c; a = t + S0(b) + ((x & y) ^ c); y = x;
      t = h + S1(e) + ch(e, f, g) + 0xd807aa98 + w8; d += t; x = a ^ b; h = t + S0(a) + ((x & y) ^ b); y = x;
      t = g + S1(d) + ch(d, e, f) + 0x12835b01 + w9; c += t; x = h ^ a; g = t + S0(h) + ((x & y) ^ a); y = x;
      t = f + S1(c) + ch(c, d, e) + 0x243185be + w10; b += t; x = g ^ h; f = t + S0(g) + ((x & y) ^ h); y = x;
      t = e + S1(b) + ch(b, c, d) + 0x550c7dc3 + w11; a += t; x = f ^ g; e = t + S0(f) + ((x & y) ^ g); y = x;
      t = d + S1(a) + ch(a, b, c) + 0x72be5d74 + w12; h += t; x = e ^ f; d = t + S0(e) + ((x & y) ^ f); y = x;
      t = c + S1(h) + ch(h, a, b) + 0x80deb1fe + w13; g += t; x = d ^ e; c = t + S0(d) + ((x & y) ^ e); y = x;
      t = b + S1(g) + ch(g, h, a) + 0x9bdc06a7 + w14; f += t; x = c ^ d; b = t + S0(c) + ((x & y) ^ d); y = x;
      t = a + S1(f) + ch(f, g, h) + 0xc19bf174 + w15; e += t; x = b ^ c; a = t + S0(b) + ((x & y) ^ c); y = x;
      // Rounds 16-63: three passes of one 16-round body, constants read from K (see above).
      for (let k = K + 64; k < K + 256; k += 64) {
        w0 += s1(w14) + w9 + s0(w1);
        t = h + S1(e) + ch(e, f, g) + load<u32>(k, 0) + w0; d += t; x = a ^ b; h = t + S0(a) + ((x & y) ^ b); y = x;
        w1 += s1(w15) + w10 + s0(w2);
        t = g + S1(d) + ch(d, e, f) + load<u32>(k, 4) + w1; c += t; x = h ^ a; g = t + S0(h) + ((x & y) ^ a); y = x;
        w2 += s1(w0) + w11 + s0(w3);
        t = f + S1(c) + ch(c, d, e) + load<u32>(k, 8) + w2; b += t; x = g ^ h; f = t + S0(g) + ((x & y) ^ h); y = x;
        w3 += s1(w1) + w12 + s0(w4);
        t = e + S1(b) + ch(b, c, d) + load<u32>(k, 12) + w3; a += t; x = f ^ g; e = t + S0(f) + ((x & y) ^ g); y = x;
        w4 += s1(w2) + w13 + s0(w5);
        t = d + S1(a) + ch(a, b, c) + load<u32>(k, 16) + w4; h += t; x = e ^ f; d = t + S0(e) + ((x & y) ^ f); y = x;
        w5 += s1(w3) + w14 + s0(w6);
        t = c + S1(h) + ch(h, a, b) + load<u32>(k, 20) + w5; g += t; x = d ^ e; c = t + S0(d) + ((x & y) ^ e); y = x;
        w6 += s1(w4) + w15 + s0(w7);
        t = b + S1(g) + ch(g, h, a) + load<u32>(k, 24) + w6; f += t; x = c ^ d; b = t + S0(c) + ((x & y) ^ d); y = x;
        w7 += s1(w5) + w0 + s0(w8);
        t = a + S1(f) + ch(f, g, h) + load<u32>(k, 28) + w7; e += t; x = b ^ c; a = t + S0(b) + ((x & y) ^ c); y = x;
        w8 += s1(w6) + w1 + s0(w9);
        t = h + S1(e) + ch(e, f, g) + load<u32>(k, 32) + w8; d += t; x = a ^ b; h = t + S0(a) + ((x & y) ^ b); y = x;
        w9 += s1(w7) + w2 + s0(w10);
        t = g + S1(d) + ch(d, e, f) + load<u32>(k, 36) + w9; c += t; x = h ^ a; g = t + S0(h) + ((x & y) ^ a); y = x;
        w10 += s1(w8) + w3 + s0(w11);
        t = f + S1(c) + ch(c, d, e) + load<u32>(k, 40) + w10; b += t; x = g ^ h; f = t + S0(g) + ((x & y) ^ h); y = x;
        w11 += s1(w9) + w4 + s0(w12);
        t = e + S1(b) + ch(b, c, d) + load<u32>(k, 44) + w11; a += t; x = f ^ g; e = t + S0(f) + ((x & y) ^ g); y = x;
        w12 += s1(w10) + w5 + s0(w13);
        t = d + S1(a) + ch(a, b, c) + load<u32>(k, 48) + w12; h += t; x = e ^ f; d = t + S0(e) + ((x & y) ^ f); y = x;
        w13 += s1(w11) + w6 + s0(w14);
        t = c + S1(h) + ch(h, a, b) + load<u32>(k, 52) + w13; g += t; x = d ^ e; c = t + S0(d) + ((x & y) ^ e); y = x;
        w14 += s1(w12) + w7 + s0(w15);
        t = b + S1(g) + ch(g, h, a) + load<u32>(k, 56) + w14; f += t; x = c ^ d; b = t + S0(c) + ((x & y) ^ d); y = x;
        w15 += s1(w13) + w8 + s0(w0);
        t = a + S1(f) + ch(f, g, h) + load<u32>(k, 60) + w15; e += t; x = b ^ c; a = t + S0(b) + ((x & y) ^ c); y = x;
      }
    }
    a += a0;
    b += b0;
    c += c0;
    d += d0;
    e += e0;
    f += f0;
    g += g0;
    h += h0;
    src += 64;
  }
  store<u32>(to, a, 0);
  store<u32>(to, b, 4);
  store<u32>(to, c, 8);
  store<u32>(to, d, 12);
  store<u32>(to, e, 16);
  store<u32>(to, f, 20);
  store<u32>(to, g, 24);
  store<u32>(to, h, 28);
}

/** Sets the state at `state` to the SHA-256 initial hash value H(0) (FIPS 180-4 §5.3.3). */
export function initState(state: usize): void {
  store<u32>(state, 0x6a09e667, 0);
  store<u32>(state, 0xbb67ae85, 4);
  store<u32>(state, 0x3c6ef372, 8);
  store<u32>(state, 0xa54ff53a, 12);
  store<u32>(state, 0x510e527f, 16);
  store<u32>(state, 0x9b05688c, 20);
  store<u32>(state, 0x1f83d9ab, 24);
  store<u32>(state, 0x5be0cd19, 28);
}

/**
 * Compresses the last `len` bytes of a message (any length) at `src` starting from the state at
 * `from`, then its padding (FIPS 180-4 §5.1.1: 0x80, zeros, the bit length as a 64-bit big-endian
 * integer) built in PAD; the result is left at `state`. `totalBytes` is the whole message length,
 * including what earlier chunks and, for HMAC, the 64-byte key block contributed.
 *
 * The tail and padding are written with 64-bit stores rather than memory.copy/memory.fill, which
 * V8 runs as out-of-line calls: that was a tenth of a 150-byte HMAC. Branches only on lengths,
 * which are public.
 */
export function finishMessage(
  from: usize,
  state: usize,
  src: usize,
  len: usize,
  totalBytes: u64,
): void {
  const whole = len & ~63;
  compressBlocks(from, state, src, whole >> 6);
  const tail = src + whole;
  const rest = len - whole;
  let i: usize = 0;
  for (; i + 8 <= rest; i += 8) store<u64>(PAD_PTR + i, load<u64>(tail + i));
  // The last 0–7 message bytes in the low bytes of the word (little-endian), then 0x80. They are
  // read as the 8 bytes that END at the message end, so nothing past the message (such as a key
  // slot after INPUT) is ever loaded; for a message under 8 bytes that word starts in the unused
  // gap below INPUT, and the shift drops those bytes.
  const partial = rest - i;
  let word: u64 = (<u64>0x80) << ((<u64>partial) << 3);
  if (partial > 0) word |= load<u64>(tail + rest - 8) >>> ((<u64>(8 - partial)) << 3);
  store<u64>(PAD_PTR + i, word);
  const padEnd: usize = rest < 56 ? 64 : 128;
  for (i += 8; i < padEnd - 8; i += 8) store<u64>(PAD_PTR + i, 0);
  store<u64>(PAD_PTR + padEnd - 8, bswap<u64>(totalBytes << 3));
  compressBlocks(state, state, PAD_PTR, padEnd >> 6);
}

/** Writes the state at `state` as the 32-byte big-endian digest at `out` (FIPS 180-4 §6.2.2). */
export function writeDigest(state: usize, out: usize): void {
  store<u32>(out, bswap<u32>(load<u32>(state, 0)), 0);
  store<u32>(out, bswap<u32>(load<u32>(state, 4)), 4);
  store<u32>(out, bswap<u32>(load<u32>(state, 8)), 8);
  store<u32>(out, bswap<u32>(load<u32>(state, 12)), 12);
  store<u32>(out, bswap<u32>(load<u32>(state, 16)), 16);
  store<u32>(out, bswap<u32>(load<u32>(state, 20)), 20);
  store<u32>(out, bswap<u32>(load<u32>(state, 24)), 24);
  store<u32>(out, bswap<u32>(load<u32>(state, 28)), 28);
}
