/**
 * The package as a consumer's project sees it (issue 16): a temporary directory whose
 * node_modules/qredo-sign is this repository's package (its package.json, exports map and
 * typesVersions, its declarations) and whose every other name is this repository's dependency, so
 * that `import … from 'qredo-sign/wasm'` resolves exactly as it does after `npm install qredo-sign`.
 *
 * The declarations are the built ones (dist/) when dist/ is newer than every source file, as in CI
 * after `npm run build`; otherwise they are emitted from src/ with the options of tsconfig.json
 * (dist/esm) and tsconfig.cjs.json (dist/cjs), which is what `npm run build` would write.
 */
import * as assert from 'uvu/assert';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Newest modification time under a directory. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function emitDeclarations(tsconfig: string, outDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO, tsconfig), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram(config.fileNames, {
    ...config.options,
    outDir,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
  });
  const result = program.emit();
  assert.equal(result.diagnostics.length, 0, `${tsconfig}: declarations emitted without errors`);
}

export interface ConsumerPackage {
  /** The consumer's project directory (holds node_modules/). */
  root: string;
  /** Where the declarations came from, for failure messages. */
  source: string;
  /** The package's directory inside node_modules. */
  packageDir: string;
}

/**
 * A fresh consumer project with the package installed. `formats` lists the declaration trees
 * needed when they must be emitted (ES module consumers reach only dist/esm).
 */
export function installPackage(
  formats: readonly ('esm' | 'cjs')[] = ['esm'],
  prefix = 'qredo-sign-consumer-',
): ConsumerPackage {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const nm = join(root, 'node_modules');
  mkdirSync(nm);
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name.startsWith('.') || name === 'qredo-sign') continue;
    symlinkSync(join(REPO, 'node_modules', name), join(nm, name));
  }
  const packageDir = join(nm, 'qredo-sign');
  const built = join(REPO, 'dist', 'esm', 'index.node.d.ts');
  const builtCjs = join(REPO, 'dist', 'cjs', 'index.node.d.ts');
  const sourceTime = newest(join(REPO, 'src'));
  if (
    existsSync(built) &&
    statSync(built).mtimeMs >= sourceTime &&
    (!formats.includes('cjs') || (existsSync(builtCjs) && statSync(builtCjs).mtimeMs >= sourceTime))
  ) {
    symlinkSync(REPO, packageDir, 'dir');
    return { root, source: 'dist/ (fresh build)', packageDir };
  }
  mkdirSync(packageDir);
  writeFileSync(join(packageDir, 'package.json'), readFileSync(join(REPO, 'package.json')));
  if (formats.includes('esm')) emitDeclarations('tsconfig.json', join(packageDir, 'dist', 'esm'));
  if (formats.includes('cjs')) {
    emitDeclarations('tsconfig.cjs.json', join(packageDir, 'dist', 'cjs'));
    writeFileSync(join(packageDir, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  }
  return {
    root,
    source: `src/ (${formats.join(' and ')} declarations emitted for this run)`,
    packageDir,
  };
}

/** The two configurations of issue 16's "Done when", strict with `skipLibCheck: false`. */
export const CONSUMER_CONFIGS: Record<'a' | 'b', ts.CompilerOptions> = {
  // (a) a browser bundle: the DOM lib, no @types at all, bundler resolution.
  a: {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  },
  // (b) Node without the DOM lib: @types/node, node16 resolution.
  b: {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
  },
};
