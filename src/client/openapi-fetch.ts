/**
 * openapi-fetch middleware (contract §3b, §3a.1). openapi-fetch builds a `Request` (URL from the
 * schema path and its query serialiser, body from its body serialiser) and lets middleware replace
 * it before `fetch`; so the signature is taken over that Request's own URL and body bytes, and the
 * replacement carries exactly those bytes, the scheme's headers and `redirect: 'manual'` (its
 * default is 'follow', which would re-send the headers to wherever a 3xx points).
 */
import type { Middleware } from 'openapi-fetch';
import { SigningError } from '../lib/errors.js';
import {
  SCHEME_HEADERS,
  setSignedHeaders,
  checkNonce,
  checkSigner,
  checkedNonce,
  type AdapterSigner,
} from './adapter-common.js';

/**
 * Options of {@link signingMiddleware}.
 *
 * @example
 * ```ts
 * client.use(signingMiddleware(partnerSigner, { nonce: 'auto', maxBodyBytes: 1 << 20 }));
 * ```
 */
export interface SigningMiddlewareOptions {
  /** `'auto'`: Partner API requests carry `x-nonce` from the signer's increasing source. */
  nonce?: 'auto';
  /**
   * `'manual'` (default): a 3xx comes back as the response, nothing follows it (in browsers an
   * opaque one). `'error'`: a redirect rejects the call.
   */
  redirect?: 'manual' | 'error';
  /** Largest body read for signing, in bytes (default 10 MiB): beyond it `BODY_TOO_LARGE`. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

// Request properties besides method, URL, headers and body that the replacement keeps.
const CARRIED = [
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'mode',
  'referrerPolicy',
  'signal',
] as const;

async function bodyBytes(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return undefined;
  const declared = Number(request.headers.get('content-length'));
  if (declared > limit) throw tooLarge(limit);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > limit) throw tooLarge(limit);
  return bytes.length === 0 ? undefined : bytes;
}

function tooLarge(limit: number): SigningError {
  return new SigningError(
    'BODY_TOO_LARGE',
    `the request body is larger than maxBodyBytes (${limit} bytes); it was not sent`,
  );
}

/**
 * A middleware that signs every request of an `openapi-fetch` client (`client.use(...)`): the
 * Request's URL (with the query openapi-fetch serialised) and body bytes are signed, and a new
 * Request with exactly those bytes, the scheme's headers and `redirect: 'manual'` replaces it.
 * Add it last (`client.use` runs middleware in order), so that nothing changes the request after
 * it is signed; do not set `redirect` in the client's `requestInitExt`.
 *
 * @example
 * ```ts
 * import createClient from 'openapi-fetch';
 * import { signingMiddleware } from 'qredo-sign/openapi-fetch';
 * const client = createClient<paths>({ baseUrl: 'https://play-api.qredo.network/api/v1/p' });
 * client.use(signingMiddleware(createPartnerSigner({ apiKey, privateKey })));
 * ```
 */
export function signingMiddleware(
  signer: AdapterSigner,
  options: SigningMiddlewareOptions = {},
): Middleware {
  const s = checkSigner(signer);
  const nonce = checkNonce(options?.nonce);
  const redirect = options?.redirect ?? 'manual';
  if (redirect !== 'manual' && redirect !== 'error') {
    throw new SigningError('INVALID_OPTION', "redirect must be 'manual' or 'error'");
  }
  const limit = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new SigningError('INVALID_OPTION', 'maxBodyBytes must be a non-negative integer');
  }
  return {
    async onRequest({ request }) {
      const body = await bodyBytes(request, limit);
      const signed = checkedNonce(
        await s.sign({ method: request.method, url: request.url, body, ...(nonce && { nonce }) }),
        nonce,
      );
      const headers = new Headers(request.headers);
      for (const name of SCHEME_HEADERS) headers.delete(name);
      setSignedHeaders(headers, signed);
      const init: RequestInit = {
        method: signed.method,
        headers,
        body: signed.body as BodyInit | undefined,
        redirect,
      };
      for (const key of CARRIED) {
        // 'navigate' cannot be given to the Request constructor; every other value is kept.
        if (key === 'mode' && request.mode === 'navigate') continue;
        (init as Record<string, unknown>)[key] = request[key];
      }
      // The same class as the incoming Request: a client may use its own (createClient's `Request`).
      const RequestClass = request.constructor as typeof Request;
      return new RequestClass(signed.url, init);
    },
  };
}
