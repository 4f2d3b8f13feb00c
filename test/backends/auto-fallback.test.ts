/**
 * 'auto' when WASM is refused at its first compile (a Content-Security-Policy without
 * 'wasm-unsafe-eval' behaves so): the signer falls back to the next backend instead of failing.
 * Runs in a child process because it retires wasm from that process's registry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { REFUSE_WASM, runChildScript } from '../support.js';

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

test('WASM refused: auto signs large bodies too, on the node key it uses for everything', () => {
  // With wasm gone, node is the sync, async and large-body backend at once: one key serves the
  // three roles, and a body over the large-input threshold must sign like a small one.
  const out = runChildScript(`
const api = await import('./src/index.node.ts');
${REFUSE_WASM}
const signer = api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' });
const request = { method: 'POST', url: 'https://x.test/a', body: 'b'.repeat(200_000), timestamp: 1 };
const out = { backend: signer.backend };
try {
  out.sync = signer.signSync(request).headers['qredo-api-sig'];
  out.async = (await signer.sign(request)).headers['qredo-api-sig'];
  signer.destroy();
} catch (e) { out.error = String(e); }
console.log(JSON.stringify(out));
`) as Record<string, string>;
  const expected = createHmac('sha256', Buffer.from('c2VjcmV0', 'base64'))
    .update(`1POSThttps://x.test/a${'b'.repeat(200_000)}`)
    .digest('base64url');
  assert.equal(out, { backend: 'node', sync: expected, async: expected });
});

test("under a CSP, backend: 'wasm' says WebAssembly was refused by the page's policy, before and after auto moved on", () => {
  const out = runChildScript(`
const api = await import('./src/index.ts');
${REFUSE_WASM}
const attempt = (f) => { try { f(); return 'signed'; } catch (e) { return { code: e.code, message: e.message }; } };
const wasm = () => api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0', backend: 'wasm' });
const out = { first: attempt(wasm) };
out.auto = api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' }).backend;
out.after = attempt(wasm);
out.other = attempt(() => api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0', backend: 'node' }));
console.log(JSON.stringify(out));
`) as Record<string, { code: string; message: string }> & { auto: string };
  assert.is(
    out.auto,
    'js',
    'control: auto moved on (webcrypto is async-only, js signs synchronously)',
  );
  for (const key of ['first', 'after']) {
    assert.is(out[key]!.code, 'UNAVAILABLE_BACKEND', key);
    assert.match(
      out[key]!.message,
      /WebAssembly was refused by the page's Content-Security-Policy/,
    );
    assert.match(out[key]!.message, /wasm-unsafe-eval/);
    assert.not.match(out[key]!.message, /must be one of/, key);
  }
  // Control: a backend this entry never had is still named as missing, not as refused.
  assert.is(out.other!.code, 'UNAVAILABLE_BACKEND');
  assert.not.match(out.other!.message, /Content-Security-Policy/);
});

// Issue 14 item 9: the browser entry (webcrypto, wasm, js) with WASM refused, as under a CSP
// without 'wasm-unsafe-eval'. The wasm backend's key import is counted to see when it happens.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const expected = nodeSign('sha256', Buffer.from(`1${URL_}`), privateKey).toString('base64url');

const BROWSER_PRELUDE = `
const api = await import('./src/index.ts');
const registry = await import('./src/backends/registry.ts');
const { wasmBackend } = await import('./src/backends/wasm/backend.ts');
let wasmImports = 0;
const importRsa = wasmBackend.importRsaPrivateKey;
wasmBackend.importRsaPrivateKey = (m) => (wasmImports++, importRsa.call(wasmBackend, m));
const pem = ${JSON.stringify(PEM)};
const request = { url: ${JSON.stringify(URL_)}, nonce: '1' };
const out = {};
const attempt = (f) => { try { return f(); } catch (e) { return { code: e.code, message: e.message }; } };
`;

test('attack: WebCrypto present, WASM refused: auto never signs RSA on js, signSync says why', () => {
  const out = runChildScript(`${BROWSER_PRELUDE}
${REFUSE_WASM}
const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: pem });
out.backend = signer.backend;
out.async = (await signer.sign(request)).headers['x-sign'];
out.sync = attempt(() => signer.signSync(request).headers['x-sign']);
out.again = attempt(() => signer.signSync(request).headers['x-sign']);
const explicit = api.createPartnerSigner({ apiKey: 'k', privateKey: pem, backend: 'js' });
out.explicitJs = explicit.signSync(request).headers['x-sign'];
console.log(JSON.stringify(out));
`) as Record<string, { code: string; message: string } | string>;
  assert.is(out.backend, 'webcrypto');
  assert.is(out.async, expected);
  // Before the fix signSync() silently signed with the non-constant-time js backend.
  assert.type(out.sync, 'object', `signSync signed: ${String(out.sync)}`);
  const error = out.sync as { code: string; message: string };
  assert.is(error.code, 'UNAVAILABLE_BACKEND');
  assert.match(error.message, /constant-time/);
  assert.match(error.message, /use sign\(\)/);
  assert.equal(out.again, out.sync);
  // Control: the user who asks for js by name gets it.
  assert.is(out.explicitJs, expected);
});

test('control: js is the only RSA backend here: auto uses it for sign and signSync', () => {
  const out = runChildScript(`${BROWSER_PRELUDE}
${REFUSE_WASM}
registry.retireBackend('webcrypto');
const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: pem });
out.backend = signer.backend;
out.sync = signer.signSync(request).headers['x-sign'];
out.async = (await signer.sign(request)).headers['x-sign'];
console.log(JSON.stringify(out));
`) as Record<string, string>;
  assert.is(out.backend, 'js');
  assert.is(out.sync, expected);
  assert.is(out.async, expected);
});

test('auto imports the synchronous (wasm) key only when signSync() is first called', () => {
  const out = runChildScript(`${BROWSER_PRELUDE}
const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: pem });
out.backend = signer.backend;
out.atCreation = wasmImports;
out.async = (await signer.sign(request)).headers['x-sign'];
out.afterSign = wasmImports;
out.sync = signer.signSync(request).headers['x-sign'];
signer.signSync(request);
out.afterSignSync = wasmImports;
signer.destroy();
out.afterDestroy = attempt(() => signer.signSync(request)).code;
console.log(JSON.stringify(out));
`) as Record<string, string | number>;
  assert.is(out.backend, 'webcrypto');
  assert.is(out.atCreation, 0, 'the wasm key was imported at signer creation');
  assert.is(out.afterSign, 0);
  assert.is(out.afterSignSync, 1, 'imported once, on the first signSync()');
  assert.is(out.async, expected);
  assert.is(out.sync, expected);
  assert.is(out.afterDestroy, 'INVALID_OPTION');
});

test.run();
