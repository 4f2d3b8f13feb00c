// Cold start: every sample is a fresh Node process (bench/cold-child.mjs), so module caches are
// empty and a WASM module is compiled and instantiated for the first time. Three times are taken
// inside the child: importing the library, creating the signer (key import) and the first
// signature. Node's own start-up is not counted. Samples of all subjects are interleaved, so drift
// in the machine's load spreads over every subject alike; the row reports the median.
import { spawnSync } from 'node:child_process';
import { createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CHECK_TIMESTAMP } from './fixtures.mjs';
import { BACKENDS } from './suites/common.mjs';
import { summarise } from './harness.mjs';

const CHILD = fileURLToPath(new URL('./cold-child.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Package entries an HMAC-only application may import (the Node build of each). */
export const ENTRIES = [
  'qredo-sign',
  'qredo-sign/qredo-api',
  'qredo-sign/node',
  'qredo-sign/wasm',
  'qredo-sign/js',
  'qredo-sign/webcrypto',
];

const SUITES = [
  {
    // The whole cost a short-lived process (CLI, serverless function) pays: the ratio is taken on
    // the fresh process's wall time (spawn to exit: Node's start-up, import, create, first
    // signature), not on create + first as in the two suites below.
    name: 'cold-start',
    scheme: 'entry',
    description:
      'Fresh process: import one package entry, create a Qredo API signer, first signature (process wall time)',
    subjects: [...ENTRIES, 'node:crypto (createHmac)', 'node:crypto (crypto.hash pads)'],
    baseline: 'node:crypto (createHmac)',
    total: true,
  },
  {
    name: 'cold-start-hmac',
    scheme: 'hmac',
    description: 'Fresh process: import, create a Qredo API signer, first signature',
    peers: ['node:crypto', 'hash-wasm', '@noble/hashes', 'crypto-js'],
  },
  {
    name: 'cold-start-rsa2048',
    scheme: 'rsa',
    description:
      'Fresh process: import, create a Partner API signer (RSA-2048 PEM), first signature',
    peers: ['node:crypto', 'node-rsa', 'node-forge', 'crypto.subtle'],
  },
];

function expectedSignature(fx, scheme) {
  const { method, url, body } = fx.small;
  if (scheme === 'hmac' || scheme === 'entry') {
    return createHmac('sha256', Buffer.from(fx.secret, 'base64'))
      .update(CHECK_TIMESTAMP + method + url + body)
      .digest('base64url');
  }
  const key = createPrivateKey(fx.rsa2048.pkcs1Pem);
  return cryptoSign('sha256', Buffer.from(CHECK_TIMESTAMP + url + body), key).toString('base64url');
}

function sampleOnce(env, scheme, subject) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [CHILD, scheme, subject], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  // The whole fresh process as a caller sees it (Node's start-up and exit included), for `cold-start`.
  const processMs = performance.now() - started;
  if (child.status !== 0) {
    const detail = (child.stderr || child.error?.message || '').trim().split('\n').pop();
    return { error: `child exited with ${child.status}: ${detail}` };
  }
  return {
    ...JSON.parse(/** @type {string} */ (child.stdout.trim().split('\n').pop())),
    processMs,
  };
}

/** Runs the cold-start suites; returns { suites, rows } in the shape run.mjs reports. */
export function runColdStart(fx, { samples, filter }, log) {
  const fixture = {
    apiKey: fx.apiKey,
    secret: fx.secret,
    pem: fx.rsa2048.pkcs1Pem,
    pkcs8Der: Buffer.from(fx.rsa2048.pkcs8Der).toString('base64'),
    timestamp: CHECK_TIMESTAMP,
    request: fx.small,
  };
  const env = { ...process.env, QREDO_BENCH_FIXTURE: JSON.stringify(fixture) };
  const suites = SUITES.filter((s) => filter(s.name));
  const rows = [];
  for (const suite of suites) {
    log(`${suite.name}: ${samples} fresh processes per subject`);
    const expected = expectedSignature(fx, suite.scheme);
    const subjects = suite.subjects ?? [...BACKENDS.map((b) => `qredo-sign/${b}`), ...suite.peers];
    /** @type {Map<string, { times: object[], skipped?: string, error?: string }>} */
    const state = new Map(subjects.map((s) => [s, { times: [] }]));
    for (let i = 0; i < samples; i++) {
      const shift = i % subjects.length;
      for (const subject of [...subjects.slice(shift), ...subjects.slice(0, shift)]) {
        const entry = /** @type {{ times: object[], skipped?: string, error?: string }} */ (
          state.get(subject)
        );
        if (entry.skipped || entry.error) continue;
        const result = sampleOnce(env, suite.scheme, subject);
        if (result.skipped || result.error) Object.assign(entry, result);
        else if (result.signature !== expected) {
          entry.error = `output differs from node:crypto's for the same input`;
        } else entry.times.push(result);
      }
    }
    for (const subject of subjects) {
      const { times, skipped, error } =
        /** @type {{ times: object[], skipped?: string, error?: string }} */ (state.get(subject));
      if (skipped || error) {
        log(`  ${subject}: ${skipped ? 'skipped' : 'error'}: ${skipped ?? error}`);
        rows.push({ suite: suite.name, subject, ...(skipped ? { skipped } : { error }) });
        continue;
      }
      const median = (key) => summarise(times.map((t) => t[key])).median;
      const createAndFirst = summarise(times.map((t) => t.createMs + t.firstMs));
      const all = summarise(times.map((t) => t.importMs + t.createMs + t.firstMs));
      const wall = summarise(times.map((t) => t.processMs));
      const total = suite.total ? wall : createAndFirst;
      const cold = {
        importMs: median('importMs'),
        createMs: median('createMs'),
        firstMs: median('firstMs'),
        createAndFirstMs: createAndFirst.median,
        totalMs: all.median,
        processMs: wall.median,
      };
      log(
        `  ${subject}: import ${cold.importMs.toFixed(1)} ms, create+first ` +
          `${createAndFirst.median.toFixed(2)} ms, total ${all.median.toFixed(2)} ms`,
      );
      rows.push({
        suite: suite.name,
        subject,
        opsPerSec: 1000 / total.median,
        rme: total.rme,
        samples: times.length,
        cold,
      });
    }
  }
  return {
    suites: suites.map(({ name, description, baseline = 'node:crypto' }) => ({
      name,
      description,
      baseline,
    })),
    rows,
  };
}
