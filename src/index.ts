/**
 * The entry for browsers, Deno, Bun and Cloudflare workerd: no `node:` imports.
 * Backends: webcrypto (when `crypto.subtle` exists) and js (pure JavaScript, everywhere).
 */
import { registerBackend } from './backends/registry.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';
import { jsBackend } from './backends/js.js';

if (subtleCrypto()) registerBackend(webcryptoBackend);
registerBackend(jsBackend);

export * from './api.js';
