/**
 * EMSA-PKCS1-v1_5 for SHA-256 (RFC 8017 §9.2), the encoding the `wasm` and `js` backends sign and
 * rebuild to verify (node:crypto and WebCrypto encode internally). Verification compares the whole
 * rebuilt encoding with the recovered one, so no ASN.1 is ever parsed out of a signature and the
 * Bleichenbacher'06 forgery class does not apply.
 */

// DER of DigestInfo { AlgorithmIdentifier { id-sha256, NULL }, OCTET STRING (32 bytes) } without
// the digest itself (RFC 8017 §9.2 note 1).
// prettier-ignore
const SHA256_DIGEST_INFO = /* @__PURE__ */ Uint8Array.of(
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
  0x00, 0x04, 0x20,
);
const T_LEN = SHA256_DIGEST_INFO.length + 32;

/**
 * EM = 0x00 ‖ 0x01 ‖ PS (0xff…, at least 8 bytes) ‖ 0x00 ‖ DigestInfo ‖ `digest`, for a modulus of
 * `k` bytes. Every accepted key has k ≥ 256 > T_LEN + 11, the minimum §9.2 step 3 asks for.
 *
 * @example
 * ```ts
 * const em = emsaPkcs1Sha256(sha256(message), 256); // 00 01 ff … ff 00 30 31 30 0d … ‖ digest
 * ```
 */
export function emsaPkcs1Sha256(digest: Uint8Array, k: number): Uint8Array {
  const em = new Uint8Array(k);
  em[1] = 0x01;
  em.fill(0xff, 2, k - T_LEN - 1); // em[k − T_LEN − 1] stays 0x00
  em.set(SHA256_DIGEST_INFO, k - T_LEN);
  em.set(digest, k - 32);
  return em;
}
