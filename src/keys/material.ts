/**
 * What the key readers produce and the backends consume (docs/contract.md §1.2): the RSA integers
 * and the DER forms node:crypto and WebCrypto import. Defined here, beside the readers, so that
 * keys/ imports nothing from backends/ (imports run lib ← scheme ← keys ← backends).
 */

/**
 * An RSA JWK (RFC 7517 §4, RFC 7518 §6.3) as the readers take it. Declared here rather than using
 * the DOM's `JsonWebKey`, so that the declarations compile in a Node project without the DOM lib.
 * A DOM `JsonWebKey` or a node `JsonWebKey` is assignable to it.
 *
 * @example
 * ```ts
 * const jwk: RsaJwk = privateKeyObject.export({ format: 'jwk' });
 * ```
 */
export interface RsaJwk {
  /** Key type: must be `'RSA'` (RFC 7518 §6.1); anything else is `INVALID_KEY`. */
  kty?: string;
  /** Intended algorithm, if stated: only `'RS256'` matches this scheme (RFC 7518 §3.1). */
  alg?: string;
  /** Modulus, base64url big-endian (RFC 7518 §6.3.1.1); 2048–4096 bits or `WEAK_KEY`. */
  n?: string;
  /** Public exponent, base64url big-endian (RFC 7518 §6.3.1.2), e.g. `'AQAB'` (65537). */
  e?: string;
  /** Private exponent (RFC 7518 §6.3.2.1); present only in a private key. */
  d?: string;
  /** First prime factor (RFC 7518 §6.3.2.2). */
  p?: string;
  /** Second prime factor (RFC 7518 §6.3.2.3). */
  q?: string;
  /** d mod (p − 1), a CRT exponent (RFC 7518 §6.3.2.4). */
  dp?: string;
  /** d mod (q − 1), a CRT exponent (RFC 7518 §6.3.2.5). */
  dq?: string;
  /** q⁻¹ mod p, the CRT coefficient (RFC 7518 §6.3.2.6). */
  qi?: string;
}

/**
 * Inputs accepted where a private key is needed: PKCS#1 or PKCS#8 PEM (also as bytes), an
 * unencrypted OpenSSH RSA private key, their DER bytes, a private JWK (object or text), a node
 * `KeyObject`, a `CryptoKey` or a `CryptoKeyPair`.
 *
 * @example
 * ```ts
 * const key: PrivateKeyInput = readFileSync('private.pem', 'utf8');
 * ```
 */
export type PrivateKeyInput = string | Uint8Array | ArrayBuffer | RsaJwk | object;

/**
 * Inputs accepted where a public key is needed: SPKI or PKCS#1 PEM, DER, JWK, `KeyObject`,
 * `CryptoKey`; a private key also works (its public half is used).
 *
 * @example
 * ```ts
 * const key: PublicKeyInput = readFileSync('public.pem', 'utf8');
 * ```
 */
export type PublicKeyInput = string | Uint8Array | ArrayBuffer | RsaJwk | object;

/**
 * RSA private key integers, big-endian and unsigned with no leading zero byte (RFC 8017 §3.2, the
 * CRT form). Owned by the key parser; a backend that copies them into its own memory should wipe
 * its copy in `destroy()`.
 *
 * @example
 * ```ts
 * const bits = octetsBitLength(components.n);
 * ```
 */
export interface RsaPrivateComponents {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly dp: Uint8Array;
  readonly dq: Uint8Array;
  readonly qi: Uint8Array;
}

/**
 * RSA public key integers (RFC 8017 §3.1), big-endian and unsigned.
 *
 * @example
 * ```ts
 * const { n, e }: RsaPublicComponents = material.components!;
 * ```
 */
export interface RsaPublicComponents {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
}

/**
 * A parsed, validated RSA private key: 2048 to 4096 bits.
 *
 * @example
 * ```ts
 * const material: RsaPrivateKeyMaterial = parseRsaPrivateKey(pem);
 * ```
 */
export interface RsaPrivateKeyMaterial {
  /** Bit length of the modulus (public information). */
  readonly bits: number;
  /**
   * The integers. Absent when the caller handed us an opaque runtime key (a non-extractable
   * `CryptoKey`): only the backend that owns such a key can use it.
   */
  readonly components?: RsaPrivateComponents;
  /** DER `PrivateKeyInfo` (PKCS#8), what node:crypto and WebCrypto import. Absent for opaque keys. */
  readonly pkcs8?: Uint8Array;
  /**
   * The public half, used to check each signature before it is released. Absent only for an
   * opaque runtime key given without its public key (a lone non-extractable `CryptoKey`).
   */
  readonly publicKey?: RsaPublicKeyMaterial;
  /** The runtime key object the caller gave (`KeyObject` or `CryptoKey`), used as-is where it fits. */
  readonly native?: unknown;
}

/**
 * A parsed, validated RSA public key: 2048 to 4096 bits.
 *
 * @example
 * ```ts
 * const material: RsaPublicKeyMaterial = parseRsaPublicKey(spkiPem);
 * ```
 */
export interface RsaPublicKeyMaterial {
  readonly bits: number;
  /** n and e. Absent only for an opaque runtime key (a `CryptoKey` we could not export synchronously). */
  readonly components?: RsaPublicComponents;
  /** DER `SubjectPublicKeyInfo`. Absent exactly when `components` is. */
  readonly spki?: Uint8Array;
  readonly native?: unknown;
}

/** A key read from any format, before validation. */
export type ParsedKey =
  | { kind: 'private'; components: RsaPrivateComponents }
  | { kind: 'public'; components: RsaPublicComponents };
