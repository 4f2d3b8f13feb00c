/**
 * What the two WASM split tests share (wasm-rsa-split: `qredo-sign/wasm`; root-wasm-split: the web
 * entry `qredo-sign`): the package bundled into a scratch directory beside a package.json with the
 * published `sideEffects` list, applications bundled from it the way users bundle them (esbuild,
 * browser, minified), a fresh Node to run them in, and one RSA key pair with the values node:crypto
 * gives for the fixture request (never values from the library).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as assert from 'uvu/assert';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The exports that create RSA keys, each of which must bring the wasm RSA half with it. */
export const RSA_EXPORTS = [
  'createPartnerSigner',
  'signPartnerRequest',
  'rsaSign',
  'rsaVerify',
  'verifyPartnerRequest',
] as const;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
export const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
export const TS = '1647356399';
export const SECRET = Buffer.from('wasm split test secret').toString('base64');
// Expected values from node:crypto (contract §5 inputs), never from the library.
export const expectedHmac = createHmac('sha256', Buffer.from(SECRET, 'base64'))
  .update(`${TS}GET${URL_}`)
  .digest('base64url');
export const expectedRsa = nodeSign('sha256', Buffer.from(`${TS}${URL_}`), privateKey).toString(
  'base64url',
);

/** Script lines that define the fixture (pem, publicPem, url, ts, secret) and `attempt`. */
export const FIXTURE = `
const pem = ${JSON.stringify(PEM)};
const publicPem = ${JSON.stringify(PUBLIC_PEM)};
const url = ${JSON.stringify(URL_)};
const ts = ${JSON.stringify(TS)};
const secret = ${JSON.stringify(SECRET)};
const attempt = async (f) => { try { return await f(); } catch (e) { return { code: e.code, message: e.message }; } };
`;

/** The hex of each embedded WASM module ("\0asm" = 0061736d; scripts/build-wasm.mjs). */
export const embedded = (code: string): string[] =>
  [...code.matchAll(/(["'`])(0061736d[0-9a-f]*)\1/g)].map((m) => m[2]!);

/** The bytes of a built module, `dist/wasm/<name>.wasm`. */
export const wasmBytes = (name: string): Buffer =>
  readFileSync(join(repo, `dist/wasm/${name}.wasm`));

/** A bundled app: its code and the file it was written to. */
export interface App {
  code: string;
  file: string;
}

/**
 * The package bundled into `build/<name>-<pid>` (inside the repository, which git ignores, so
 * that dependencies resolve from node_modules), with the published `sideEffects`: entries only,
 * never the shared chunks. `bundleApp` bundles an app whose `@/` imports resolve into it.
 */
export async function scratchPackage(name: string): Promise<{
  out: string;
  bundleApp(app: string, contents: string): Promise<App>;
  remove(): void;
}> {
  const out = join(repo, 'build', `${name}-${process.pid}`);
  const { bundleEntries } = await import('../../scripts/build-bundles.mjs');
  await bundleEntries(out);
  const { sideEffects } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  writeFileSync(
    join(out, 'package.json'),
    JSON.stringify({
      type: 'module',
      sideEffects: sideEffects.map((p: string) => p.replace('./dist/', './')),
    }),
  );
  return {
    out,
    async bundleApp(app, contents) {
      const result = await build({
        stdin: {
          contents: contents.replaceAll('@/', `${out}/esm/`),
          resolveDir: repo,
          loader: 'js',
        },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]!.text;
      const file = join(out, `${app}.mjs`);
      writeFileSync(file, code);
      return { code, file };
    },
    remove() {
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    },
  };
}

/** Runs `script` (an ES module body) in a fresh Node; returns its last stdout line as JSON. */
export function child(script: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: repo,
  });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

/**
 * The scratch package and the apps both split tests bundle from `entry` (e.g. `index.js`): `hmac`
 * imports `createQredoSigner`, `availableBackends` and `initWasm`; each RSA export has an app of
 * its own that imports it and `availableBackends`.
 */
export async function splitApps(
  name: string,
  entry: string,
): Promise<{ pkg: Awaited<ReturnType<typeof scratchPackage>>; apps: Record<string, App> }> {
  const pkg = await scratchPackage(name);
  const apps: Record<string, App> = {
    hmac: await pkg.bundleApp(
      'hmac',
      `export { createQredoSigner, availableBackends, initWasm } from '@/${entry}';`,
    ),
  };
  for (const rsa of RSA_EXPORTS) {
    apps[rsa] = await pkg.bundleApp(rsa, `export { ${rsa}, availableBackends } from '@/${entry}';`);
  }
  return { pkg, apps };
}
