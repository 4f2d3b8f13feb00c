/**
 * `qredo-sign/webcrypto`: the whole public API with only the `webcrypto` backend registered
 * (`globalThis.crypto.subtle`, asynchronous only). For SDKs that want the smallest bundle and no
 * WebAssembly: this module graph contains no WASM bytes and no `node:` import
 * (scripts/check-package.mjs checks both).
 *
 * Backends live in one registry per copy of the package: an application that also imports
 * `qredo-sign` gets that entry's backends as well; pass `backend: 'webcrypto'` to be explicit.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/webcrypto';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = await signer.sign({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';

// Insecure browser contexts (plain http: pages other than localhost) have no crypto.subtle: then
// this entry has no backend and signers fail with UNAVAILABLE_BACKEND, which names the reason.
if (subtleCrypto()) registerBackend(webcryptoBackend);

export * from './api/all.js';
