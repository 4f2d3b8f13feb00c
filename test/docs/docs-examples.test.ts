/**
 * The `ts` examples of docs/production.md (the README "Production" section) compile under strict
 * TypeScript against this source tree: each block is written out as its own module, with
 * `qredo-sign` and its subpaths mapped to src/, and type-checked by tsc.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = ['docs/production.md'];
const ENTRIES: Record<string, string> = {
  'qredo-sign': 'src/index.node.ts',
  'qredo-sign/axios': 'src/axios.ts',
  'qredo-sign/openapi-fetch': 'src/openapi-fetch.ts',
  'qredo-sign/pkcs11': 'src/pkcs11.ts',
};

function blocks(file: string): string[] {
  const text = readFileSync(join(repo, file), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const D = suite('docs examples');

D('docs/production.md: every ts example type-checks (strict)', () => {
  const examples = DOCS.flatMap((file) => blocks(file).map((code, i) => ({ file, i, code })));
  assert.ok(examples.length >= 5, `found ${examples.length} examples`);
  // Under node_modules so that the examples resolve axios, openapi-fetch and @types/node from here.
  const cache = join(repo, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'qredo-sign-doc-examples-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const files = examples.map(({ code, i, file }) => {
      const name = `${file.replace(/\W+/g, '_')}_${i}.ts`;
      // `export {}` keeps a block without imports a module (top-level await needs one).
      writeFileSync(join(dir, name), `${code}\nexport {};\n`);
      return name;
    });
    const paths = Object.fromEntries(
      Object.entries(ENTRIES).map(([name, path]) => [name, [join(repo, path)]]),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: ['node'],
          typeRoots: [join(repo, 'node_modules', '@types')],
          skipLibCheck: true,
          paths,
        },
        files,
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      { encoding: 'utf8' },
    );
    assert.is(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

D.run();
