/**
 * The backends a verifier uses, resolved once per `backend` option rather than on every request
 * (issue 17: resolving `'auto'` cost more than the MAC it chooses for). The registry is filled by
 * the package entries when they load and changes afterwards only when a backend is added or
 * retired (WASM refused by a page's policy), both of which change the registered names; the
 * memo is checked against those names on each use, so a change is seen at once.
 */
import { availableBackends, selectBackends, type BackendSelection } from '../backends/registry.js';
import type { Backend, HmacBackend } from '../backends/types.js';

interface Memo<B extends HmacBackend> {
  names: readonly string[];
  selection: BackendSelection<B>;
}

const hmacMemo = new Map<unknown, Memo<HmacBackend>>();
const rsaMemo = new Map<unknown, Memo<Backend>>();

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function current<B extends HmacBackend>(
  memo: Map<unknown, Memo<B>>,
  key: unknown,
  select: () => BackendSelection<B>,
): BackendSelection<B> {
  const names = availableBackends();
  const found = memo.get(key);
  if (found !== undefined && sameNames(found.names, names)) return found.selection;
  const selection = select(); // throws for an invalid or unavailable choice: nothing memoised
  // Only valid choices get here, so the memo holds at most one entry per backend name and 'auto'.
  memo.set(key, { names, selection });
  return selection;
}

/**
 * The HMAC backends for a verifier's `backend` option (see `selectBackends`).
 *
 * @example
 * ```ts
 * const { async: backend } = verifierHmacBackends('auto');
 * ```
 */
export function verifierHmacBackends(choice: unknown): BackendSelection<HmacBackend> {
  return current(hmacMemo, choice, () => selectBackends(choice, 'hmac'));
}

/**
 * The RSA backends for a verifier's `backend` option; `opaque` as in `selectBackends`.
 *
 * @example
 * ```ts
 * const { async: backend } = verifierRsaBackends('auto', false);
 * ```
 */
export function verifierRsaBackends(choice: unknown, opaque: boolean): BackendSelection<Backend> {
  const key = opaque ? `opaque:${String(choice)}` : choice;
  return current(rsaMemo, key, () => selectBackends(choice, 'rsa', opaque));
}

/**
 * Test hooks, not part of the package API. Tests that swap a registered backend for another
 * object under the same name (entries never do: each registers its name once, at load) forget the
 * memo, since the names alone do not change.
 */
export const _backendChoiceInternals = {
  forget(): void {
    hmacMemo.clear();
    rsaMemo.clear();
  },
};
