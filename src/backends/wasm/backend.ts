/**
 * The `wasm` backend: the AssemblyScript kernels of `assembly/`, synchronous, identical in every
 * runtime that has WebAssembly (Node, Deno, Bun, browsers, workerd). HMAC-SHA256 runs on the
 * `hash` module (src/backends/wasm/hash.ts), RSA PKCS#1 v1.5 on `rsa` or `rsa-scalar` (src/backends/wasm/rsa.ts).
 *
 * The modules must be registered by the package entry first (src/backends/wasm/load.ts): the generated
 * `EMBEDDED_WASM` (hex, compiled on first use) or, under workerd, `COMPILED_WASM`. Browser
 * pages with a Content-Security-Policy need `'wasm-unsafe-eval'` in `script-src`.
 */
import { importWasmHmacKey, importWasmHmacKeyLending } from './hash.js';
import { importWasmRsaPrivateKey, importWasmRsaPublicKey } from './rsa.js';
import type { Backend, HmacBackend } from '../types.js';
import type { BlockKeyImporter } from '../registry.js';

/**
 * The `wasm` backend's HMAC half alone, which `qredo-sign/wasm` and the web entry `qredo-sign`
 * register at import: an application that never creates an RSA key keeps only this object, so its
 * bundle carries neither the RSA modules nor their glue (issue 17). The entries' Partner API
 * exports register {@link wasmBackend} (src/backends/wasm/rsa-embedded.ts) when a bundle keeps
 * them.
 *
 * @example
 * ```ts
 * registerWasmSources({ hash: hashHex });
 * registerBackend(wasmHmacBackend);
 * ```
 */
export const wasmHmacBackend: HmacBackend & BlockKeyImporter = {
  name: 'wasm',
  sync: true,
  importHmacKey: importWasmHmacKey,
  importHmacKeyLending: importWasmHmacKeyLending,
};

/**
 * The whole `wasm` backend object (HMAC and RSA halves), registered by the package entries.
 *
 * @example
 * ```ts
 * registerWasmSources(EMBEDDED_WASM);
 * registerBackend(wasmBackend);
 * const key = wasmBackend.importHmacKey(secretBytes);
 * ```
 */
export const wasmBackend: Backend & BlockKeyImporter = {
  name: 'wasm',
  sync: true,
  importHmacKey: importWasmHmacKey,
  importHmacKeyLending: importWasmHmacKeyLending,
  importRsaPrivateKey: importWasmRsaPrivateKey,
  importRsaPublicKey: importWasmRsaPublicKey,
};
