/**
 * The entry for browsers, Deno, Bun and Cloudflare workerd: no `node:` imports.
 * Backends: webcrypto (when `crypto.subtle` exists), wasm (where WebAssembly exists) and js.
 *
 * The wasm backend's RSA half and its two modules come with this entry's RSA exports, as in
 * `qredo-sign/wasm` (src/backend-wasm.ts): a bundle that signs Qredo API requests alone carries
 * the `hash` module alone (issue 17). Unbundled (or with any RSA export kept), every export is
 * evaluated at import and the backend is whole, as before.
 */
import { registerBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';
import { jsBackend } from './backends/js.js';
import * as api from './api/all.js';
import { wasmHmacBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { withWasmRsa } from './backends/wasm/rsa-embedded.js';
import { hashHex as hash } from './backends/wasm/generated/embedded.js';

if (subtleCrypto()) registerBackend(webcryptoBackend);
// The AssemblyScript modules travel as hex in this entry and compile on first use: the hash
// module here, the RSA modules with the RSA exports below (backends/wasm/rsa-embedded.ts).
registerWasmSources({ hash });
if (typeof WebAssembly === 'object') registerBackend(wasmHmacBackend);
registerBackend(jsBackend);

export * from './api/all.js';
// Compiles the WASM modules ahead of a first synchronous use (browser main threads with a size limit).
export { initWasm } from './backends/wasm/init.js';

// The RSA exports, each `withWasmRsa(fn)`: `fn` itself, after registering the wasm RSA half when
// the export is evaluated (at import, so before any call; the registry keeps the order
// webcrypto, wasm, js). Pure for a bundler: an application that imports none of them drops the
// wasm RSA glue and both RSA modules. Explicit exports win over `export *` above.
/**
 * Creates a Partner API (RSA PKCS#1 v1.5 SHA-256) signer: the Node entry's
 * {@link "index.node".createPartnerSigner | createPartnerSigner}, same options and defaults.
 *
 * @function
 */
export const createPartnerSigner = /* @__PURE__ */ withWasmRsa(api.createPartnerSigner);
/**
 * Signs one Partner API request: the Node entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest}, same options and defaults.
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ withWasmRsa(api.signPartnerRequest);
/**
 * An RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.1): the Node entry's
 * {@link "index.node".rsaSign | rsaSign}, same options and defaults.
 *
 * @function
 */
export const rsaSign = /* @__PURE__ */ withWasmRsa(api.rsaSign);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the Node entry's
 * {@link "index.node".rsaVerify | rsaVerify}, same options and defaults.
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ withWasmRsa(api.rsaVerify);
/**
 * Verifies a received Partner API request: the Node entry's
 * {@link "index.node".verifyPartnerRequest | verifyPartnerRequest}, same options and defaults.
 *
 * @function
 */
export const verifyPartnerRequest = /* @__PURE__ */ withWasmRsa(api.verifyPartnerRequest);
