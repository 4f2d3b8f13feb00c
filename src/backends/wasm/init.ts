/**
 * `initWasm`, as the package entries export it: its declaration names no `WebAssembly` type, so a
 * consumer compiling without the DOM library (Node types only) can import the root entry.
 */
import { initWasm as compileModules } from './load.js';

/**
 * Compiles the WASM modules (default: every one this entry carries) asynchronously, so that later
 * synchronous signing finds them compiled. Needed only where synchronous compilation is refused
 * (browser main threads with a size limit); harmless elsewhere. Rejects with
 * `UNAVAILABLE_BACKEND` when WebAssembly is missing or refused (a Content-Security-Policy without
 * `'wasm-unsafe-eval'`).
 *
 * @example
 * ```ts
 * import { initWasm, createQredoSigner } from 'qredo-sign';
 * await initWasm(); // once, at start-up
 * ```
 */
export function initWasm(names?: readonly string[]): Promise<void> {
  return compileModules(names);
}
