/**
 * What the HTTP-client adapters (axios, openapi-fetch) share: the signer they accept, the scheme
 * headers they own, signing with `nonce: 'auto'`, and the origin rule of contract §3a.1.
 */
import { SigningError, isSigningError } from '../lib/errors.js';
import type { SignedRequest } from '../scheme/signed-request.js';
import { CONTENT_TYPE, PARTNER_HEADERS, SIGNING_HEADER_NAMES } from '../scheme/headers.js';

/**
 * What an adapter signs: method, absolute URL, the body already turned into bytes or text.
 *
 * @example
 * ```ts
 * const input: AdapterSignInput = { method: 'POST', url: 'https://api.qredo.network/qapi/v1/company', body: '{"name":"ACME"}' };
 * ```
 */
export interface AdapterSignInput {
  /** The request method, upper-cased as the client will send it. */
  method: string;
  /** The absolute URL the client will send to (base URL and query already applied). */
  url: string;
  /** The body exactly as it will be sent; absent for none. */
  body?: string | Uint8Array;
  /** `'auto'` when the adapter was set up with `nonce: 'auto'` (Partner API signers only). */
  nonce?: 'auto';
}

/**
 * A `createQredoSigner` or `createPartnerSigner` result (anything with their `sign`; `signSync`
 * lets axios re-sign a same-origin redirect).
 *
 * @example
 * ```ts
 * const signer: AdapterSigner = createPartnerSigner({ apiKey, privateKey });
 * ```
 */
export interface AdapterSigner {
  /** Signs one request before it is sent. */
  sign(request: AdapterSignInput): Promise<SignedRequest>;
  /**
   * Signs synchronously; used only to re-sign a same-origin redirect inside axios, where no
   * promise can be awaited. Without it such a redirect is refused (`ASYNC_ONLY_BACKEND`).
   */
  signSync?(request: AdapterSignInput): SignedRequest;
}

/** Every header name either scheme sets (contract §1.1–§1.3): removed before a request is re-signed. */
export const SCHEME_HEADERS: readonly string[] = SIGNING_HEADER_NAMES;

export function checkSigner(signer: unknown): AdapterSigner {
  if (typeof (signer as AdapterSigner | null)?.sign !== 'function') {
    throw new SigningError(
      'INVALID_ARGUMENT',
      'signer must have a sign() method (createQredoSigner or createPartnerSigner)',
    );
  }
  return signer as AdapterSigner;
}

export function checkNonce(nonce: unknown): 'auto' | undefined {
  if (nonce === undefined || nonce === 'auto') return nonce;
  throw new SigningError('INVALID_OPTION', "nonce must be 'auto' (or left out)");
}

/** A signed request that really carries a nonce when one was asked for (a Qredo signer would not). */
export function checkedNonce(signed: SignedRequest, nonce: 'auto' | undefined): SignedRequest {
  if (nonce && signed.headers[PARTNER_HEADERS.nonce] === undefined) {
    throw new SigningError(
      'INVALID_OPTION',
      "nonce: 'auto' needs a Partner API signer; this signer signs timestamps",
    );
  }
  return signed;
}

/** The SigningError somewhere in an error's cause chain (HTTP clients wrap what hooks throw). */
export function signingErrorIn(error: unknown): SigningError | undefined {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (isSigningError(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** contract §3a.1: the redirect target's origin must be the one the request was signed for. */
export function crossOriginRedirect(from: string, to: string): SigningError | undefined {
  let target: string;
  try {
    target = new URL(to, from).origin;
  } catch {
    target = 'null';
  }
  if (target === new URL(from).origin) return undefined;
  return new SigningError(
    'CROSS_ORIGIN_REDIRECT',
    `a redirect from ${new URL(from).origin} to ${target} was refused: signed requests and their credentials stay with the origin they were signed for`,
  );
}

/**
 * Copies a signed request's headers onto the outgoing request's. A `content-type` the caller set
 * wins over the `application/json` label the signer adds to object bodies (contract §3a.1): the
 * label is a default, not part of what is signed.
 *
 * @example
 * ```ts
 * setSignedHeaders(headers, await signer.sign({ method, url, body }));
 * ```
 */
export function setSignedHeaders(
  target: { has(name: string): boolean; set(name: string, value: string): unknown },
  signed: SignedRequest,
): void {
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name === CONTENT_TYPE && target.has(name)) continue;
    target.set(name, value);
  }
}
