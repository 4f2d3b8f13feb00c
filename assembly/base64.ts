/**
 * URL-safe base64 without padding (RFC 4648 §5) of the 32-byte result at OUT, written as 43 ASCII
 * bytes at B64. The input is a MAC, which is secret until it is sent, so each symbol is computed
 * with masks from arithmetic shifts instead of an alphabet table indexed by secret bits.
 */
import { B64_PTR, OUT_PTR } from './hash-layout';

/**
 * The RFC 4648 §5 symbol for a 6-bit value without branches: start from 'A' + v and add the gap
 * to each later range when v passes its start. `(limit - v) >> 31` is all ones when v > limit.
 */
function symbol(v: i32): i32 {
  let c = v + 65; // 'A'..'Z' for 0..25
  c += ((25 - v) >> 31) & 6; // 26..51 → 'a'..'z' (97 = 26 + 65 + 6)
  c -= ((51 - v) >> 31) & 75; // 52..61 → '0'..'9' (48 = 52 + 71 - 75)
  c -= ((61 - v) >> 31) & 13; // 62 → '-' (45 = 62 - 4 - 13)
  c += ((62 - v) >> 31) & 49; // 63 → '_' (95 = 63 - 17 + 49)
  return c;
}

/** Encodes three bytes (as a 24-bit number) into four symbols stored as one little-endian word. */
function quad(bits: i32): u32 {
  return (
    (<u32>symbol(bits >>> 18)) |
    ((<u32>symbol((bits >>> 12) & 63)) << 8) |
    ((<u32>symbol((bits >>> 6) & 63)) << 16) |
    ((<u32>symbol(bits & 63)) << 24)
  );
}

/** base64url of OUT (32 bytes) into B64 (43 bytes). */
export function base64urlOut(): void {
  for (let i: usize = 0; i < 10; i++) {
    const p = OUT_PTR + i * 3;
    const bits = ((<i32>load<u8>(p)) << 16) | ((<i32>load<u8>(p, 1)) << 8) | (<i32>load<u8>(p, 2));
    store<u32>(B64_PTR + (i << 2), quad(bits));
  }
  // Last two bytes: 16 bits → three symbols (RFC 4648 §4 final quantum, no padding).
  const bits = ((<i32>load<u8>(OUT_PTR, 30)) << 16) | ((<i32>load<u8>(OUT_PTR, 31)) << 8);
  store<u8>(B64_PTR, <u8>symbol(bits >>> 18), 40);
  store<u8>(B64_PTR, <u8>symbol((bits >>> 12) & 63), 41);
  store<u8>(B64_PTR, <u8>symbol((bits >>> 6) & 63), 42);
}
