// The benchmark (issue 5): every qredo-sign backend against the libraries users would pick
// instead, in one process on one machine, with ratios to node:crypto measured in the same run.
// It imports the BUILT package by its name (`npm run bench` builds first), because that is what
// users run; plain .mjs rather than TypeScript through tsx so that no loader hook sits in the
// module loading that the import and cold-start figures measure. The peers and Benchmark.js are
// bench/'s own dependencies (bench/package.json), installed by install-deps.mjs before the build.
//
// Usage: npm run bench [-- --quick] [--suite NAME[,NAME…]]… [--rounds N] [--json-only]
//   --quick      short measurements (all suites and subjects, well under 5 minutes on 2 cores)
//   --suite      only these suites (the JSON then goes to bench/results/partial.tmp.json);
//                also cold-start, cold-start-hmac, cold-start-rsa2048, memory, sizes
//   --rounds     how many rotated rounds per suite; each subject keeps its fastest
//   --json-only  print the JSON record instead of the markdown tables
// Progress goes to stderr; the table (or JSON) to stdout; the record to bench/results/latest.json
// and the tables to bench/results/latest.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeFixtures } from './fixtures.mjs';
import { runSuite } from './harness.mjs';
import { runColdStart } from './cold-start.mjs';
import { measureSizes } from './sizes.mjs';
import { jsonRecord, markdown, runMeta, withRatios } from './report.mjs';
import { hmacSuites } from './suites/hmac.mjs';
import { rsaSuites } from './suites/rsa.mjs';
import { base64urlSuites } from './suites/base64url.mjs';
import { keyImportSuites } from './suites/keys.mjs';
import { agentSuites } from './suites/agent.mjs';
import { realisticSuites } from './suites/realistic.mjs';
import { verifySuites } from './suites/verify.mjs';
import { runMemory } from './memory.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    suite: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    'json-only': { type: 'boolean', default: false },
  },
});

const options = args.quick
  ? {
      quick: true,
      // Trimmed so that `npm run bench -- --quick` (build included) stays near 5 minutes in CI.
      maxTime: 0.15,
      minSamples: 4,
      warmUpMs: 100,
      rounds: 2,
      coldSamples: 3,
      memorySamples: 1,
    }
  : {
      quick: false,
      maxTime: 1,
      minSamples: 10,
      warmUpMs: 300,
      rounds: 5,
      coldSamples: 9,
      memorySamples: 3,
    };
if (args.rounds !== undefined) options.rounds = Math.max(1, Number.parseInt(args.rounds, 10) || 1);

const wanted = args.suite
  ?.flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
const filter = (name) => !wanted || wanted.includes(name);
const log = (line) => process.stderr.write(`${line}\n`);

const started = performance.now();
const meta = runMeta(options);
const fx = makeFixtures({ rsa4096: filter('partner-sign-rsa4096') });
// The realistic suite leads: it is the traffic users have (issue 17).
const suites = [
  ...realisticSuites(fx),
  ...verifySuites(fx),
  ...hmacSuites(fx),
  ...rsaSuites(fx),
  ...base64urlSuites(fx),
  ...keyImportSuites(fx),
  ...agentSuites(),
].map((suite) => ({ baseline: 'node:crypto', ...suite }));

if (wanted) {
  const known = new Set([
    ...suites.map((s) => s.name),
    'cold-start',
    'cold-start-hmac',
    'cold-start-rsa2048',
    'memory',
    'sizes',
  ]);
  const unknown = wanted.filter((name) => !known.has(name));
  if (unknown.length) {
    log(`unknown suite(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    process.exit(2);
  }
}

const rows = [];
// Seconds each part took, in the log: what to trim when --quick outgrows CI's budget.
const timed = async (name, work) => {
  const t0 = performance.now();
  const result = await work();
  log(`  (${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
};
for (const suite of suites.filter((s) => filter(s.name))) {
  log(`${suite.name}: ${suite.description}`);
  rows.push(...(await timed(suite.name, () => runSuite(suite, options, log))));
}
const cold = await timed('cold start', () =>
  runColdStart(fx, { samples: options.coldSamples, filter }, log),
);
rows.push(...cold.rows);

const memory = filter('memory')
  ? await timed('memory', () => runMemory({ samples: options.memorySamples }, log))
  : undefined;

const reported = [...suites.filter((s) => filter(s.name)), ...cold.suites];
const sizes = filter('sizes') ? await timed('sizes', () => measureSizes()) : undefined;
meta.durationSeconds = Math.round((performance.now() - started) / 1000);
const results = withRatios(rows, reported);
const record = jsonRecord(meta, reported, results, sizes, memory);

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(wanted ? 'partial.tmp.json' : 'latest.json', dir);
writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
const tables = `${markdown(meta, reported, results, sizes, memory)}\n`;
// The tables of a complete run sit beside its record, ready for the README's Performance section.
if (!wanted) writeFileSync(new URL('latest.md', dir), tables);
log(`wrote ${file.pathname} in ${meta.durationSeconds} s`);

if (args['json-only']) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
else process.stdout.write(tables);
