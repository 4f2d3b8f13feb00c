/**
 * Everything every entry exports. Entries (index.ts for browsers, Deno, Bun and workerd;
 * index.node.ts for Node) add only the registration of the backends their runtime has.
 * The Qredo API half lives in api/qredo-api.ts (also the `qredo-sign/qredo-api` entry); this file
 * adds the Partner API half.
 */
export * from './qredo-api.js';
// The full entries' Qredo signer also takes a secret provider (explicit exports win over `*`).
export { createQredoSigner, signQredoRequest } from '../sign/qredo-rotating.js';
export { partnerSigningInput, type NonceInit } from '../scheme/canonical.js';
export {
  createPartnerSigner,
  signPartnerRequest,
  type PartnerSigner,
  type PartnerSignerOptions,
  type PartnerRequest,
} from '../sign/partner-signer.js';
export { createNonceSource, type NonceSource, type NonceSourceOptions } from '../sign/nonce.js';
export { rsaSign, rsaVerify } from '../sign/primitives.js';
export type { PrivateKeyInput, PublicKeyInput } from '../keys/keys.js';
export type { RsaJwk } from '../keys/material.js';
export type { OneOrMore } from '../verify/common.js';
export type {
  ExternalSigner,
  ExternalMessageSigner,
  ExternalDigestSigner,
} from '../sign/external-key.js';
export {
  verifyPartnerRequest,
  type PartnerStamps,
  type VerifiedPartnerRequest,
  type VerifyPartnerOptions,
} from '../verify/verifiers.js';
export {
  createMemoryNonceStore,
  defaultNonceStore,
  type NonceStore,
  type MemoryNonceStore,
  type MemoryNonceStoreOptions,
} from '../verify/nonce-store.js';
