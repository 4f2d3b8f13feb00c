// Runs the subjects of one suite with Benchmark.js and turns each into a result row.
//
// - A subject's setup (key import, signer creation) happens once, outside the measurement.
// - Before it is measured, its output for a fixed input is compared with the suite's reference
//   (node:crypto): a subject that computes something else is reported as an error, not timed.
// - Each subject is warmed up (JIT tiers, WASM tier-up from Liftoff to TurboFan) before Benchmark.js
//   calibrates and samples it.
// - Asynchronous subjects run as deferred benchmarks (`defer: true`): one cycle ends when the
//   Promise resolves.
// - With several rounds, the order of subjects is rotated per round and each subject keeps its
//   fastest round: other processes on the machine can only slow a round down.
import Benchmark from 'benchmark';

/** Thrown by a subject's setup when it cannot run here (e.g. its backend is not registered). */
export class Skip extends Error {}

/** A subject whose setup returned nothing runnable, or whose output differs, is not timed. */
class Mismatch extends Error {}

async function warmUp(run, isAsync, ms) {
  const end = performance.now() + ms;
  let calls = 0;
  do {
    if (isAsync) await run();
    else run();
    calls++;
  } while (calls < 3 || performance.now() < end);
}

function measure(name, run, isAsync, options) {
  return new Promise((resolve, reject) => {
    let failure;
    const fn = isAsync
      ? (deferred) => {
          run().then(
            () => deferred.resolve(),
            (error) => {
              failure ??= error;
              deferred.resolve();
            },
          );
        }
      : run;
    // No `setup`/`teardown`: with those, Benchmark.js recompiles `fn` from its source text and
    // loses the closure it needs.
    const bench = new Benchmark(name, {
      fn,
      defer: isAsync,
      maxTime: options.maxTime,
      minSamples: options.minSamples,
      onComplete() {
        if (failure ?? bench.error) reject(failure ?? bench.error);
        else
          resolve({
            opsPerSec: bench.hz,
            rme: bench.stats.rme,
            samples: bench.stats.sample.length,
          });
      },
    });
    bench.run({ async: true });
  });
}

/** Sets one subject up and checks its output; throws Skip or Mismatch. */
async function prepareOne(suite, subject) {
  const prepared = await subject.setup();
  const output = await prepared.check();
  if (suite.expected !== undefined && output !== suite.expected) {
    prepared.cleanup?.();
    throw new Mismatch(`output differs from node:crypto's for the same input`);
  }
  return { name: subject.name, ...prepared };
}

/**
 * Prepares every subject of a suite and checks its output. Returns runnable entries and rows for
 * the subjects that were skipped or failed. With `suite.isolate`, each entry is set up (and checked)
 * right before each of its measurements and cleaned up right after (`fresh`), so that subjects
 * holding large state (10,000 signers) do not all sit in memory while the others are measured.
 */
async function prepare(suite, log) {
  const ready = [];
  const rows = [];
  for (const subject of suite.subjects) {
    if (suite.isolate) {
      ready.push({ name: subject.name, fresh: () => prepareOne(suite, subject) });
      continue;
    }
    try {
      ready.push(await prepareOne(suite, subject));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const key = error instanceof Skip ? 'skipped' : 'error';
      log(`  ${subject.name}: ${key}: ${reason}`);
      rows.push({ suite: suite.name, subject: subject.name, [key]: reason });
    }
  }
  return { ready, rows };
}

/**
 * Measures one suite. `options`: { quick, maxTime (s), minSamples, warmUpMs, rounds }.
 * Returns rows `{ suite, subject, opsPerSec, rme, samples, rounds }` or `{ suite, subject, skipped }`.
 */
export async function runSuite(suite, options, log) {
  const { ready, rows } = await prepare(suite, log);
  const best = new Map();
  // A suite may cap its rounds under --quick (signers-10k: its pairs run back to back anyway).
  const rounds =
    options.quick && suite.quickRounds
      ? Math.min(suite.quickRounds, options.rounds)
      : options.rounds;
  for (let round = 0; round < rounds; round++) {
    const shift = round % Math.max(ready.length, 1);
    const order = [...ready.slice(shift), ...ready.slice(0, shift)];
    for (const listed of order) {
      if (listed.dead) continue;
      let entry = listed;
      try {
        if (listed.fresh) {
          try {
            entry = await listed.fresh();
          } catch (error) {
            // Not runnable here or wrong output: reported like prepare() reports it, once.
            listed.dead = true;
            const reason = error instanceof Error ? error.message : String(error);
            const key = error instanceof Skip ? 'skipped' : 'error';
            log(`  ${listed.name}: ${key}: ${reason}`);
            best.set(listed.name, { [key]: reason });
            continue;
          }
        }
        await warmUp(entry.run, entry.async, options.warmUpMs);
        const result = await measure(entry.name, entry.run, entry.async, options);
        const previous = best.get(entry.name);
        const roundOps = [...(previous?.roundOps ?? []), result.opsPerSec];
        if (!previous || result.opsPerSec > previous.opsPerSec) {
          best.set(entry.name, { ...result, roundOps });
        } else previous.roundOps = roundOps;
        log(`  ${entry.name}: ${Math.round(result.opsPerSec)} ops/s ±${result.rme.toFixed(1)}%`);
      } catch (error) {
        best.set(entry.name, { error: error instanceof Error ? error.message : String(error) });
        log(`  ${entry.name}: error: ${best.get(entry.name).error}`);
      } finally {
        if (listed.fresh) entry.cleanup?.();
      }
    }
  }
  for (const entry of ready) {
    const result = best.get(entry.name);
    rows.push({ suite: suite.name, subject: entry.name, ...result });
    if (!entry.fresh) entry.cleanup?.();
  }
  // Subjects in the suite's own order, whatever happened to them.
  const order = suite.subjects.map((s) => s.name);
  return rows.sort((a, b) => order.indexOf(a.subject) - order.indexOf(b.subject));
}

/** Student's t two-sided 95% critical values by degrees of freedom (as Benchmark.js uses). */
const T_TABLE = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/** Mean, median and relative margin of error (%, 95%) of a list of timings. */
export function summarise(values) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sorted = [...values].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  if (n < 2) return { mean, median, rme: 0 };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const sem = Math.sqrt(variance / n);
  const t = n - 1 <= T_TABLE.length ? T_TABLE[n - 2] : 1.96;
  return { mean, median, rme: (sem * t * 100) / mean };
}
