/**
 * Request bodies for `createSignedFetch` (contract §3a): every form `fetch` accepts is reduced here to
 * the string or bytes that get signed and sent, because `fetch` would otherwise choose the bytes
 * (encodings, multipart boundaries) after the signature was computed.
 */
import { isPlainJson } from '../lib/checks.js';
import { SigningError } from '../lib/errors.js';
import { concatBytes } from '../lib/encoding.js';
import type { SignedFetchInit, SignerInput } from './signed-fetch.js';

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

// Request properties that are not method, URL, headers or body, carried over when the input is a
// Request (fetch(request, init) keeps them too); init's own values override them. `redirect` is
// not among them: it is decided in fetch-redirect.ts (contract §3a.1).
export const CARRIED = [
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'referrerPolicy',
  'signal',
] as const;

export function sizeLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new SigningError('INVALID_OPTION', 'maxBodyBytes must be a non-negative integer');
}

export function tooLarge(limit: number): SigningError {
  return new SigningError(
    'BODY_TOO_LARGE',
    `the request body is larger than maxBodyBytes (${limit} bytes); it was not sent`,
  );
}

/** Reads a stream of byte chunks once, stopping (and cancelling it) beyond `limit`. */
export async function readChunks(
  chunks: AsyncIterable<unknown> | ReadableStream<unknown>,
  limit: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: unknown) => {
    // The Fetch standard's body streams carry Uint8Array chunks; anything else is not bytes.
    if (!(chunk instanceof Uint8Array)) {
      throw new SigningError('INVALID_BODY', 'a body stream must yield Uint8Array chunks');
    }
    total += chunk.length;
    if (total > limit) throw tooLarge(limit);
    parts.push(chunk);
  };
  if (typeof (chunks as ReadableStream).getReader === 'function') {
    let reader: ReadableStreamDefaultReader<unknown>;
    try {
      reader = (chunks as ReadableStream<unknown>).getReader();
    } catch {
      throw new SigningError('INVALID_BODY', 'the body stream is locked or was already read');
    }
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const chunk of chunks as AsyncIterable<unknown>) take(chunk);
  }
  return concatBytes(...parts);
}

/** A body turned into what can be signed, and the Content-Type fetch would have given it. */
export interface SignableBody {
  body: SignerInput['body'];
  contentType?: string;
}

/**
 * The fetch body forms, reduced to a string, bytes or a plain JSON value. Content-Type defaults
 * follow the Fetch standard's "extract a body" (§5.2), since fetch no longer sees the original.
 */
async function signableBody(body: unknown, limit: number): Promise<SignableBody> {
  if (body === undefined || body === null) return { body: undefined };
  // A string is sent as a string: fetch encodes it as UTF-8 and adds text/plain itself.
  if (typeof body === 'string') return { body };
  if (body instanceof Uint8Array) return { body };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) {
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    // fetch picks the multipart boundary while sending, after any signature was computed.
    throw new SigningError(
      'INVALID_BODY',
      'a FormData body cannot be signed (fetch chooses its multipart boundary when sending); ' +
        'encode it yourself and pass the bytes with their Content-Type',
    );
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    if (body.size > limit) throw tooLarge(limit);
    const bytes = new Uint8Array(await body.arrayBuffer());
    return body.type === '' ? { body: bytes } : { body: bytes, contentType: body.type };
  }
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) {
    return {
      body: body.toString(),
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    };
  }
  if (typeof body === 'object') {
    const iterable =
      typeof (body as ReadableStream).getReader === 'function' ||
      typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
    if (iterable) return { body: await readChunks(body as AsyncIterable<unknown>, limit) };
    // A plain object or array is JSON (contract §1.4): the signer serialises it once.
    if (isPlainJson(body)) {
      return { body: body as Record<string, unknown>, contentType: 'application/json' };
    }
  }
  throw new SigningError(
    'INVALID_BODY',
    'body must be a string, bytes, Blob, URLSearchParams, a byte stream, a plain object or array',
  );
}

/** The request as the caller described it: a string, URL or Request, plus init. */
export async function describe(
  input: string | URL | Request,
  init: SignedFetchInit | undefined,
  limit: number,
): Promise<{
  method: string;
  url: string;
  headers: Headers;
  body: SignableBody;
  carried: RequestInit;
  /** The Request's own `redirect`, when the input is a Request. */
  requestRedirect?: RequestRedirect;
}> {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
  const carried: Record<string, unknown> = {};
  let url: string;
  if (request) {
    url = request.url;
    for (const name of CARRIED) {
      if (request[name] !== undefined) carried[name] = request[name];
    }
  } else if (typeof input === 'string') {
    url = input;
  } else if (input instanceof URL) {
    url = input.href;
  } else {
    throw new SigningError('INVALID_URL', 'input must be a string, URL or Request');
  }
  const method = init?.method ?? request?.method ?? 'GET';
  // As in `new Request(input, init)`: init.headers replace the Request's headers.
  const headers = new Headers(init?.headers ?? request?.headers);
  let body: SignableBody;
  if (init?.body !== undefined && init.body !== null) {
    body = await signableBody(init.body, limit);
  } else if (request?.body) {
    if (request.bodyUsed)
      throw new SigningError('INVALID_BODY', 'the Request body was already read');
    body = { body: await readChunks(request.body, limit) };
  } else {
    body = { body: undefined };
  }
  return { method, url, headers, body, carried, requestRedirect: request?.redirect };
}
