/**
 * Bundles a launcher the way users bundle for workerd and browsers: esbuild from the consumer
 * directory, so `qredo-sign` resolves through the packed package's exports map with the given
 * conditions. Three plugins:
 * - `virtual:vectors` becomes a module exporting the parsed vector files (GoldenFiles), so the
 *   bundle needs no file or network access;
 * - `.wasm` imports (the workerd entry's precompiled modules) stay imports of a module beside the
 *   bundle, copied there, as wrangler does: workerd links them as `wasm` modules;
 * - with `specifier` (say `qredo-sign/qredo-api`), the launcher's `import 'qredo-sign'` resolves
 *   to that entry of the package instead, through the same exports map.
 */
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { VECTOR_MANIFEST, vectorFiles } from './vectors.mjs';

/**
 * @param {{ entry: string, outdir: string, vectorsDir: string, conditions: string[],
 *           platform: 'browser' | 'neutral', specifier?: string }} options
 * @returns {Promise<{ file: string, wasm: string[] }>} the bundle and the .wasm files beside it
 */
export async function bundleLauncher({
  entry,
  outdir,
  vectorsDir,
  conditions,
  platform,
  specifier = 'qredo-sign',
}) {
  const wasm = [];
  const file = join(outdir, `${basename(entry).replace(/\.[cm]?[jt]s$/, '')}.js`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    // wrangler's choice for workerd; for browsers esbuild's default is the same list.
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    logLevel: 'error',
    plugins: [
      {
        name: 'entry',
        setup(b) {
          if (specifier === 'qredo-sign') return;
          b.onResolve({ filter: /^qredo-sign$/ }, (args) =>
            b.resolve(specifier, { kind: args.kind, resolveDir: args.resolveDir }),
          );
        },
      },
      {
        name: 'vectors',
        setup(b) {
          b.onResolve({ filter: /^virtual:vectors$/ }, () => ({
            path: 'vectors',
            namespace: 'vectors',
          }));
          b.onLoad({ filter: /.*/, namespace: 'vectors' }, () => {
            const lines = [];
            const keyed = [];
            let i = 0;
            const manifest = readFileSync(join(vectorsDir, VECTOR_MANIFEST), 'utf8');
            for (const [key, path] of Object.entries(vectorFiles(JSON.parse(manifest)))) {
              const names = [path].flat().map((p) => {
                const name = `v${i++}`;
                lines.push(`import ${name} from ${JSON.stringify(join(vectorsDir, p))};`);
                return name;
              });
              keyed.push([key, Array.isArray(path) ? `[${names}]` : names[0]]);
            }
            const plain = keyed.filter(([k]) => !k.startsWith('public.'));
            const pub = keyed.filter(([k]) => k.startsWith('public.'));
            lines.push(
              `export default { ${plain.map(([k, v]) => `${k}: ${v}`).join(', ')}, public: { ${pub
                .map(([k, v]) => `${k.slice(7)}: ${v}`)
                .join(', ')} } };`,
            );
            return { contents: lines.join('\n'), loader: 'js', resolveDir: vectorsDir };
          });
        },
      },
      {
        name: 'wasm-modules',
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            const source = resolve(args.resolveDir, args.path);
            copyFileSync(source, join(outdir, basename(source)));
            wasm.push(basename(source));
            return { path: `./${basename(source)}`, external: true };
          });
        },
      },
    ],
  });
  return { file, wasm: [...new Set(wasm)] };
}
