/**
 * The mock server's ONE door to the library's verifiers (contract §3): every call to
 * `verifyQredoRequest` / `verifyPartnerRequest` made by `createMockServer` is in this file, so that
 * options the verifiers gain are switched on in one place.
 *
 * The target: the URL the client used, rebuilt from its Host header and the raw request target
 * (never normalised, contract §3.1). A mock on loopback is reached as 127.0.0.1 or localhost, and the
 * client signed whichever it used; a gateway in production configures `origin` instead.
 * Partner API: both stamp kinds (`stamps: 'either'`), since a mock serves clients of every kind;
 * §3.1's cross-records keep a request from being replayed under the other header.
 */
import {
  verifyPartnerRequest,
  verifyQredoRequest,
  type NonceStore,
  type PublicKeyInput,
} from '../index.node.js';

/**
 * A Qredo API credential the mock accepts; no `apiKey`: any API key, with this secret.
 *
 * @example
 * ```ts
 * const key: MockQredoKey = { apiKey: 'test-key', secret: process.env.TEST_SECRET! };
 * ```
 */
export interface MockQredoKey {
  /** The API key this secret belongs to; leave it out to accept any API key. */
  apiKey?: string;
  /** The API secret as the web app shows it (base64 text), or the raw key bytes. */
  secret: string | Uint8Array;
}

/**
 * A Partner API key the mock accepts; no `apiKey`: any API key, with this public key.
 *
 * @example
 * ```ts
 * const key: MockPartnerKey = { apiKey: 'partner-key', publicKey: readFileSync('public.pem', 'utf8') };
 * ```
 */
export interface MockPartnerKey {
  /** The Partner API key this public key belongs to; leave it out to accept any API key. */
  apiKey?: string;
  /** SPKI or PKCS#1 PEM, DER or JWK (contract §1.2). */
  publicKey: PublicKeyInput;
}

/**
 * What the adapter needs from the server: keys, window, clock and nonce store.
 *
 * @example
 * ```ts
 * const context: MockVerifyContext = { qredoKeys, partnerKeys: [], maxSkewSeconds: 30, now: Date.now, nonceStore };
 * ```
 */
export interface MockVerifyContext {
  qredoKeys: readonly MockQredoKey[];
  partnerKeys: readonly MockPartnerKey[];
  maxSkewSeconds: number;
  now: () => number;
  nonceStore: NonceStore;
}

/**
 * The request as the mock received it: the URL rebuilt from Host and the raw request target.
 *
 * @example
 * ```ts
 * const received: MockReceived = { method: 'GET', url: `http://${req.headers.host}${req.url}`, headers: req.headers, body };
 * ```
 */
export interface MockReceived {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

function lookup<T extends { apiKey?: string }>(keys: readonly T[], apiKey: string): T | undefined {
  return keys.find((k) => k.apiKey === apiKey) ?? keys.find((k) => k.apiKey === undefined);
}

/**
 * Qredo API v1 or v2 header names (`profile` 'v2' on the v2 token endpoint, contract §1.3).
 *
 * @example
 * ```ts
 * const { apiKey } = await verifyQredo(received, context, 'v2');
 * ```
 */
export async function verifyQredo(
  received: MockReceived,
  context: MockVerifyContext,
  profile?: 'v1' | 'v2',
): Promise<{ apiKey: string; url: string }> {
  const { apiKey, url } = await verifyQredoRequest(received, {
    secretFor: (key) => lookup(context.qredoKeys, key)?.secret,
    maxSkewSeconds: context.maxSkewSeconds,
    now: context.now,
    profile,
  });
  return { apiKey, url };
}

/**
 * Partner API, timestamp or nonce (replays refused through the mock's own nonce store).
 *
 * @example
 * ```ts
 * const { apiKey } = await verifyPartner(received, context);
 * ```
 */
export async function verifyPartner(
  received: MockReceived,
  context: MockVerifyContext,
): Promise<{ apiKey: string; url: string }> {
  const { apiKey, url } = await verifyPartnerRequest(received, {
    publicKeyFor: (key) => lookup(context.partnerKeys, key)?.publicKey,
    maxSkewSeconds: context.maxSkewSeconds,
    now: context.now,
    nonceStore: context.nonceStore,
    stamps: 'either',
  });
  return { apiKey, url };
}
