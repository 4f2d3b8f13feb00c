/**
 * `qredo-sign/node`: the whole public API with only the `node` backend registered (node:crypto,
 * i.e. OpenSSL in Node, BoringSSL in Bun, Deno's node:crypto). For server SDKs that want every
 * operation on the runtime's native crypto and nothing else in their dependency graph.
 *
 * Pinned: the signers, primitives and verifiers exported here default to `backend: 'node'`, also
 * when the application imports `qredo-sign` (which registers more backends) as well.
 *
 * @example
 * ```ts
 * import { createPartnerSigner } from 'qredo-sign/node';
 * const signer = createPartnerSigner({ apiKey, privateKey: pem });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { pinBackend } from './backends/pin.js';
import * as api from './api/all.js';
import { nodeBackend } from './backends/node.js';

registerBackend(nodeBackend);

export * from './api/all.js';

// Pinning (issue 16): this entry's signers, primitives and verifiers default to `node`, also when
// another entry registered more backends in this process; an explicit `backend` option wins.
/**
 * Creates a Qredo API (HMAC-SHA256) signer: the root entry's
 * {@link "index.node".createQredoSigner | createQredoSigner} pinned to `backend: 'node'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'node', 0);
/**
 * Signs one Qredo API request: the root entry's
 * {@link "index.node".signQredoRequest | signQredoRequest} pinned to `backend: 'node'` (an
 * explicit `backend` option wins).
 *
 * @function
 */
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'node', 0);
/**
 * Creates a Partner API (RSA PKCS#1 v1.5 SHA-256) signer: the root entry's
 * {@link "index.node".createPartnerSigner | createPartnerSigner} pinned to `backend: 'node'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'node', 0);
/**
 * Signs one Partner API request: the root entry's
 * {@link "index.node".signPartnerRequest | signPartnerRequest} pinned to `backend: 'node'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'node', 0);
/**
 * Creates a Qredo API token session: the root entry's
 * {@link "index.node".createQredoTokenSession | createQredoTokenSession} pinned to `backend:
 * 'node'` (an explicit `backend` option wins).
 *
 * @function
 */
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'node',
  0,
);
/**
 * HMAC-SHA256 of bytes under a key (RFC 2104): the root entry's
 * {@link "index.node".hmacSha256 | hmacSha256} pinned to `backend: 'node'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'node', 2);
/**
 * An RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.1): the root entry's
 * {@link "index.node".rsaSign | rsaSign} pinned to `backend: 'node'` (an explicit `backend`
 * option wins).
 *
 * @function
 */
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'node', 2);
/**
 * Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (RFC 8017 §8.2.2): the root entry's
 * {@link "index.node".rsaVerify | rsaVerify} pinned to `backend: 'node'` (an explicit
 * `backend` option wins).
 *
 * @function
 */
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'node', 3);
/**
 * Verifies a received Qredo API request: the root entry's
 * {@link "index.node".verifyQredoRequest | verifyQredoRequest} pinned to `backend: 'node'`
 * (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'node', 1);
/**
 * Verifies a received Partner API request: the root entry's
 * {@link "index.node".verifyPartnerRequest | verifyPartnerRequest} pinned to `backend:
 * 'node'` (an explicit `backend` option wins).
 *
 * @function
 */
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'node', 1);
export { initWasm } from './backends/wasm/init-none.js';
