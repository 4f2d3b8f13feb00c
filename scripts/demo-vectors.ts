/**
 * The demo's golden-vector check: every vector file (and the public suites shipped beside them)
 * on every backend, sync and async, loaded the way `qredo-sign vectors` loads them.
 */
import { fileURLToPath } from 'node:url';
import { runGoldenVectors, type ConformanceApi } from '../src/conformance/runner.js';
import { loadVectorFiles } from '../src/cli/vectors.js';

/** Prints one line per backend; returns the number of failures. */
export async function checkGoldenVectors(api: unknown, backends: string[]): Promise<number> {
  const { files } = loadVectorFiles(fileURLToPath(new URL('../vectors', import.meta.url)));
  let failures = 0;
  for (const backend of backends) {
    const report = await runGoldenVectors(api as ConformanceApi, files, { backends: [backend] });
    failures += report.failures.length;
    const line = report.failures.length === 0 ? 'all pass' : `${report.failures.length} FAIL`;
    console.log(
      `  ${backend.padEnd(10)} ${String(report.passed).padStart(5)} / ${report.total} cases  ${line}`,
    );
    for (const f of report.failures.slice(0, 5)) {
      console.log(`    ${f.file} ${f.name} (${f.mode}): ${f.message}`);
    }
  }
  return failures;
}
