/**
 * `qredo-sign/wasm` without RSA for HMAC-only applications (issue 17). The package is bundled
 * into a scratch directory (scripts/build-bundles.mjs) beside a package.json with the published
 * `sideEffects` list, and applications are bundled from it the way users bundle (esbuild, browser,
 * minified). What must hold:
 * - an app that imports only `createQredoSigner` embeds the `hash` module alone, none of the RSA
 *   glue, and stays within the 12 KiB gzip target, and it signs;
 * - an app that imports any ONE of the RSA exports (`createPartnerSigner`, `signPartnerRequest`,
 *   `rsaSign`, `rsaVerify`, `verifyPartnerRequest`) gets the RSA half with it and signs or
 *   verifies on wasm, synchronously and asynchronously, as node:crypto does;
 * - unbundled, two entries in one process share one WASM cache: each module is compiled once,
 *   and `initWasm()` compiles the RSA modules too.
 */
import { gzipSync } from 'node:zlib';
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

const TARGET_GZIP = 12 * 1024; // issue 17: the HMAC-only wasm app, WASM bytes included
const hashBytes = () => wasmBytes('hash');

// Counts compilations: `new WebAssembly.Module` (first synchronous use) and WebAssembly.compile
// (initWasm), by module size, so a test sees which modules were compiled and how often.
const COUNT_COMPILES = `
const compiles = [];
const RealModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(RealModule, { construct(t, a) { compiles.push('sync:' + a[0].byteLength); return new t(...a); } });
const realCompile = WebAssembly.compile;
WebAssembly.compile = (bytes) => (compiles.push('async:' + bytes.byteLength), realCompile(bytes));
`;

let pkg: Awaited<ReturnType<typeof scratchPackage>>;
let apps: Record<string, App>;

test.before(async () => {
  ({ pkg, apps } = await splitApps('test-wasm-split', 'backend-wasm.js'));
});

test.after(() => pkg?.remove());

test('HMAC-only app of qredo-sign/wasm: the hash module alone, no RSA glue, within 12 KiB gz', () => {
  const { code } = apps.hmac!;
  assert.equal(embedded(code), [hashBytes().toString('hex')], 'exactly one embedded module: hash');
  for (const rsaText of ['rsa-scalar', 'signCombine', 'prepareBlinding', 'RsaPartnerSigner']) {
    assert.not.ok(code.includes(rsaText), `the bundle has ${rsaText}`);
  }
  const size = gzipSync(code, { level: 9 }).length;
  assert.ok(size <= TARGET_GZIP, `${size} B gzip > ${TARGET_GZIP} B`);
});

test('control: every RSA export alone brings both RSA modules (the count above can see them)', () => {
  for (const name of RSA_EXPORTS) {
    assert.is(embedded(apps[name]!.code).length, 3, name);
  }
});

test('HMAC-only app signs on wasm, sync and async, as node:crypto; initWasm compiles hash only', () => {
  const got = child(`${COUNT_COMPILES}${FIXTURE}
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
  assert.equal(got.backends, ['wasm']);
  assert.is(got.backend, 'wasm');
  assert.is(got.sync, expectedHmac);
  assert.is(got.async, expectedHmac);
  assert.equal(got.compiles, [`async:${hashBytes().length}`]);
});

test('each RSA export alone: RSA on wasm, sync and async, as node:crypto', () => {
  const scripts: Record<(typeof RSA_EXPORTS)[number], string> = {
    createPartnerSigner: `
const signer = app.createPartnerSigner({ apiKey: 'p', privateKey: pem });
const request = { url, timestamp: ts };
out.backend = signer.backend;
out.sync = signer.signSync(request).headers['x-sign'];
out.async = (await signer.sign(request)).headers['x-sign'];`,
    signPartnerRequest: `
out.async = (await app.signPartnerRequest({ apiKey: 'p', privateKey: pem, url, timestamp: ts })).headers['x-sign'];`,
    rsaSign: `
out.async = Buffer.from(await app.rsaSign(pem, new TextEncoder().encode(ts + url))).toString('base64url');`,
    rsaVerify: `
const message = new TextEncoder().encode(ts + url);
const signature = Buffer.from(${JSON.stringify(expectedRsa)}, 'base64url');
out.verified = await app.rsaVerify(publicPem, message, signature);
signature[7] ^= 1;
out.tampered = await app.rsaVerify(publicPem, message, signature);`,
    verifyPartnerRequest: `
const now = String(Math.floor(Date.now() / 1000));
const { sign } = await import('node:crypto');
const headers = { 'x-api-key': 'p', 'x-timestamp': now, 'x-sign': sign('sha256', Buffer.from(now + url), pem).toString('base64url') };
const options = { publicKeyFor: () => publicPem };
out.verified = await app.verifyPartnerRequest({ method: 'GET', url, headers }, options);
out.tampered = await attempt(() => app.verifyPartnerRequest({ method: 'GET', url: url + '/x', headers }, options));`,
  };
  for (const name of RSA_EXPORTS) {
    const result = child(`${FIXTURE}
const app = await import(${JSON.stringify(apps[name]!.file)});
const out = { backends: app.availableBackends() };
${scripts[name]}
console.log(JSON.stringify(out));
`);
    assert.equal(result.backends, ['wasm'], name);
    if (name === 'createPartnerSigner') {
      assert.is(result.backend, 'wasm');
      assert.is(result.sync, expectedRsa);
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

test('unbundled: two entries share one WASM cache (each module compiled once), one registry', () => {
  const got = child(`${COUNT_COMPILES}${FIXTURE}
const wasm = await import(${JSON.stringify(`${pkg.out}/esm/backend-wasm.js`)});
const root = await import(${JSON.stringify(`${pkg.out}/esm/index.node.js`)});
const request = { url, timestamp: ts };
const signers = [wasm.createPartnerSigner({ apiKey: 'p', privateKey: pem }),
  root.createPartnerSigner({ apiKey: 'p', privateKey: pem, backend: 'wasm' })];
const hmac = [wasm.createQredoSigner({ apiKey: 'k', secret }),
  root.createQredoSigner({ apiKey: 'k', secret, backend: 'wasm' })];
const result = {
  rsa: signers.map((s) => s.signSync(request).headers['x-sign']),
  hmac: hmac.map((s) => s.signSync({ method: 'GET', url, timestamp: ts }).headers['qredo-api-sig']),
  backends: [wasm.availableBackends(), root.availableBackends()],
};
await wasm.initWasm();
await root.initWasm();
result.compiles = compiles;
console.log(JSON.stringify(result));
`);
  assert.equal(got.rsa, [expectedRsa, expectedRsa]);
  assert.equal(got.hmac, [expectedHmac, expectedHmac]);
  const [fromWasm, fromRoot] = got.backends as string[][];
  assert.equal(fromWasm, fromRoot);
  assert.ok(fromWasm!.includes('wasm') && fromWasm!.includes('node'));
  // hash and one RSA build compiled synchronously, once each; initWasm compiles only the RSA
  // build not used yet (rsa-scalar here, or rsa without SIMD), never one already compiled.
  const compiles = got.compiles as string[];
  assert.is(compiles.filter((c) => c.startsWith('sync:')).length, 2, compiles.join(', '));
  assert.is(compiles.filter((c) => c.startsWith('async:')).length, 1, compiles.join(', '));
  assert.is(
    new Set(compiles.map((c) => c.slice(c.indexOf(':')))).size,
    3,
    'three distinct modules',
  );
});

test('unbundled qredo-sign/wasm: initWasm() compiles the RSA modules too, then signSync compiles nothing', () => {
  const got = child(`${COUNT_COMPILES}${FIXTURE}
const wasm = await import(${JSON.stringify(`${pkg.out}/esm/backend-wasm.js`)});
await wasm.initWasm();
const before = compiles.length;
const signer = wasm.createPartnerSigner({ apiKey: 'p', privateKey: pem });
console.log(JSON.stringify({ before, compiles, sig: signer.signSync({ url, timestamp: ts }).headers['x-sign'] }));
`);
  assert.is(got.before, 3, 'hash, rsa and rsa-scalar compiled by initWasm');
  assert.is((got.compiles as string[]).length, 3, 'nothing compiled synchronously after initWasm');
  assert.is(got.sig, expectedRsa);
});

test.run();
