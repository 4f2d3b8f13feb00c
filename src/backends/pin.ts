/**
 * "Pinning": a backend entry (`qredo-sign/js`, `qredo-sign/wasm`, `qredo-sign/webcrypto`,
 * `qredo-sign/node`) exports the API with its own backend as the default, so that importing it
 * chooses the backend even when another entry in the same process registered others (issue 16).
 * An explicit `backend` option still wins.
 */
import type { BackendName } from './types.js';

/**
 * `fn` with `backend` filled into its options argument (at `index`) when the caller gave none. The
 * caller's object is not changed: a shallow copy carries the default. Anything that is not an
 * options object is passed as it is, so `fn` reports it as it always does.
 *
 * @example
 * ```ts
 * export const createQredoSigner = pinBackend(api.createQredoSigner, 'js', 0);
 * ```
 */
export function pinBackend<F extends (...args: never[]) => unknown>(
  fn: F,
  backend: BackendName,
  index: number,
): F {
  // Returned as the type of `fn` itself, so that the entries' declarations say `typeof api.name`
  // instead of the signature spelled out as TypeScript 5.7+ prints it (`Uint8Array<ArrayBufferLike>`,
  // which TypeScript 5.0–5.6 consumers reject: issue 16).
  const call = fn as unknown as (...args: unknown[]) => unknown;
  const pinned = (...args: unknown[]): unknown => {
    const options = args[index];
    if (options === undefined) {
      args[index] = { backend };
    } else if (
      typeof options === 'object' &&
      options !== null &&
      (options as { backend?: unknown }).backend === undefined
    ) {
      args[index] = { ...options, backend };
    }
    return call(...args);
  };
  return pinned as unknown as F;
}
