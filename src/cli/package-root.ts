/**
 * Finds the installed package (for `--version` and the shipped `vectors/*.json`). The CLI is also
 * compiled to CommonJS, where `import.meta` does not exist, so the search starts from the script
 * being run (`bin/qredo-sign.js`, or `src/cli.ts` under tsx), with symlinks such as
 * `node_modules/.bin/qredo-sign` resolved.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PackageInfo {
  root: string;
  version: string;
}

let cached: PackageInfo | undefined;

function readPackage(dir: string): PackageInfo | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (json.name === 'qredo-sign' && typeof json.version === 'string') {
      return { root: dir, version: json.version };
    }
  } catch {
    // not ours
  }
  return undefined;
}

/** The qredo-sign package directory above the running script, or undefined. */
export function packageInfo(script = process.argv[1]): PackageInfo | undefined {
  if (cached) return cached;
  let dir: string;
  try {
    dir = dirname(realpathSync(script ?? '.'));
  } catch {
    return undefined;
  }
  for (;;) {
    const info = readPackage(dir);
    if (info) return (cached = info);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
