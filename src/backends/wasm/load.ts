/**
 * Loading the WebAssembly modules of `assembly/` (built by scripts/build-wasm.mjs, listed in
 * assembly/modules.json) in every runtime, each compiled at most once per process.
 *
 * Where the module comes from depends on the package entry, never on a runtime probe:
 * - Node, Deno, Bun, browsers: the entry registers `EMBEDDED_WASM` (generated: name → hex) and
 *   the first use compiles synchronously with `new WebAssembly.Module`. Browsers that refuse large
 *   synchronous compiles on the main thread (Chrome did below 4 KiB once) need `await initWasm()`
 *   first, which compiles with `WebAssembly.compile`.
 * - Cloudflare workerd forbids compiling bytes at run time: its entry registers `COMPILED_WASM`
 *   (generated: each module imported as a `.wasm` file, which workerd and wrangler hand over as a
 *   compiled `WebAssembly.Module`).
 * - Anyone may hand in a precompiled module with {@link provideWasmModule}.
 *
 * Content-Security-Policy: a page that sets `script-src` must allow `'wasm-unsafe-eval'` (or
 * `'unsafe-eval'`) for any WebAssembly compilation, sync or async, to succeed; without it the
 * `wasm` backend is unavailable and `'auto'` picks another backend.
 *
 * Modules are compiled here but instantiated by their users ({@link instantiateWasm}): each
 * instance has its own linear memory, and the hash and RSA code keep theirs apart.
 */
import { BackendRefusedError } from '../faults.js';

/** A module as its entry ships it: hex text, raw bytes, or already compiled. */
export type WasmSource = string | Uint8Array<ArrayBuffer> | WebAssembly.Module;

const sources = new Map<string, WasmSource>();
const compiled = new Map<string, WebAssembly.Module>();

// Typed with the backend so that 'auto' can retire wasm and move on (registry withAutoFallback).
function unavailable(message: string, cause?: unknown): BackendRefusedError {
  return new BackendRefusedError('wasm', message, cause === undefined ? {} : { cause });
}

// What engines say when a page's Content-Security-Policy forbids compiling WebAssembly: Chromium
// "Wasm code generation disallowed by embedder", Firefox and Safari name 'unsafe-eval' or the CSP.
const CSP_REFUSAL = /disallowed by embedder|unsafe-eval|content.security/i;

/** Why compiling `name` failed, in words a page author can act on. */
function refused(name: string, error: unknown, sync: boolean): BackendRefusedError {
  const text = error instanceof Error ? error.message : String(error);
  if (CSP_REFUSAL.test(text)) {
    return unavailable(
      `WebAssembly was refused by the page's Content-Security-Policy: allow 'wasm-unsafe-eval' in script-src to use the wasm backend, or choose another backend`,
      error,
    );
  }
  return unavailable(
    sync
      ? `WebAssembly refused to compile "${name}" synchronously here (a main-thread size limit: await initWasm() first)`
      : `WebAssembly refused to compile "${name}"`,
    error,
  );
}

function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function';
}

const HEX = /^[0-9a-f]*$/;

/** 0-15 for the char code of a lower-case hex digit (the text was checked with HEX first). */
function nibble(c: number): number {
  return c < 58 ? c - 48 : c - 87;
}

/**
 * Lower-case hex text as bytes, or undefined when it is not that. Native decoders first: a cold
 * process runs a JS loop in the interpreter, ~2-6 ms here for the 10 KB hash module against
 * ~0.1 ms natively, the largest single cost of a first signature (issue 17). The loop is for
 * runtimes with neither (`Uint8Array.fromHex` is ES2026; `Buffer` is Node's and Bun's).
 */
function hexBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 2 !== 0 || !HEX.test(text)) return undefined;
  const { fromHex } = Uint8Array as { fromHex?: (hex: string) => Uint8Array<ArrayBuffer> };
  if (typeof fromHex === 'function') return fromHex(text);
  const nodeBuffer = (
    globalThis as { Buffer?: { from(text: string, encoding: 'hex'): Uint8Array } }
  ).Buffer;
  if (typeof nodeBuffer?.from === 'function') return new Uint8Array(nodeBuffer.from(text, 'hex'));
  const bytes = new Uint8Array(text.length >>> 1);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = (nibble(text.charCodeAt(2 * i)) << 4) | nibble(text.charCodeAt(2 * i + 1));
  }
  return bytes;
}

function sourceBytes(
  name: string,
  source: string | Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  if (typeof source !== 'string') return source;
  const bytes = hexBytes(source);
  if (!bytes) throw unavailable(`the embedded wasm module "${name}" is not valid hex`);
  return bytes;
}

/**
 * Registers where modules come from (package entries call this with the generated
 * `EMBEDDED_WASM` or `COMPILED_WASM`). A module already compiled keeps its compiled form.
 *
 * @example
 * ```ts
 * import { EMBEDDED_WASM } from './wasm/generated/embedded.js';
 * registerWasmSources(EMBEDDED_WASM);
 * ```
 */
export function registerWasmSources(entries: Readonly<Record<string, WasmSource>>): void {
  for (const [name, source] of Object.entries(entries)) {
    sources.set(name, source);
    // Entries register their sources at import, also where there is no WebAssembly global at
    // all: then nothing is compiled, and the wasm backend is not registered (not a crash).
    if (hasWebAssembly() && source instanceof WebAssembly.Module) compiled.set(name, source);
  }
}

/**
 * Hands in a module the host compiled (a workerd `.wasm` import, a module from a worker's
 * `postMessage`, a cache). It replaces any cached compilation of that name; instances made before
 * keep working.
 *
 * @example
 * ```ts
 * import hash from 'qredo-sign/wasm/hash.wasm'; // a WebAssembly.Module under workerd
 * provideWasmModule('hash', hash);
 * ```
 */
export function provideWasmModule(name: string, module: WebAssembly.Module): void {
  sources.set(name, module);
  compiled.set(name, module);
}

/**
 * The compiled module `name`, compiling it synchronously from its embedded bytes on first use.
 * Throws `SigningError('UNAVAILABLE_BACKEND')` when this runtime has no WebAssembly, no source was
 * registered for `name`, or compilation is refused (CSP, a main-thread size limit: see
 * {@link initWasm}).
 *
 * @example
 * ```ts
 * const module = loadWasmModule('hash');
 * const { exports } = new WebAssembly.Instance(module, {});
 * ```
 */
export function loadWasmModule(name: string): WebAssembly.Module {
  const cached = compiled.get(name);
  if (cached) return cached;
  if (!hasWebAssembly()) throw unavailable('this runtime has no WebAssembly');
  const source = sources.get(name);
  if (source === undefined) {
    throw unavailable(`the wasm module "${name}" is not part of this entry`);
  }
  if (source instanceof WebAssembly.Module) return source;
  // Decoded outside the try: text that is not hex says so, not that compiling was refused.
  const bytes = sourceBytes(name, source);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (error) {
    throw refused(name, error, true);
  }
  compiled.set(name, module);
  return module;
}

/**
 * Compiles the named modules (default: every registered one) asynchronously, so later
 * synchronous use finds them compiled. Needed only where synchronous compilation is refused
 * (browser main threads with a size limit); harmless elsewhere.
 *
 * @example
 * ```ts
 * await initWasm();       // once, at start-up
 * signer.signSync(req);   // the wasm backend is ready
 * ```
 */
export async function initWasm(names?: readonly string[]): Promise<void> {
  if (!hasWebAssembly()) throw unavailable('this runtime has no WebAssembly');
  const wanted = names ?? [...sources.keys()];
  await Promise.all(
    wanted.map(async (name) => {
      if (compiled.has(name)) return;
      const source = sources.get(name);
      if (source === undefined)
        throw unavailable(`the wasm module "${name}" is not part of this entry`);
      const module =
        source instanceof WebAssembly.Module
          ? source
          : await WebAssembly.compile(sourceBytes(name, source)).catch((error: unknown) => {
              throw refused(name, error, false);
            });
      compiled.set(name, module);
    }),
  );
}

/**
 * A new instance of module `name` (compiled once, see {@link loadWasmModule}). Our modules import
 * nothing, so the import object is empty. Callers keep the instance: each one has its own memory.
 *
 * @example
 * ```ts
 * const hash = instantiateWasm('hash') as { memory: WebAssembly.Memory; sha256(len: number): void };
 * ```
 */
export function instantiateWasm(name: string): WebAssembly.Exports {
  const module = loadWasmModule(name);
  try {
    return new WebAssembly.Instance(module, {}).exports;
  } catch (error) {
    throw unavailable(`WebAssembly could not instantiate "${name}"`, error);
  }
}

/**
 * Test hook, not part of the package API: forgets a module name so a test that registers broken
 * or duplicate modules leaves the process-wide registry as it found it.
 */
export function _forgetWasmModule(name: string): void {
  sources.delete(name);
  compiled.delete(name);
}

// The smallest module that uses a SIMD instruction: one function returning `v128.const 0`.
// prettier-ignore
const SIMD_PROBE = /* @__PURE__ */ new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: one body, no locals, v128.const
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, // 16 zero bytes, end
]);

let simd: boolean | undefined;

/**
 * True when this runtime validates fixed-width SIMD (wasm `v128`), so the `rsa` build can be
 * used instead of `rsa-scalar`. Detected once with `WebAssembly.validate`, which compiles
 * nothing and is allowed under any CSP.
 *
 * @example
 * ```ts
 * const rsa = instantiateWasm(wasmSimdSupported() ? 'rsa' : 'rsa-scalar');
 * ```
 */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}
