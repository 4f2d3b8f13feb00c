/**
 * Prepared RSA public keys for the Partner API verifier. Importing a key into a backend costs far
 * more than one PKCS#1 v1.5 verification with e = 65537, and a gateway sees the same few partner
 * keys over and over, so each key is imported once per backend.
 *
 * The import cache is keyed by the key material itself (contract §3.1: "cached by the fingerprint of
 * their key material, never by object identity"): the DER SubjectPublicKeyInfo, which holds n and e
 * and nothing else, so two keys share an entry exactly when they are the same key. Identity would
 * be wrong: a JWK object edited in place, or a key holder that hands out a new key at the same
 * identity after a rotation, must verify with the key it holds now. The exact bytes, rather than a
 * hash of them, are the map key: nothing to collide, and no hash needed on every runtime.
 *
 * - Objects (`KeyObject`, a JWK object, DER bytes) are read on every call, which is cheap next to
 *   an import, and then looked up by material.
 * - Strings (PEM, JWK text) cannot change, so they are also cached by value, parsed once.
 * - A `CryptoKey` cannot be exported synchronously and cannot change either: its identity is its
 *   key, so it is the one input cached by identity (in a WeakMap, released with the caller's key).
 * Both maps are bounded to {@link KEY_CACHE_LIMIT} entries, oldest first out; public keys are not
 * secret, so holding them is harmless.
 */
import { parseRsaPublicKey } from '../keys/keys.js';
import { base64url } from '../lib/encoding.js';
import { verifierRsaBackends } from './backend-choice.js';
import type { Backend, RsaPublicKeyMaterial, RsaVerifyingKey } from '../backends/types.js';

export const KEY_CACHE_LIMIT = 256;

type Imported = Map<Backend, RsaVerifyingKey>;

const materialByString = new Map<string, RsaPublicKeyMaterial>();
const importedByMaterial = new Map<string, Imported>();
const importedByCryptoKey = new WeakMap<object, Imported>();

function boundedSet<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= KEY_CACHE_LIMIT) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

function readMaterial(input: unknown): RsaPublicKeyMaterial {
  if (typeof input !== 'string') return parseRsaPublicKey(input); // throws INVALID_KEY/WEAK_KEY
  let material = materialByString.get(input);
  if (material === undefined) {
    material = parseRsaPublicKey(input);
    boundedSet(materialByString, input, material);
  }
  return material;
}

// Imports of materials parsed from strings (cached above, so the same object each time): found
// without re-encoding the SubjectPublicKeyInfo as a fingerprint on every request.
const importedOfMaterial = new WeakMap<RsaPublicKeyMaterial, Imported>();

function importsOf(input: unknown, material: RsaPublicKeyMaterial): Imported {
  const known = importedOfMaterial.get(material);
  if (known !== undefined) return known;
  if (material.spki === undefined) {
    let imported = importedByCryptoKey.get(input as object);
    if (imported === undefined) importedByCryptoKey.set(input as object, (imported = new Map()));
    return imported;
  }
  const fingerprint = base64url.encode(material.spki);
  let imported = importedByMaterial.get(fingerprint);
  if (imported === undefined) boundedSet(importedByMaterial, fingerprint, (imported = new Map()));
  if (typeof input === 'string') importedOfMaterial.set(material, imported);
  return imported;
}

/** A public key ready to verify with, on the backend the caller chose (or `'auto'`). */
export interface PreparedPublicKey {
  readonly bits: number;
  readonly key: RsaVerifyingKey;
}

/**
 * Reads a public key in any form contract §1.2 accepts and imports it (once per key and backend).
 * Throws `INVALID_KEY`/`WEAK_KEY` for a bad key and `UNAVAILABLE_BACKEND` when the chosen backend
 * cannot use it (e.g. an opaque `CryptoKey` anywhere but `webcrypto`).
 */
export function preparePublicKey(input: unknown, backend: unknown): PreparedPublicKey {
  const material = readMaterial(input);
  const chosen = verifierRsaBackends(backend, material.spki === undefined).async;
  const imported = importsOf(input, material);
  let key = imported.get(chosen);
  if (key === undefined) {
    key = chosen.importRsaPublicKey(material);
    imported.set(chosen, key);
  }
  return { bits: material.bits, key };
}
