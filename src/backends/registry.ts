/**
 * Which backends this runtime has, and which one serves a request. Each package entry registers
 * the backends that belong to its runtime (the Node entry adds `node`); nothing is probed with
 * `require()`.
 *
 * HMAC and RSA are registered separately: an entry may register only a backend's HMAC half (the
 * Qredo API entry does, so that its bundle carries no RSA code), while an entry that registers a
 * whole backend gets both. Registering one backend never removes another's half.
 *
 * `'auto'` policy (measured in bench/, see README "Choosing a backend"):
 * - HMAC: `wasm` first (one-shot kernel beats a node:crypto call for request-sized inputs), with
 *   bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD} bytes sent to `node` where it exists (OpenSSL's
 *   SHA-NI/AVX2 code wins on throughput); then `node`, `js`, and `webcrypto` last (async only).
 * - RSA signing and verification: `node` (OpenSSL, constant-time), then `webcrypto` for the async
 *   path and `wasm` for the sync path; `js` only when nothing else exists, because BigInt
 *   arithmetic is not constant-time.
 * The sync path takes the first synchronous backend in the same order.
 */
import { SigningError } from '../errors.js';
import type { Backend, BackendName, HmacBackend } from './types.js';

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
 * Bodies longer than this go to node:crypto under `'auto'` when it exists. Measured here (Node 20,
 * 2-core EPYC): the WASM kernel costs about 176 ns per 64-byte block plus ~0.3 µs per call,
 * node:crypto about 36 ns per block (SHA extensions) plus ~1.5 µs per call, so they cross near
 * 300 bytes of input; with a ~70-byte prefix that is a body of about 256 (signSync at 128 bytes:
 * wasm 1.4× faster; at 384: even; at 1 KiB: node 1.3× faster).
 */
export const AUTO_HMAC_NATIVE_THRESHOLD = 256;

// Each list names every backend once, so it is also the list of valid names.
const AUTO_ORDER: Record<Operation, readonly BackendName[]> = {
  hmac: ['wasm', 'node', 'js', 'webcrypto'],
  rsa: ['node', 'webcrypto', 'wasm', 'js'],
};

// Every registration carries an HMAC half, so the HMAC map's keys are all registered names.
const registered = {
  hmac: new Map<BackendName, HmacBackend>(),
  rsa: new Map<BackendName, Backend>(),
};

/**
 * Adds (or replaces) a backend: a whole one (both halves) or an HMAC half alone. Package entries
 * call this; applications normally do not.
 */
export function registerBackend(backend: Backend | HmacBackend): void {
  registered.hmac.set(backend.name, backend);
  if ('importRsaPrivateKey' in backend) registered.rsa.set(backend.name, backend);
}

/**
 * Forgets a backend that turned out unusable in this runtime, so that `'auto'` moves on to the
 * next one: WASM refused by a Content-Security-Policy without `'wasm-unsafe-eval'` fails only at
 * its first compile, long after the entry registered it.
 */
export function retireBackend(name: BackendName): void {
  registered.hmac.delete(name);
  registered.rsa.delete(name);
}

/**
 * Runs `prepare` (which selects backends for `choice` and imports a key into them); under
 * `'auto'`, when the `wasm` backend reports itself unavailable during that import, it is retired
 * and `prepare` runs again with the next backend in the policy.
 */
export function withAutoFallback<T>(choice: unknown, prepare: () => T): T {
  const auto = choice === undefined || choice === 'auto';
  for (;;) {
    try {
      return prepare();
    } catch (error) {
      const wasmFailed =
        error instanceof SigningError &&
        error.code === 'UNAVAILABLE_BACKEND' &&
        (error as SigningError & { backend?: string }).backend === 'wasm';
      if (!auto || !wasmFailed || !registered.hmac.has('wasm')) throw error;
      retireBackend('wasm');
    }
  }
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
  return [...registered.hmac.keys()];
}

/** The backends serving one key: `async` answers `sign()`, `sync` answers `signSync()` if any. */
export interface BackendSelection<B extends HmacBackend = Backend> {
  readonly async: B;
  readonly sync: B | undefined;
  /** HMAC under `'auto'` only: the backend for bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD}. */
  readonly large?: B;
}

/**
 * Resolves a caller's backend option for an operation. An explicit name is used for both paths
 * (an async-only one has no sync path); `'auto'` picks the first available by the policy above.
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
  const backends: Map<unknown, HmacBackend> = registered[operation];
  const order: readonly unknown[] = AUTO_ORDER[operation];
  // undefined: 'auto', which considers every backend in the policy's order.
  const name =
    choice === undefined || choice === 'auto' ? (opaque ? 'webcrypto' : undefined) : choice;
  const found = (name === undefined ? order : [name])
    .map((n) => backends.get(n))
    .filter((b) => b !== undefined);
  if (!found[0]) {
    throw name === undefined
      ? new SigningError('UNAVAILABLE_BACKEND', `no ${operation} backend is available here`)
      : order.includes(name)
        ? new SigningError(
            'UNAVAILABLE_BACKEND',
            `the ${name} backend is not available for ${operation} in this runtime or entry`,
          )
        : new SigningError('INVALID_OPTION', 'backend must be node, webcrypto, wasm, js or auto');
  }
  const sync = found.find((b) => b.sync);
  const native = backends.get('node');
  const large = name === undefined && operation === 'hmac' && native !== sync ? native : undefined;
  return { async: found[0], sync, large };
}
