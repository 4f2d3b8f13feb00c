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

/**
 * Versions of the harness and the peers, read from bench/node_modules where bench/package.json
 * installs them (not every package exports its package.json, so no require.resolve).
 */
function versions() {
  const out = {};
  for (const name of PEERS) {
    try {
      const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
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
    // signers-10k: how many times slower than the same subject with one signer.
    const pair = suite.pairs?.find(([many]) => many === row.subject);
    const one = pair && rows.find((r) => r.suite === row.suite && r.subject === pair[1]);
    if (one?.opsPerSec) out.slowdown = one.opsPerSec / row.opsPerSec;
    if (suite.bytes >= LARGE_INPUT) out.mbPerSec = (row.opsPerSec * suite.bytes) / 1e6;
    return out;
  });
}

const round = (value, digits) => (value === undefined ? undefined : +value.toFixed(digits));

/** The JSON record: numbers rounded to what the noise allows. */
export function jsonRecord(meta, suites, rows, sizes, memory) {
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
      slowdown: round(row.slowdown, 3),
      mbPerSec: round(row.mbPerSec, 1),
      roundOps: row.roundOps?.map((v) => round(v, v < 100 ? 2 : 0)),
      cold:
        row.cold && Object.fromEntries(Object.entries(row.cold).map(([k, v]) => [k, round(v, 3)])),
    })),
    sizes,
    memory: memory && {
      signers: memory.signers,
      rows: memory.rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v]),
        ),
      ),
    },
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

/**
 * Markdown: the measured suites, the signers-10k slowdowns, cold start, memory per signer and
 * sizes, one table each.
 */
export function markdown(meta, suites, rows, sizes, memory) {
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
  const pairs = warm.filter((r) => r.slowdown !== undefined);
  if (pairs.length) {
    lines.push(
      '| signers-10k | one signer | 10,000 round-robin | slowdown (one ÷ many) |',
      '|---|--:|--:|--:|',
    );
    for (const r of pairs) {
      const one = warm.find(
        (o) => o.suite === r.suite && o.subject === r.subject.replace(/×\d+$/, '×1'),
      );
      lines.push(
        `| ${r.subject.replace(/ ×\d+$/, '')} | ${formatOps(one.opsPerSec)} ops/s | ` +
          `${formatOps(r.opsPerSec)} ops/s | ${r.slowdown.toFixed(2)}× |`,
      );
    }
    lines.push('');
  }
  if (cold.length) {
    lines.push(
      '| suite | subject | import | create | first sign | create + first | import + create + first | whole process | × baseline |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const r of cold) {
      if (!r.cold) {
        lines.push(
          `| ${r.suite} | ${r.subject} | ${r.skipped ? 'skipped' : 'error'}: ${r.skipped ?? r.error} | | | | | | |`,
        );
        continue;
      }
      const ms = (v) => `${v.toFixed(2)} ms`;
      lines.push(
        `| ${r.suite} | ${r.subject} | ${ms(r.cold.importMs)} | ${ms(r.cold.createMs)} | ` +
          `${ms(r.cold.firstMs)} | ${ms(r.cold.createAndFirstMs)} | ${ms(r.cold.totalMs)} | ` +
          `${ms(r.cold.processMs)} | ` +
          `${ratio(r.ratioToNodeCrypto)} |`,
      );
    }
    lines.push('');
  }
  if (memory?.rows.length) {
    const reference = memory.rows.find((r) => r.subject === 'key Buffer (node:crypto)');
    lines.push(
      `| memory per Qredo API signer (${memory.signers.toLocaleString('en-US')} kept) | bytes | heap | external | × key Buffer |`,
      '|---|--:|--:|--:|--:|',
    );
    for (const r of memory.rows) {
      if (r.bytes === undefined) {
        lines.push(
          `| ${r.subject} | ${r.skipped ? 'skipped' : 'error'}: ${r.skipped ?? r.error} | | | |`,
        );
        continue;
      }
      const times = reference?.bytes > 0 ? `${(r.bytes / reference.bytes).toFixed(1)}×` : '';
      lines.push(
        `| ${r.subject} | ${Math.round(r.bytes)} B | ${Math.round(r.heapBytes)} B | ` +
          `${Math.round(r.externalBytes)} B | ${times} |`,
      );
    }
    lines.push('');
  }
  if (sizes) {
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
    if (sizes.entries) {
      lines.push(
        '| createQredoSigner only, per entry | minified | gzip -9 | .wasm loaded beside (gzip) | total gzip | signs? |',
        '|---|--:|--:|--:|--:|---|',
      );
      for (const [entry, b] of Object.entries(sizes.entries)) {
        const wasm = Object.entries(b.wasmFiles)
          .map(([name, bytes]) => `${name} ${bytes} B`)
          .join(', ');
        lines.push(
          `| ${entry} | ${b.minified} B | ${b.gzip} B | ${wasm || 'none'} | ${b.totalGzip} B | ` +
            `${b.works ? 'yes' : `NO: ${b.error}`} |`,
        );
      }
      lines.push('');
    }
    lines.push('| bundle / module | minified | gzip -9 | signs? |', '|---|--:|--:|---|');
    bundleRow('createQredoSigner only (web entry)', sizes.createQredoSignerOnly);
    bundleRow('whole web entry', sizes.webEntryAll);
    for (const [name, s] of Object.entries(sizes.wasm)) {
      lines.push(`| ${name} | ${s.bytes} B | ${s.gzip} B | |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
