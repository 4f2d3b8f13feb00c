/**
 * `initWasm` for the entries that carry no WASM (`qredo-sign/node`, `/webcrypto`, `/js`): there is
 * nothing to compile, so it resolves at once. Exported so that every entry exports the same names
 * and code written for the root entry (`await initWasm()` at start-up) runs unchanged on them.
 *
 * @example
 * ```ts
 * import { initWasm } from 'qredo-sign/js';
 * await initWasm(); // resolves at once: this entry has no WebAssembly
 * ```
 */
export function initWasm(names?: readonly string[]): Promise<void> {
  void names;
  return Promise.resolve();
}
