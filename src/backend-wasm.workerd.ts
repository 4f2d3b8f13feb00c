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
import { wasmBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { COMPILED_WASM } from './backends/wasm/generated/workerd.js';

registerWasmSources(COMPILED_WASM);
registerBackend(wasmBackend);

export * from './api/all.js';
