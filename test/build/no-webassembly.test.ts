/**
 * A runtime without a `WebAssembly` global (some locked-down browsers and embedded engines): the
 * entries that carry WASM register their embedded sources at import, and that must not crash.
 * The web entry then signs with its other backends; `qredo-sign/wasm` has no backend and says so
 * with `UNAVAILABLE_BACKEND`, as every other missing backend does.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = Buffer.from('no webassembly here').toString('base64');
const URL_ = 'https://api.qredo.network/qapi/v1/balance';
const expected = createHmac('sha256', Buffer.from(SECRET, 'base64'))
  .update(`1647356399GET${URL_}`)
  .digest('base64url');

function child(entry: string, removeWasm: boolean): Record<string, unknown> {
  // tsx's own module lexer needs WebAssembly: a first TypeScript import loads it, then the
  // global goes, before the entry (and so the package's code) is imported.
  const script = `
await import(${JSON.stringify(join(repo, 'src/lib/time.ts'))});
${removeWasm ? 'delete globalThis.WebAssembly;' : ''}
const out = {};
try {
  const api = await import(${JSON.stringify(join(repo, 'src', entry))});
  out.backends = api.availableBackends();
  const request = { method: 'GET', url: ${JSON.stringify(URL_)}, timestamp: '1647356399' };
  try {
    const signer = api.createQredoSigner({ apiKey: 'k', secret: ${JSON.stringify(SECRET)} });
    out.signature = (await signer.sign(request)).headers['qredo-api-sig'];
  } catch (e) { out.signError = e.code ?? e.name; }
} catch (e) { out.importError = e.name + ': ' + e.message; }
console.log(JSON.stringify(out));
`;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      cwd: repo,
    },
  );
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

test('attack: no WebAssembly global: the web entry imports and signs with its other backends', () => {
  const out = child('index.ts', true);
  assert.is(out.importError, undefined);
  assert.equal(out.backends, ['webcrypto', 'js']);
  assert.is(out.signature, expected);
});

test('attack: no WebAssembly global: qredo-sign/wasm imports; its signer is UNAVAILABLE_BACKEND', () => {
  const out = child('backend-wasm.ts', true);
  assert.is(out.importError, undefined);
  assert.equal(out.backends, []);
  assert.is(out.signError, 'UNAVAILABLE_BACKEND');
});

test('control: with WebAssembly, both entries have wasm and sign as node:crypto', () => {
  const web = child('index.ts', false);
  assert.equal(web.backends, ['webcrypto', 'wasm', 'js']);
  assert.is(web.signature, expected);
  const wasm = child('backend-wasm.ts', false);
  assert.equal(wasm.backends, ['wasm']);
  assert.is(wasm.signature, expected);
});

test.run();
