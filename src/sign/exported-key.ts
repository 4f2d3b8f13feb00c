/**
 * An extractable `CryptoKey` on a backend that needs the key's integers (`wasm`, `js`): WebCrypto
 * exports a key only asynchronously, so the export happens at the first `sign()`, once, and the
 * exported copy is parsed, imported and wiped like any PEM (issue 16). Until then `signSync()`
 * cannot sign and says so.
 */
import { parseRsaPrivateKey, wipePrivateKeyMaterial } from '../keys/keys.js';
import type { Backend, RsaPrivateKeyMaterial, RsaSigningKey } from '../backends/types.js';
import { usedAfterDestroy } from '../backends/faults.js';

/**
 * True for a `CryptoKey` whose bytes WebCrypto will export (`extractable: true`).
 *
 * @example
 * ```ts
 * if (isExtractableCryptoKey(material.native)) await exportedSigningKey(wasmBackend, material.native);
 * ```
 */
export function isExtractableCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey && value.extractable;
}

/**
 * Exports `key` as PKCS#8, parses and checks it as any private key, imports it into `backend` and
 * wipes both the DER and the parsed copy.
 *
 * @example
 * ```ts
 * const prepared = await importExportedKey(wasmBackend, cryptoKey);
 * ```
 */
export async function importExportedKey(backend: Backend, key: CryptoKey): Promise<RsaSigningKey> {
  const der = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', key));
  let material: RsaPrivateKeyMaterial | undefined;
  try {
    material = parseRsaPrivateKey(der);
    return backend.importRsaPrivateKey(material);
  } finally {
    if (material) wipePrivateKeyMaterial(material);
    der.fill(0);
  }
}

/**
 * The keys of a signer whose extractable `CryptoKey` goes to `backend`: `asyncKey` exports and
 * imports on its first use (one export however many calls race), after which `syncKey()` returns
 * the same prepared key.
 *
 * @example
 * ```ts
 * const keys = deferredExportKeys(jsBackend, cryptoKey);
 * await keys.asyncKey.sign(data); // exports once
 * keys.syncKey()!.sign(data);     // now synchronous
 * ```
 */
export function deferredExportKeys(backend: Backend, key: CryptoKey) {
  let prepared: RsaSigningKey | undefined;
  let loading: Promise<RsaSigningKey> | undefined;
  let destroyed = false;
  const load = (): Promise<RsaSigningKey> =>
    (loading ??= importExportedKey(backend, key).then((imported) => {
      if (destroyed) {
        imported.destroy();
        throw usedAfterDestroy('signer');
      }
      return (prepared = imported);
    }));
  return {
    backend: backend.name,
    /** Why signSync() cannot sign yet (undefined once the key is exported). */
    whyNoSync: 'exported by sign() first: a CryptoKey can only be read asynchronously',
    asyncKey: {
      async sign(data: Uint8Array) {
        return (await load()).sign(data);
      },
      destroy() {},
    } as RsaSigningKey,
    syncKey: (): RsaSigningKey | undefined => prepared,
    destroy(): void {
      destroyed = true;
      prepared?.destroy();
      prepared = undefined;
    },
  };
}
