/**
 * BLS signatures as the Qredo Signing Agent makes them with Apache Milagro's legacy API
 * (docs/signing-agent.md, Keys and Signatures): secret keys are 48-byte big-endian integers, public keys
 * live in G2 (192 bytes, AMCL order), signatures in G1 (49 bytes, `02|03 || x`).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { fail } from '../lib/errors.js';
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
  type G2Point,
} from './encoding.js';
import { toHex } from '../lib/encoding.js';
import { hashToG1, hashToSubgroupBase } from './hash-to-g1.js';
import { M, mulSubgroup } from './g1-mul.js';

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
 * `02|03 || x` (49 bytes; docs/signing-agent.md, Signatures). Deterministic. The wire form is its lower-case hex.
 *
 * @example
 * ```ts
 * const sig = blsSign(keys.blsSecretKey, message);   // Uint8Array(49)
 * ```
 */
export function blsSign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const s = secretScalar(secretKey);
  const msg = bytesArg(message, 'message');
  // [s]·H(m) = [s·m mod r]·([1−x]·P): one GLV multiplication (g1-mul.ts).
  return encodeG1Compressed(mulSubgroup(hashToSubgroupBase(msg), (s * M) % R));
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

const { Fp12 } = bls12_381.fields;
// The Miller-loop line coefficients of −G2 are computed once (noble memoises them per point).
const NEG_G2 = /* @__PURE__ */ G2.BASE.negate();

/** Decoded, subgroup-checked public keys, by their bytes: agents verify under few keys. */
const keyCache = new Map<string, G2Point>();
const KEY_CACHE_SIZE = 16;

function publicKeyPoint(bytes: Uint8Array, strict: boolean): G2Point | undefined {
  const id = `${strict ? 's' : 'l'}${toHex(bytes)}`;
  const cached = keyCache.get(id);
  if (cached) return cached;
  const PK = decodeG2(bytes, strict);
  // AMCL skips the subgroup check (§6); a pairing outside it is not bilinear.
  if (!PK || PK.is0() || !PK.isTorsionFree()) return undefined;
  if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, PK);
  return PK;
}

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
  if (!S || S.is0() || !S.isTorsionFree()) return false;
  const PK = publicKeyPoint(pkBytes, strict);
  if (!PK) return false;
  const H = hashToG1(msg).toAffine();
  const s = S.toAffine();
  // e(S, −G2)·e(H(m), PK) = 1, one shared final exponentiation. Both G1 points are checked
  // above (H is in the subgroup by construction), so noble's pairingBatch re-checks are skipped.
  const f = bls12_381.millerLoopBatch([
    [bls12_381.utils.calcPairingPrecomputes(NEG_G2), s.x, s.y],
    [bls12_381.utils.calcPairingPrecomputes(PK), H.x, H.y],
  ]);
  return Fp12.eql(Fp12.finalExponentiate(f), Fp12.ONE);
}
