#!/usr/bin/env node
/**
 * Bundles the package entries with esbuild (issue 17: fewer modules to load at start-up). tsc still
 * writes the `.d.ts` files (tsconfig `emitDeclarationOnly`); this script writes every `.js`:
 *
 *   dist/esm/<entry>.js, dist/esm/chunk-<hash>.js
 *     One ESM build with code splitting: each module of src/ lands in exactly one file, shared by
 *     the entries that reach it, so a process (or a bundle) that imports two entries has ONE
 *     backend registry, one WASM cache, one default nonce store and one SigningError class.
 *   dist/cjs/<entry>.js, dist/cjs/chunk-<hash>.js
 *     The same split graph (without the workerd entries, which are ESM-only in the exports map),
 *     each file converted to CommonJS on its own: `require()` of two entries shares the chunks,
 *     and so the same state, exactly as in ESM.
 *
 * Everything outside src/ stays an import (dependencies, optional peers, `node:` modules). The
 * workerd entries' `.wasm` imports are rewritten to the files build-wasm.mjs writes to dist/wasm
 * (chunks and entries sit at the root of dist/esm, so the path is `../wasm/<name>.wasm`).
 * Syntax is minified, whitespace is not: esbuild's whitespace minifier drops the `@__PURE__`
 * annotations that let a user's bundler tree-shake our top-level constants (measured: +90 B gzip
 * on the qredo-api signer). Identifiers keep their names, so stack traces still read.
 *
 * Usage: node scripts/build-bundles.mjs            (after build-wasm.mjs; writes dist/esm, dist/cjs)
 *        import { bundleEntries } from './build-bundles.mjs'; await bundleEntries(outDir)
 */
import { build, transform } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const src = join(repo, 'src');

/**
 * Entries that share state (the backend registry, the WASM cache, the SigningError class) are
 * built together with code splitting. The others own no such state, or run in a process of their
 * own: each is one file (fewer, larger chunks for the shared graph load faster at start-up).
 *   cli: `bin/qredo-sign.js`, a process of its own; conformance/runner: imports nothing (runtime
 *   suite); the adapters and the Redis store: they use only SigningError (recognised across copies
 *   by its brand) and the default nonce store (a process-wide global); mock: a test server that
 *   imports the Node entry for its registrations. An entry module imported by another module would
 *   land in a shared chunk, and its registrations with it, where `sideEffects` (entries only) would
 *   let a bundler drop them: no entry in the shared group may be imported by another module.
 */
const STANDALONE = ['cli', 'mock', 'axios', 'openapi-fetch', 'pkcs11', 'nonce-store-redis'];
const ESM_ONLY = ['index.workerd', 'backend-wasm.workerd'];
const EXTRA = { 'conformance/runner': 'conformance/runner.ts' };

/**
 * Extra entry points of the shared build whose only purpose is where chunks split (virtual
 * modules, see `splitHints`; their own output files are not written). esbuild puts the code
 * reached by the same set of entries in one chunk, so the Qredo signer with a secret provider
 * (sign/qredo-rotating.ts, HMAC only) shared a chunk with the Partner signer, which every full
 * entry reaches too. A user's bundler then has to tree-shake that chunk statement by statement,
 * and esbuild keeps any class with a computed member key (`[INSPECT]()`), so the HMAC-only app of
 * `qredo-sign/wasm` carried the Partner signer (~3 KB minified, issue 17).
 *
 * The hint reaches exactly what the `qredo-sign/qredo-api` entry reaches (the Qredo API half and
 * webcrypto's HMAC half) plus the rotating signer: the rotating signer gets a chunk apart from
 * the Partner API's, and everything else keeps the chunks it had (a hint reaching the rotating
 * signer alone also split the client code from the core: one more file for Node to load).
 */
const SPLIT_HINTS = {
  'split-hint/qredo-half': [
    "export * from './api/qredo-api.ts';",
    "export { subtleCrypto, webcryptoHmacBackend } from './backends/webcrypto.ts';",
    "export { registerHmacBackend } from './backends/registry.ts';",
    "export { createQredoSigner as rotatingQredoSigner } from './sign/qredo-rotating.ts';",
  ].join('\n'),
};

/** Serves the {@link SPLIT_HINTS} entries as virtual modules resolved from src/. */
const splitHints = {
  name: 'split-hints',
  setup(b) {
    b.onResolve({ filter: /^split-hint:/ }, (args) => ({
      path: args.path.slice('split-hint:'.length),
      namespace: 'split-hint',
    }));
    b.onLoad({ filter: /.*/, namespace: 'split-hint' }, (args) => ({
      contents: SPLIT_HINTS[args.path],
      resolveDir: src,
      loader: 'ts',
    }));
  },
};

function entryPoints(format, group) {
  const names = readdirSync(src)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => format === 'esm' || !ESM_ONLY.includes(n));
  const entries = Object.fromEntries(names.map((n) => [n, join(src, `${n}.ts`)]));
  for (const [out, file] of Object.entries(EXTRA)) entries[out] = join(src, file);
  const standalone = (n) => STANDALONE.includes(n) || n in EXTRA;
  const chosen = Object.fromEntries(
    Object.entries(entries).filter(([n]) => (group === 'shared') !== standalone(n)),
  );
  if (group === 'shared') {
    for (const out of Object.keys(SPLIT_HINTS)) chosen[out] = `split-hint:${out}`;
  }
  return chosen;
}

/** Dependencies bundled into dist (their license comments kept). */
const INLINED = /^@noble\/(hashes\/|curves\/abstract\/modular(\.js)?$)/;

const externals = {
  name: 'externals',
  setup(b) {
    // Bare specifiers (dependencies, peers, node: builtins) stay imports of the user's install,
    // except @noble/hashes (the js backend's SHA-256) and @noble/curves/abstract/modular (RSA
    // blinding's modular inverse), inlined: resolving them through their exports maps and loading
    // their files cost more at a cold start (~30 ms CPU each here) than the rest of an entry.
    // Both are pure functions: a second copy (the agent's @noble/curves has its own) shares no state.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'entry-point' || INLINED.test(args.path)
        ? undefined
        : { path: args.path, external: true },
    );
    // The workerd modules of src/backends/wasm/generated/workerd.ts: the binaries in dist/wasm.
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({
      path: `../wasm/${basename(args.path)}`,
      external: true,
    }));
  },
};

/** One split ESM build of `format`'s entries; returns esbuild's output files (not written). */
async function splitBuild(format, group = 'shared') {
  const result = await build({
    entryPoints: entryPoints(format, group),
    outdir: join(repo, 'dist', 'bundle-tmp'),
    bundle: true,
    splitting: group === 'shared',
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    chunkNames: 'chunk-[hash]',
    minifySyntax: true,
    legalComments: 'inline',
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [splitHints, externals],
  });
  return result;
}

/**
 * Writes dist/esm and dist/cjs JavaScript under `outDir` (default: the repository's dist). Old
 * `.js` files there are removed first; `.d.ts` files (tsc's) are kept.
 * @returns {Promise<{ esm: string[], cjs: string[], metafile: object }>} the files written
 */
export async function bundleEntries(outDir = join(repo, 'dist')) {
  const written = { esm: [], cjs: [] };
  const esm = await splitBuild('esm');
  const builds = [
    ['esm', esm],
    ['esm', await splitBuild('esm', 'standalone')],
    ['cjs', await splitBuild('cjs')],
    ['cjs', await splitBuild('cjs', 'standalone')],
  ];
  const tmp = join(repo, 'dist', 'bundle-tmp');
  removeJs(join(outDir, 'esm'));
  removeJs(join(outDir, 'cjs'));
  for (const [format, result] of builds) {
    const dir = join(outDir, format);
    for (const file of result.outputFiles) {
      const name = relative(tmp, file.path);
      if (isSplitHint(name)) continue;
      const target = join(dir, name);
      mkdirSync(dirname(target), { recursive: true });
      let code = file.text;
      if (format === 'cjs') {
        code = (
          await transform(code, {
            format: 'cjs',
            target: 'es2022',
            platform: 'node',
            minifySyntax: true,
            logLevel: 'warning',
          })
        ).code;
      }
      writeFileSync(target, code);
      written[format].push(name);
    }
  }
  mkdirSync(join(outDir, 'cjs'), { recursive: true });
  // The package is "type": "module": mark dist/cjs as CommonJS.
  writeFileSync(join(outDir, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  return { ...written, metafile: esm.metafile };
}

/** True for the output file of a {@link SPLIT_HINTS} entry (never imported: not written). */
function isSplitHint(name) {
  return Object.keys(SPLIT_HINTS).some(
    (hint) => name === `${hint}.js` || name === `${hint}.js.map`,
  );
}

/** Removes tsc's or an older bundle's `.js` files (never `.d.ts`) under `dir`. */
function removeJs(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) removeJs(path);
    else if (e.name.endsWith('.js')) rmSync(path);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { esm, cjs } = await bundleEntries();
  const chunks = (list) => list.filter((f) => f.startsWith('chunk-')).length;
  console.log(
    `bundles: dist/esm ${esm.length} files (${chunks(esm)} shared chunks), dist/cjs ${cjs.length} files (${chunks(cjs)} shared chunks)`,
  );
}
