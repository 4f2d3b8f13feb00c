/**
 * Runs the key fuzzer in a worker thread under a watchdog: each case must finish within
 * `caseLimitMs` of starting, or the worker is stopped and the run fails naming that case. Shared by
 * test/keys/key-fuzz.test.ts (10,000 cases in `npm test`) and test/fuzz.mjs (long runs).
 */
import { Worker } from 'node:worker_threads';
import type { KeyFuzzStats } from './key-fuzz-case.js';

export interface KeyFuzzResult {
  ok: boolean;
  message?: string;
  stats?: KeyFuzzStats;
  cases: number;
  ms: number;
}

export function runKeyFuzz(options: {
  seed: number;
  runs: number;
  caseLimitMs: number;
}): Promise<KeyFuzzResult> {
  const started = performance.now();
  const worker = new Worker(new URL('../../tsx-worker.mjs', import.meta.url), {
    workerData: { ...options, module: new URL('./key-fuzz-worker.ts', import.meta.url).href },
  });
  return new Promise((resolve) => {
    let last = { index: -1, description: '(starting the worker)' };
    let settled = false;
    const finish = (result: Omit<KeyFuzzResult, 'ms' | 'cases'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve({ ...result, cases: last.index + 1, ms: performance.now() - started });
    };
    // Loading the library in the worker takes a few seconds on a busy machine: allow for it once.
    let timer = setTimeout(onHang, options.caseLimitMs + 20_000);
    function onHang() {
      finish({
        ok: false,
        message: `case ${last.index} ran over ${options.caseLimitMs} ms: ${last.description}`,
      });
    }
    worker.on(
      'message',
      (m: {
        type: string;
        index: number;
        description: string;
        stats: KeyFuzzStats;
        message: string;
      }) => {
        if (m.type === 'case') {
          last = m;
          clearTimeout(timer);
          timer = setTimeout(onHang, options.caseLimitMs);
        } else if (m.type === 'done') finish({ ok: true, stats: m.stats });
        else finish({ ok: false, message: m.message, stats: m.stats });
      },
    );
    worker.on('error', (error) =>
      finish({ ok: false, message: `worker error: ${error.stack ?? error}` }),
    );
    worker.on('exit', (code) => finish({ ok: false, message: `worker exited with ${code}` }));
  });
}
