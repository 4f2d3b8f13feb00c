// What a browser user ships: minified + gzipped (level 9) bytes of an esbuild bundle of the web
// entry when only the Qredo API HMAC signer is imported, of the whole web entry for comparison,
// and of each WebAssembly module. Bundles go through the package name with esbuild's browser
// platform, so the exports map picks dist/esm/index.js exactly as a user's bundler would.
import { createHmac } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Marks the package entry as having side effects (its backend registration), which is what a
 * `sideEffects` list naming the entries would do; used only to size a bundle that would work.
 */
const keepEntrySideEffects = {
  name: 'keep-entry-side-effects',
  setup(build) {
    build.onResolve({ filter: /^qredo-sign$/ }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { inner: true },
      });
      return { path: resolved.path, sideEffects: true };
    });
  },
};

async function bundle(contents, plugins = []) {
  const result = await esbuild.build({
    plugins,
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'bench-entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const modules = Object.fromEntries(
    Object.entries(output.inputs)
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([path, info]) => [path, info.bytesInOutput]),
  );
  return { code, minified: code.length, gzip: gzip(code), modules };
}

/**
 * A size means nothing if the bundle cannot sign: a bundler may drop the entry's backend
 * registration (e.g. under `"sideEffects": false`). The bundle is loaded here (Node has the same
 * WebCrypto global a browser has) and must sign the contract §5 request as node:crypto does.
 */
async function checkSigns(code, beside = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-sign-size-'));
  try {
    const file = join(dir, 'bundle.mjs');
    writeFileSync(file, code);
    for (const [name, path] of Object.entries(beside)) copyFileSync(path, join(dir, name));
    const { createQredoSigner } = await import(pathToFileURL(file).href);
    const secret = Buffer.from('bench secret of the size check').toString('base64');
    const request = {
      method: 'GET',
      url: 'https://api.qredo.network/qapi/v1/balance',
      timestamp: 1647356399,
    };
    const signed = await createQredoSigner({ apiKey: 'k', secret }).sign(request);
    const expected = createHmac('sha256', Buffer.from(secret, 'base64'))
      .update(`1647356399GEThttps://api.qredo.network/qapi/v1/balance`)
      .digest('base64url');
    if (signed.headers['qredo-api-sig'] !== expected)
      return { works: false, error: 'wrong signature' };
    return { works: true };
  } catch (/** @type {any} */ error) {
    return { works: false, error: `${error?.code ?? error?.name}: ${error?.message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wasmModules() {
  const dir = `${ROOT}dist/wasm`;
  let names;
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.wasm'));
  } catch {
    return {};
  }
  return Object.fromEntries(
    names.sort().map((name) => {
      const bytes = readFileSync(`${dir}/${name}`);
      return [`dist/wasm/${name}`, { bytes: statSync(`${dir}/${name}`).size, gzip: gzip(bytes) }];
    }),
  );
}

/**
 * One bundle's sizes and whether it signs. When it does not, the size it would have with the
 * entry's registration kept is given too (`withEntrySideEffects`), so the figure to expect is known.
 */
async function sized(contents) {
  const { code, ...sizes } = await bundle(contents);
  const check = await checkSigns(code);
  if (check.works) return { ...sizes, ...check };
  const { code: kept, ...keptSizes } = await bundle(contents, [keepEntrySideEffects]);
  return {
    ...sizes,
    ...check,
    withEntrySideEffects: { ...keptSizes, ...(await checkSigns(kept)) },
  };
}

/** Package entries whose browser bundle an HMAC-only application could ship. */
const ENTRIES = [
  'qredo-sign',
  'qredo-sign/qredo-api',
  'qredo-sign/wasm',
  'qredo-sign/js',
  'qredo-sign/webcrypto',
];

/**
 * `.wasm` files a bundle loads beside itself (named in a string literal of the minified code, e.g.
 * `new URL('hash.wasm', import.meta.url)`), found in dist: they are downloaded too, so they count.
 */
function wasmBeside(code) {
  const text = Buffer.from(code).toString('utf8');
  const names = new Set(
    [...text.matchAll(/["'`](?:[^"'`]*\/)?([\w.-]+\.wasm)["'`]/g)].map((m) => m[1]),
  );
  const found = {};
  for (const name of names) {
    for (const dir of ['dist/wasm', 'dist/esm/wasm/generated', 'dist/esm/wasm', 'dist/esm']) {
      const path = join(ROOT, dir, name);
      if (existsSync(path)) {
        found[name] = path;
        break;
      }
    }
  }
  return found;
}

/**
 * An HMAC-only application's bundle of one entry (`createQredoSigner` imported from it), plus the
 * `.wasm` files it loads beside it: `totalGzip` is what the browser downloads.
 */
async function entrySized(entry) {
  const { code, ...sizes } = await bundle(`export { createQredoSigner } from '${entry}';`);
  const beside = wasmBeside(code);
  const wasmFiles = Object.fromEntries(
    Object.entries(beside).map(([name, path]) => [name, gzip(readFileSync(path))]),
  );
  const totalGzip = sizes.gzip + Object.values(wasmFiles).reduce((a, b) => a + b, 0);
  return { ...sizes, wasmFiles, totalGzip, ...(await checkSigns(code, beside)) };
}

/** Sizes in bytes; `modules` lists what each bundle pulled in (bytes in the minified output). */
export async function measureSizes() {
  const esbuildVersion = createRequire(import.meta.url)('esbuild/package.json').version;
  return {
    tool: `esbuild ${esbuildVersion}, bundle+minify, format esm, platform browser; gzip level 9`,
    createQredoSignerOnly: await sized("export { createQredoSigner } from 'qredo-sign';"),
    webEntryAll: await sized("export * from 'qredo-sign';"),
    entries: Object.fromEntries(
      await Promise.all(ENTRIES.map(async (entry) => [entry, await entrySized(entry)])),
    ),
    wasm: wasmModules(),
  };
}
