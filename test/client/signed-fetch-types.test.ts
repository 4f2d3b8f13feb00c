/**
 * Types an SDK author writes against (issue 16): `createSignedFetch`'s function takes an object
 * body (its own TSDoc example) and interface-typed payloads under strict TypeScript, and still
 * takes a plain `RequestInit`. The consumer file is compiled here with the TypeScript API; it has
 * `@ts-expect-error` lines, so a type that accepted anything would fail this test too.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const T = suite('createSignedFetch types (issue 16)');

T('object and interface bodies compile under strict; plain RequestInit too', () => {
  const file = fileURLToPath(new URL('./types/signed-fetch-init.ts', import.meta.url));
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const text = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  });
  assert.is(diagnostics.length, 0, text);
});

T.run();
