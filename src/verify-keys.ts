/**
 * Prepared RSA public keys for the Partner API verifier. Parsing a PEM and importing it into a
 * backend costs far more than one PKCS#1 v1.5 verification with e = 65537, and a gateway sees the
 * same few partner keys over and over, so each key is parsed once and imported once per backend.
 *
 * - Key objects (`KeyObject`, `CryptoKey`, a JWK object, DER bytes) are cached by identity in a
 *   WeakMap: they are released with the caller's object, and a key must not be mutated after it
 *   has been handed to a verifier. A `publicKeyFor` that builds a new object per call is correct
 *   but re-imports every time; return the same object or the PEM string.
 * - Strings (PEM, JWK text) are cached by value in a Map bounded to {@link KEY_CACHE_LIMIT}
 *   entries, oldest first out. Public keys are not secret, so holding them is harmless.
 */
import { parseRsaPublicKey } from './keys.js';
import { selectBackends } from './backends/registry.js';
import type { Backend, RsaPublicKeyMaterial, RsaVerifyingKey } from './backends/types.js';

export const KEY_CACHE_LIMIT = 256;

interface CachedKey {
  readonly material: RsaPublicKeyMaterial;
  readonly imported: Map<Backend, RsaVerifyingKey>;
}

const byObject = new WeakMap<object, CachedKey>();
const byString = new Map<string, CachedKey>();

function cachedMaterial(input: unknown): CachedKey {
  if (typeof input === 'string') {
    const hit = byString.get(input);
    if (hit) return hit;
    const entry: CachedKey = { material: parseRsaPublicKey(input), imported: new Map() };
    if (byString.size >= KEY_CACHE_LIMIT) {
      byString.delete(byString.keys().next().value as string);
    }
    byString.set(input, entry);
    return entry;
  }
  if (typeof input === 'object' && input !== null) {
    const hit = byObject.get(input);
    if (hit) return hit;
    const entry: CachedKey = { material: parseRsaPublicKey(input), imported: new Map() };
    byObject.set(input, entry);
    return entry;
  }
  return { material: parseRsaPublicKey(input), imported: new Map() }; // throws INVALID_KEY
}

/** A public key ready to verify with, on the backend the caller chose (or `'auto'`). */
export interface PreparedPublicKey {
  readonly bits: number;
  readonly key: RsaVerifyingKey;
}

/**
 * Parses (once) and imports (once per backend) a public key in any form SPEC §1.2 accepts.
 * Throws `INVALID_KEY`/`WEAK_KEY` for a bad key and `UNAVAILABLE_BACKEND` when the chosen backend
 * cannot use it (e.g. an opaque `CryptoKey` anywhere but `webcrypto`).
 */
export function preparePublicKey(input: unknown, backend: unknown): PreparedPublicKey {
  const entry = cachedMaterial(input);
  const material = entry.material;
  const opaque = material.spki === undefined;
  const chosen = selectBackends(backend, 'rsa', opaque).async;
  let key = entry.imported.get(chosen);
  if (key === undefined) {
    key = chosen.importRsaPublicKey(material);
    entry.imported.set(chosen, key);
  }
  return { bits: material.bits, key };
}
