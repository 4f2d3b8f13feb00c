/**
 * 'auto' when WASM is refused at its first compile (a Content-Security-Policy without
 * 'wasm-unsafe-eval' behaves so): the signer falls back to the next backend instead of failing.
 * Runs in a child process because it retires wasm from that process's registry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac } from 'node:crypto';
import { REFUSE_WASM, runChildScript } from './_support.js';

const SCRIPT = `
const api = await import('./src/index.node.ts');
${REFUSE_WASM}
const out = {};
try { api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0', backend: 'wasm' }); }
catch (e) { out.explicit = e.code; }
const signer = api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' });
out.backend = signer.backend;
out.sig = signer.signSync({ method: 'GET', url: 'https://x.test/a', timestamp: 1 }).headers['qredo-api-sig'];
out.available = api.availableBackends();
console.log(JSON.stringify(out));
`;

test('auto falls back from a WASM refused at compile time; explicit wasm says why', () => {
  const out = runChildScript(SCRIPT) as Record<string, unknown> & { available: string[] };
  assert.is(out.explicit, 'UNAVAILABLE_BACKEND');
  assert.is(out.backend, 'node');
  assert.not.ok(out.available.includes('wasm'));
  const expected = createHmac('sha256', Buffer.from('c2VjcmV0', 'base64'))
    .update('1GEThttps://x.test/a')
    .digest('base64url');
  assert.is(out.sig, expected);
});

test.run();
