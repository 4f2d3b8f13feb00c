/**
 * The Qredo API half of the public API: everything that needs only HMAC-SHA256 (signing, v2 token
 * sessions, verification, signed fetch and WebSocket signing with a Qredo API signer). `api.ts`
 * adds the Partner API half (RSA keys, nonces); the `qredo-sign/qredo-api` entry exports this half
 * alone, so that a bundle of it never reaches RSA or nonce code.
 */
export { SigningError, isSigningError, type SigningErrorCode } from './errors.js';
export { base64url } from './encoding.js';
export {
  qredoSigningInput,
  type BodyInit,
  type TimestampInit,
  type RequestParts,
} from './canonical.js';
export {
  createQredoSigner,
  signQredoRequest,
  type QredoSigner,
  type QredoSignerOptions,
  type QredoRequest,
  type QredoProfile,
  type SecretProvider,
} from './qredo.js';
export type { SignedRequest } from './signed-request.js';
export { hmacSha256, type PrimitiveOptions } from './primitives.js';
export { availableBackends, type BackendChoice } from './backends/registry.js';
export type { BackendName, MaybePromise } from './backends/types.js';
export {
  verifyQredoRequest,
  type ReceivedRequest,
  type VerifiedRequest,
  type VerifyQredoOptions,
} from './verify.js';
export type { HeadersInput } from './verify-headers.js';
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
