/**
 * The embedded WASM modules travel as hex (scripts/build-wasm.mjs; issue 17: hex gzips ~1.3 KB
 * smaller than base64 per module) and src/backends/wasm/load.ts decodes them with whatever the
 * runtime has: `Uint8Array.fromHex`, Node's `Buffer`, or a JS loop. Every path must give the
 * binary's exact bytes, and text that is not lower-case hex of whole bytes must be refused
 * before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const MODULES = ['hash', 'rsa', 'rsa-scalar'];
const binary = (name: string) => readFileSync(join(repo, 'dist', 'wasm', `${name}.wasm`));

/** Runs `script` in a fresh Node with tsx, `hide` removed first; returns its last line as JSON. */
function child(hide: string, script: string): Record<string, unknown> {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `${hide}
const seen = [];
const RealModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(RealModule, { construct(t, a) { seen.push(Buffer.from(a[0]).toString('hex')); return new t(...a); } });
const load = await import(${JSON.stringify(join(repo, 'src/backends/wasm/load.ts'))});
const { EMBEDDED_WASM } = await import(${JSON.stringify(join(repo, 'src/backends/wasm/generated/embedded.ts'))});
${script}`,
    ],
    { encoding: 'utf8', cwd: repo },
  );
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

const DECODE_ALL = `
load.registerWasmSources(EMBEDDED_WASM);
for (const name of Object.keys(EMBEDDED_WASM)) load.loadWasmModule(name);
console.log(JSON.stringify({ seen, fromHex: typeof Uint8Array.fromHex, buffer: typeof globalThis.Buffer }));
`;

const PATHS: Record<string, string> = {
  'native or Buffer (as the runtime has)': '',
  'Buffer only': 'delete Uint8Array.fromHex;',
  'JS loop (no fromHex, no Buffer)': `delete Uint8Array.fromHex;
const NodeBuffer = globalThis.Buffer; delete globalThis.Buffer; const Buffer = NodeBuffer;`,
};

test('the generated hex of each module is its dist/wasm binary', () => {
  const source = readFileSync(join(repo, 'src/backends/wasm/generated/embedded.ts'), 'utf8');
  for (const name of MODULES) {
    const constant = `${name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Hex`;
    const hex = new RegExp(`export const ${constant} =\\s*'([0-9a-f]+)'`).exec(source)?.[1];
    assert.is(hex, binary(name).toString('hex'), name);
  }
});

for (const [label, hide] of Object.entries(PATHS)) {
  test(`every decoder path gives the exact bytes: ${label}`, () => {
    const got = child(hide, DECODE_ALL);
    if (label.startsWith('JS loop'))
      assert.equal([got.fromHex, got.buffer], ['undefined', 'undefined']);
    if (label === 'Buffer only') assert.equal([got.fromHex, got.buffer], ['undefined', 'function']);
    assert.equal(
      got.seen,
      MODULES.map((name) => binary(name).toString('hex')),
    );
  });
}

test('attack: text that is not lower-case hex of whole bytes is refused before compiling', () => {
  for (const hide of Object.values(PATHS)) {
    const hash = binary('hash').toString('hex');
    const got = child(
      hide,
      `
const bad = {
  odd: ${JSON.stringify(hash.slice(0, -1))},
  upper: ${JSON.stringify(hash.toUpperCase())},
  base64: ${JSON.stringify(binary('hash').toString('base64'))},
  spaced: ${JSON.stringify(`${hash.slice(0, 8)} ${hash.slice(8)}`)},
  control: ${JSON.stringify(hash)},
};
load.registerWasmSources(bad);
const out = {};
const asyncOut = {};
for (const name of Object.keys(bad)) {
  asyncOut[name] = await load.initWasm([name]).then(() => 'compiled', (e) => e.code + ': ' + e.message);
  load._forgetWasmModule(name);
}
const compiledAsync = seen.length;
load.registerWasmSources(bad);
for (const name of Object.keys(bad)) {
  try { load.loadWasmModule(name); out[name] = 'compiled'; } catch (e) { out[name] = e.code + ': ' + e.message; }
}
console.log(JSON.stringify({ out, asyncOut, compiled: seen.length, compiledAsync }));
`,
    );
    const out = got.out as Record<string, string>;
    for (const name of ['odd', 'upper', 'base64', 'spaced']) {
      assert.is(
        out[name],
        `UNAVAILABLE_BACKEND: the embedded wasm module "${name}" is not valid hex`,
      );
    }
    // Control: the same bytes as valid hex compile; nothing else reached the compiler.
    assert.is(out.control, 'compiled');
    assert.is(got.compiled, 1);
  }
});

test.run();
