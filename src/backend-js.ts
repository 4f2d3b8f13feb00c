/**
 * `qredo-sign/js`: the whole public API with only the pure-JavaScript `js` backend registered, for
 * runtimes with neither WebAssembly nor WebCrypto (React Native with Hermes, locked-down
 * sandboxes). Its RSA uses native BigInt, which is not constant-time: see src/backends/js.ts.
 *
 * Pinned: the signers, primitives and verifiers exported here default to `backend: 'js'`, also
 * when the application imports `qredo-sign` (which registers more backends) as well.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/js';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { pinBackend } from './backends/pin.js';
import * as api from './api/all.js';
import { jsBackend } from './backends/js.js';

registerBackend(jsBackend);

export * from './api/all.js';

// Pinning (issue 16): this entry's signers, primitives and verifiers default to `js`, also when
// another entry registered more backends in this process; an explicit `backend` option wins.
/**
 * Creates a Qredo API (HMAC-SHA256) signer: the root entry's
 * {@link "index.node".createQredoSigner | createQredoSigner} pinned to `backend: 'js'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'js', 0);
/**
 * Signs one Qredo API request: the root entry's
 * {@link "index.node".signQredoRequest | signQredoRequest} pinned to `backend: 'js'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'js', 0);
/**
 * Creates a Partner API (RSA PKCS#1 v1.5 SHA-256) signer: the root entry's
 * {@link "index.node".createPartnerSigner | createPartnerSigner} pinned to `backend: 'js'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'js', 0);
/**
 * Signs one Partner API request: the root entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest} pinned to `backend: 'js'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'js', 0);
/**
 * Creates a Qredo API token session: the root entry's
 * {@link "index.node".createQredoTokenSession | createQredoTokenSession} pinned to `backend:
 * 'js'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'js',
  0,
);
/**
 * HMAC-SHA256 of bytes under a key (RFC 2104): the root entry's
 * {@link "index.node".hmacSha256 | hmacSha256} pinned to `backend: 'js'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'js', 2);
/**
 * An RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.1): the root entry's
 * {@link "index.node".rsaSign | rsaSign} pinned to `backend: 'js'` (an explicit `backend`
 * option wins).
 *
 * @function
 */
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'js', 2);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the root entry's
 * {@link "index.node".rsaVerify | rsaVerify} pinned to `backend: 'js'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'js', 3);
/**
 * Verifies a received Qredo API request: the root entry's
 * {@link "index.node".verifyQredoRequest | verifyQredoRequest} pinned to `backend: 'js'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'js', 1);
/**
 * Verifies a received Partner API request: the root entry's
 * {@link "index.node".verifyPartnerRequest | verifyPartnerRequest} pinned to `backend: 'js'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'js', 1);
export { initWasm } from './backends/wasm/init-none.js';
