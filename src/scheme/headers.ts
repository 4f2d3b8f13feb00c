/**
 * The header names of the schemes (docs/contract.md §1.1–§1.3) and the Qredo API profile type,
 * defined once. All lower-case: HTTP field names are case-insensitive (RFC 9110 §5.1) and HTTP/2
 * requires lower case on the wire (RFC 9113 §8.2.1).
 */

/**
 * Which Qredo API header names to send: `'v1'` (`qredo-api-ts`, `qredo-api-sig`, §1.1) or `'v2'`
 * (`qredo-api-timestamp`, `qredo-api-signature`, §1.3). The signature itself is the same.
 *
 * @example
 * ```ts
 * const profile: QredoProfile = 'v2';
 * ```
 */
export type QredoProfile = 'v1' | 'v2';

/**
 * The three Qredo API headers of one profile.
 *
 * @example
 * ```ts
 * const { signature } = QREDO_HEADERS.v1; // 'qredo-api-sig'
 * ```
 */
export interface QredoHeaderNames {
  readonly apiKey: string;
  readonly timestamp: string;
  readonly signature: string;
}

// One frozen table per profile, named, so that the lists below are computed from plain names.
const QREDO_V1 = /* @__PURE__ */ Object.freeze({
  apiKey: 'qredo-api-key',
  timestamp: 'qredo-api-ts',
  signature: 'qredo-api-sig',
} as const);
const QREDO_V2 = /* @__PURE__ */ Object.freeze({
  apiKey: 'qredo-api-key',
  timestamp: 'qredo-api-timestamp',
  signature: 'qredo-api-signature',
} as const);

/**
 * Qredo API header names per profile (docs/contract.md §1.1, §1.3). Literal types, so code that
 * must spell a name as a literal object key (the signer's hot path) is checked against these.
 *
 * @example
 * ```ts
 * headers[QREDO_HEADERS[profile].timestamp] = '1700000000';
 * ```
 */
export const QREDO_HEADERS = /* @__PURE__ */ Object.freeze({
  v1: QREDO_V1,
  v2: QREDO_V2,
}) satisfies Readonly<Record<QredoProfile, QredoHeaderNames>>;

/**
 * The three headers of one profile as an object type, e.g. `{ 'qredo-api-key': string;
 * 'qredo-api-ts': string; 'qredo-api-sig': string }` for `'v1'`.
 *
 * @example
 * ```ts
 * const headers: QredoHeadersOf<'v1'> = { 'qredo-api-key': k, 'qredo-api-ts': t, 'qredo-api-sig': s };
 * ```
 */
export type QredoHeadersOf<P extends QredoProfile> = {
  [K in (typeof QREDO_HEADERS)[P][keyof QredoHeaderNames]]: string;
};

/**
 * Partner API header names (docs/contract.md §1.2): a request carries `x-api-key`, `x-sign` and
 * exactly one of `x-timestamp` or `x-nonce`.
 *
 * @example
 * ```ts
 * request.headers[PARTNER_HEADERS.signature]; // the x-sign value
 * ```
 */
export const PARTNER_HEADERS = /* @__PURE__ */ Object.freeze({
  apiKey: 'x-api-key',
  signature: 'x-sign',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
} as const);

/**
 * The header that carries a Qredo API v2 session token (docs/contract.md §1.3).
 *
 * @example
 * ```ts
 * fetch(url, { headers: { [TOKEN_HEADER]: jwt } });
 * ```
 */
export const TOKEN_HEADER = 'x-token';

// The name lists are computed, which a bundler keeps unless told the computation is pure: the
// annotated helper (kept through this package's own build, unlike an IIFE, which esbuild inlines)
// and the annotated tables above let a bundle that names none of them carry none of them (the
// Qredo API signer's: ~130 B gzip, issue 17). Its arguments must be plain names: a property read
// (`QREDO_HEADERS.v1`) counts as a possible side effect and would keep the call.

/** The distinct values of `tables`, in order, frozen. */
/* @__NO_SIDE_EFFECTS__ */
function namesOf(...tables: readonly object[]): readonly string[] {
  return Object.freeze([...new Set(tables.flatMap((table) => Object.values(table) as string[]))]);
}

/** Every Qredo API header name of both profiles (what a Qredo API verifier reads). */
export const QREDO_HEADER_NAMES: readonly string[] = namesOf(QREDO_V1, QREDO_V2);

/** Every Partner API header name (what a Partner API verifier reads). */
export const PARTNER_HEADER_NAMES: readonly string[] = namesOf(PARTNER_HEADERS);

/**
 * Every header either scheme sets: an adapter deletes these before it re-signs a retried request,
 * so a stale signature or stamp never rides along with a fresh one.
 */
export const SIGNING_HEADER_NAMES: readonly string[] = namesOf(QREDO_V1, QREDO_V2, PARTNER_HEADERS);

/** The header a signed request built from a plain object or array body carries (contract §3a.1). */
export const CONTENT_TYPE = 'content-type';
/** Its value: the body was serialised with `JSON.stringify`. */
export const JSON_MEDIA_TYPE = 'application/json';
