/**
 * BLS signatures as the Qredo Signing Agent makes them with Apache Milagro's legacy API
 * (SIGNING-AGENT.md §3.1, §3.2, §5, §6): secret keys are 48-byte big-endian integers, public keys
 * live in G2 (192 bytes, AMCL order), signatures in G1 (49 bytes, `02|03 || x`).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { fail } from '../errors.js';
import { AmclRand } from './amcl-rand.js';
import {
  G2,
  R,
  FIELD_BYTES,
  bigIntToBytes,
  bytesToBigInt,
  decodeG1,
  decodeG2,
  encodeG1Compressed,
  encodeG2,
} from './encoding.js';
import { hashToG1 } from './hash-to-g1.js';

/** Length of an agent secret key, a v1 seed, and of every AMCL BIG on BLS381. */
export const BLS_SECRET_KEY_BYTES = FIELD_BYTES;
/** Length of the agent's signature. */
export const BLS_SIGNATURE_BYTES = 49;
/** Length of the agent's public key. */
export const BLS_PUBLIC_KEY_BYTES = 192;

function bytesArg(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail('INVALID_ARGUMENT', field, 'a Uint8Array');
  return value;
}

/**
 * The scalar of a 48-byte secret key, reduced mod r: AMCL multiplies by the unreduced integer,
 * which is the same for points of order r (§5 step 1). A key that is 0 mod r would sign with the
 * point at infinity, which this encoding cannot express (§5, edge case), so it is refused.
 */
export function secretScalar(secretKey: unknown): bigint {
  const key = bytesArg(secretKey, 'secretKey');
  if (key.length !== BLS_SECRET_KEY_BYTES) {
    fail('INVALID_KEY', 'secretKey', `exactly ${BLS_SECRET_KEY_BYTES} bytes (a v2 BLSPrivateKey)`);
  }
  const s = bytesToBigInt(key) % R;
  if (s === 0n) fail('WEAK_KEY', 'secretKey', 'non-zero modulo the group order');
  return s;
}

/**
 * AMCL `BIG_randomnum(r)` on the seed's generator (§3.1): 510 bits, least significant bit of each
 * byte first, shifted in most-significant first, reduced mod r; as 48 bytes big-endian.
 */
export function blsSecretKeyFromSeed(seed: Uint8Array): Uint8Array {
  const rng = new AmclRand(seed);
  let d = 0n;
  let c = 0;
  for (let i = 0; i < 2 * 255; i++) {
    c = i % 8 === 0 ? rng.byte() : c >> 1;
    d = (d << 1n) | BigInt(c & 1);
  }
  rng.wipe();
  return bigIntToBytes(d % R, BLS_SECRET_KEY_BYTES);
}

/**
 * The 192-byte G2 public key of a 48-byte secret key (§3.2).
 *
 * @example
 * ```ts
 * const pk = blsPublicKey(secretKey); // 192 bytes
 * ```
 */
export function blsPublicKey(secretKey: Uint8Array): Uint8Array {
  return encodeG2(G2.BASE.multiply(secretScalar(secretKey)));
}

/**
 * Signs `message` (its raw bytes, any length) as the Signing Agent does: `[sk]·H(m)`, encoded
 * `02|03 || x` (49 bytes, SIGNING-AGENT.md §5). Deterministic. The wire form is its lower-case hex.
 *
 * @example
 * ```ts
 * const sig = blsSign(keys.blsSecretKey, message);   // Uint8Array(49)
 * ```
 */
export function blsSign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const s = secretScalar(secretKey);
  const msg = bytesArg(message, 'message');
  return encodeG1Compressed(hashToG1(msg).multiply(s));
}

/**
 * Options of {@link blsVerify}.
 *
 * @example
 * ```ts
 * blsVerify(pk, msg, sig, { strict: false }); // AMCL's lenient decoding
 * ```
 */
export interface BlsVerifyOptions {
  /**
   * Default true: the signature must be exactly 49 bytes with a canonical x (< p), the key exactly
   * 192 canonical bytes, and both points in the order-r subgroup. `false` decodes as AMCL's
   * `BLS_BLS381_VERIFY` does (x reduced mod p, extra bytes ignored, a `04` uncompressed signature
   * accepted, §6), still requiring the subgroup for the pairing; use it only to reproduce the Go
   * agent's verdicts, since it lets one signature have several encodings.
   */
  strict?: boolean;
}

const NEG_G2 = /* @__PURE__ */ G2.BASE.negate();

/**
 * Checks an agent signature: `e(S, G2) = e(H(m), PK)` (§6). Returns false for any wrong,
 * malformed or off-curve input; throws only when an argument is not a `Uint8Array`.
 *
 * @example
 * ```ts
 * blsVerify(keys.blsPublicKey, message, blsSign(keys.blsSecretKey, message)); // true
 * ```
 */
export function blsVerify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: BlsVerifyOptions = {},
): boolean {
  const pkBytes = bytesArg(publicKey, 'publicKey');
  const msg = bytesArg(message, 'message');
  const sigBytes = bytesArg(signature, 'signature');
  const strict = options.strict !== false;
  const S = decodeG1(sigBytes, strict);
  const PK = decodeG2(pkBytes, strict);
  if (!S || !PK || S.is0() || PK.is0()) return false;
  // Subgroup membership: AMCL skips it (§6); a pairing outside the subgroup is not bilinear, and
  // noble's pairing asserts it anyway.
  if (!S.isTorsionFree() || !PK.isTorsionFree()) return false;
  const product = bls12_381.pairingBatch([
    { g1: S, g2: NEG_G2 },
    { g1: hashToG1(msg), g2: PK },
  ]);
  return bls12_381.fields.Fp12.eql(product, bls12_381.fields.Fp12.ONE);
}
