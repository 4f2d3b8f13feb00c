/**
 * Integers as big-endian octet strings (RFC 8017 §4.1 I2OSP, §4.2 OS2IP), shared by the key
 * parser and the WASM and JS RSA code. Only for import-time and public values or for code already
 * documented as not constant-time: BigInt conversion goes through a hex string.
 */

const HEX_BYTE: readonly string[] = /* @__PURE__ */ Array.from(
  { length: 256 },
  (_, i) => (i < 16 ? '0' : '') + i.toString(16),
);

/**
 * OS2IP (RFC 8017 §4.2): the unsigned big-endian integer of `bytes`.
 *
 * @example bytesToBigInt(Uint8Array.of(1, 0)) // 256n
 */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_BYTE[bytes[i]];
  return hex === '' ? 0n : BigInt('0x' + hex);
}

function nibble(code: number): number {
  // '0'-'9' → 0-9, 'a'-'f' → 10-15 (BigInt#toString(16) is lower-case).
  return code < 58 ? code - 48 : code - 87;
}

/**
 * I2OSP (RFC 8017 §4.1): `x` as exactly `length` big-endian bytes. The caller guarantees
 * 0 ≤ x < 256^length.
 *
 * @example bigIntToBytes(256n, 3) // Uint8Array [0, 1, 0]
 */
export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  const hex = x.toString(16);
  const out = new Uint8Array(length);
  let h = hex.length;
  for (let o = length - 1; o >= 0 && h > 0; o--, h -= 2) {
    out[o] =
      h === 1
        ? nibble(hex.charCodeAt(0))
        : (nibble(hex.charCodeAt(h - 2)) << 4) | nibble(hex.charCodeAt(h - 1));
  }
  return out;
}

/**
 * Bit length of the unsigned big-endian integer in `bytes` (leading zero bytes allowed).
 *
 * @example octetsBitLength(Uint8Array.of(0, 1, 0)) // 9
 */
export function octetsBitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return i === bytes.length ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}
