/**
 * `qredo-sign/openapi-fetch`: a middleware that signs every request of an `openapi-fetch` client
 * (contract §3b). Needs `openapi-fetch` (an optional peer dependency); the main entries never import it.
 */
export { signingMiddleware, type SigningMiddlewareOptions } from './client/openapi-fetch.js';
export type { AdapterSigner, AdapterSignInput } from './client/adapter-common.js';
