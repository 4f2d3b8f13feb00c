/**
 * `qredo-sign/wasm`: the whole public API with only the `wasm` backend registered (the
 * AssemblyScript kernels of `assembly/`, synchronous, the same bytes in every runtime). The
 * modules are embedded as base64 and compiled once, on first use. Under the `workerd` export
 * condition this subpath resolves to backend-wasm.workerd.ts instead, which imports them as
 * precompiled `.wasm` modules.
 *
 * Backends live in one registry per copy of the package: an application that also imports
 * `qredo-sign` gets that entry's backends as well; pass `backend: 'wasm'` to be explicit.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/wasm';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { wasmBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { EMBEDDED_WASM } from './backends/wasm/generated/embedded.js';

registerWasmSources(EMBEDDED_WASM);
if (typeof WebAssembly === 'object') registerBackend(wasmBackend);

export * from './api/all.js';
