/**
 * The Node entry: node:crypto first, WebCrypto beside it.
 */
import { registerBackend } from './backends/registry.js';
import { nodeBackend } from './backends/node.js';
import { subtleCrypto, webcryptoBackend } from './backends/webcrypto.js';
import { jsBackend } from './backends/js.js';

registerBackend(nodeBackend);
if (subtleCrypto()) registerBackend(webcryptoBackend);
registerBackend(jsBackend);

export * from './api.js';
