/**
 * Installs the package the way a user gets it: `npm pack` of the built repository (no scripts, no
 * registry), unpacked into `<work>/node_modules/qredo-sign`, its dependencies linked from the
 * repository's node_modules. The launchers are copied into `<work>` so that `import 'qredo-sign'`
 * resolves there, through the packed package.json's exports map, in every runtime; the
 * conformance runner comes from the packed dist (it imports nothing, so it is runtime-neutral).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const LAUNCHERS = [
  'suite.mjs',
  'agent-suite.mjs',
  'vectors.mjs',
  'node.mjs',
  'deno.ts',
  'bun.ts',
  'workerd/worker.mjs',
  'browser/page.mjs',
];

/**
 * @param {string} repo the repository root (built: dist/ exists)
 * @param {string} work an empty directory
 * @param {{ launchers?: boolean }} [options] copy the launchers too (default true)
 * @returns {{ packageDir: string, tarball: string }}
 */
export function installConsumer(repo, work, { launchers = true } = {}) {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const tarball = join(work, packed[0].filename);
  const packageDir = join(work, 'node_modules', 'qredo-sign');
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const link = join(work, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repo, 'node_modules', name), link, 'dir');
  }
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({
      name: 'qredo-sign-runtime-consumer',
      private: true,
      type: 'module',
      dependencies: { 'qredo-sign': manifest.version },
    }),
  );
  // Deno: resolve npm packages from this node_modules only, never from the registry.
  writeFileSync(join(work, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual', lock: false }));

  if (!launchers) return { packageDir, tarball };
  const here = dirname(new URL(import.meta.url).pathname);
  for (const file of LAUNCHERS) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(here, file), join(work, file));
  }
  cpSync(join(packageDir, 'dist', 'esm', 'conformance', 'runner.js'), join(work, 'conformance.js'));
  return { packageDir, tarball };
}
