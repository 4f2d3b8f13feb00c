/**
 * The backends (contract §2): `node` (node:crypto), `webcrypto` (async only), `wasm`, `js`.
 *
 * @example
 * ```ts
 * const name: BackendName = signer.backend;
 * ```
 */
export type BackendName = 'node' | 'webcrypto' | 'wasm' | 'js';

/**
 * A value or a Promise of it: synchronous backends return values, WebCrypto Promises.
 *
 * @example
 * ```ts
 * const mac: MaybePromise<Uint8Array> = key.mac(data);
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

// The key material a backend imports is defined where keys are parsed (keys/material.ts); the
// backend interface names it from there, so the two can never drift apart.
export type {
  RsaPrivateComponents,
  RsaPublicComponents,
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
} from '../keys/material.js';
import type { RsaPrivateKeyMaterial, RsaPublicKeyMaterial } from '../keys/material.js';

/** An HMAC-SHA256 key prepared once (inner/outer pads precomputed where the backend can). */
export interface HmacKey {
  /** HMAC-SHA256(key, data): 32 bytes. */
  mac(data: Uint8Array): MaybePromise<Uint8Array>;
  /**
   * Optional fast path for the schemes' hot path: the MAC already as unpadded base64url (43
   * characters). Backends that can encode natively (node:crypto's `digest('base64url')`, a WASM
   * kernel) provide it; the schemes fall back to `mac` + JS encoding otherwise.
   */
  macBase64url?(data: Uint8Array): MaybePromise<string>;
  /**
   * The schemes' hot path: the MAC, as unpadded base64url, of `prefix` followed by `body`, without
   * the caller building the concatenation. `prefix` is ASCII (timestamp or nonce, method, canonical
   * URL); a string `body` is well-formed and signed as UTF-8. node:crypto hashes `prefix + body` in
   * one native call; a WASM kernel writes both straight into its memory; WebCrypto joins them
   * (scheme/canonical.ts joinSigningInput). Every backend has it, so the signer calls it directly.
   */
  macRequest(prefix: string, body: string | Uint8Array | undefined): MaybePromise<string>;
  /** Best-effort wipe of any copy of the key this backend holds. */
  destroy(): void;
}

/** An RSA private key prepared once for RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1). */
export interface RsaSigningKey {
  /**
   * Signs `data` (the message; the backend hashes it). The signature has the modulus byte length.
   * Implementations check the signature against the public key before returning it (a fault in a
   * CRT half would otherwise leak the key) and throw `SigningError('SIGNATURE_FAULT')` on mismatch.
   */
  sign(data: Uint8Array): MaybePromise<Uint8Array>;
  destroy(): void;
}

/** An RSA public key prepared once for RSASSA-PKCS1-v1_5 with SHA-256 verification. */
export interface RsaVerifyingKey {
  /** False for any wrong or malformed signature (wrong length, value ≥ n, …); never throws for those. */
  verify(data: Uint8Array, signature: Uint8Array): MaybePromise<boolean>;
}

/**
 * The HMAC half of a backend: all the Qredo API needs. An entry may register it alone (see
 * `registerBackend`), so that a bundle using only HMAC carries none of the backend's RSA code.
 */
export interface HmacBackend {
  readonly name: BackendName;
  /** True when every method returns plain values, never Promises. */
  readonly sync: boolean;
  importHmacKey(key: Uint8Array): HmacKey;
}

/** The RSA half of a backend (Partner API, RSA primitives and verification). */
export interface RsaBackend {
  readonly name: BackendName;
  /** True when every method returns plain values, never Promises. */
  readonly sync: boolean;
  importRsaPrivateKey(key: RsaPrivateKeyMaterial): RsaSigningKey;
  importRsaPublicKey(key: RsaPublicKeyMaterial): RsaVerifyingKey;
}

/** A whole backend: both halves. */
export interface Backend extends HmacBackend, RsaBackend {}
