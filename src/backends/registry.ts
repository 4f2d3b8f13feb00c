/**
 * Which backends this runtime has, and which one serves a request. Each package entry registers
 * the backends that belong to its runtime (the Node entry adds `node`); nothing is probed with
 * `require()`.
 *
 * HMAC and RSA are registered separately: an entry may register only a backend's HMAC half (the
 * Qredo API entry does, so that its bundle carries no RSA code), while an entry that registers a
 * whole backend gets both. Registering one backend never removes another's half. Retiring a
 * backend (unusable in this runtime after all) removes its name, and its RSA half counts only
 * while its name is registered.
 *
 * `'auto'` policy (measured in bench/, see README "Choosing a backend"):
 * - HMAC: `wasm` first (one-shot kernel beats a node:crypto call for request-sized inputs), with
 *   bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD} bytes sent to `node` where it exists (OpenSSL's
 *   SHA-NI/AVX2 code wins on throughput; a signer imports that key on its first such body); then
 *   `node`, `js`, and `webcrypto` last (async only).
 * - RSA signing and verification: `node` (OpenSSL, constant-time), then `webcrypto` for the async
 *   path and `wasm` for the sync path; `js` only when nothing else exists, because BigInt
 *   arithmetic is not constant-time (for the sync path too: WebCrypto and no WASM means no
 *   signSync(), not `js`).
 * The sync path takes the first synchronous backend in the same order.
 */
import { SigningError, fail } from '../lib/errors.js';
import type { Backend, BackendName, HmacBackend, HmacKey } from './types.js';
import { BackendRefusedError } from './faults.js';

/**
 * A backend name, or `'auto'`: the fastest correct backend this runtime has, per operation.
 *
 * @example
 * ```ts
 * const choice: BackendChoice = 'auto';
 * ```
 */
export type BackendChoice = BackendName | 'auto';
export type Operation = 'hmac' | 'rsa';

/**
 * Bodies longer than this go to node:crypto under `'auto'` when it exists. Measured again after
 * the node path lost its Buffer overhead (issue 17; Node 20.20, 2-core EPYC, signSync with a new
 * URL and timestamp per request, ~75-byte prefix, 40 alternating rounds, fastest round, µs, node /
 * wasm): no body 1.60 / 1.39; 80 bytes 1.66 / 1.59; 96: 1.63 / 1.49; 112-160: within 3% either
 * way, changing sides between runs; 192: 1.74 / 1.92; 256: 1.78 / 2.03; 512: 1.99 / 2.66. The
 * crossover lies between 110 and 190 bytes; 160 stays, and under it a signer holds one key (the
 * node key is imported on the first larger body, see BlockKeySource).
 */
export const AUTO_HMAC_NATIVE_THRESHOLD = 160;

// Each list names every backend once, so it is also the list of valid names. Two constants, not
// one table: a bundle that only signs HMAC keeps only the HMAC list.
const HMAC_ORDER: readonly BackendName[] = ['wasm', 'node', 'js', 'webcrypto'];
const RSA_ORDER: readonly BackendName[] = ['node', 'webcrypto', 'wasm', 'js'];

/** True for `'auto'` and for no choice at all (the default). */
export const isAuto = (choice: unknown): boolean => choice === undefined || choice === 'auto';

// Every registration carries an HMAC half, so the HMAC map's keys are all registered names; an
// RSA half counts only while its backend's name is there (retiring a backend removes it there).
const hmacBackends = new Map<BackendName, HmacBackend>();
const rsaBackends = new Map<BackendName, Backend>();

/**
 * Adds (or replaces) the HMAC half of a backend alone: what the Qredo API entry registers, so
 * that its bundle reaches no RSA registration code. An RSA half registered before stays.
 *
 * @example
 * ```ts
 * if (subtleCrypto()) registerHmacBackend(webcryptoHmacBackend);
 * ```
 */
export function registerHmacBackend(backend: HmacBackend): void {
  retired.delete(backend.name);
  hmacBackends.set(backend.name, backend);
}

/**
 * Adds (or replaces) a backend: a whole one (both halves) or an HMAC half alone. Package entries
 * call this; applications normally do not.
 *
 * @example
 * ```ts
 * registerBackend(nodeBackend);
 * ```
 */
export function registerBackend(backend: Backend | HmacBackend): void {
  autoExtras = AUTO_EXTRAS;
  registerHmacBackend(backend);
  if ('importRsaPrivateKey' in backend) rsaBackends.set(backend.name, backend);
}

/**
 * Forgets a backend (both halves) that turned out unusable in this runtime, so that `'auto'`
 * moves on to the next one: WASM refused by a Content-Security-Policy without
 * `'wasm-unsafe-eval'` fails only at its first compile, long after the entry registered it.
 * Returns whether it was registered.
 */
export function retireBackend(name: BackendName, reason?: string): boolean {
  if (reason !== undefined) retired.set(name, reason);
  return hmacBackends.delete(name); // and so its RSA half, which counts only while its name is there
}

// Why a retired backend was retired, so that asking for it by name later says so (under a CSP,
// `backend: 'wasm'` must say WebAssembly was refused, not list the other backends' names).
const retired = new Map<BackendName, string>();

// The 'auto' extras, once a whole backend is registered (see AUTO_EXTRAS, below the functions
// that use it: a declaration merged with this one would keep AUTO_EXTRAS in every bundle).
let autoExtras: typeof AUTO_EXTRAS | undefined;

/**
 * Runs `prepare` (which selects backends for `choice` and imports a key into them); under
 * `'auto'`, when a registered backend reports itself unusable here during that import (a
 * {@link BackendRefusedError}: the wasm loader's when compiling is refused), it is retired and
 * `prepare` runs again with the next one in the policy (see {@link AUTO_EXTRAS}).
 */
export function withAutoFallback<T>(choice: unknown, prepare: () => T): T {
  return autoExtras && isAuto(choice) ? autoExtras.retry(prepare) : prepare();
}

/**
 * Names of the backends this runtime has, in registration order.
 *
 * @example
 * ```ts
 * availableBackends(); // in Node: ['node', 'webcrypto', 'wasm', 'js']
 * ```
 */
export function availableBackends(): BackendName[] {
  return [...hmacBackends.keys()];
}

/** The backends serving one key: `async` answers `sign()`, `sync` answers `signSync()` if any. */
export interface BackendSelection<B extends HmacBackend = Backend> {
  readonly async: B;
  readonly sync: B | undefined;
  /** HMAC under `'auto'` only: the backend for bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD}. */
  readonly large?: B;
}

/**
 * The backends of `order` (all of them under `'auto'`, else the one named) that are registered in
 * `backends`, first the one for `sign()` and the first synchronous one for `signSync()`.
 */
function select<B extends HmacBackend>(
  backends: Map<BackendName, B>,
  order: readonly BackendName[],
  operation: Operation,
  name: unknown,
): BackendSelection<B> {
  const found = (name === undefined ? order : [name as BackendName]).flatMap(
    (n) => backends.get(n) ?? [],
  );
  if (!found[0]) {
    const reason = name === undefined ? undefined : retired.get(name as BackendName);
    if (reason !== undefined) throw new SigningError('UNAVAILABLE_BACKEND', reason);
    if (name !== undefined && !order.includes(name as BackendName)) {
      fail('INVALID_OPTION', 'backend', `one of ${order} or auto`);
    }
    fail(
      'UNAVAILABLE_BACKEND',
      'backend',
      `one of [${[...backends.keys()]}] for ${operation} here`,
    );
  }
  return { async: found[0], sync: found.find((b) => b.sync) };
}

/**
 * The `'auto'` large-input policy, in one place for signers, primitives and verifiers: `large`
 * (the backend, or the key prepared on it) when the input is longer than
 * {@link AUTO_HMAC_NATIVE_THRESHOLD} and the selection has one, else `otherwise`. `length` is what
 * the caller measures cheaply (a signer: the body's length; a primitive: the input's).
 *
 * @example
 * ```ts
 * const backend = forInputLength(selection, input.length, selection.async);
 * ```
 */
export function forInputLength<T>(
  roles: { readonly large?: T | undefined },
  length: number,
  otherwise: T,
): T {
  return length > AUTO_HMAC_NATIVE_THRESHOLD && roles.large !== undefined ? roles.large : otherwise;
}

/**
 * Whether an input of `length` (a body's, or a whole message's) goes to the `large` backend under
 * `'auto'` (see {@link AUTO_HMAC_NATIVE_THRESHOLD}).
 *
 * @example
 * ```ts
 * if (isLargeInput(body.length)) key = largeKey;
 * ```
 */
export const isLargeInput = (length: number): boolean => length > AUTO_HMAC_NATIVE_THRESHOLD;

/**
 * A prepared key that can lend its RFC 2104 block key K0 (64 bytes, wiped after `use`): the wasm
 * key can. Under `'auto'` a signer then imports its `large` key on the first large body instead
 * of at creation, so a signer that never sees one holds one key, not two (issue 17: 1,172 B per
 * auto signer, against 522 B for wasm alone).
 *
 * @example
 * ```ts
 * const large = key.withBlockKey((k0) => node.importHmacKey(k0));
 * ```
 */
export interface BlockKeySource {
  withBlockKey<T>(use: (blockKey: Uint8Array) => T): T;
}

/**
 * A backend that can import a key able to lend its block key (the wasm backend: 64 bytes more of
 * linear memory per key, so only when asked).
 *
 * @example
 * ```ts
 * if (lendsBlockKey(backend)) key = backend.importHmacKeyLending(secretBytes);
 * ```
 */
export interface BlockKeyImporter {
  importHmacKeyLending(key: Uint8Array): HmacKey & BlockKeySource;
}

/** Whether `backend` is a {@link BlockKeyImporter}. */
export const lendsBlockKey = <B extends HmacBackend>(
  backend: B | undefined,
): backend is B & BlockKeyImporter =>
  typeof (backend as Partial<BlockKeyImporter> | undefined)?.importHmacKeyLending === 'function';

/**
 * Resolves a caller's backend option for HMAC: an explicit name serves both paths (an async-only
 * one has no sync path); `'auto'` picks by the policy above, with `large` set to `node` for big
 * bodies where it exists (when it is also the sync choice, that changes nothing).
 */
export function selectHmacBackends(choice: unknown): BackendSelection<HmacBackend> {
  const auto = isAuto(choice);
  const selection = select(hmacBackends, HMAC_ORDER, 'hmac', auto ? undefined : choice);
  return auto && autoExtras ? { ...selection, large: hmacBackends.get('node') } : selection;
}

/**
 * Resolves a caller's backend option for an operation (see {@link selectHmacBackends}). For RSA,
 * `opaque` is true when the key exists only as a runtime object (a non-extractable CryptoKey),
 * which only `webcrypto` can use.
 */
export function selectBackends(choice: unknown, operation: 'hmac'): BackendSelection<HmacBackend>;
export function selectBackends(
  choice: unknown,
  operation: 'rsa',
  opaque?: boolean,
): BackendSelection<Backend>;
export function selectBackends(
  choice: unknown,
  operation: Operation,
  opaque = false,
): BackendSelection<HmacBackend> {
  if (operation === 'hmac') return selectHmacBackends(choice);
  const name = isAuto(choice) ? (opaque ? 'webcrypto' : undefined) : choice;
  const rsa = new Map([...rsaBackends].filter(([n]) => hmacBackends.has(n)));
  const selection = select(rsa, RSA_ORDER, operation, name);
  // BigInt modular exponentiation is not constant-time: under 'auto', `js` serves RSA only when it
  // is the only backend here. With WebCrypto present and WASM refused, signSync() has no backend
  // (a clear error) rather than a silent timing side channel (issue 14 item 9).
  if (name === undefined && selection.async.name !== 'js' && selection.sync?.name === 'js') {
    return { async: selection.async, sync: undefined };
  }
  return selection;
}

/**
 * The `large` role of a Qredo API signer under `'auto'` (see {@link AUTO_HMAC_NATIVE_THRESHOLD}):
 * `key()` gives the key that signs large bodies, imported on first call when the sync key lends
 * its block key; `destroy()` wipes what the role imported itself (a key it shares with another
 * role is that role's to wipe).
 *
 * @example
 * ```ts
 * if (isLargeInput(body.length) && large) key = large.key();
 * ```
 */
export interface LargeKeyRole {
  key(): HmacKey;
  destroy(): void;
}

/**
 * The {@link LargeKeyRole} of one signer: a key shared with another role (not this role's to wipe),
 * a key of its own, or one it imports on first need from the sync key's block key. A class, not
 * closures: an object of four fields is all an 'auto' signer pays for it (closures over the
 * import's scope kept its key map alive: ~1 KB more a signer, measured).
 */
class LargeKey implements LargeKeyRole {
  #key: HmacKey | undefined;
  #own: boolean;
  #lender: (HmacKey & BlockKeySource) | undefined;
  #backend: HmacBackend | undefined;

  constructor(
    key: HmacKey | undefined,
    own: boolean,
    lender?: HmacKey & BlockKeySource,
    backend?: HmacBackend,
  ) {
    this.#key = key;
    this.#own = own;
    this.#lender = lender;
    this.#backend = backend;
  }

  key(): HmacKey {
    if (this.#key) return this.#key;
    const backend = this.#backend!;
    this.#key = this.#lender!.withBlockKey((blockKey) => backend.importHmacKey(blockKey));
    this.#lender = this.#backend = undefined;
    return this.#key;
  }

  destroy(): void {
    if (this.#own) this.#key?.destroy();
    this.#key = this.#lender = this.#backend = undefined;
  }
}

/**
 * What `'auto'` adds where a synchronous backend can be registered: retrying past a backend that
 * refuses here (wasm under a Content-Security-Policy), and the `large` role (node for big bodies,
 * its key borrowed from a wasm key's block key). Whole-backend registrations
 * ({@link registerBackend}: every entry that registers node, wasm or js) install it; the Qredo API
 * entry registers webcrypto's HMAC half alone ({@link registerHmacBackend}), whose `'auto'` is that
 * one asynchronous backend with nothing to retry and no `large` role, so its bundle carries none of
 * this code (issue 17). One registry per copy of the package: an app that also imports a general
 * entry gets the extras with that entry's backends.
 */
const AUTO_EXTRAS = {
  retry<T>(prepare: () => T): T {
    for (;;) {
      try {
        return prepare();
      } catch (error) {
        const refused = error instanceof BackendRefusedError ? error : undefined;
        if (!refused || !retireBackend(refused.backend, refused.message)) throw error;
      }
    }
  },

  /**
   * Prepares the `large` role of `selection` (undefined without one). Runs before the signer
   * imports its async and sync keys: when the sync key can lend its block key, the role imports
   * that key itself (into `keys`, where the signer finds it) and defers its own import to the
   * first large body, so a signer that never sees one holds one key.
   */
  largeRole(
    selection: BackendSelection<HmacBackend>,
    raw: Uint8Array,
    keys: Map<HmacBackend | undefined, HmacKey>,
  ): LargeKeyRole | undefined {
    const { async, sync, large } = selection;
    if (large === undefined) return undefined;
    if (large === async || large === sync) {
      // One key for both roles (wasm refused: node is sync, async and large). It is imported
      // here, before the signer's own imports, which then find it in `keys`; the other role
      // owns it and wipes it.
      const shared = large.importHmacKey(raw);
      keys.set(large, shared);
      return new LargeKey(shared, false);
    }
    if (!lendsBlockKey(sync)) return new LargeKey(large.importHmacKey(raw), true);
    const lender = sync.importHmacKeyLending(raw);
    keys.set(sync, lender);
    return new LargeKey(undefined, true, lender, large);
  },
};

/**
 * The `large` role of an `'auto'` selection, prepared by {@link AUTO_EXTRAS} (undefined without
 * one: a named backend, or no whole backend registered).
 *
 * @example
 * ```ts
 * const large = prepareLargeRole(selection, raw, keys);
 * ```
 */
export function prepareLargeRole(
  selection: BackendSelection<HmacBackend>,
  raw: Uint8Array,
  keys: Map<HmacBackend | undefined, HmacKey>,
): LargeKeyRole | undefined {
  return selection.large && autoExtras?.largeRole(selection, raw, keys);
}
