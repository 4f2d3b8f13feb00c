/**
 * Every ```ts block of a TSDoc comment in src/ compiles under strict TypeScript against the
 * package's declarations (issue 16: "every README and TSDoc snippet is compiled in CI"), in the
 * two configurations of test/entries/consumer-package.ts: (a) DOM, no @types, bundler; (b) no DOM,
 * @types/node, node16.
 *
 * A TSDoc example is a fragment: it uses the package's names without importing them and values it
 * does not define (`signer`, `apiKey`, `received`). So each block gets, in front of it, an import of
 * every public name it uses (from the entry that exports it), and each name it uses that neither
 * it nor the package defines is declared `any`. What is still checked is what the example teaches:
 * the package's names exist, calls have their arity, object literals passed to the API have the
 * documented option names and types, and results are used as their types allow.
 *
 * `// snippet: skip REASON` as a block's first line leaves it out.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import {
  CONSUMER_CONFIGS,
  installPackage,
  REPO,
  type ConsumerPackage,
} from '../entries/consumer-package.js';

interface Block {
  file: string; // relative to the repository
  line: number; // 1-based line of the opening fence
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const EXPORTED =
  /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|abstract\s+class)\s+([\w$]+)/;

/**
 * The ```ts blocks inside /** … *\/ comments that users read: the module comment of an entry
 * (src/*.ts), the comment of a declaration the package exports, or of a member of one. Examples on
 * internal helpers are for this repository's readers and may use its relative imports.
 */
function blocksOf(file: string, isPublic: (name: string) => boolean): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const entry = relative(join(REPO, 'src'), file).split('/').length === 1;
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*```(ts|typescript)\s*$/.test(lines[i])) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*\*\s*```\s*$/.test(lines[end])) end++;
    const code = lines
      .slice(i + 1, end)
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    // The declaration after the comment, or (for a member) the declaration around it.
    let next = end;
    while (next < lines.length && !lines[next].includes('*/')) next++;
    const after = lines[next + 1] ?? '';
    let owner = EXPORTED.exec(after)?.[1];
    if (!owner && /^\s/.test(after)) {
      for (let k = i; k >= 0 && !owner; k--) {
        if (/^\S/.test(lines[k]) && !lines[k].startsWith(' *') && !lines[k].startsWith('/**')) {
          owner = EXPORTED.exec(lines[k])?.[1] ?? '';
        }
      }
    }
    const moduleComment = entry && !owner && /^(import|export \*|export \{|\s*$)/.test(after);
    if ((moduleComment || (owner && isPublic(owner))) && !/^\s*\/\/ snippet: skip/.test(code)) {
      out.push({ file: relative(REPO, file), line: i + 1, code });
    }
    i = end;
  }
  return out;
}

/** Entries whose names an example may use, first match wins for a name several export. */
const ENTRIES = [
  'qredo-sign',
  'qredo-sign/agent',
  'qredo-sign/mock',
  'qredo-sign/pkcs11',
  'qredo-sign/axios',
  'qredo-sign/openapi-fetch',
  'qredo-sign/nonce-store-redis',
];

/** Every public name, with the entry it comes from and whether it is a value or a type only. */
function publicNames(dir: string): Map<string, { entry: string; typeOnly: boolean }> {
  const probe = join(dir, 'probe.ts');
  writeFileSync(
    probe,
    ENTRIES.map((e, i) => `import * as m${i} from '${e}';`).join('\n') + '\nexport {};\n',
  );
  const program = ts.createProgram([probe], CONSUMER_CONFIGS.b);
  const checker = program.getTypeChecker();
  const names = new Map<string, { entry: string; typeOnly: boolean }>();
  const source = program.getSourceFile(probe)!;
  source.statements.filter(ts.isImportDeclaration).forEach((statement, i) => {
    const spec = statement.moduleSpecifier;
    const module = checker.getSymbolAtLocation(spec);
    assert.ok(module, `${ENTRIES[i]} resolves`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (!names.has(symbol.name)) {
        names.set(symbol.name, {
          entry: ENTRIES[i],
          typeOnly: !(target.flags & ts.SymbolFlags.Value),
        });
      }
    }
  });
  return names;
}

// Cannot find name (2304, 2552 with a suggestion, 2580/2582/2591/2868 suggesting @types), no value
// for a shorthand property (18004), cannot find namespace (2503).
/** Whether a block declares or imports `id` itself (then the package's name is not imported). */
function declares(code: string, id: string): boolean {
  const name = id.replace(/\$/g, '\\$');
  return [
    new RegExp(`\\b(?:const|let|var|function|class|interface|type|enum)\\s+${name}\\b`),
    new RegExp(`\\b(?:const|let|var)\\s*[{[][^=;]*\\b${name}\\b[^=;]*[}\\]]\\s*=`),
    new RegExp(`\\bimport\\s[^;]*\\b${name}\\b[^;]*\\sfrom\\s`),
  ].some((re) => re.test(code));
}

const UNKNOWN_NAME = new Set([2304, 2552, 2580, 2582, 2591, 2868, 18004, 2503]);

const S = suite('TSDoc snippets');
let pkg: ConsumerPackage;
S.before(() => {
  pkg = installPackage(['esm'], 'qredo-sign-tsdoc-');
});
S.after(() => rmSync(pkg.root, { recursive: true, force: true }));

S('every ```ts block of a TSDoc comment in src/ compiles in configs (a) and (b)', () => {
  const dir = join(pkg.root, 'snippets');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const names = publicNames(dir);
  const blocks = sourceFiles(join(REPO, 'src')).flatMap((f) => blocksOf(f, (n) => names.has(n)));
  assert.ok(blocks.length >= 120, `found ${blocks.length} blocks`);
  const failures: string[] = [];
  for (const [config, strict] of Object.entries(CONSUMER_CONFIGS)) {
    // Callbacks of a fragment are often typed by a context it leaves out (declared `any`).
    const options = { ...strict, noImplicitAny: false };
    // Pass 1 finds each block's free names; pass 2 declares them and reports what is left.
    const files = new Map<string, { block: Block; prelude: string[] }>();
    blocks.forEach((block, n) => {
      const ids = new Set(block.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
      const byEntry = new Map<string, string[]>();
      for (const id of ids) {
        const found = names.get(id);
        // A block that declares or imports the name itself keeps its own.
        if (!found || declares(block.code, id)) continue;
        byEntry.set(found.entry, [
          ...(byEntry.get(found.entry) ?? []),
          found.typeOnly ? `type ${id}` : id,
        ]);
      }
      const prelude = [...byEntry].map(
        ([entry, list]) => `import { ${list.join(', ')} } from '${entry}';`,
      );
      files.set(join(dir, `${config}_${n}.ts`), { block, prelude });
    });
    const write = (declared: Map<string, Set<string>>) => {
      for (const [file, { block, prelude }] of files) {
        const extra = [...(declared.get(file) ?? [])].map(
          (id) => `declare const ${id}: any; type ${id} = any;`,
        );
        writeFileSync(
          file,
          [...prelude, ...extra, '// ---', block.code, 'export {};', ''].join('\n'),
        );
      }
    };
    write(new Map());
    const free = new Map<string, Set<string>>();
    let program = ts.createProgram([...files.keys()], options);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (!d.file || !UNKNOWN_NAME.has(d.code)) continue;
      const id = d.file.text.slice(d.start, (d.start ?? 0) + (d.length ?? 0));
      if (!/^[A-Za-z_$][\w$]*$/.test(id)) continue;
      const set = free.get(d.file.fileName) ?? new Set();
      set.add(id);
      free.set(d.file.fileName, set);
    }
    write(free);
    program = ts.createProgram([...files.keys()], options);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      const entry = d.file && files.get(d.file.fileName);
      if (!entry) {
        failures.push(
          `(${config}) ${d.file ? relative(pkg.root, d.file.fileName) : '(global)'}: ${text}`,
        );
        continue;
      }
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const head = d.file!.text.split('\n').indexOf('// ---');
      failures.push(
        `(${config}) ${entry.block.file}:${entry.block.line + line - head}: TS${d.code} ${text}`,
      );
    }
  }
  assert.ok(
    failures.length === 0,
    `${blocks.length} blocks, declarations from ${pkg.source}:\n${failures.join('\n')}`,
  );
});

S.run();
