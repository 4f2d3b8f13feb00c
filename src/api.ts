/**
 * Everything every entry exports. Entries (index.ts for browsers, Deno, Bun and workerd;
 * index.node.ts for Node) add only the registration of the backends their runtime has.
 */
export { SigningError, isSigningError, type SigningErrorCode } from './errors.js';
export { base64url } from './encoding.js';
export {
  qredoSigningInput,
  partnerSigningInput,
  type BodyInit,
  type TimestampInit,
  type NonceInit,
} from './canonical.js';
export {
  createQredoSigner,
  signQredoRequest,
  type QredoSigner,
  type QredoSignerOptions,
  type QredoRequest,
  type QredoProfile,
} from './qredo.js';
export {
  createPartnerSigner,
  signPartnerRequest,
  type PartnerSigner,
  type PartnerSignerOptions,
  type PartnerRequest,
} from './partner.js';
export type { SignedRequest } from './signed-request.js';
export { createNonceSource, type NonceSource, type NonceSourceOptions } from './nonce.js';
export { hmacSha256, rsaSign, rsaVerify, type PrimitiveOptions } from './primitives.js';
export type { PrivateKeyInput, PublicKeyInput } from './keys.js';
export { availableBackends, type BackendChoice } from './backends/registry.js';
export type { RequestParts } from './canonical.js';
export type { BackendName, MaybePromise } from './backends/types.js';
export {
  verifyQredoRequest,
  verifyPartnerRequest,
  type ReceivedRequest,
  type VerifiedRequest,
  type VerifyQredoOptions,
  type VerifyPartnerOptions,
} from './verify.js';
export type { HeadersInput } from './verify-headers.js';
export {
  createMemoryNonceStore,
  defaultNonceStore,
  type NonceStore,
  type MemoryNonceStore,
  type MemoryNonceStoreOptions,
} from './nonce-store.js';
export {
  createSignedFetch,
  type SignedFetchOptions,
  type FetchFunction,
  type RequestSigner,
  type SignerInput,
} from './fetch.js';
export { createClockSkew, type ClockSkew, type ClockSkewOptions } from './clock-skew.js';
export {
  createQredoTokenSession,
  type QredoTokenSession,
  type QredoTokenSessionOptions,
} from './token-session.js';
export {
  signWebSocket,
  runtimeSendsWebSocketHeaders,
  type SignWebSocketOptions,
  type SignedWebSocket,
  type WebSocketSigner,
} from './websocket.js';
