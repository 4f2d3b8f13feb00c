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
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'js', 0);
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'js', 0);
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'js', 0);
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'js', 0);
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'js',
  0,
);
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'js', 2);
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'js', 2);
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'js', 3);
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'js', 1);
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'js', 1);
export { initWasm } from './backends/wasm/init-none.js';
