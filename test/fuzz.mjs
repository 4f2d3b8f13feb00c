#!/usr/bin/env node
/**
 * Long fuzzing runs outside `npm test` (issue 6), with the generators and properties of
 * test/keys/key-fuzz.test.ts and test/conformance/differential.test.ts:
 *
 *   npm run fuzz -- --iterations 1000000                 # every suite
 *   npm run fuzz -- --suite key --iterations 200000 --seed 7
 *
 * Suites: `key` (mutated keys through every key entry point, in a worker with a per-case
 * watchdog), `qredo` and `partner` (random requests on every backend against node and the
 * reference, with verification round trips). Partner cases cost an RSA signature per backend, so
 * that suite runs iterations / 25. Work goes in chunks, each with its own seed (seed + chunk
 * number), so progress is printed and a failure names the exact command that replays it.
 * Needs tsx (the package script runs `node --import tsx`). Exit status 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { runKeyFuzz } from './keys/fuzz/key-fuzz-run.ts';
import { assertProperty, newDifferentialStats } from './conformance/differential/common.ts';
import { checkQredoCase, qredoCaseArb } from './conformance/differential/qredo.ts';
import {
  checkPartnerCase,
  destroyPartnerSigners,
  partnerCaseArb,
} from './conformance/differential/partner.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000_000) },
    suite: { type: 'string', default: 'all' },
    chunk: { type: 'string', default: '20000' },
    'case-limit-ms': { type: 'string', default: '5000' },
  },
});
const iterations = Number(values.iterations);
const seed = Number(values.seed);
const chunk = Number(values.chunk);
const caseLimitMs = Number(values['case-limit-ms']);
const suites = values.suite === 'all' ? ['key', 'qredo', 'partner'] : values.suite.split(',');
for (const n of [iterations, seed, chunk, caseLimitMs]) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('numeric options must be integers ≥ 0');
}

const replay = (suite, chunkSeed, runs) =>
  `npm run fuzz -- --suite ${suite} --seed ${chunkSeed} --iterations ${runs} --chunk ${runs}`;

/** Runs `total` cases of one suite in chunks; returns false on the first failure. */
async function runSuite(suite, total, runChunk) {
  const started = performance.now();
  let done = 0;
  for (let i = 0; done < total; i++) {
    const runs = Math.min(chunk, total - done);
    const chunkSeed = seed + i;
    try {
      const summary = await runChunk(chunkSeed, runs);
      done += runs;
      const rate = (done / ((performance.now() - started) / 1000)).toFixed(0);
      console.log(`${suite}: ${done}/${total} (${rate}/s) seed ${chunkSeed}: ${summary}`);
    } catch (error) {
      console.error(`${suite}: FAILED in the chunk of seed ${chunkSeed}\n${error.message}`);
      console.error(`replay: ${replay(suite, chunkSeed, runs)}`);
      return false;
    }
  }
  console.log(`${suite}: ${done} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

const runners = {
  key: () =>
    runSuite('key', iterations, async (chunkSeed, runs) => {
      const result = await runKeyFuzz({ seed: chunkSeed, runs, caseLimitMs });
      if (!result.ok) throw new Error(result.message);
      const s = result.stats;
      return `${s.cases} cases, ${s.entryCalls} calls, same key signed ${s.sameKeySigned}, slowest ${s.maxCaseMs.toFixed(0)} ms, codes ${JSON.stringify(s.codes)}`;
    }),
  qredo: () =>
    runSuite('qredo', iterations, async (chunkSeed, runs) => {
      const stats = newDifferentialStats();
      await assertProperty(qredoCaseArb, (c) => checkQredoCase(c, stats), {
        seed: chunkSeed,
        numRuns: runs,
      });
      return `${stats.roundTrips} round trips, changes rejected ${JSON.stringify(stats.rejectedChanges)}`;
    }),
  partner: () =>
    runSuite('partner', Math.max(1, Math.floor(iterations / 25)), async (chunkSeed, runs) => {
      const stats = newDifferentialStats();
      try {
        await assertProperty(partnerCaseArb, (c) => checkPartnerCase(c, stats), {
          seed: chunkSeed,
          numRuns: runs,
        });
      } finally {
        destroyPartnerSigners();
      }
      return `${stats.roundTrips} round trips, changes rejected ${JSON.stringify(stats.rejectedChanges)}`;
    }),
};

console.log(`fuzz: suites ${suites.join(', ')}, ${iterations} iterations, seed ${seed}`);
let ok = true;
for (const suite of suites) {
  if (!runners[suite]) throw new Error(`unknown suite ${suite} (key, qredo, partner or all)`);
  ok = (await runners[suite]()) && ok;
}
process.exit(ok ? 0 : 1);
