// Memory per Qredo API signer: fresh processes (memory-child.mjs) each create 10,000 signers and
// keep them, and the growth of the V8 heap plus external memory (Buffers, ArrayBuffers, WASM linear
// memory) is divided by the count. The hand-written reference is the key Buffer a node:crypto user
// keeps per customer. Rows report the median of the samples.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BACKENDS } from './suites/common.mjs';
import { summarise } from './harness.mjs';

const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const MEMORY_SIGNERS = 10_000;

/** [{ subject, bytes, heapBytes, externalBytes, samples } | { subject, skipped|error }] */
export function runMemory({ samples }, log) {
  const subjects = [...BACKENDS.map((b) => `qredo-sign/${b}`), 'key Buffer (node:crypto)'];
  log(
    `memory-per-signer: ${MEMORY_SIGNERS} signers per process, ${samples} process(es) per subject`,
  );
  const rows = [];
  for (const subject of subjects) {
    const runs = [];
    let failure;
    for (let i = 0; i < samples && !failure; i++) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', CHILD, subject, String(MEMORY_SIGNERS)],
        { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
      );
      if (child.status !== 0) {
        const detail = (child.stderr || child.error?.message || '').trim().split('\n').pop();
        failure = { error: `child exited with ${child.status}: ${detail}` };
        break;
      }
      const result = JSON.parse(/** @type {string} */ (child.stdout.trim().split('\n').pop()));
      if (result.skipped) failure = result;
      else runs.push(result);
    }
    if (failure) {
      log(
        `  ${subject}: ${failure.skipped ? 'skipped' : 'error'}: ${failure.skipped ?? failure.error}`,
      );
      rows.push({ subject, ...failure });
      continue;
    }
    const median = (key) => summarise(runs.map((r) => r[key])).median;
    const row = {
      subject,
      bytes: median('bytes'),
      heapBytes: median('heapBytes'),
      externalBytes: median('externalBytes'),
      samples: runs.length,
    };
    log(
      `  ${subject}: ${row.bytes.toFixed(0)} B per signer (heap ${row.heapBytes.toFixed(0)}, external ${row.externalBytes.toFixed(0)})`,
    );
    rows.push(row);
  }
  return { signers: MEMORY_SIGNERS, rows };
}
