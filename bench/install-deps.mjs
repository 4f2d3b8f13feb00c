// Installs the benchmark's own dependencies (bench/package.json: Benchmark.js and the libraries
// qredo-sign is measured against) when bench/node_modules lacks them or holds other versions, so
// that `npm run bench` works on a fresh clone while the package's own `npm ci` never downloads
// the competitors (issue 15). The check is a few file reads, so every bench script can start here.
//
// `npm ci` from bench/package-lock.json only needs the npm registry, and --prefer-offline lets a
// warm cache serve it. --ignore-scripts: none of these libraries needs an install script, and
// the linked qredo-sign (`file:..`) would otherwise run its `prepare` (a full build) again.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));

/** Why bench/node_modules cannot serve bench/package.json as it is, or undefined if it can. */
function missing() {
  for (const [name, wanted] of Object.entries(manifest.dependencies)) {
    const file = new URL(`node_modules/${name}/package.json`, import.meta.url);
    if (!existsSync(file)) return `${name} is not installed`;
    // A `file:` dependency is the repository itself, linked; any version of it will do.
    if (wanted.startsWith('file:')) continue;
    const { version } = JSON.parse(readFileSync(file, 'utf8'));
    if (version !== wanted) return `${name} is ${version}, bench/package.json pins ${wanted}`;
  }
  return undefined;
}

const reason = missing();
if (reason) {
  process.stderr.write(`bench: installing bench/'s own dependencies (${reason})\n`);
  // npm is a .cmd shim on Windows; `shell` lets the same call find it there.
  execFileSync(
    'npm',
    ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: BENCH, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' },
  );
}
