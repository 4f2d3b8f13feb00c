/**
 * The two faults every backend and signer reports the same way, written once so that one fault
 * never carries two codes (issue 15): a signature withheld because it failed its check, and a key
 * or signer used after `destroy()`. docs/errors.md lists both codes.
 */
import { SigningError } from '../lib/errors.js';
import type { BackendName } from './types.js';

/**
 * The error for a signature that failed the check made before release (RFC 8017 §5.1.2: a fault
 * in one CRT half would reveal a prime factor), so it was withheld: `SIGNATURE_FAULT`.
 * `detail` says where it came from when that helps (an external signer); never a key value.
 *
 * @example
 * ```ts
 * if (!verified) throw signatureWithheld();
 * ```
 */
export function signatureWithheld(detail = 'RSA signature failed its check'): SigningError {
  return new SigningError('SIGNATURE_FAULT', `${detail} and was withheld; nothing was signed`);
}

/**
 * The error for a key or signer used after its `destroy()`: `INVALID_OPTION`, the code every
 * public object (signers, sessions, the signing agent) has given since 0.1, now also the one the
 * backends' prepared keys give.
 *
 * @example
 * ```ts
 * if (destroyed) throw usedAfterDestroy('HMAC key');
 * ```
 */
export function usedAfterDestroy(what: string): SigningError {
  return new SigningError('INVALID_OPTION', `this ${what} was destroyed: create a new one`);
}

/**
 * A backend that turned out unusable in this runtime while importing a key (WebAssembly refused
 * by a Content-Security-Policy, or absent): `UNAVAILABLE_BACKEND`, typed with the backend's name
 * so that `'auto'` can retire it and move on (registry `withAutoFallback`). Any other error,
 * even with the same code, is the caller's and is never taken as a reason to switch backends.
 *
 * @example
 * ```ts
 * throw new BackendRefusedError('wasm', 'this runtime has no WebAssembly');
 * ```
 */
export class BackendRefusedError extends SigningError {
  /** The backend that refused; `'auto'` retires it. */
  readonly backend: BackendName;

  constructor(backend: BackendName, message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE_BACKEND', message, options);
    this.backend = backend;
  }
}
