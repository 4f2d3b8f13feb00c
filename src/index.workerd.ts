/**
 * The entry for Cloudflare workerd (the `workerd` export condition, which wrangler and esbuild
 * with `conditions: ['workerd', 'worker', 'browser']` select): no `node:` import, so it runs
 * without `nodejs_compat`. Same backends and exports as the web entry (src/index.ts).
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
import { jsBackend } from './backends/js.js';

if (subtleCrypto()) registerBackend(webcryptoBackend);
// WASM-PENDING: the wasm backend joins here once src/wasm/rsa.ts lands, with its modules
// registered as the precompiled `.wasm` imports of src/wasm/generated/workerd.ts.
registerBackend(jsBackend);

export * from './api.js';
