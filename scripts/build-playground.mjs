#!/usr/bin/env node
/**
 * Builds the playground (issue 19, contract §6.1) into ONE file, dist/playground/index.html: the page
 * script bundled by esbuild from src/playground/page.ts (the library's browser entry), inlined with
 * the stylesheet, under a Content-Security-Policy that allows exactly those two inline blocks (by
 * their SHA-256, CSP Level 3 §8.3), WebAssembly compilation ('wasm-unsafe-eval', for the wasm
 * backend), and nothing else: no connection, no image, no frame, no form target. One file works
 * from `qredo-sign playground` and opened directly (file://), where 'self' would match nothing.
 *
 * The shared CLI helpers the page reuses (explain's escaping, the curl formatter) import node:
 * modules for functions the page does not call; those imports resolve to an empty CommonJS stub,
 * and the build fails if any other node: import is reached.
 *
 * Usage: node scripts/build-playground.mjs [OUT_DIR]   (default dist/playground)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('..', import.meta.url));
const source = join(repo, 'src', 'playground');

/** Node modules the shared CLI helpers import; the page never calls into them. */
const STUBBED = new Set(['node:crypto', 'node:fs', 'node:util']);

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Builds the page into `outDir`; resolves to { file, bytes, csp }.
 *
 * @example
 * ```js
 * const { file } = await buildPlayground('/tmp/playground');
 * ```
 */
export async function buildPlayground(outDir = join(repo, 'dist', 'playground')) {
  const result = await build({
    entryPoints: [join(source, 'page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'stub-node-builtins',
        setup(b) {
          // The browser entry registers its backends as a side effect; the package's
          // `sideEffects` list names only dist/ files, so it is declared here for src/index.ts.
          b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
            args.importer === join(source, 'page.ts')
              ? { path: join(repo, 'src', 'index.ts'), sideEffects: true }
              : undefined,
          );
          b.onResolve({ filter: /^node:/ }, (args) => {
            if (!STUBBED.has(args.path)) {
              throw new Error(
                `the playground must not import ${args.path} (from ${args.importer})`,
              );
            }
            return { path: args.path, namespace: 'node-stub' };
          });
          b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
            contents: 'module.exports = {};',
            loader: 'js',
          }));
        },
      },
    ],
  });
  // A closing script tag inside the bundle would end the inline block early.
  const script = result.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const style = readFileSync(join(source, 'playground.css'), 'utf8');
  const template = readFileSync(join(source, 'index.html'), 'utf8');
  // The hashed text must be exactly each element's content: the placeholders' whole elements
  // are replaced, so no template indentation ends up inside them. (Functions as replacements:
  // a `$` in the bundle must not be read as a replacement pattern.)
  const html0 = template
    .replace(/<style>[\s\S]*?<\/style>/, () => `<style>${style}</style>`)
    .replace(/<script>[\s\S]*?<\/script>/, () => `<script>${script}</script>`);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(style)}`,
    "connect-src 'none'",
    "img-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const html = html0.replace('%CSP%', csp);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.html');
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html), csp };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { file, bytes } = await buildPlayground(process.argv[2]);
  console.log(`playground: ${file} (${(bytes / 1024).toFixed(1)} KiB)`);
}
