/**
 * The entry for browsers, Deno, Bun and Cloudflare workerd: no `node:` imports.
 * Backends: webcrypto (when `crypto.subtle` exists).
 */
import { registerBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';

if (subtleCrypto()) registerBackend(webcryptoBackend);

export * from './api.js';
