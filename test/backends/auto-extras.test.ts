/**
 * The 'auto' extras of the registry (retrying past a backend that refuses here, the large-body
 * role) are installed by whole-backend registrations (registerBackend, every general entry) and
 * by nothing else, so that `qredo-sign/qredo-api`, which registers webcrypto's HMAC half alone,
 * bundles none of their code (issue 17; scripts/check-package.mjs checks the bundle). Each case
 * runs in a child process: the registry is process-wide.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runChildScript } from '../support.js';

// A sync 'node' stand-in whose keys count, and a 'wasm' stand-in that refuses like the loader
// under a Content-Security-Policy (BackendRefusedError) on its first import only.
const SETUP = `
const r = await import('./src/backends/registry.ts');
const { BackendRefusedError } = await import('./src/backends/faults.ts');
const key = { mac: () => new Uint8Array(32), macRequest: () => 'm', destroy() {} };
const node = { name: 'node', sync: true, importHmacKey: () => key };
let refusals = 0;
const wasm = { name: 'wasm', sync: true, importHmacKey() {
  refusals++;
  throw new BackendRefusedError('wasm', 'WebAssembly refused here');
} };
const attempt = () => {
  try {
    return r.withAutoFallback('auto', () => {
      const backend = r.selectHmacBackends('auto').async;
      backend.importHmacKey(new Uint8Array(1));
      return backend.name;
    });
  } catch (e) {
    return e.code;
  }
};
`;

test('HMAC halves alone: no large role, and a refusal is not retried (nothing to retry to)', () => {
  const out = runChildScript(`${SETUP}
r.registerHmacBackend(node);
r.registerHmacBackend(wasm);
const large = r.selectHmacBackends('auto').large?.name ?? null;
console.log(JSON.stringify({ large, attempt: attempt(), refusals, available: r.availableBackends() }));
`);
  assert.equal(out, {
    large: null,
    attempt: 'UNAVAILABLE_BACKEND',
    refusals: 1,
    available: ['node', 'wasm'],
  });
});

test('control: a whole-backend registration installs them: large is node, wasm is retired', () => {
  const out = runChildScript(`${SETUP}
r.registerBackend(node);
r.registerBackend(wasm);
const large = r.selectHmacBackends('auto').large?.name ?? null;
console.log(JSON.stringify({ large, attempt: attempt(), refusals, available: r.availableBackends() }));
`);
  assert.equal(out, { large: 'node', attempt: 'node', refusals: 1, available: ['node'] });
});

test('a named backend is never retried, extras or not', () => {
  const out = runChildScript(`${SETUP}
r.registerBackend(node);
r.registerBackend(wasm);
let code;
try { r.withAutoFallback('wasm', () => wasm.importHmacKey()); } catch (e) { code = e.code; }
console.log(JSON.stringify({ code, refusals, available: r.availableBackends() }));
`);
  assert.equal(out, { code: 'UNAVAILABLE_BACKEND', refusals: 1, available: ['node', 'wasm'] });
});

test.run();
