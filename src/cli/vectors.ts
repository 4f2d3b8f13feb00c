/**
 * `qredo-sign vectors`: runs the golden vectors shipped in the package (`vectors/*.json`, written
 * by the independent Python/OpenSSL generator) and, when present, the public suites of
 * `vectors/public/` (RFC 4231, RFC 4648, Wycheproof) on every backend this runtime has, through the
 * one conformance runner. Exit 1 on any mismatch.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../index.node.js';
import { runGoldenVectors, type ConformanceApi, type GoldenFiles } from '../conformance/runner.js';
import { VECTOR_MANIFEST, loadVectorFiles as loadListed } from '../conformance/vector-files.js';
import { UsageError, optionalString, type OptionSpec, type Values } from './args.js';
import { packageInfo } from './package-root.js';

export const VECTORS_OPTIONS = {
  backend: { type: 'string', multiple: true },
  'vectors-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

function loadJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`vectors: ${file} is not valid JSON`);
  }
}

/**
 * The vector files of `dir` that vectors/manifest.json lists; a file that is absent is simply not
 * run. The manifest is `dir`'s own, or else the package's (a directory of a few edited copies
 * needs none).
 */
export async function loadVectorFiles(
  dir: string,
): Promise<{ files: GoldenFiles; found: string[] }> {
  const root = packageInfo()?.root;
  const manifest =
    loadJson(join(dir, VECTOR_MANIFEST)) ??
    (root === undefined ? undefined : loadJson(join(root, 'vectors', VECTOR_MANIFEST)));
  if (manifest === undefined) {
    throw new UsageError(`vectors: no ${VECTOR_MANIFEST} in ${dir} or in the package`);
  }
  const found: string[] = [];
  const files = await loadListed((path) => {
    if (path === VECTOR_MANIFEST) return manifest;
    const json = loadJson(join(dir, path));
    if (json !== undefined) found.push(path);
    return json;
  });
  return { files, found };
}

export async function vectorsCommand(values: Values): Promise<{ exitCode: 0 | 1; text: string }> {
  const dir =
    optionalString(values, 'vectors-dir') ??
    (() => {
      const info = packageInfo();
      if (!info) throw new UsageError('vectors: cannot find the package; give --vectors-dir');
      return join(info.root, 'vectors');
    })();
  const { files, found } = await loadVectorFiles(dir);
  if (found.length === 0) throw new UsageError(`vectors: no vector files in ${dir}`);

  const available = api.availableBackends();
  const requested = Array.isArray(values.backend) ? values.backend : available;
  for (const name of requested) {
    if (!(available as string[]).includes(name)) {
      throw new UsageError(
        `vectors: backend ${JSON.stringify(name)} is not available here (${available.join(', ')})`,
      );
    }
  }
  const report = await runGoldenVectors(api as unknown as ConformanceApi, files, {
    backends: requested,
  });

  const lines = [`vectors from ${dir}`];
  if (!files.public) lines.push('(no public suites: vectors/public/ is not there)');
  for (const g of report.groups) {
    const mark = g.passed === g.total ? 'ok  ' : 'FAIL';
    lines.push(
      `  ${mark} ${g.file.padEnd(22)} ${g.backend.padEnd(10)} ${g.mode.padEnd(6)} ${g.passed}/${g.total}`,
    );
  }
  for (const f of report.failures.slice(0, 20)) {
    lines.push(`  mismatch: ${f.file} ${f.backend} ${f.mode} ${f.name}: ${f.message}`);
  }
  if (report.failures.length > 20) lines.push(`  … and ${report.failures.length - 20} more`);
  const ok = report.failures.length === 0 && report.total > 0;
  // Cases per backend (sync and async runs of every input) is the one count the docs and
  // `npm run demo` quote; the total is their sum over the backends run.
  const perBackend = requested.map(
    (b) => `${b} ${report.groups.filter((g) => g.backend === b).reduce((n, g) => n + g.total, 0)}`,
  );
  lines.push(
    ok
      ? `all ${report.total} checks passed on ${requested.join(', ')} (cases per backend: ${perBackend.join(', ')})`
      : `${report.total - report.passed} of ${report.total} checks failed`,
  );
  return { exitCode: ok ? 0 : 1, text: `${lines.join('\n')}\n` };
}
