/**
 * The Qredo API half of the public API: everything that needs only HMAC-SHA256 (signing, v2 token
 * sessions, verification, signed fetch and WebSocket signing with a Qredo API signer). `api.ts`
 * adds the Partner API half (RSA keys, nonces); the `qredo-sign/qredo-api` entry exports this half
 * alone, so that a bundle of it never reaches RSA or nonce code.
 */
export { SigningError, isSigningError, type SigningErrorCode } from '../lib/errors.js';
export { base64url } from '../lib/encoding.js';
export {
  qredoSigningInput,
  type BodyInit,
  type TimestampInit,
  type RequestParts,
} from '../scheme/canonical.js';
export {
  createQredoSigner,
  signQredoRequest,
  type QredoSigner,
  type QredoSignerOptions,
  type QredoRequest,
  type QredoProfile,
  type SecretProvider,
} from '../sign/qredo-signer.js';
export type { SignedRequest } from '../scheme/signed-request.js';
export { hmacSha256, type PrimitiveOptions } from '../sign/primitives.js';
export { availableBackends, type BackendChoice } from '../backends/registry.js';
export type { BackendName, MaybePromise } from '../backends/types.js';
export { verifyQredoRequest, type VerifyQredoOptions } from '../verify/qredo.js';
export type { ReceivedRequest, VerifiedRequest } from '../verify/common.js';
export type { HeadersInput } from '../verify/headers.js';
export {
  createSignedFetch,
  type SignedFetchOptions,
  type SignedFetchInit,
  type SignedFetchFunction,
  type FetchFunction,
  type RequestSigner,
  type SignerInput,
} from '../client/signed-fetch.js';
export {
  createClockSkew,
  type ClockSkew,
  type ClockSkewOptions,
  type ClockSyncOptions,
} from '../client/clock-skew.js';
export type { RetryOptions } from '../client/fetch-retry.js';
export {
  createQredoTokenSession,
  type QredoTokenSession,
  type QredoTokenSessionOptions,
} from '../client/token-session.js';
export {
  signWebSocket,
  runtimeSendsWebSocketHeaders,
  type SignWebSocketOptions,
  type SignedWebSocket,
  type WebSocketSigner,
} from '../client/websocket.js';
export {
  QREDO_ENVIRONMENTS,
  resolveEnvironment,
  environmentUrl,
  type QredoEnvironment,
} from '../client/environments.js';
