/**
 * Issue 16, "Done when": a strict TypeScript consumer importing the documented names by package
 * name (`initWasm` from the root entry and from `qredo-sign/wasm`), with interface-typed bodies and
 * the README's `fetch(req.url, { method, headers, body: req.body })`, compiles without casts and
 * with `skipLibCheck: false` under (a) lib es2022 + dom, types [], bundler resolution and (b) lib
 * es2022 without DOM, @types/node, node16 resolution, as an ES module and as CommonJS. Against the
 * package's declarations as built (see consumer-package.ts), through its exports map.
 *
 * The declarations must also compile for consumers on TypeScript 5.0–5.6, where typed arrays are
 * not generic: no declaration may spell `Uint8Array<…>` (what tsc 5.7+ prints for an inferred
 * type). Checked structurally always, and by the older compilers themselves when they are
 * installed (devDependencies `typescript-5.0` → `npm:typescript@5.0`, likewise 5.4 and 5.6, or the
 * OLD_TYPESCRIPTS variable: comma-separated package directories).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import {
  CONSUMER_CONFIGS,
  installPackage,
  REPO,
  type ConsumerPackage,
} from './consumer-package.js';

/** The first file an SDK author writes: no `as`, no `!`, no `any`. */
const CONSUMER = `
import {
  createPartnerSigner,
  createQredoSigner,
  createSignedFetch,
  initWasm,
  isSigningError,
  SigningError,
  verifyQredoRequest,
  type PartnerSigner,
  type PrivateKeyInput,
  type QredoSigner,
  type SignedRequest,
  type SigningErrorCode,
} from 'qredo-sign';
import { initWasm as initWasmOfWasmEntry, createQredoSigner as wasmSigner } from 'qredo-sign/wasm';
import { createQredoSigner as jsSigner } from 'qredo-sign/js';
import { createPartnerSigner as webcryptoPartner } from 'qredo-sign/webcrypto';
import { createQredoSigner as minimalSigner } from 'qredo-sign/qredo-api';

interface Company {
  name: string;
  tags: readonly string[];
  owner?: { id: number };
}
interface Transfer {
  amount: string;
  to: string;
}

export async function firstContact(apiKey: string, secret: string, privateKey: PrivateKeyInput) {
  await initWasm();
  await initWasmOfWasmEntry(['hash']);
  const company: Company = { name: 'ACME', tags: [] };
  const transfers: Transfer[] = [{ amount: '1', to: 'w1' }];

  const signer: QredoSigner = createQredoSigner({ apiKey, secret });
  const req: SignedRequest = signer.signSync({ method: 'POST', url: 'https://api.qredo.network/qapi/v1/company', body: company });
  await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const batch = await signer.sign({ method: 'POST', url: new URL('https://api.qredo.network/qapi/v1/t'), body: transfers });
  await fetch(batch.url, { method: batch.method, headers: batch.headers, body: batch.body });
  const signed: Uint8Array = batch.signingInput;

  const partner: PartnerSigner = createPartnerSigner({ apiKey, privateKey });
  const p = await partner.sign({ url: 'https://play-api.qredo.network/api/v1/p/company', body: company, nonce: 'auto' });
  await fetch(p.url, { method: p.method, headers: p.headers, body: p.body });
  const { url, method, headers, body } = await webcryptoPartner({ apiKey, privateKey }).sign({ url: p.url, body: company });
  await fetch(url, { method, headers, body });

  const qfetch = createSignedFetch(signer);
  const res: Response = await qfetch('https://api.qredo.network/qapi/v1/company', { method: 'POST', body: company });
  await qfetch('https://api.qredo.network/qapi/v1/t', { method: 'POST', body: transfers });

  for (const make of [wasmSigner, jsSigner, minimalSigner]) {
    const r = await make({ apiKey, secret }).sign({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
    await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
  }

  try {
    await verifyQredoRequest(
      { method: 'GET', url: 'https://a.test/', headers: { 'qredo-api-key': apiKey } },
      { secretFor: () => secret },
    );
  } catch (e) {
    const code: SigningErrorCode | undefined = e instanceof SigningError ? e.code : undefined;
    if (isSigningError(e) && e.code === 'INVALID_SECRET') throw e;
    return { code, res, signed };
  }
  return { res, signed };
}
`;

/** The same names from CommonJS (\`require\` conditions: dist/cjs declarations). */
const CONSUMER_CJS = `
import { createQredoSigner, initWasm, type SignedRequest } from 'qredo-sign';
import { initWasm as initWasmOfWasmEntry } from 'qredo-sign/wasm';
interface Company { name: string }
export async function firstContact(apiKey: string, secret: string, company: Company) {
  await initWasm();
  await initWasmOfWasmEntry();
  const req: SignedRequest = createQredoSigner({ apiKey, secret }).signSync({ method: 'POST', url: 'https://a.test/', body: company });
  return fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
}
`;

const S = suite('first-contact consumer types');
let pkg: ConsumerPackage;
let dir: string;

S.before(() => {
  pkg = installPackage(['esm', 'cjs']);
  dir = join(pkg.root, 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  writeFileSync(join(dir, 'consumer.cts'), CONSUMER_CJS);
});
S.after(() => rmSync(pkg.root, { recursive: true, force: true }));

function diagnostics(files: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    if (!d.file) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${relative(pkg.root, d.file.fileName)}:${line + 1}: ${text}`;
  });
}

S('the consumer is written without casts, non-null assertions or any', () => {
  for (const code of [CONSUMER, CONSUMER_CJS]) {
    assert.not.match(code, /\bas\s+(?!initWasm|wasm|js|webcrypto|minimal)\w|!\.|!\)|\bany\b/);
  }
});

S('(a) lib es2022 + dom, types [], bundler resolution: compiles, skipLibCheck false', () => {
  const errors = diagnostics([join(dir, 'consumer.ts')], CONSUMER_CONFIGS.a);
  assert.equal(errors, [], `declarations from ${pkg.source}`);
});

S(
  '(b) lib es2022 without DOM, @types/node, node16: the ES module and the CommonJS consumer compile',
  () => {
    const errors = diagnostics(
      [join(dir, 'consumer.ts'), join(dir, 'consumer.cts')],
      CONSUMER_CONFIGS.b,
    );
    assert.equal(errors, [], `declarations from ${pkg.source}`);
  },
);

/**
 * The declaration files of the package that a consumer can reach: those of every `types` target of
 * the exports map and typesVersions, and everything they import.
 */
function reachableDeclarations(): string[] {
  const manifest = JSON.parse(readFileSync(join(pkg.packageDir, 'package.json'), 'utf8'));
  const targets = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.endsWith('.d.ts')) targets.add(join(pkg.packageDir, node));
    } else if (node && typeof node === 'object') {
      Object.values(node).forEach(walk);
    }
  };
  walk(manifest.exports);
  walk(manifest.typesVersions);
  walk(manifest.types);
  const roots = [...targets].filter((f) => existsSync(f));
  assert.ok(roots.length >= 20, `found ${roots.length} declaration entry files`);
  const program = ts.createProgram(roots, { ...CONSUMER_CONFIGS.b, noResolve: false });
  const own = ts.sys.realpath!(pkg.packageDir);
  return program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => {
      // The package's own declarations only: not the compiler's lib files or any dependency's,
      // wherever node_modules sits (the package may be the repository itself, using dist/).
      const real = ts.sys.realpath!(f);
      return real.startsWith(own) && !relative(own, real).split(/[\\/]/).includes('node_modules');
    });
}

// TypeScript 5.7 made the typed arrays generic; 5.0–5.6 reject `Uint8Array<…>` ("not generic").
const GENERIC_TYPED_ARRAY =
  /\b(?:(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array|Float(?:32|64)Array|Big(?:Ui|I)nt64Array|DataView)</;

S('no declaration spells a generic typed array (TypeScript 5.0–5.6 consumers)', () => {
  const printer = ts.createPrinter({ removeComments: true });
  const offenders: string[] = [];
  const files = reachableDeclarations();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    printer
      .printFile(source)
      .split('\n')
      .forEach((line, n) => {
        if (GENERIC_TYPED_ARRAY.test(line)) {
          offenders.push(
            `${relative(pkg.packageDir, file)}:${n + 1}: ${line.trim().slice(0, 140)}`,
          );
        }
      });
  }
  assert.ok(files.length >= 40, `checked ${files.length} declaration files`);
  assert.equal(offenders, [], `declarations from ${pkg.source}`);
});

// Aliased devDependencies, or OLD_TYPESCRIPTS=/path/to/typescript-5.0,/path/to/typescript-5.6.
const OLD_COMPILERS = [
  ...['typescript-5.0', 'typescript-5.4', 'typescript-5.6'].map((n) =>
    join(REPO, 'node_modules', n),
  ),
  ...(process.env.OLD_TYPESCRIPTS?.split(',').filter(Boolean) ?? []),
]
  .map((dir) => join(dir, 'bin', 'tsc'))
  .filter((tsc) => existsSync(tsc));

S('TypeScript 5.0–5.6 consumers compile in (a) and (b), when those compilers are installed', () => {
  // CI names them (OLD_TYPESCRIPTS, .ci/run): there a missing compiler fails instead of skipping.
  const named = process.env.OLD_TYPESCRIPTS?.split(',').filter(Boolean) ?? [];
  assert.ok(OLD_COMPILERS.length >= named.length, `a compiler in OLD_TYPESCRIPTS is missing`);
  if (OLD_COMPILERS.length === 0) {
    console.log('  (no typescript-5.x alias installed: the structural check above stands in)');
    return;
  }
  const base = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false };
  const configs = {
    a: {
      ...base,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    },
    b: { ...base, module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'] },
  };
  const failures: string[] = [];
  console.log(`  old compilers: ${OLD_COMPILERS.map((tsc) => relative(REPO, tsc)).join(', ')}`);
  for (const tsc of OLD_COMPILERS) {
    for (const [name, compilerOptions] of Object.entries(configs)) {
      const config = join(dir, `tsconfig.${name}.json`);
      const files = name === 'b' ? ['consumer.ts', 'consumer.cts'] : ['consumer.ts'];
      writeFileSync(config, JSON.stringify({ compilerOptions, files }));
      const run = spawnSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' });
      if (run.status !== 0) {
        failures.push(
          `${relative(REPO, tsc)} (${name}):\n${run.stdout}${run.stderr}`.slice(0, 2000),
        );
      }
    }
  }
  assert.equal(failures, [], `declarations from ${pkg.source}`);
});

S.run();
