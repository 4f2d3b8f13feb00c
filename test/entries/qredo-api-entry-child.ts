/**
 * Run by qredo-api-entry.test.ts in a child process, so that the registry holds only what
 * `src/index.qredo-api.ts` registers (uvu runs every test file in one process, where the Node
 * entry registers all four backends). Prints one JSON line: the entry's names and backends, and
 * the conformance report of the Qredo API suites on its only backend.
 */
import { readFileSync } from 'node:fs';
import * as entry from '../../src/index.qredo-api.js';
import { runGoldenVectors, type ConformanceApi } from '../../src/conformance/runner.js';
import { loadVectorFiles } from '../../src/conformance/vector-files.js';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'));

// The suites run below use only the Qredo API half (createQredoSigner, hmacSha256, base64url).
const report = await runGoldenVectors(
  entry as unknown as ConformanceApi,
  await loadVectorFiles(load, [
    'qredoApi',
    'secrets',
    'public.rfc4231',
    'public.rfc4648',
    'public.wycheproofHmac',
  ]),
  { only: ['qredo-api', 'secrets', 'rfc4231', 'rfc4648', 'wycheproof-hmac'] },
);
const signer = entry.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' });
let syncCode: string | undefined;
try {
  signer.signSync({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
} catch (error) {
  syncCode = (error as { code?: string }).code;
}
let nodeBackendCode: string | undefined;
try {
  await entry.hmacSha256(new Uint8Array(1), new Uint8Array(1), { backend: 'node' });
} catch (error) {
  nodeBackendCode = (error as { code?: string }).code;
}
console.log(
  JSON.stringify({
    names: Object.keys(entry).sort(),
    backends: entry.availableBackends(),
    signerBackend: signer.backend,
    syncCode,
    unavailableCode: nodeBackendCode,
    report: { total: report.total, passed: report.passed, failures: report.failures.slice(0, 5) },
    groups: report.groups.map((g) => `${g.file}/${g.mode}:${g.total}`),
  }),
);
