// What the suites share: the built package (imported by its name, so Node resolves it through
// the exports map to dist/esm/index.node.js, exactly what users run), the backend list and the
// helpers that turn a qredo-sign signer into a measurable subject.
import * as qredoSign from 'qredo-sign';
import { Skip } from '../harness.mjs';
import { CHECK_TIMESTAMP as CHECK } from '../fixtures.mjs';

export { qredoSign };

/** The qredo-sign subjects of every suite, in the order the tables show them. */
export const BACKENDS = ['node', 'webcrypto', 'wasm', 'js', 'auto'];

/** Throws Skip when the built package does not register that backend in this runtime. */
export function requireBackend(backend) {
  if (backend === 'auto') return;
  const available = qredoSign.availableBackends();
  if (!available.includes(backend)) {
    throw new Skip(
      `backend "${backend}" is not registered in the built package ` +
        `(availableBackends(): ${available.join(', ') || 'none'})`,
    );
  }
}

/** The current Unix time in seconds, as the hand-written peers compute it. */
export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/**
 * A measurable subject over a qredo-sign signer: `signSync` where the backend is synchronous,
 * `sign` (measured as a deferred benchmark) where it is not. `request(timestamp)` builds the
 * request; measuring passes no timestamp, so the signer uses the current time as users' code does.
 */
export function signerSubject(signer, request, header) {
  let sync = true;
  try {
    signer.signSync(request(undefined));
  } catch (/** @type {any} */ error) {
    if (error?.code !== 'ASYNC_ONLY_BACKEND') throw error;
    sync = false;
  }
  const check = async () => (await signer.sign(request(CHECK))).headers[header];
  const cleanup = () => signer.destroy();
  if (sync) return { async: false, run: () => signer.signSync(request(undefined)), check, cleanup };
  return { async: true, run: () => signer.sign(request(undefined)), check, cleanup };
}

/** One subject per qredo-sign backend; `make(backend)` returns the prepared subject. */
export function backendSubjects(make) {
  return BACKENDS.map((backend) => ({
    name: `qredo-sign/${backend}`,
    setup: async () => {
      requireBackend(backend);
      return make(backend);
    },
  }));
}
