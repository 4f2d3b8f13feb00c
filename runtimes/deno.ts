/**
 * Deno launcher: a plain `import ... from 'qredo-sign'`, resolved by Deno from the consumer
 * directory's package.json and node_modules (deno.json: `"nodeModulesDir": "manual"`), so the
 * `deno` condition of the exports map picks the entry. Run by run-all.mjs:
 *   deno run --allow-read=<vectors> deno.ts '<options json>'
 * Prints one line `RESULT <json>`.
 */
import * as api from 'qredo-sign';
import * as agent from 'qredo-sign/agent';
import { loadVectorFiles, runRuntimeSuite } from './suite.mjs';

// The few Deno globals used here, so that the project's type-check (Node types) reads this file.
declare const Deno: {
  args: string[];
  readTextFile(path: string): Promise<string>;
  version: { deno: string };
};

const options = JSON.parse(Deno.args[0]);
const files = await loadVectorFiles(async (path: string) =>
  JSON.parse(await Deno.readTextFile(`${options.vectorsDir}/${path}`)),
);
const result = await runRuntimeSuite(api, files, options, agent);
console.log(`RESULT ${JSON.stringify({ version: `deno ${Deno.version.deno}`, ...result })}`);
