/**
 * The `wasm` backend's RSA half with its modules embedded as hex, attached by the Partner API
 * exports of `qredo-sign/wasm` and of the web entry `qredo-sign` (src/index.ts; issue 17). Each
 * entry registers only the wasm HMAC half at import; each of its RSA exports
 * (`createPartnerSigner`, `signPartnerRequest`, `rsaSign`, `rsaVerify`, `verifyPartnerRequest`) is
 * `withWasmRsa(fn)`, which registers the RSA modules and the whole backend when the export is
 * evaluated, that is when the entry is imported, so RSA is there before any call and `initWasm()`
 * compiles its modules too, exactly as when the entry registered everything itself.
 *
 * The calls are marked `@__PURE__`: a bundler drops an export the application never imports, and
 * with the last one this module, the RSA glue (src/backends/wasm/rsa.ts) and both RSA modules
 * (~31 KB of hex, ~8 KB gzipped). An application that imports any RSA export keeps them all. In Node (no
 * bundler) every export is evaluated, so the backend is always whole there.
 */
import { registerBackend } from '../registry.js';
import { wasmBackend } from './backend.js';
import { registerWasmSources } from './load.js';
import { rsaHex, rsaScalarHex } from './generated/embedded.js';

let attached = false;

/**
 * Returns `fn` unchanged, after registering (once per process) the RSA modules and the whole
 * `wasm` backend, so that `fn`'s RSA keys can use it. Only for entries that registered the wasm
 * HMAC half with its embedded `hash` module; the same WebAssembly check as theirs.
 *
 * @example
 * ```ts
 * export const rsaSign = /* @__PURE__ *\/ withWasmRsa(api.rsaSign);
 * ```
 */
export function withWasmRsa<F>(fn: F): F {
  if (!attached) {
    attached = true;
    registerWasmSources({ rsa: rsaHex, 'rsa-scalar': rsaScalarHex });
    if (typeof WebAssembly === 'object') registerBackend(wasmBackend);
  }
  return fn;
}
