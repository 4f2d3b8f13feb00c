/**
 * The Node entry (also Deno and Bun): node:crypto, WebCrypto, WASM and pure JS.
 */
import { registerBackend } from './backends/registry.js';
import { nodeBackend } from './backends/node.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';
import { jsBackend } from './backends/js.js';
import { wasmBackend } from './backends/wasm/backend.js';
import { registerWasmSources } from './backends/wasm/load.js';
import { EMBEDDED_WASM } from './backends/wasm/generated/embedded.js';

registerBackend(nodeBackend);
if (subtleCrypto()) registerBackend(webcryptoBackend);
// The AssemblyScript modules travel as base64 in this entry and compile on first use.
registerWasmSources(EMBEDDED_WASM);
if (typeof WebAssembly === 'object') registerBackend(wasmBackend);
registerBackend(jsBackend);

export * from './api/all.js';
// Compiles the WASM modules ahead of a first synchronous use (browser main threads with a size limit).
export { initWasm } from './backends/wasm/init.js';
