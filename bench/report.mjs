// Turns result rows into the JSON record and the markdown tables people read.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Inputs at least this large are also reported in MB/s (10^6 bytes per second). */
const LARGE_INPUT = 64 * 1024;

const PEERS = ['benchmark', 'hash-wasm', '@noble/hashes', 'crypto-js', 'node-rsa', 'node-forge'];

function git(args) {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Versions of the harness and the peers, read from node_modules (not every package exports its package.json). */
function versions() {
  const out = {};
  for (const name of PEERS) {
    try {
      const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
      out[name] = JSON.parse(readFileSync(file, 'utf8')).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

/** Where and how the run happened. */
export function runMeta(options) {
  const cpus = os.cpus();
  return {
    runtime: 'node',
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    quick: options.quick,
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    loadAverageAtStart: os.loadavg().map((v) => +v.toFixed(2)),
    options: {
      maxTimeSeconds: options.maxTime,
      minSamples: options.minSamples,
      warmUpMs: options.warmUpMs,
      rounds: options.rounds,
      coldSamples: options.coldSamples,
    },
    versions: versions(),
  };
}

/** Adds ratioToNodeCrypto (to the suite's baseline subject) and MB/s to each row. */
export function withRatios(rows, suites) {
  const info = new Map(suites.map((s) => [s.name, s]));
  return rows.map((row) => {
    if (row.opsPerSec === undefined) return row;
    const suite = info.get(row.suite);
    const baseline = rows.find((r) => r.suite === row.suite && r.subject === suite.baseline);
    const out = { ...row };
    if (baseline?.opsPerSec) out.ratioToNodeCrypto = row.opsPerSec / baseline.opsPerSec;
    if (suite.bytes >= LARGE_INPUT) out.mbPerSec = (row.opsPerSec * suite.bytes) / 1e6;
    return out;
  });
}

const round = (value, digits) => (value === undefined ? undefined : +value.toFixed(digits));

/** The JSON record: numbers rounded to what the noise allows. */
export function jsonRecord(meta, suites, rows, sizes) {
  return {
    meta,
    suites: suites.map(({ name, description, baseline, bytes }) => ({
      name,
      description,
      baseline,
      ...(bytes === undefined ? {} : { inputBytes: bytes }),
    })),
    results: rows.map((row) => ({
      ...row,
      opsPerSec: round(row.opsPerSec, row.opsPerSec < 100 ? 2 : 0),
      rme: round(row.rme, 2),
      ratioToNodeCrypto: round(row.ratioToNodeCrypto, 3),
      mbPerSec: round(row.mbPerSec, 1),
      roundOps: row.roundOps?.map((v) => round(v, v < 100 ? 2 : 0)),
      cold:
        row.cold && Object.fromEntries(Object.entries(row.cold).map(([k, v]) => [k, round(v, 3)])),
    })),
    sizes,
  };
}

function formatOps(ops) {
  if (ops >= 100) return Math.round(ops).toLocaleString('en-US');
  return ops.toFixed(ops >= 10 ? 1 : 2);
}

function formatTime(seconds) {
  if (seconds < 1e-6) return `${(seconds * 1e9).toFixed(0)} ns`;
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(2)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${seconds.toFixed(2)} s`;
}

const ratio = (r) => (r === undefined ? '' : `${r.toFixed(2)}×`);

/** Markdown: one table for the measured suites, one for cold start, one for sizes. */
export function markdown(meta, suites, rows, sizes) {
  const lines = [];
  const warm = rows.filter((r) => !r.suite.startsWith('cold-start'));
  const cold = rows.filter((r) => r.suite.startsWith('cold-start'));
  lines.push(
    `Node ${meta.node} (V8 ${meta.v8}), ${meta.cpu}, ${meta.cores} cores, ${meta.os}; ` +
      `${meta.date}${meta.quick ? ', --quick' : ''}; commit ${meta.gitCommit?.slice(0, 10)}` +
      `${meta.gitDirty ? ' (dirty)' : ''}; load average at start ${meta.loadAverageAtStart.join(' ')}`,
    '',
  );
  if (warm.length) {
    lines.push(
      '| suite | subject | ops/s | ±rme | time/op | × baseline | MB/s |',
      '|---|---|--:|--:|--:|--:|--:|',
    );
    for (const r of warm) {
      if (r.opsPerSec === undefined) {
        lines.push(
          `| ${r.suite} | ${r.subject} | ${r.skipped ? 'skipped' : 'error'}: ${r.skipped ?? r.error} | | | | |`,
        );
        continue;
      }
      const mb = r.mbPerSec === undefined ? '' : r.mbPerSec.toFixed(0);
      lines.push(
        `| ${r.suite} | ${r.subject} | ${formatOps(r.opsPerSec)} | ±${r.rme.toFixed(1)}% | ` +
          `${formatTime(1 / r.opsPerSec)} | ${ratio(r.ratioToNodeCrypto)} | ${mb} |`,
      );
    }
    lines.push('');
  }
  if (cold.length) {
    lines.push(
      '| suite | subject | import | create | first sign | create + first | × node:crypto |',
      '|---|---|--:|--:|--:|--:|--:|',
    );
    for (const r of cold) {
      if (!r.cold) {
        lines.push(
          `| ${r.suite} | ${r.subject} | ${r.skipped ? 'skipped' : 'error'}: ${r.skipped ?? r.error} | | | | |`,
        );
        continue;
      }
      const ms = (v) => `${v.toFixed(2)} ms`;
      lines.push(
        `| ${r.suite} | ${r.subject} | ${ms(r.cold.importMs)} | ${ms(r.cold.createMs)} | ` +
          `${ms(r.cold.firstMs)} | ${ms(r.cold.createAndFirstMs)} | ${ratio(r.ratioToNodeCrypto)} |`,
      );
    }
    lines.push('');
  }
  if (sizes) {
    lines.push('| bundle / module | minified | gzip -9 | signs? |', '|---|--:|--:|---|');
    const bundleRow = (label, b) => {
      lines.push(
        `| ${label} | ${b.minified} B | ${b.gzip} B | ${b.works ? 'yes' : `NO: ${b.error}`} |`,
      );
      const kept = b.withEntrySideEffects;
      if (kept) {
        lines.push(
          `| ${label}, entry registration kept | ${kept.minified} B | ${kept.gzip} B | ` +
            `${kept.works ? 'yes' : `NO: ${kept.error}`} |`,
        );
      }
    };
    bundleRow('createQredoSigner only (web entry)', sizes.createQredoSignerOnly);
    bundleRow('whole web entry', sizes.webEntryAll);
    for (const [name, s] of Object.entries(sizes.wasm)) {
      lines.push(`| ${name} | ${s.bytes} B | ${s.gzip} B | |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
