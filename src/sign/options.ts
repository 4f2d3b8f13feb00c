/**
 * The check of an options argument, shared by the signer factories: an options object (or an
 * option that must be one) that is not an object is `INVALID_OPTION`, the code of every other
 * option fault (docs/errors.md); `INVALID_REQUEST` stays for the request argument.
 */
import { fail } from '../lib/errors.js';

/**
 * `value` itself when it is an object; otherwise `INVALID_OPTION`: "<what> must be an object".
 *
 * @example
 * ```ts
 * const nonce = checkOptions(options.nonce ?? {}, 'nonce');
 * ```
 */
export function checkOptions<T>(value: T, what: string): T & object {
  if (typeof value !== 'object' || value === null) fail('INVALID_OPTION', what, 'an object');
  return value as T & object;
}
