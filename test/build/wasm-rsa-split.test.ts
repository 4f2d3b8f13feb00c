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
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (build/ is ignored by git) so that dependencies resolve from node_modules.
const out = join(repo, 'build', `test-wasm-split-${process.pid}`);
const TARGET_GZIP = 12 * 1024; // issue 17: the HMAC-only wasm app, WASM bytes included
const RSA_EXPORTS = [
  'createPartnerSigner',
  'signPartnerRequest',
  'rsaSign',
  'rsaVerify',
  'verifyPartnerRequest',
] as const;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const SECRET = Buffer.from('wasm split test secret').toString('base64');
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
const hashBytes = () => readFileSync(join(repo, 'dist/wasm/hash.wasm'));

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

// Counts compilations: `new WebAssembly.Module` (first synchronous use) and WebAssembly.compile
// (initWasm), by module size, so a test sees which modules were compiled and how often.
const COUNT_COMPILES = `
const compiles = [];
const RealModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(RealModule, { construct(t, a) { compiles.push('sync:' + a[0].byteLength); return new t(...a); } });
const realCompile = WebAssembly.compile;
WebAssembly.compile = (bytes) => (compiles.push('async:' + bytes.byteLength), realCompile(bytes));
`;

const FIXTURE = `
const pem = ${JSON.stringify(PEM)};
const publicPem = ${JSON.stringify(PUBLIC_PEM)};
const url = ${JSON.stringify(URL_)};
const ts = ${JSON.stringify(TS)};
const secret = ${JSON.stringify(SECRET)};
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
      `export { createQredoSigner, availableBackends, initWasm } from '@/backend-wasm.js';`,
    ),
  };
  for (const name of RSA_EXPORTS) {
    apps[name] = await bundleApp(
      name,
      `export { ${name}, availableBackends } from '@/backend-wasm.js';`,
    );
  }
});

test.after(() => {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
});

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
const wasm = await import(${JSON.stringify(`${out}/esm/backend-wasm.js`)});
const root = await import(${JSON.stringify(`${out}/esm/index.node.js`)});
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
const wasm = await import(${JSON.stringify(`${out}/esm/backend-wasm.js`)});
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
