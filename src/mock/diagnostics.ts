/**
 * The body of the mock's 401 (contract §6.1): Qredo's error object (`code`, `msg`, `detail`, the shape
 * Qredo's API documentation shows) with the diagnostics a client author needs to find their bug:
 * the signing input the received request implies (as text, escaped the way `qredo-sign explain`
 * shows it, and in hex), the timestamp's distance from the mock's clock, and the missing header.
 *
 * It never contains the signature the mock expected: anyone who can reach the mock could then have
 * it sign arbitrary requests (a signing oracle). The signing input is public information: it is
 * built only from what the request itself carried.
 */
import { isSigningError } from '../index.node.js';
import { MockTokenError } from './token.js';
import { escapeForDisplay } from '../cli/explain.js';
import { timestampInterval } from '../verify/timestamp-window.js';
import { PARTNER_HEADERS, QREDO_HEADERS, TOKEN_HEADER } from '../scheme/headers.js';

/**
 * Which scheme a request claims (by its headers, or the token endpoint path).
 *
 * @example
 * ```ts
 * const scheme: MockScheme = 'partner';
 * ```
 */
export type MockScheme = 'qredo-v1' | 'qredo-v2' | 'partner' | 'token' | 'none';

/**
 * `detail` of a 401 from the mock.
 *
 * @example
 * ```ts
 * if (detail.reason === 'signature') console.log(detail.signingInputEscaped);
 * ```
 */
export interface MockFailureDetail {
  /** contract §6.1's three kinds: the signature, the timestamp (or nonce), or a header. */
  reason: 'signature' | 'timestamp' | 'header';
  /** The library's `SigningError` code (e.g. `BAD_SIGNATURE`, `REPLAYED_NONCE`, `UNKNOWN_KEY`). */
  code: string;
  /** The verifier's message: what is wrong with the request, in words (never a secret). */
  message: string;
  /** The first header the scheme needs that the request lacks. */
  missingHeader?: string;
  /** The bytes the request implies, decoded as UTF-8 (exact bytes: `signingInputHex`). */
  signingInput?: string;
  /**
   * The same bytes with every non-printable byte escaped (`\n`, `\x00`, a final space as
   * `\x20`), split into lines after each newline: the form to compare with your own by eye.
   */
  signingInputEscaped?: string;
  /** The same bytes in lower-case hex: the exact signing input, to diff byte by byte. */
  signingInputHex?: string;
  /** The request's timestamp minus the mock's clock, in seconds; null without a timestamp. */
  skewSeconds?: number | null;
}

/**
 * The whole 401 body: Qredo's error object with `detail`.
 *
 * @example
 * ```ts
 * const { detail } = (await res.json()) as MockFailureBody;
 * ```
 */
export interface MockFailureBody {
  /** The HTTP status, repeated in the body as Qredo's error objects do. */
  code: 401;
  /** Qredo's short text for the status. */
  msg: 'Unauthorized';
  /** Why the request was refused, and the signing input the mock expected. */
  detail: MockFailureDetail;
}

const encoder = new TextEncoder();

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value?.trim() || undefined;

/** The headers each scheme requires, in the order the verifiers check them. */
const REQUIRED: Record<MockScheme, string[]> = {
  'qredo-v1': [QREDO_HEADERS.v1.apiKey, QREDO_HEADERS.v1.timestamp, QREDO_HEADERS.v1.signature],
  'qredo-v2': [QREDO_HEADERS.v2.apiKey, QREDO_HEADERS.v2.timestamp, QREDO_HEADERS.v2.signature],
  partner: [PARTNER_HEADERS.apiKey, PARTNER_HEADERS.signature],
  token: [TOKEN_HEADER],
  none: [QREDO_HEADERS.v1.apiKey],
};

function reasonOf(code: string): MockFailureDetail['reason'] {
  if (code === 'STALE_TIMESTAMP' || code === 'REPLAYED_NONCE') return 'timestamp';
  if (code === 'MISSING_HEADER' || code === 'UNKNOWN_KEY' || code === 'INVALID_TOKEN') {
    return 'header';
  }
  return 'signature';
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Seconds between a decimal timestamp (read by its magnitude, contract §3) and `nowMs`.
 *
 * @example
 * ```ts
 * skewOf('1700000000', 1_700_000_030_000) // -30
 * ```
 */
export function skewOf(stamp: string | undefined, nowMs: number): number | null {
  if (stamp === undefined || !/^[0-9]{1,30}$/.test(stamp)) return null;
  const { from } = timestampInterval(stamp);
  return Math.round((Number(from / 1_000_000n) - nowMs) / 10) / 100;
}

/**
 * The signing input the received request implies under its scheme (contract §1.1, §1.2): the stamp
 * header as received (empty when absent), the method for the Qredo API, the URL the request
 * arrived at, and the body bytes. Undefined for requests that are not signed (`x-token`).
 *
 * @example
 * ```ts
 * impliedSigningInput('qredo-v1', 'GET', url, req.headers, new Uint8Array())?.input
 * ```
 */
export function impliedSigningInput(
  scheme: MockScheme,
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Uint8Array,
): { input: Uint8Array; stamp?: string; isTimestamp: boolean } | undefined {
  let prefix: string;
  let stamp: string | undefined;
  let isTimestamp = true;
  if (scheme === 'partner') {
    const ts = one(headers[PARTNER_HEADERS.timestamp]);
    stamp = ts ?? one(headers[PARTNER_HEADERS.nonce]);
    isTimestamp = ts !== undefined;
    prefix = (stamp ?? '') + url;
  } else if (scheme === 'qredo-v1' || scheme === 'qredo-v2' || scheme === 'none') {
    stamp = one(headers[QREDO_HEADERS[scheme === 'qredo-v2' ? 'v2' : 'v1'].timestamp]);
    prefix = (stamp ?? '') + method.toUpperCase() + url;
  } else return undefined;
  const head = encoder.encode(prefix);
  const input = new Uint8Array(head.length + body.length);
  input.set(head);
  input.set(body, head.length);
  return { input, stamp, isTimestamp };
}

/**
 * The 401 body for `error` (a `SigningError` from a verifier or the token check). Only the error's
 * code and message are copied: the library guarantees neither holds key material.
 *
 * @example
 * ```ts
 * send(res, 401, failureBody(error, 'qredo-v1', received, Date.now()));
 * ```
 */
export function failureBody(
  error: unknown,
  scheme: MockScheme,
  request: {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: Uint8Array;
  },
  nowMs: number,
): MockFailureBody {
  const known = isSigningError(error) || error instanceof MockTokenError;
  const code = known ? error.code : 'BAD_SIGNATURE';
  const message = known ? error.message : 'the request could not be verified';
  const detail: MockFailureDetail = { reason: reasonOf(code), code, message };
  const missing = REQUIRED[scheme].find((name) => one(request.headers[name]) === undefined);
  if (missing !== undefined) detail.missingHeader = missing;
  else if (
    scheme === 'partner' &&
    one(request.headers[PARTNER_HEADERS.timestamp]) === undefined &&
    one(request.headers[PARTNER_HEADERS.nonce]) === undefined
  ) {
    detail.missingHeader = PARTNER_HEADERS.timestamp;
  }
  const implied = impliedSigningInput(
    scheme,
    request.method,
    request.url,
    request.headers,
    request.body,
  );
  if (implied) {
    detail.signingInput = new TextDecoder().decode(implied.input);
    detail.signingInputEscaped = escapeForDisplay(implied.input).join('\n');
    detail.signingInputHex = hex(implied.input);
    detail.skewSeconds = implied.isTimestamp ? skewOf(implied.stamp, nowMs) : null;
  }
  return { code: 401, msg: 'Unauthorized', detail };
}
