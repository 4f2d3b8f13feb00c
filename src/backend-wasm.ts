/**
 * `qredo-sign/wasm`: the whole public API with only the `wasm` backend registered (the
 * AssemblyScript kernels of `assembly/`, synchronous, the same bytes in every runtime). The
 * modules are embedded as hex and compiled once, on first use; the two RSA modules and their glue
 * come only with the RSA exports, so a bundle that signs HMAC alone carries the `hash` module
 * alone. Under the `workerd` export condition this subpath resolves to backend-wasm.workerd.ts
 * instead, which imports every module as a precompiled `.wasm` file.
 *
 * Pinned: the signers, primitives and verifiers exported here default to `backend: 'wasm'`, also
 * when the application imports `qredo-sign` (which registers more backends) as well.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/wasm';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { pinBackend } from './backends/pin.js';
import * as api from './api/all.js';
import { wasmHmacBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { withWasmRsa } from './backends/wasm/rsa-embedded.js';
import { hashHex as hash } from './backends/wasm/generated/embedded.js';

// The HMAC half and its module here; the RSA half and its two modules come with the RSA exports
// below (backends/wasm/rsa-embedded.ts), so an HMAC-only bundle carries no RSA bytes (issue 17).
registerWasmSources({ hash });
if (typeof WebAssembly === 'object') registerBackend(wasmHmacBackend);

export * from './api/all.js';
export { initWasm } from './backends/wasm/init.js';

// Pinning (issue 16): this entry's signers, primitives and verifiers default to `wasm`, also when
// another entry registered more backends in this process; an explicit `backend` option wins.
// `withWasmRsa` registers the RSA half as these exports are evaluated (at import); both calls are
// pure for a bundler, so an application that imports none of them drops the RSA half.
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
export const createPartnerSigner = /* @__PURE__ */ pinBackend(
  /* @__PURE__ */ withWasmRsa(api.createPartnerSigner),
  'wasm',
  0,
);
/**
 * Signs one Partner API request: the root entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest} pinned to `backend: 'wasm'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ pinBackend(
  /* @__PURE__ */ withWasmRsa(api.signPartnerRequest),
  'wasm',
  0,
);
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
export const rsaSign = /* @__PURE__ */ pinBackend(
  /* @__PURE__ */ withWasmRsa(api.rsaSign),
  'wasm',
  2,
);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the root entry's
 * {@link "index.node".rsaVerify | rsaVerify} pinned to `backend: 'wasm'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ pinBackend(
  /* @__PURE__ */ withWasmRsa(api.rsaVerify),
  'wasm',
  3,
);
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
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(
  /* @__PURE__ */ withWasmRsa(api.verifyPartnerRequest),
  'wasm',
  1,
);
