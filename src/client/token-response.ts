/**
 * The v2 token endpoint's answer (contract §1.3): `{"token": "<JWT>"}`, read with a hard size limit
 * while it streams, and the JWT's `exp`/`iat` claims, read without verifying it (the client holds no
 * key to verify with; token-session.ts bounds what the claims may claim).
 */
import { SigningError } from '../lib/errors.js';
import { base64url } from '../lib/encoding.js';
import { readChunks } from './fetch-body.js';

// A token response is `{"token": "<JWT>"}`: a few KiB at most. Read no further (contract §3a).
const MAX_RESPONSE_BYTES = 64 * 1024;
const JWT = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

export function failed(message: string, cause?: unknown): SigningError {
  return new SigningError(
    'TOKEN_REQUEST_FAILED',
    message,
    cause === undefined ? undefined : { cause },
  );
}

/** A runtime error as a cause without anything but its message (which holds no token or secret). */
export function safeCause(error: unknown): Error | undefined {
  if (error instanceof SigningError) return error;
  return error instanceof Error ? new Error(error.message) : undefined;
}

/** The `exp` and `iat` claims of a JWT, read without verifying it (see the module comment). */
export function readClaims(token: string): { exp: number; iat?: number } {
  const match = JWT.exec(token);
  if (!match) throw failed('the token in the response is not a JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(match[1])),
    );
  } catch {
    throw failed('the JWT payload is not base64url JSON');
  }
  const { exp, iat } = (claims ?? {}) as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw failed('the JWT has no numeric exp claim, so its lifetime is unknown');
  }
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    throw failed('the JWT iat claim is not a number');
  }
  return iat === undefined ? { exp } : { exp, iat };
}

/** Reads `{"token": "<JWT>"}` from a response; errors name the status, never the body or token. */
export async function tokenFrom(response: Response, what: string): Promise<string> {
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const text = response.statusText ? ` ${response.statusText}` : '';
    throw failed(`${what} failed: HTTP ${response.status}${text}`);
  }
  const tooLarge = () => failed(`${what}: response larger than ${MAX_RESPONSE_BYTES} bytes`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  // Read while counting, and cancel past the limit: a hostile or broken server may send a body
  // without end, which `response.text()` would buffer until memory runs out.
  let bytes: Uint8Array;
  try {
    bytes = response.body ? await readChunks(response.body, MAX_RESPONSE_BYTES) : new Uint8Array(0);
  } catch (error) {
    if (error instanceof SigningError && error.code === 'BODY_TOO_LARGE') throw tooLarge();
    throw failed(`${what}: reading the response failed`, safeCause(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw failed(`${what}: HTTP ${response.status} with a body that is not JSON`);
  }
  const token = (parsed as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || token === '') {
    throw failed(`${what}: HTTP ${response.status} without a "token" string`);
  }
  return token;
}
