/**
 * Shared test support: the backends under test and independent reference computations.
 * References use node:crypto directly from test code (never the library's own code path), so a
 * wrong canonicalisation or encoding in src/ cannot agree with them by construction.
 */
import { spawnSync } from 'node:child_process';
import { createHmac, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as assert from 'uvu/assert';
import * as api from '../src/index.node.js';
import type { BackendName } from '../src/index.node.js';

export { api };

/** Every backend registered by the Node entry (wasm and js join when their modules land). */
export const BACKENDS: BackendName[] = api.availableBackends();

export const SYNC_BACKENDS = BACKENDS.filter((b) => b !== 'webcrypto');

export function referenceQredoSignature(
  secretBytes: Uint8Array,
  input: string | Uint8Array,
): string {
  return createHmac('sha256', secretBytes).update(input).digest('base64url');
}

export function referenceRsaSignature(privateKey: KeyObject | string, input: Uint8Array): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return nodeSign('sha256', input, key).toString('base64url');
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

/** Catches the error of a sync or async call, for asserting its code. */
export async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * The `SigningError` code a synchronous call throws, `undefined` when it returns, and a string
 * that matches no code when it throws anything else (so an equality assertion fails on it).
 */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return api.isSigningError(error) ? error.code : `not a SigningError: ${String(error)}`;
  }
  return undefined;
}

/**
 * Runs `script` (an ES module, TypeScript imports allowed through tsx) in a child Node process
 * from the repository root, for tests that change process-wide state such as the backend
 * registry; asserts that it exits cleanly and returns the JSON of its last line of output.
 */
export function runChildScript(script: string): unknown {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    },
  );
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/**
 * Script lines that make this process refuse to compile WebAssembly, as a Content-Security-Policy
 * without 'wasm-unsafe-eval' does. Put them after the package import: the entry compiles nothing
 * until first use, and tsx's own module lexer needs WebAssembly while loading.
 */
export const REFUSE_WASM = `
const refuse = () => { throw new WebAssembly.CompileError('Wasm code generation disallowed by embedder'); };
WebAssembly.Module = function Module() { refuse(); };
WebAssembly.compile = async () => refuse();
`;
