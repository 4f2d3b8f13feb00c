/**
 * `qredo-sign/js`: the whole public API with only the pure-JavaScript `js` backend registered, for
 * runtimes with neither WebAssembly nor WebCrypto (React Native with Hermes, locked-down
 * sandboxes). Its RSA uses native BigInt, which is not constant-time: see src/backends/js.ts.
 *
 * Backends live in one registry per copy of the package: an application that also imports
 * `qredo-sign` gets that entry's backends as well; pass `backend: 'js'` to be explicit.
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/js';
 * const signer = createQredoSigner({ apiKey, secret });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { jsBackend } from './backends/js.js';

registerBackend(jsBackend);

export * from './api/all.js';
