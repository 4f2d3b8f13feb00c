/**
 * Low-level primitives (contract §2) for other schemes and conformance suites. Each call imports the
 * key, computes and wipes; signers are the fast path for repeated use.
 */
import { SigningError, fail } from '../lib/errors.js';
import type { RsaSigningKey } from '../backends/types.js';
import { importExportedKey, isExtractableCryptoKey } from './exported-key.js';
import { parseRsaPrivateKey, parseRsaPublicKey, wipePrivateKeyMaterial } from '../keys/keys.js';
import type { PrivateKeyInput, PublicKeyInput } from '../keys/keys.js';
import {
  forInputLength,
  selectBackends,
  withAutoFallback,
  type BackendChoice,
} from '../backends/registry.js';

/**
 * Options of the primitives.
 *
 * @example
 * ```ts
 * await hmacSha256(key, data, { backend: 'wasm' });
 * ```
 */
export interface PrimitiveOptions {
  /** A backend name or `'auto'` (default). */
  backend?: BackendChoice;
}

function bytesArgument(value: unknown, name: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new SigningError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
}

/**
 * HMAC-SHA256 (RFC 2104) of `data` under the raw `key`: 32 bytes.
 *
 * @example
 * ```ts
 * const mac = await hmacSha256(new TextEncoder().encode('key'), new TextEncoder().encode('data'));
 * ```
 */
export async function hmacSha256(
  key: Uint8Array,
  data: Uint8Array,
  options: PrimitiveOptions = {},
): Promise<Uint8Array> {
  bytesArgument(key, 'key');
  bytesArgument(data, 'data');
  // Like the signers: a WASM refused at its first compile under 'auto' moves on to the next.
  const prepared = withAutoFallback(options?.backend, () => {
    const selection = selectBackends(options?.backend, 'hmac');
    return forInputLength(selection, data.length, selection.sync ?? selection.async).importHmacKey(
      key,
    );
  });
  try {
    return await prepared.mac(data);
  } finally {
    prepared.destroy();
  }
}

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1): the signature of `data`, as many bytes as the
 * modulus. The signature is verified before it is returned.
 *
 * @example
 * ```ts
 * const signature = await rsaSign(readFileSync('private.pem', 'utf8'), bytes);
 * ```
 */
export async function rsaSign(
  privateKey: PrivateKeyInput,
  data: Uint8Array,
  options: PrimitiveOptions = {},
): Promise<Uint8Array> {
  bytesArgument(data, 'data');
  const material = parseRsaPrivateKey(privateKey);
  const choice = options?.backend;
  let prepared: RsaSigningKey;
  if (material.components === undefined && (choice === 'wasm' || choice === 'js')) {
    // An extractable CryptoKey: exported once here, then wiped like any parsed key.
    if (!isExtractableCryptoKey(material.native)) {
      fail(
        'UNAVAILABLE_BACKEND',
        'privateKey',
        `extractable for the ${choice} backend, or use webcrypto`,
      );
    }
    prepared = await importExportedKey(selectBackends(choice, 'rsa').async, material.native);
    try {
      return await prepared.sign(data);
    } finally {
      prepared.destroy();
    }
  }
  try {
    // Like the signers: a WASM refused at its first compile under 'auto' moves on to the next.
    prepared = withAutoFallback(options?.backend, () =>
      selectBackends(
        options?.backend,
        'rsa',
        material.components === undefined,
      ).async.importRsaPrivateKey(material),
    );
  } finally {
    wipePrivateKeyMaterial(material);
  }
  try {
    return await prepared.sign(data);
  } finally {
    prepared.destroy();
  }
}

/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2). A wrong or malformed signature
 * gives `false`; a bad key or argument is a `SigningError`.
 *
 * @example
 * ```ts
 * const ok = await rsaVerify(readFileSync('public.pem', 'utf8'), bytes, signature);
 * ```
 */
export async function rsaVerify(
  publicKey: PublicKeyInput,
  data: Uint8Array,
  signature: Uint8Array,
  options: PrimitiveOptions = {},
): Promise<boolean> {
  bytesArgument(data, 'data');
  bytesArgument(signature, 'signature');
  const material = parseRsaPublicKey(publicKey);
  const selection = selectBackends(options?.backend, 'rsa', material.components === undefined);
  return selection.async.importRsaPublicKey(material).verify(data, signature);
}
