/**
 * `qredo-sign/node`: the whole public API with only the `node` backend registered (node:crypto,
 * i.e. OpenSSL in Node, BoringSSL in Bun, Deno's node:crypto). For server SDKs that want every
 * operation on the runtime's native crypto and nothing else in their dependency graph.
 *
 * Backends live in one registry per copy of the package: an application that also imports
 * `qredo-sign` gets that entry's backends as well; pass `backend: 'node'` to be explicit.
 *
 * @example
 * ```ts
 * import { createPartnerSigner } from 'qredo-sign/node';
 * const signer = createPartnerSigner({ apiKey, privateKey: pem });
 * const { headers } = signer.signSync({ method: 'GET', url });
 * ```
 */
import { registerBackend } from './backends/registry.js';
import { nodeBackend } from './backends/node.js';

registerBackend(nodeBackend);

export * from './api/all.js';
