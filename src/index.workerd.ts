/**
 * The entry for Cloudflare workerd (the `workerd` export condition, which wrangler and esbuild
 * with `conditions: ['workerd', 'worker', 'browser']` select): no `node:` import, so it runs
 * without `nodejs_compat`. Same backends and exports as the web entry (src/index.ts); only the
 * source of the WASM modules differs.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign'; // resolved here by wrangler
 * export default {
 *   async fetch(request: Request, env: { QREDO_API_KEY: string; QREDO_SECRET: string }) {
 *     const signer = createQredoSigner({ apiKey: env.QREDO_API_KEY, secret: env.QREDO_SECRET });
 *     const signed = signer.signSync({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 *     return fetch(signed.url, { headers: signed.headers });
 *   },
 * };
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';
import { wasmBackend } from './backends/wasm/backend.js';
import { jsBackend } from './backends/js.js';
import { registerWasmSources } from './backends/wasm/load.js';
// Each module imported as a `.wasm` file: workerd (and wrangler) link it as a compiled
// WebAssembly.Module, since compiling bytes at run time is forbidden there.
import { COMPILED_WASM } from './backends/wasm/generated/workerd.js';

registerWasmSources(COMPILED_WASM);
if (subtleCrypto()) registerBackend(webcryptoBackend);
registerBackend(wasmBackend);
registerBackend(jsBackend);

export * from './api/all.js';
// Compiles the WASM modules ahead of a first synchronous use (browser main threads with a size limit).
export { initWasm } from './backends/wasm/init.js';
