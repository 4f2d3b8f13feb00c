/**
 * The key fuzzer's worker: runs the fixed other inputs, then `runs` fast-check recipes from
 * `seed`, posting each case before it starts so that the parent's watchdog can name a case that
 * hangs (a synchronous loop cannot be interrupted from inside its own thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { applyRecipe, recipeArb } from './key-mutations.js';
import { newStats, runKeyCase } from './key-fuzz-case.js';
import { otherInputs } from './key-other-inputs.js';

const { seed, runs } = workerData as { seed: number; runs: number };
const stats = newStats();
let turn = 0;
const post = (message: object) => parentPort!.postMessage(message);

try {
  for (const m of await otherInputs()) {
    post({ type: 'case', index: turn, description: m.description });
    await runKeyCase(m, turn++, stats);
  }
  await fc.assert(
    fc.asyncProperty(recipeArb, async (recipe) => {
      const m = applyRecipe(recipe);
      post({ type: 'case', index: turn, description: m.description });
      await runKeyCase(m, turn++, stats);
    }),
    // No shrinking: a case's words already say what it is, and the seed and path replay it.
    { seed, numRuns: runs, endOnFailure: true },
  );
  post({ type: 'done', stats });
} catch (error) {
  // fast-check puts the property's own error in `cause`: that is the message naming the case.
  const cause = (error as { cause?: Error }).cause;
  const message = `${String(cause?.stack ?? cause ?? '')}\n${String((error as Error).message ?? error)}`;
  post({ type: 'failed', message: message.slice(0, 4000), stats });
}
