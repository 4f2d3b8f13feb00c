/**
 * 'auto' when WASM is refused at its first compile (a Content-Security-Policy without
 * 'wasm-unsafe-eval' behaves so): the signer falls back to the next backend instead of failing.
 * Runs in a child process because it retires wasm from that process's registry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';

// The refusal is installed after the import: the entry compiles nothing until first use (and
// tsx's own module lexer needs WebAssembly while loading).
const SCRIPT = `
const api = await import('./src/index.node.ts');
const refuse = () => { throw new WebAssembly.CompileError('Wasm code generation disallowed by embedder'); };
WebAssembly.Module = function Module() { refuse(); };
WebAssembly.compile = async () => refuse();
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
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', SCRIPT],
    {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    },
  );
  assert.is(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.is(out.explicit, 'UNAVAILABLE_BACKEND');
  assert.is(out.backend, 'node');
  assert.not.ok(out.available.includes('wasm'));
  const expected = createHmac('sha256', Buffer.from('c2VjcmV0', 'base64'))
    .update('1GEThttps://x.test/a')
    .digest('base64url');
  assert.is(out.sig, expected);
});

test.run();
