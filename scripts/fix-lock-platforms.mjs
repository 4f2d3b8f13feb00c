// The npm registry reachable from this workplace serves only Linux builds of packages that ship
// per-platform binaries (deno, workerd, bun). `npm install` then leaves the other platforms' optional
// packages out of package-lock.json, and `npm ci` refuses a lock file that lacks them. This adds
// lock entries for the missing platform packages (os/cpu only, never installed here) so that the lock
// describes the whole tree again. Run after changing dependencies: node scripts/fix-lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

// Platform suffix → [os, cpu] for the naming schemes of @deno/*, @cloudflare/workerd-* and @oven/bun-*.
const PLATFORMS = {
  'darwin-arm64': ['darwin', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'darwin-64': ['darwin', 'x64'],
  'darwin-aarch64': ['darwin', 'arm64'],
  'linux-arm64-glibc': ['linux', 'arm64'],
  'linux-arm64': ['linux', 'arm64'],
  'linux-aarch64': ['linux', 'arm64'],
  'win32-arm64': ['win32', 'arm64'],
  'win32-x64': ['win32', 'x64'],
  'windows-64': ['win32', 'x64'],
  'windows-x64': ['win32', 'x64'],
};

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const suffix = Object.keys(PLATFORMS).find((s) => name.endsWith(s));
    if (!suffix) throw new Error(`${path}: missing optional ${name} with an unknown platform`);
    const [os, cpu] = PLATFORMS[suffix];
    packages[key] = { version, cpu: [cpu], dev: entry.dev, optional: true, os: [os] };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform entries`);
