/** The demo's golden-vector check: every vector file on every backend, sync and async. */
import { readFileSync } from 'node:fs';
import { runGoldenVectors, type ConformanceApi, type GoldenFiles } from '../src/conformance.js';

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));

/** Prints one line per backend and mode; returns the number of failures. */
export async function checkGoldenVectors(api: unknown, backends: string[]): Promise<number> {
  const files: GoldenFiles = {
    qredoApi: load('qredo-api.json'),
    partnerApi: load('partner-api.json'),
    primitives: load('primitives.json'),
    secrets: load('secrets.json'),
    keys: load('keys.json'),
    badKeys: load('bad-keys.json'),
  };
  let failures = 0;
  for (const backend of backends) {
    const report = await runGoldenVectors(api as ConformanceApi, files, { backends: [backend] });
    failures += report.failures.length;
    const line = report.failures.length === 0 ? 'all pass' : `${report.failures.length} FAIL`;
    console.log(
      `  ${backend.padEnd(10)} ${String(report.passed).padStart(5)} / ${report.total} cases  ${line}`,
    );
    for (const f of report.failures.slice(0, 5))
      console.log(`    ${f.file} ${f.name} (${f.mode}): ${f.message}`);
  }
  return failures;
}
