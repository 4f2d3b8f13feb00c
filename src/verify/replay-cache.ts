/**
 * The optional replay cache of the Qredo API verifier (contract §3.1, issue 14 item 11). A Qredo API
 * timestamp request may be sent again within `maxSkewSeconds` (contract §3); deployments that want
 * at-most-once turn this on, and each (API key, signature) is then accepted once while its
 * timestamp is within the window. HMAC is deterministic, so a resent request has the same signature.
 */
import { createMemoryNonceStore, type MemoryNonceStore } from './nonce-store.js';

// Process-wide, also across two copies of this package (ESM and CJS side by side).
const SHARED = Symbol.for('qredo-sign.default-replay-cache');

/**
 * The store `replayCache: true` uses: one in-memory store per process, apart from the nonce store.
 *
 * @example
 * ```ts
 * await verifyQredoRequest(request, { secretFor, replayCache: true }); // uses defaultReplayCache()
 * ```
 */
export function defaultReplayCache(): MemoryNonceStore {
  const holder = globalThis as { [SHARED]?: MemoryNonceStore };
  return (holder[SHARED] ??= createMemoryNonceStore());
}
