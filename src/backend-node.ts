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
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'node', 0);
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'node', 0);
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'node', 0);
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'node', 0);
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'node',
  0,
);
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'node', 2);
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'node', 2);
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'node', 3);
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'node', 1);
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'node', 1);
export { initWasm } from './backends/wasm/init-none.js';
