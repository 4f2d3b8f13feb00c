/**
 * `qredo-sign/wasm` under the `workerd` export condition: the `wasm` backend alone, its modules
 * imported as `.wasm` files, which workerd and wrangler hand over as compiled
 * `WebAssembly.Module`s (workerd forbids compiling bytes at run time). No `node:` import.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/wasm'; // this file, under wrangler
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { pinBackend } from './backends/pin.js';
import * as api from './api/all.js';
import { wasmBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { COMPILED_WASM } from './backends/wasm/generated/workerd.js';

registerWasmSources(COMPILED_WASM);
registerBackend(wasmBackend);

export * from './api/all.js';
export { initWasm } from './backends/wasm/init.js';

// Pinning (issue 16): this entry's signers, primitives and verifiers default to `wasm`, also when
// another entry registered more backends in this process; an explicit `backend` option wins.
/**
 * Creates a Qredo API (HMAC-SHA256) signer: the root entry's
 * {@link "index.node".createQredoSigner | createQredoSigner} pinned to `backend: 'wasm'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'wasm', 0);
/**
 * Signs one Qredo API request: the root entry's
 * {@link "index.node".signQredoRequest | signQredoRequest} pinned to `backend: 'wasm'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'wasm', 0);
/**
 * Creates a Partner API (RSA PKCS#1 v1.5 SHA-256) signer: the root entry's
 * {@link "index.node".createPartnerSigner | createPartnerSigner} pinned to `backend: 'wasm'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'wasm', 0);
/**
 * Signs one Partner API request: the root entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest} pinned to `backend: 'wasm'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'wasm', 0);
/**
 * Creates a Qredo API token session: the root entry's
 * {@link "index.node".createQredoTokenSession | createQredoTokenSession} pinned to `backend:
 * 'wasm'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'wasm',
  0,
);
/**
 * HMAC-SHA256 of bytes under a key (RFC 2104): the root entry's
 * {@link "index.node".hmacSha256 | hmacSha256} pinned to `backend: 'wasm'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'wasm', 2);
/**
 * An RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.1): the root entry's
 * {@link "index.node".rsaSign | rsaSign} pinned to `backend: 'wasm'` (an explicit `backend`
 * option wins).
 *
 * @function
 */
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'wasm', 2);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the root entry's
 * {@link "index.node".rsaVerify | rsaVerify} pinned to `backend: 'wasm'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'wasm', 3);
/**
 * Verifies a received Qredo API request: the root entry's
 * {@link "index.node".verifyQredoRequest | verifyQredoRequest} pinned to `backend: 'wasm'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'wasm', 1);
/**
 * Verifies a received Partner API request: the root entry's
 * {@link "index.node".verifyPartnerRequest | verifyPartnerRequest} pinned to `backend:
 * 'wasm'` (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'wasm', 1);
