/**
 * Native `BigInt` helpers for the `js` backend's RSA: modular exponentiation, and the byte
 * conversions of `../octets.ts` (RFC 8017 §4.1 I2OSP, §4.2 OS2IP) re-exported for js-rsa.ts.
 *
 * NOT CONSTANT-TIME. V8, JavaScriptCore and Hermes multiply and divide BigInts in time that depends
 * on the operands' lengths and values, allocate per operation, and the window table below is
 * indexed by secret exponent digits (a cache side channel). The fixed-window schedule and the
 * caller's base blinding remove the grossest leaks (the sequence of operations does not depend on
 * the exponent's bits, and the base is never attacker-chosen) but guarantee nothing; see js-rsa.ts.
 *
 * Reduction is plain `%`. Measured on Node 20 (V8 11.3, x86-64), one modular squaring, µs:
 *
 * | modulus | `(a*b) % m` | Montgomery (`&` mask) | Montgomery (`asUintN`) | Barrett |
 * | ------- | ----------- | --------------------- | ---------------------- | ------- |
 * | 1024    | 1.50        | 1.62                  | 1.64                   | 1.73    |
 * | 1536    | 2.96        | 3.27                  | 3.38                   | 3.34    |
 * | 2048    | 5.18        | 5.53                  | 5.67                   | 5.98    |
 *
 * Montgomery and Barrett trade the one division for two more full multiplications (BigInt has no
 * half product), and V8's schoolbook division at these sizes costs less than two multiplications.
 */

export { bigIntToBytes, bytesToBigInt } from '../lib/octets.js';

/**
 * Bit length of a non-negative integer.
 *
 * @example bitLength(255n) // 8
 */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * The window width that minimises multiplications for an exponent of `bits` bits: one
 * multiplication per window plus 2^w − 2 to build the table.
 *
 * @example windowWidth(1024) // 6
 */
export function windowWidth(bits: number): number {
  let best = 1;
  let bestCost = Infinity;
  for (let w = 1; w <= 7; w++) {
    const cost = Math.ceil(bits / w) + (1 << w) - 2;
    if (cost < bestCost) {
      best = w;
      bestCost = cost;
    }
  }
  return best;
}

/**
 * The exponent as `w`-bit digits, most significant first, always `ceil(bits / w)` of them (leading
 * zero digits included, so the count depends on the modulus size only, not on the exponent).
 * A typed array, so that `destroy()` can wipe it (a BigInt cannot be).
 *
 * @example exponentDigits(0b101101n, 8, 4) // Uint8Array [0b0010, 0b1101]
 */
export function exponentDigits(exponent: bigint, bits: number, w: number): Uint8Array {
  const count = Math.ceil(bits / w);
  const digits = new Uint8Array(count);
  const mask = BigInt((1 << w) - 1);
  const width = BigInt(w);
  let rest = exponent;
  for (let i = count - 1; i >= 0; i--) {
    digits[i] = Number(rest & mask);
    rest >>= width;
  }
  return digits;
}

/**
 * base^exponent mod m with a fixed window (HAC 14.82): `w` squarings then one multiplication per
 * digit, zero digits included, so the operation sequence is the same for every exponent.
 * `base` must already be reduced modulo `m`.
 *
 * @example powFixedWindow(3n, exponentDigits(5n, 4, 2), 2, 7n) // 3^5 mod 7 = 5n
 */
export function powFixedWindow(base: bigint, digits: Uint8Array, w: number, m: bigint): bigint {
  const size = 1 << w;
  const table: bigint[] = new Array<bigint>(size);
  table[0] = 1n;
  table[1] = base;
  for (let i = 2; i < size; i++) table[i] = (table[i - 1] * base) % m;
  let acc = table[digits[0]];
  for (let i = 1; i < digits.length; i++) {
    for (let s = 0; s < w; s++) acc = (acc * acc) % m;
    acc = (acc * table[digits[i]]) % m;
  }
  table.fill(0n);
  return acc;
}

/**
 * base^e mod m for a public exponent (verification, r^e for blinding): left-to-right binary.
 * `eBits` is e in binary, most significant bit first, as from `e.toString(2)`.
 *
 * @example powPublic(2n, (10n).toString(2), 1000n) // 24n
 */
export function powPublic(base: bigint, eBits: string, m: bigint): bigint {
  let acc = base;
  for (let i = 1; i < eBits.length; i++) {
    acc = (acc * acc) % m;
    if (eBits.charCodeAt(i) === 49 /* '1' */) acc = (acc * base) % m;
  }
  return acc;
}
