/**
 * Everything every entry exports. Entries (index.ts for browsers, Deno, Bun and workerd;
 * index.node.ts for Node) add only the registration of the backends their runtime has.
 * The Qredo API half lives in api-qredo.ts (also the `qredo-sign/qredo-api` entry); this file
 * adds the Partner API half.
 */
export * from './api-qredo.js';
// The full entries' Qredo signer also takes a secret provider (explicit exports win over `*`).
export { createQredoSigner, signQredoRequest } from './qredo-rotating.js';
export { partnerSigningInput, type NonceInit } from './canonical.js';
export {
  createPartnerSigner,
  signPartnerRequest,
  type PartnerSigner,
  type PartnerSignerOptions,
  type PartnerRequest,
} from './partner.js';
export { createNonceSource, type NonceSource, type NonceSourceOptions } from './nonce.js';
export { rsaSign, rsaVerify } from './primitives.js';
export type { PrivateKeyInput, PublicKeyInput } from './keys.js';
export type {
  ExternalSigner,
  ExternalMessageSigner,
  ExternalDigestSigner,
} from './external-key.js';
export { verifyPartnerRequest, type VerifyPartnerOptions } from './verify.js';
export {
  createMemoryNonceStore,
  defaultNonceStore,
  type NonceStore,
  type MemoryNonceStore,
  type MemoryNonceStoreOptions,
} from './nonce-store.js';
