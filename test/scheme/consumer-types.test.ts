/**
 * A strict TypeScript consumer of the published declarations (issue 16): an interface-typed body
 * and the README's `fetch(req.url, { method, headers, body: req.body })` compile without casts and
 * with skipLibCheck false, (a) with the DOM lib and no @types, bundler resolution, and (b) without
 * the DOM lib, with @types/node and node16 resolution (so no DOM-only global such as JsonWebKey or
 * CryptoKey may appear in the declarations it reaches). Slow (two compiles): about a minute.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const CONSUMER = `
import { createQredoSigner, createPartnerSigner, type SignedRequest } from './dts/index.js';
import type { PrivateKeyInput } from './dts/index.js';
interface Company { name: string; tags: readonly string[] }
const company: Company = { name: 'ACME', tags: [] };
const signer = createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' });
const req: SignedRequest = signer.signSync({ method: 'POST', url: 'https://a.test/', body: company });
await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
const jwk = { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' };
const key: PrivateKeyInput = jwk;
const partner = createPartnerSigner({ apiKey: 'k', privateKey: key });
const { url, method, headers, body } = await partner.sign({ url: 'https://a.test/', body: company });
await fetch(url, { method, headers, body });
`;

const common = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false };
const CONFIGS: Record<string, object> = {
  'dom, no @types, bundler': {
    ...common,
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['es2022', 'dom'],
    types: [],
  },
  'no dom, @types/node, node16': {
    ...common,
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['es2022'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  },
};

test('the declarations compile for strict consumers with and without the DOM lib', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-consumer-'));
  try {
    // Declarations of the whole source (as the package ships them); the emit's own type errors,
    // if any, are the typecheck's business, not this test's.
    spawnSync(process.execPath, [
      TSC,
      '-p',
      ROOT,
      '--emitDeclarationOnly',
      '--declaration',
      '--noEmitOnError',
      'false',
      '--outDir',
      join(dir, 'dts'),
    ]);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    for (const [name, compilerOptions] of Object.entries(CONFIGS)) {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(config, JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
      const run = spawnSync(process.execPath, [TSC, '-p', config], { encoding: 'utf8' });
      assert.is(run.status, 0, `${name}:\n${run.stdout}${run.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
