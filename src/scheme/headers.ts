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

/**
 * Qredo API header names per profile (docs/contract.md §1.1, §1.3).
 *
 * @example
 * ```ts
 * headers[QREDO_HEADERS[profile].timestamp] = '1700000000';
 * ```
 */
export const QREDO_HEADERS: Readonly<Record<QredoProfile, QredoHeaderNames>> = Object.freeze({
  v1: Object.freeze({
    apiKey: 'qredo-api-key',
    timestamp: 'qredo-api-ts',
    signature: 'qredo-api-sig',
  }),
  v2: Object.freeze({
    apiKey: 'qredo-api-key',
    timestamp: 'qredo-api-timestamp',
    signature: 'qredo-api-signature',
  }),
});

/**
 * Partner API header names (docs/contract.md §1.2): a request carries `x-api-key`, `x-sign` and
 * exactly one of `x-timestamp` or `x-nonce`.
 *
 * @example
 * ```ts
 * request.headers[PARTNER_HEADERS.signature]; // the x-sign value
 * ```
 */
export const PARTNER_HEADERS = Object.freeze({
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
