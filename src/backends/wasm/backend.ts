/**
 * The `wasm` backend: the AssemblyScript kernels of `assembly/`, synchronous, identical in every
 * runtime that has WebAssembly (Node, Deno, Bun, browsers, workerd). HMAC-SHA256 runs on the
 * `hash` module (src/backends/wasm/hash.ts), RSA PKCS#1 v1.5 on `rsa` or `rsa-scalar` (src/backends/wasm/rsa.ts).
 *
 * The modules must be registered by the package entry first (src/backends/wasm/load.ts): the generated
 * `EMBEDDED_WASM` (base64, compiled on first use) or, under workerd, `COMPILED_WASM`. Browser
 * pages with a Content-Security-Policy need `'wasm-unsafe-eval'` in `script-src`.
 */
import { importWasmHmacKey, importWasmHmacKeyLending } from './hash.js';
import { importWasmRsaPrivateKey, importWasmRsaPublicKey } from './rsa.js';
import type { Backend } from '../types.js';
import type { BlockKeyImporter } from '../registry.js';

/**
 * The `wasm` backend object, registered by the package entries.
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
