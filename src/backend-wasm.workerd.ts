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
export const createQredoSigner = /* @__PURE__ */ pinBackend(api.createQredoSigner, 'wasm', 0);
export const signQredoRequest = /* @__PURE__ */ pinBackend(api.signQredoRequest, 'wasm', 0);
export const createPartnerSigner = /* @__PURE__ */ pinBackend(api.createPartnerSigner, 'wasm', 0);
export const signPartnerRequest = /* @__PURE__ */ pinBackend(api.signPartnerRequest, 'wasm', 0);
export const createQredoTokenSession = /* @__PURE__ */ pinBackend(
  api.createQredoTokenSession,
  'wasm',
  0,
);
export const hmacSha256 = /* @__PURE__ */ pinBackend(api.hmacSha256, 'wasm', 2);
export const rsaSign = /* @__PURE__ */ pinBackend(api.rsaSign, 'wasm', 2);
export const rsaVerify = /* @__PURE__ */ pinBackend(api.rsaVerify, 'wasm', 3);
export const verifyQredoRequest = /* @__PURE__ */ pinBackend(api.verifyQredoRequest, 'wasm', 1);
export const verifyPartnerRequest = /* @__PURE__ */ pinBackend(api.verifyPartnerRequest, 'wasm', 1);
