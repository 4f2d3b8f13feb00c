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
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (build/ is ignored by git) so that dependencies resolve from node_modules.
const out = join(repo, 'build', `test-root-split-${process.pid}`);
const RSA_EXPORTS = [
  'createPartnerSigner',
  'signPartnerRequest',
  'rsaSign',
  'rsaVerify',
  'verifyPartnerRequest',
] as const;
const WEB_BACKENDS = ['webcrypto', 'wasm', 'js'];

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const SECRET = Buffer.from('root split test secret').toString('base64');
const TS = '1647356399';
// Expected values from node:crypto (contract §5 inputs), never from the library.
const expectedHmac = createHmac('sha256', Buffer.from(SECRET, 'base64'))
  .update(`${TS}GET${URL_}`)
  .digest('base64url');
const expectedRsa = nodeSign('sha256', Buffer.from(`${TS}${URL_}`), privateKey).toString(
  'base64url',
);

// The modules travel as hex string constants ("\0asm" = 0061736d), scripts/build-wasm.mjs.
const embedded = (code: string) =>
  [...code.matchAll(/(["'`])(0061736d[0-9a-f]*)\1/g)].map((m) => m[2]);
const wasmSize = (name: string) => readFileSync(join(repo, `dist/wasm/${name}.wasm`)).length;

/** A minified browser bundle of `contents` (imports of `@/` resolve into the scratch build). */
async function bundleApp(name: string, contents: string): Promise<{ code: string; file: string }> {
  const result = await build({
    stdin: { contents: contents.replaceAll('@/', `${out}/esm/`), resolveDir: repo, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const file = join(out, `${name}.mjs`);
  writeFileSync(file, code);
  return { code, file };
}

/** Runs `script` (an ES module body) in a fresh Node; returns its last stdout line as JSON. */
function child(script: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: repo,
  });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

// Records the byte length of each module compiled by initWasm (WebAssembly.compile).
const COUNT_COMPILES = `
const compiles = [];
const realCompile = WebAssembly.compile;
WebAssembly.compile = (bytes) => (compiles.push(bytes.byteLength), realCompile(bytes));
`;

const FIXTURE = `
const pem = ${JSON.stringify(PEM)};
const publicPem = ${JSON.stringify(PUBLIC_PEM)};
const url = ${JSON.stringify(URL_)};
const ts = ${JSON.stringify(TS)};
const secret = ${JSON.stringify(SECRET)};
const wasm = { backend: 'wasm' };
const attempt = async (f) => { try { return await f(); } catch (e) { return { code: e.code, message: e.message }; } };
`;

let apps: Record<string, { code: string; file: string }>;

test.before(async () => {
  const { bundleEntries } = await import('../../scripts/build-bundles.mjs');
  await bundleEntries(out);
  // The published list (package.json `sideEffects`): entries only, never the shared chunks.
  const { sideEffects } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  writeFileSync(
    join(out, 'package.json'),
    JSON.stringify({
      type: 'module',
      sideEffects: sideEffects.map((p: string) => p.replace('./dist/', './')),
    }),
  );
  apps = {
    hmac: await bundleApp(
      'hmac',
      `export { createQredoSigner, availableBackends, initWasm } from '@/index.js';`,
    ),
  };
  for (const name of RSA_EXPORTS) {
    apps[name] = await bundleApp(name, `export { ${name}, availableBackends } from '@/index.js';`);
  }
});

test.after(() => {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
});

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
    const result = child(`${FIXTURE}
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
  const got = child(`${COUNT_COMPILES}${FIXTURE}
const root = await import(${JSON.stringify(`${out}/esm/index.js`)});
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
