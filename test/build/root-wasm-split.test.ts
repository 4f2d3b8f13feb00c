/**
 * The web entry `qredo-sign` (src/index.ts: webcrypto + wasm + js) without the wasm RSA half for
 * HMAC-only applications (issue 17), as `qredo-sign/wasm` (test/build/wasm-rsa-split.test.ts).
 * The package is bundled into a scratch directory (scripts/build-bundles.mjs) beside the published
 * `sideEffects` list, and applications are bundled from it the way users bundle (esbuild, browser,
 * minified). What must hold:
 * - an app that imports only `createQredoSigner` embeds the `hash` module alone and none of the
 *   wasm RSA glue, registers webcrypto, wasm and js, and signs on wasm as node:crypto does;
 * - an app that imports any ONE of the RSA exports gets the wasm RSA half with it: RSA signs and
 *   verifies on `backend: 'wasm'`, and `signSync()` under `'auto'` has its constant-time
 *   synchronous backend (without the wasm RSA half it would throw: js is never chosen for RSA
 *   beside webcrypto);
 * - unbundled, the entry registers the whole wasm backend at import: `initWasm()` compiles all
 *   three modules, as before.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FIXTURE,
  RSA_EXPORTS,
  URL_,
  child,
  embedded,
  expectedHmac,
  expectedRsa,
  scratchPackage,
  splitApps,
  wasmBytes,
  type App,
} from './split-apps.js';

const WEB_BACKENDS = ['webcrypto', 'wasm', 'js'];
const ROOT_FIXTURE = `${FIXTURE}const wasm = { backend: 'wasm' };\n`;
const wasmSize = (name: string) => wasmBytes(name).length;

// Records the byte length of each module compiled by initWasm (WebAssembly.compile).
const COUNT_COMPILES = `
const compiles = [];
const realCompile = WebAssembly.compile;
WebAssembly.compile = (bytes) => (compiles.push(bytes.byteLength), realCompile(bytes));
`;

let pkg: Awaited<ReturnType<typeof scratchPackage>>;
let apps: Record<string, App>;

test.before(async () => {
  ({ pkg, apps } = await splitApps('test-root-split', 'index.js'));
});

test.after(() => pkg?.remove());

test('HMAC-only app of qredo-sign: the hash module alone, no wasm RSA glue', () => {
  const { code } = apps.hmac!;
  const modules = embedded(code);
  assert.is(modules.length, 1, 'exactly one embedded module');
  assert.is(modules[0]!.length / 2, wasmSize('hash'), 'and it is hash');
  for (const rsaText of ['rsa-scalar', 'signCombine']) {
    assert.not.ok(code.includes(rsaText), `the bundle has ${rsaText}`);
  }
});

test('control: every RSA export alone brings both RSA modules (the count above can see them)', () => {
  for (const name of RSA_EXPORTS) {
    assert.is(embedded(apps[name]!.code).length, 3, name);
  }
});

test('HMAC-only app signs on wasm, sync and async, as node:crypto; initWasm compiles hash only', () => {
  const got = child(`${COUNT_COMPILES}${ROOT_FIXTURE}
const app = await import(${JSON.stringify(apps.hmac!.file)});
await app.initWasm();
const signer = app.createQredoSigner({ apiKey: 'k', secret });
const request = { method: 'GET', url, timestamp: ts };
console.log(JSON.stringify({
  backends: app.availableBackends(),
  backend: signer.backend,
  sync: signer.signSync(request).headers['qredo-api-sig'],
  async: (await signer.sign(request)).headers['qredo-api-sig'],
  compiles,
}));
`);
  assert.equal(got.backends, WEB_BACKENDS);
  assert.is(got.backend, 'wasm');
  assert.is(got.sync, expectedHmac);
  assert.is(got.async, expectedHmac);
  assert.equal(got.compiles, [wasmSize('hash')]);
});

test("each RSA export alone: RSA on backend 'wasm' as node:crypto; signSync under 'auto'", () => {
  const scripts: Record<(typeof RSA_EXPORTS)[number], string> = {
    createPartnerSigner: `
const request = { url, timestamp: ts };
const signer = app.createPartnerSigner({ apiKey: 'p', privateKey: pem, ...wasm });
out.backend = signer.backend;
out.sync = signer.signSync(request).headers['x-sign'];
out.async = (await signer.sign(request)).headers['x-sign'];
// 'auto': webcrypto signs sign(), and signSync() needs wasm's RSA half (never js beside webcrypto).
out.autoSync = await attempt(() => app.createPartnerSigner({ apiKey: 'p', privateKey: pem }).signSync(request).headers['x-sign']);`,
    signPartnerRequest: `
out.async = (await app.signPartnerRequest({ apiKey: 'p', privateKey: pem, url, timestamp: ts, ...wasm })).headers['x-sign'];`,
    rsaSign: `
out.async = Buffer.from(await app.rsaSign(pem, new TextEncoder().encode(ts + url), wasm)).toString('base64url');`,
    rsaVerify: `
const message = new TextEncoder().encode(ts + url);
const signature = Buffer.from(${JSON.stringify(expectedRsa)}, 'base64url');
out.verified = await app.rsaVerify(publicPem, message, signature, wasm);
signature[7] ^= 1;
out.tampered = await app.rsaVerify(publicPem, message, signature, wasm);`,
    verifyPartnerRequest: `
const now = String(Math.floor(Date.now() / 1000));
const { sign } = await import('node:crypto');
const headers = { 'x-api-key': 'p', 'x-timestamp': now, 'x-sign': sign('sha256', Buffer.from(now + url), pem).toString('base64url') };
const options = { publicKeyFor: () => publicPem, ...wasm };
out.verified = await app.verifyPartnerRequest({ method: 'GET', url, headers }, options);
out.tampered = await attempt(() => app.verifyPartnerRequest({ method: 'GET', url: url + '/x', headers }, options));`,
  };
  for (const name of RSA_EXPORTS) {
    const result = child(`${ROOT_FIXTURE}
const app = await import(${JSON.stringify(apps[name]!.file)});
const out = { backends: app.availableBackends() };
${scripts[name]}
console.log(JSON.stringify(out));
`);
    assert.equal(result.backends, WEB_BACKENDS, name);
    if (name === 'createPartnerSigner') {
      assert.is(result.backend, 'wasm');
      assert.is(result.sync, expectedRsa);
      assert.is(result.autoSync, expectedRsa, "signSync() under 'auto' (wasm's RSA half)");
    }
    if (name === 'rsaVerify') {
      assert.is(result.verified, true);
      assert.is(result.tampered, false, 'attack: a flipped signature bit verifies');
    } else if (name === 'verifyPartnerRequest') {
      assert.equal(result.verified, { apiKey: 'p', url: URL_, method: 'GET' });
      assert.is((result.tampered as { code: string }).code, 'BAD_SIGNATURE', 'attack: another URL');
    } else {
      assert.is(result.async, expectedRsa, name);
    }
  }
});

test('unbundled qredo-sign (web entry): the whole wasm backend at import, initWasm compiles all three', () => {
  const got = child(`${COUNT_COMPILES}${ROOT_FIXTURE}
const root = await import(${JSON.stringify(`${pkg.out}/esm/index.js`)});
await root.initWasm();
const signer = root.createPartnerSigner({ apiKey: 'p', privateKey: pem, ...wasm });
console.log(JSON.stringify({
  backends: root.availableBackends(),
  compiles: compiles.length,
  sig: signer.signSync({ url, timestamp: ts }).headers['x-sign'],
}));
`);
  assert.equal(got.backends, WEB_BACKENDS, 'registration order unchanged');
  assert.is(got.compiles, 3, 'hash, rsa and rsa-scalar compiled by initWasm');
  assert.is(got.sig, expectedRsa);
});

test.run();
