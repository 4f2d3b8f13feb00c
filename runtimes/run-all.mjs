#!/usr/bin/env node
/**
 * Runs the cross-runtime suite (suite.mjs) in Node (ESM, CommonJS and each per-backend subpath),
 * Deno, Bun, workerd and headless Chromium against the package as `npm pack` builds it, and the
 * Qredo API entry (`qredo-sign/qredo-api`: webcrypto's HMAC half only) in Node, workerd and
 * Chromium, where it is meant to be bundled; the main entries' rows also run the Signing Agent
 * vectors through `qredo-sign/agent` (column `agent`, runtimes/agent-suite.mjs); prints a
 * runtime × backend table of pass counts, writes runtimes/results.json (and the table as
 * runtimes/results.md, for the README), and exits 1 on any failure (a failing case, a missing
 * backend, an entry exporting other names, a runtime that did not answer).
 *
 * Usage: node runtimes/run-all.mjs [--only node,deno,bun,workerd,chromium] [--keep]
 * Needs `npm run build` first; Chromium needs the Debian package (`apt-get install -y chromium`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installConsumer } from './install.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const here = join(repo, 'runtimes');
const bin = (name) => join(repo, 'node_modules', '.bin', name);
const ALL = ['node', 'webcrypto', 'wasm', 'js'];
const WEB = ['webcrypto', 'wasm', 'js'];
const COLUMNS = [...ALL, 'auto', 'agent'];
const TIMEOUT_MS = 10 * 60_000;

const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? onlyArg.split(',') : undefined;
const keep = args.includes('--keep');

if (!existsSync(join(repo, 'dist', 'esm', 'conformance', 'runner.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'qredo-sign-runtimes-'));
const vectorsDir = join(repo, 'vectors');
installConsumer(repo, work);

/** Runs a command with a deadline; resolves with its exit code and output. */
function run(command, argv, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // SIGTERM first, so a launcher can stop what it started (workerd, Chromium).
    const timer = setTimeout(() => {
      stderr += `\ntimed out after ${TIMEOUT_MS / 1000}s`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, TIMEOUT_MS);
    child.on('error', (error) => (stderr += String(error)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
  });
}

/** The names an entry exports in Node (ESM) as installed. */
async function namesOf(specifier) {
  const names = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import * as a from '${specifier}'; console.log(JSON.stringify(Object.keys(a)))`,
    ],
    work,
  );
  if (names.code !== 0) {
    console.error(`cannot import ${specifier} from the packed package:\n${names.stderr}`);
    process.exit(1);
  }
  return JSON.parse(names.stdout);
}
// The names every entry must export: those of the Node ESM entry. The Qredo API entry exports
// its half in every runtime: those of its Node ESM entry, all of them names of qredo-sign.
const expectedExports = await namesOf('qredo-sign');
const QREDO_API = 'qredo-sign/qredo-api';
const qredoApiExports = await namesOf(QREDO_API);
const foreign = qredoApiExports.filter((n) => !expectedExports.includes(n));
if (foreign.length) {
  console.error(`${QREDO_API} exports names qredo-sign does not: ${foreign}`);
  process.exit(1);
}

/** [runtime, entry label, command, argv, suite options]. */
const opts = (backends, extra = {}) => ({ backends, expectedExports, vectorsDir, ...extra });
const node = (specifier, backends, format = 'import', exact = false, extra = {}) => [
  process.execPath,
  ['node.mjs', JSON.stringify(opts(backends, { specifier, format, exact, ...extra }))],
];
// The main entries' rows also run the Signing Agent vectors through `qredo-sign/agent`.
const AGENT = { agent: true };
// The Qredo API entry registers webcrypto's HMAC half and nothing else.
const qredoApi = { expectedExports: qredoApiExports, qredoApiOnly: true };
const bundled = (launcher, backends, extra = {}) => [
  process.execPath,
  [join(here, launcher, 'run.mjs'), work, JSON.stringify(opts(backends, extra))],
];
const PLAN = [
  ['node', 'qredo-sign (import)', ...node('qredo-sign', ALL, 'import', false, AGENT)],
  ['node', 'qredo-sign (require)', ...node('qredo-sign', ALL, 'require', false, AGENT)],
  ...ALL.map((b) => ['node', `qredo-sign/${b}`, ...node(`qredo-sign/${b}`, [b], 'import', true)]),
  ['node', `${QREDO_API} (import)`, ...node(QREDO_API, ['webcrypto'], 'import', true, qredoApi)],
  ['node', `${QREDO_API} (require)`, ...node(QREDO_API, ['webcrypto'], 'require', true, qredoApi)],
  [
    'deno',
    'qredo-sign',
    bin('deno'),
    [
      'run',
      '--cached-only',
      `--allow-read=${work},${vectorsDir}`,
      'deno.ts',
      JSON.stringify(opts(ALL, AGENT)),
    ],
  ],
  ['bun', 'qredo-sign', bin('bun'), ['bun.ts', JSON.stringify(opts(ALL, AGENT))]],
  ['workerd', 'qredo-sign', ...bundled('workerd', WEB, AGENT)],
  [
    'workerd',
    QREDO_API,
    ...bundled('workerd', ['webcrypto'], { specifier: QREDO_API, exact: true, ...qredoApi }),
  ],
  ['chromium', 'qredo-sign', ...bundled('browser', WEB, AGENT)],
  [
    'chromium',
    QREDO_API,
    ...bundled('browser', ['webcrypto'], { specifier: QREDO_API, exact: true, ...qredoApi }),
  ],
];

const rows = [];
for (const [runtime, entry, command, argv] of PLAN) {
  if (only && !only.includes(runtime)) continue;
  const started = Date.now();
  process.stderr.write(`${runtime} ${entry} ... `);
  const out = await run(command, argv, work);
  const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (!line) {
    const tail = `${out.stderr}\n${out.stdout}`.trim().split('\n').slice(-15).join('\n');
    rows.push({ runtime, entry, seconds, error: `exit ${out.code}, no result:\n${tail}` });
    process.stderr.write(`no result (${seconds}s)\n`);
    continue;
  }
  rows.push({ runtime, entry, seconds, ...JSON.parse(line.slice(7)) });
  process.stderr.write(`${seconds}s\n`);
}

// ——— report ———

const failed = (cell) => cell.passed !== cell.total || cell.failures.length > 0;
const rowFailed = (r) =>
  r.error !== undefined || failed(r.checks) || Object.values(r.cells).some(failed);
const show = (cell) => (cell ? `${failed(cell) ? 'FAIL ' : ''}${cell.passed}/${cell.total}` : '—');

const header = ['runtime', 'entry', ...COLUMNS, 'entry checks', 'version'];
const table = rows.map((r) =>
  r.error
    ? [r.runtime, r.entry, ...COLUMNS.map(() => 'ERROR'), 'ERROR', '']
    : [r.runtime, r.entry, ...COLUMNS.map((c) => show(r.cells[c])), show(r.checks), r.version],
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const format = (cells) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const t of table) console.log(format(t));

for (const r of rows.filter(rowFailed)) {
  console.log(`\n${r.runtime} ${r.entry}:`);
  if (r.error) console.log(`  ${r.error.replace(/\n/g, '\n  ')}`);
  else {
    for (const f of r.checks.failures) console.log(`  entry: ${f}`);
    for (const [b, cell] of Object.entries(r.cells)) {
      for (const f of cell.failures.slice(0, 8)) console.log(`  ${b}: ${f}`);
    }
  }
}

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      columns: COLUMNS,
      rows,
    },
    null,
    2,
  )}\n`,
);

// The same table in Markdown, for the README.
const markdown = [
  `| runtime | entry | ${COLUMNS.join(' | ')} | entry checks |`,
  `|${' --- |'.repeat(COLUMNS.length + 3)}`,
  ...rows.map(
    (r, i) =>
      `| ${r.version ?? r.runtime} | \`${r.entry}\` | ${table[i].slice(2, -1).join(' | ')} |`,
  ),
];
writeFileSync(join(here, 'results.md'), `${markdown.join('\n')}\n`);

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`\nconsumer directory kept: ${work}`);
const failures = rows.filter(rowFailed).length;
console.log(`\n${rows.length - failures}/${rows.length} runtime entries passed`);
process.exit(failures ? 1 : 0);
