/**
 * Server-side verification (contract §3, §3.1), for gateways, mock servers and tests: the Qredo API
 * verifier (verify-qredo.ts) and the Partner API verifier (verify-partner.ts). The received body
 * and target are verified as received: never re-serialised, never normalised (verify-target.ts).
 *
 * Only the backend registry is imported, never a backend, so these work from every entry.
 */
export {
  DEFAULT_MAX_SKEW_SECONDS,
  DEFAULT_NONCE_TTL_SECONDS,
  type ReceivedRequest,
  type VerifiedRequest,
} from './common.js';
export { verifyQredoRequest, type VerifyQredoOptions } from './qredo.js';
export {
  verifyPartnerRequest,
  type PartnerStamps,
  type VerifiedPartnerRequest,
  type VerifyPartnerOptions,
} from './partner.js';
