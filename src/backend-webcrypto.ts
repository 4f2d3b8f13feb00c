/**
 * `qredo-sign/webcrypto`: the whole public API with only the `webcrypto` backend registered
 * (`globalThis.crypto.subtle`, asynchronous only). For SDKs that want the smallest bundle and no
 * WebAssembly: this module graph contains no WASM bytes and no `node:` import
 * (scripts/check-package.mjs checks both).
 *
 * Pinned: the signers, primitives and verifiers exported here default to `backend: 'webcrypto'`, also
 * when the application imports `qredo-sign` (which registers more backends) as well.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/webcrypto';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = await signer.sign({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { pinBackend } from './backends/pin.js';
import * as api from './api/all.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';

// Insecure browser contexts (plain http: pages other than localhost) have no crypto.subtle: then
// this entry has no backend and signers fail with UNAVAILABLE_BACKEND, which names the reason.
if (subtleCrypto()) registerBackend(webcryptoBackend);

export * from './api/all.js';

// Pinning (issue 16): this entry's signers, primitives and verifiers default to `webcrypto`, also when
// another entry registered more backends in this process; an explicit `backend` option wins.
/**
 * Creates a Qredo API (HMAC-SHA256) signer: the root entry's
 * {@link "index.node".createQredoSigner | createQredoSigner} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'webcrypto', 0);
/**
 * Signs one Qredo API request: the root entry's
 * {@link "index.node".signQredoRequest | signQredoRequest} pinned to `backend: 'webcrypto'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'webcrypto', 0);
/**
 * Creates a Partner API (RSA PKCS#1 v1.5 SHA-256) signer: the root entry's
 * {@link "index.node".createPartnerSigner | createPartnerSigner} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createPartnerSigner = /* @__PURE__ */ pinBackend(
  api.createPartnerSigner,
  'webcrypto',
  0,
);
/**
 * Signs one Partner API request: the root entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ pinBackend(
  api.signPartnerRequest,
  'webcrypto',
  0,
);
/**
 * Creates a Qredo API token session: the root entry's
 * {@link "index.node".createQredoTokenSession | createQredoTokenSession} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'webcrypto',
  0,
);
/**
 * HMAC-SHA256 of bytes under a key (RFC 2104): the root entry's
 * {@link "index.node".hmacSha256 | hmacSha256} pinned to `backend: 'webcrypto'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'webcrypto', 2);
/**
 * An RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.1): the root entry's
 * {@link "index.node".rsaSign | rsaSign} pinned to `backend: 'webcrypto'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'webcrypto', 2);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the root entry's
 * {@link "index.node".rsaVerify | rsaVerify} pinned to `backend: 'webcrypto'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'webcrypto', 3);
/**
 * Verifies a received Qredo API request: the root entry's
 * {@link "index.node".verifyQredoRequest | verifyQredoRequest} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(
  api.verifyQredoRequest,
  'webcrypto',
  1,
);
/**
 * Verifies a received Partner API request: the root entry's
 * {@link "index.node".verifyPartnerRequest | verifyPartnerRequest} pinned to `backend:
 * 'webcrypto'` (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(
  api.verifyPartnerRequest,
  'webcrypto',
  1,
);
export { initWasm } from './backends/wasm/init-none.js';
