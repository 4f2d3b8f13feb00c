/**
 * Which backends this runtime has, and which one serves a request. Each package entry registers
 * the backends that belong to its runtime (the Node entry adds `node`); nothing is probed with
 * `require()`.
 *
 * `'auto'` policy (measured in bench/, see README "Choosing a backend"):
 * - HMAC: `wasm` first (one-shot kernel beats a node:crypto call for request-sized inputs), with
 *   bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD} bytes sent to `node` where it exists (OpenSSL's
 *   SHA-NI/AVX2 code wins on throughput); then `node`, `js`, and `webcrypto` last (async only).
 * - RSA signing and verification: `node` (OpenSSL, constant-time), then `webcrypto` for the async
 *   path and `wasm` for the sync path; `js` only when nothing else exists, because BigInt
 *   arithmetic is not constant-time.
 */
import { SigningError } from '../errors.js';
import type { Backend, BackendName } from './types.js';

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

const registered = new Map<BackendName, Backend>();

/** Bodies larger than this go to node:crypto under `'auto'` when it exists. */
export const AUTO_HMAC_NATIVE_THRESHOLD = 4096;

const AUTO_ORDER: Record<Operation, { async: BackendName[]; sync: BackendName[] }> = {
  hmac: { async: ['wasm', 'node', 'js', 'webcrypto'], sync: ['wasm', 'node', 'js'] },
  rsa: { async: ['node', 'webcrypto', 'wasm', 'js'], sync: ['node', 'wasm', 'js'] },
};

const NAMES: readonly string[] = ['node', 'webcrypto', 'wasm', 'js'];

/** Adds (or replaces) a backend. Package entries call this; applications normally do not. */
export function registerBackend(backend: Backend): void {
  registered.set(backend.name, backend);
}

/**
 * Names of the backends this runtime has, in registration order.
 *
 * @example
 * ```ts
 * availableBackends(); // in Node: ['node', 'webcrypto', 'js', 'wasm']
 * ```
 */
export function availableBackends(): BackendName[] {
  return [...registered.keys()];
}

/** The backend of that name, or a SigningError saying why it cannot be had. */
export function getBackend(name: BackendName): Backend {
  const backend = registered.get(name);
  if (backend) return backend;
  if (!NAMES.includes(name)) {
    throw new SigningError(
      'INVALID_OPTION',
      `unknown backend "${String(name)}" (node, webcrypto, wasm, js or auto)`,
    );
  }
  throw new SigningError(
    'UNAVAILABLE_BACKEND',
    `the ${name} backend is not available in this runtime or entry`,
  );
}

/** The backends serving one key: `async` answers `sign()`, `sync` answers `signSync()` if any. */
export interface BackendSelection {
  readonly async: Backend;
  readonly sync: Backend | undefined;
  /** HMAC under `'auto'` only: the backend for bodies above {@link AUTO_HMAC_NATIVE_THRESHOLD}. */
  readonly large?: Backend;
}

/**
 * Resolves a caller's backend option for an operation. An explicit name is used for both paths
 * (an async-only one has no sync path); `'auto'` picks the first available by the policy above.
 * `opaque` is true when the key exists only as a runtime object (a non-extractable CryptoKey),
 * which only `webcrypto` can use.
 */
export function selectBackends(
  choice: unknown,
  operation: Operation,
  opaque = false,
): BackendSelection {
  if (choice === undefined || choice === 'auto') {
    if (opaque) return { async: getBackend('webcrypto'), sync: undefined };
    const order = AUTO_ORDER[operation];
    const first = (names: BackendName[]) => names.map((n) => registered.get(n)).find((b) => b);
    const asyncBackend = first(order.async);
    if (!asyncBackend)
      throw new SigningError('UNAVAILABLE_BACKEND', 'no backend is available in this runtime');
    const sync = first(order.sync);
    const native = registered.get('node');
    const large = operation === 'hmac' && native && native !== sync ? native : undefined;
    return { async: asyncBackend, sync, large };
  }
  if (typeof choice !== 'string') {
    throw new SigningError(
      'INVALID_OPTION',
      'backend must be one of node, webcrypto, wasm, js or auto',
    );
  }
  const backend = getBackend(choice as BackendName);
  return { async: backend, sync: backend.sync ? backend : undefined };
}
