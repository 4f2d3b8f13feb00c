/**
 * The example of docs/signing-agent.md compiles under strict TypeScript against this checkout's
 * `qredo-sign/agent` (the import rewritten to src/agent.ts), so the documentation cannot drift
 * from the API.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

test('docs/signing-agent.md example type-checks (strict)', () => {
  const doc = readFileSync(new URL('../../docs/signing-agent.md', import.meta.url), 'utf8');
  const match = /<!-- compiled with strict TypeScript[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(doc);
  assert.ok(match, 'the marked example exists');
  const source = match![1].replace(/from 'qredo-sign\/agent'/g, "from '../../src/agent.js'");
  const file = fileURLToPath(new URL('./_docs-example.tmp.ts', import.meta.url));
  writeFileSync(file, `${source}\nexport {};\n`);
  try {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.equal(diagnostics, []);
  } finally {
    rmSync(file, { force: true });
  }
});

test.run();
