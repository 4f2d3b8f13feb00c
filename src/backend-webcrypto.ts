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
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'webcrypto', 0);
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'webcrypto', 0);
export const createPartnerSigner = /* @__PURE__ */ pinBackend(
  api.createPartnerSigner,
  'webcrypto',
  0,
);
export const signPartnerRequest = /* @__PURE__ */ pinBackend(
  api.signPartnerRequest,
  'webcrypto',
  0,
);
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'webcrypto',
  0,
);
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'webcrypto', 2);
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'webcrypto', 2);
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'webcrypto', 3);
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(
  api.verifyQredoRequest,
  'webcrypto',
  1,
);
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(
  api.verifyPartnerRequest,
  'webcrypto',
  1,
);
export { initWasm } from './backends/wasm/init-none.js';
