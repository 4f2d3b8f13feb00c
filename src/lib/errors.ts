/**
 * The one error type the library throws. `code` is stable and meant for programs; `message` is
 * for people. Neither ever contains secret or private-key material: callers pass field names, never
 * values, for anything secret.
 */

/**
 * Every code a {@link SigningError} can carry (contract §2).
 *
 * @example
 * ```ts
 * const retryable: SigningErrorCode[] = ['STALE_TIMESTAMP'];
 * ```
 */
export type SigningErrorCode =
  | 'INVALID_SECRET'
  | 'INVALID_API_KEY'
  | 'INVALID_REQUEST'
  | 'INVALID_ARGUMENT'
  | 'INVALID_KEY'
  | 'WEAK_KEY'
  | 'ENCRYPTED_KEY'
  | 'INVALID_URL'
  | 'INVALID_METHOD'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_NONCE'
  | 'INVALID_BODY'
  | 'INVALID_OPTION'
  | 'ASYNC_ONLY_BACKEND'
  | 'UNAVAILABLE_BACKEND'
  | 'MISSING_HEADER'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'REPLAYED_NONCE'
  | 'NONCE_STORE_FULL'
  | 'NONCE_STORE_UNAVAILABLE'
  | 'CROSS_ORIGIN_REDIRECT'
  | 'FOREIGN_ORIGIN'
  | 'SIGNATURE_FAULT'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_RUNTIME'
  | 'TOKEN_REQUEST_FAILED'
  | 'INVALID_ACTION'
  | 'AGENT_REQUEST_FAILED'
  | 'ACTION_LOCKED'
  | 'LOCK_UNAVAILABLE';

/**
 * The brand every {@link SigningError} carries on its prototype. `Symbol.for` gives the same symbol
 * to every copy of this package in a process (the ESM and CommonJS builds, two bundles, two
 * versions), so `instanceof` works across copies (issue 17).
 */
const BRAND = Symbol.for('qredo-sign.SigningError');

/**
 * A failure the library detected, with a stable `code`. `e instanceof SigningError` is true for a
 * SigningError thrown by any copy of this package (ESM and CommonJS loaded together, two bundles):
 * the check reads a `Symbol.for` brand, not the prototype chain of this one class.
 *
 * @example
 * ```ts
 * try { signer.signSync(req); } catch (e) {
 *   if (e instanceof SigningError && e.code === 'ASYNC_ONLY_BACKEND') await signer.sign(req);
 * }
 * ```
 */
export class SigningError extends Error {
  /**
   * Which failure this is, for programs to branch on: one of {@link SigningErrorCode}, stable
   * across versions (contract §2; docs/errors.md says what each means and what to do). Unlike
   * `message`, which is worded for people and may be reworded, `code` never changes meaning.
   */
  readonly code: SigningErrorCode;

  /**
   * `cause` is only ever a non-secret diagnostic (another SigningError, or a runtime error whose
   * message was produced without key bytes); never pass an object that holds key material.
   */
  constructor(code: SigningErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * Branded, not prototype-based, for SigningError itself; a subclass keeps the ordinary check
   * (its prototype chain), so `instanceof Subclass` is not widened to every SigningError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `?.` reads primitives' prototypes (no brand there) and stops at null and undefined.
    return this === SigningError
      ? !!(value as { [BRAND]?: unknown } | null | undefined)?.[BRAND]
      : super[Symbol.hasInstance](value);
  }

  /**
   * The brand, an accessor on the prototype (not enumerable, not serialised, not an own property of
   * an instance): only SigningError.prototype, in any copy of the package, defines it.
   * @internal
   */
  get [BRAND](): true {
    return true;
  }

  /** Always `'SigningError'`, also in minified bundles (where the class name would be mangled). */
  override get name(): string {
    return 'SigningError';
  }

  /**
   * The error as JSON for logs and HTTP responses: `name`, `code` and `message` only (no stack, no
   * `cause`), none of which ever holds secret material.
   *
   * @example
   * ```ts
   * JSON.stringify(error); // {"name":"SigningError","code":"INVALID_SECRET","message":"..."}
   * ```
   */
  toJSON(): {
    /** `'SigningError'`. */
    name: string;
    /** The stable {@link SigningErrorCode}. */
    code: SigningErrorCode;
    /** What went wrong and what to do, for people. */
    message: string;
  } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * Throws the error of a failed check: `<field> must be <rule>`. The code says what kind of input
 * was wrong; the message names the field and the rule it broke, never the value (it may be
 * secret). One helper keeps the checks' messages uniform and the browser bundle small (a check
 * reads `ok || fail(…)` once minified). A `cause`, if given, must itself hold nothing secret.
 *
 * @example
 * ```ts
 * if (!ok) fail('INVALID_URL', 'url', 'an absolute http(s) or ws(s) URL');
 * ```
 */
export function fail(code: SigningErrorCode, field: string, rule: string, cause?: Error): never {
  throw new SigningError(code, `${field} must be ${rule}`, cause && { cause });
}

/**
 * True when `value` is a {@link SigningError}, also across copies of this package (ESM and CJS):
 * the brand (see {@link SigningError}), or, for copies older than the brand, an Error named
 * `SigningError` with a string `code`.
 *
 * @example
 * ```ts
 * try { createPartnerSigner({ apiKey, privateKey }); } catch (e) {
 *   if (isSigningError(e) && e.code === 'WEAK_KEY') console.error(e.message);
 * }
 * ```
 */
export function isSigningError(value: unknown): value is SigningError {
  return (
    value instanceof SigningError ||
    (value instanceof Error &&
      value.name === 'SigningError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
