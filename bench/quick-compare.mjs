// What the three quick benchmarks (js-quick, wasm-hash-quick, wasm-rsa-quick) share: the timing
// loop and the table of ratios. They run from the TypeScript sources through tsx, without
// Benchmark.js, for the quick look a change to one kernel needs; `npm run bench` is the full
// comparison against the built package.
//
// Candidates run in alternating rounds (all of them once, then all again) and each keeps its
// best round: other processes on a shared machine can only slow a round down, and alternating
// spreads that slowdown over every candidate instead of piling it on whichever ran last.

/** True when the script was asked for JSON (`--json`) rather than the table. */
export const wantsJson = () => process.argv.includes('--json');

/**
 * Best ops/s of each candidate over `rounds` alternating rounds of about `ms` milliseconds.
 * `batch` runs a candidate that many times per timed call, so that sub-microsecond work is not
 * dominated by reading the clock; the result is still per single operation. `warmUp` calls
 * each candidate first (RSA needs more: WASM tiers up from Liftoff to TurboFan after some use).
 *
 * @example
 * const ops = compare({ mine: () => f(x), theirs: () => g(x) }, { ms: 300, rounds: 5 });
 *
 * @param {Record<string, () => unknown>} candidates
 * @param {{ ms: number, rounds: number, batch?: number, warmUp?: number }} options
 * @returns {Record<string, number>}
 */
export function compare(candidates, { ms, rounds, batch = 1, warmUp = 3 }) {
  /** @type {[string, () => unknown][]} */
  const runs = Object.entries(candidates).map(([name, f]) => [
    name,
    batch === 1
      ? f
      : () => {
          for (let i = 0; i < batch; i++) f();
        },
  ]);
  const best = Object.fromEntries(runs.map(([name]) => [name, 0]));
  for (const [, run] of runs) for (let i = 0; i < warmUp; i++) run();
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of runs) {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        run();
        calls++;
        elapsed = performance.now() - start;
      } while (elapsed < ms);
      best[name] = Math.max(best[name], (calls * batch * 1000) / elapsed);
    }
  }
  return best;
}

/**
 * One row per candidate of a group, each with its speed relative to the group's `baseline`
 * (candidate ops/s ÷ baseline ops/s: above 1 is faster). `targets` maps a candidate to the
 * ratio it must reach; `unit`/`scale` turn ops/s into another rate (MB/s for 1 MiB inputs).
 *
 * @example
 * rows.push(...ratioRows('RSA-2048 sign', ops, { baseline: 'node', targets: { wasm: 1 / 6 } }));
 */
export function ratioRows(group, ops, { baseline, targets = {}, unit = 'ops/s', scale = 1 }) {
  if (!(baseline in ops)) throw new Error(`${group}: no baseline "${baseline}" among candidates`);
  return Object.entries(ops).map(([name, value]) => ({
    group,
    name,
    value: +(value * scale).toPrecision(6),
    unit,
    usPerOp: +(1e6 / value).toPrecision(6),
    ratio: +(value / ops[baseline]).toFixed(3),
    baseline,
    target: targets[name],
    meetsTarget: name in targets ? value / ops[baseline] >= targets[name] : undefined,
  }));
}

const rate = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
const time = (us) => (us >= 1000 ? `${(us / 1000).toFixed(3)} ms` : `${us.toFixed(2)} µs`);

/**
 * Prints the rows as a table (or, with --json, one JSON document of `extra` plus the rows):
 * rate, time per operation, and × the group's baseline with the target where there is one.
 * `notes` are lines printed above the table (cold starts and the like), `footer` below it.
 *
 * @example
 * printReport({ rounds: 7, rows, notes: [`cold first call: ${coldMs.toFixed(2)} ms`] });
 *
 * @param {{ rounds: number, rows: ReturnType<typeof ratioRows>, notes?: string[],
 *           footer?: string[], extra?: object }} report
 */
export function printReport({ rounds, rows, notes = [], footer = [], extra = {} }) {
  if (wantsJson()) {
    console.log(JSON.stringify({ node: process.version, rounds, ...extra, rows }, null, 2));
    return;
  }
  console.log(`Node ${process.version}, best of ${rounds} alternating rounds`);
  for (const line of notes) console.log(line);
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  let group;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      console.log(`\n${group} (× = speed relative to ${r.baseline})`);
    }
    const target =
      r.target === undefined
        ? ''
        : `  target ≥ ${+r.target.toFixed(2)}×: ${r.meetsTarget ? 'met' : 'MISSED'}`;
    console.log(
      `  ${r.name.padEnd(nameWidth)}  ${rate(r.value).padStart(10)} ${r.unit.padEnd(5)}` +
        ` ${time(r.usPerOp).padStart(11)}  ${r.ratio.toFixed(2).padStart(6)}×${target}`,
    );
  }
  for (const line of footer) console.log(line);
}
