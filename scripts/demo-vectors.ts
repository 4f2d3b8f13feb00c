/**
 * The demo's golden-vector check: every vector file (and the public suites shipped beside them)
 * on every backend, sync and async, loaded the way `qredo-sign vectors` loads them.
 */
import { fileURLToPath } from 'node:url';
import { runGoldenVectors, type ConformanceApi } from '../src/conformance/runner.js';
import { loadVectorFiles } from '../src/cli/vectors.js';

/** Prints one line per backend; returns the number of failures. */
export async function checkGoldenVectors(api: unknown, backends: string[]): Promise<number> {
  const { files } = await loadVectorFiles(fileURLToPath(new URL('../vectors', import.meta.url)));
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

/**
 * A demo heading: bold on a terminal, plain text when output is piped or logged, or when NO_COLOR
 * is set to anything non-empty (https://no-color.org), so logs carry no ANSI escapes.
 */
export function headingLine(
  text: string,
  out: { isTTY?: boolean } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): string {
  const bold = out.isTTY === true && !env.NO_COLOR;
  return bold ? `\n\x1b[1m${text}\x1b[0m` : `\n${text}`;
}
