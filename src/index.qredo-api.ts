/**
 * `qredo-sign/qredo-api`: the Qredo API half of the public API (HMAC-SHA256: `createQredoSigner`,
 * `signQredoRequest`, `qredoSigningInput`, `verifyQredoRequest`, `hmacSha256`, v2 token sessions,
 * signed fetch and WebSocket signing, `base64url`, `SigningError`, …) with only the HMAC half of
 * the `webcrypto` backend registered (`globalThis.crypto.subtle`, asynchronous only).
 *
 * For browser SDKs that talk only to the Qredo API and want the smallest bundle: the general
 * entries register whole backends, so their bundles carry RSA code even when only HMAC is used;
 * this one's module graph reaches no RSA, key-parsing, nonce or WASM code
 * (scripts/check-package.mjs measures it). The Partner API names are not exported here: import
 * them from `qredo-sign` or a backend subpath.
 *
 * Backends live in one registry per copy of the package: an application that also imports
 * `qredo-sign` gets that entry's backends as well (this entry never removes their RSA halves).
 *
 * @example
 * ```ts
 * import { createQredoSigner } from 'qredo-sign/qredo-api';
 * const signer = createQredoSigner({ apiKey, secret });
 * const req = await signer.sign({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * ```
 */
import { registerHmacBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoHmacBackend } from './backends/webcrypto.js';

// Insecure browser contexts (plain http: pages other than localhost) have no crypto.subtle: then
// this entry has no backend and signers fail with UNAVAILABLE_BACKEND, which names the reason.
if (subtleCrypto()) registerHmacBackend(webcryptoHmacBackend);

export * from './api/qredo-api.js';
