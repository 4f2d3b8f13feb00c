/**
 * Bun launcher: a plain `import ... from 'qredo-sign'`, resolved by Bun through the exports map
 * (the `bun` condition) from the consumer directory run-all.mjs prepared:
 *   bun bun.ts '<options json>'
 * Prints one line `RESULT <json>`.
 */
import * as api from 'qredo-sign';
import * as agent from 'qredo-sign/agent';
import { loadVectorFiles, runRuntimeSuite } from './suite.mjs';

declare const Bun: {
  version: string;
  argv: string[];
  file(path: string): { json(): Promise<unknown> };
};

const options = JSON.parse(Bun.argv[2]);
const files = await loadVectorFiles((path: string) =>
  Bun.file(`${options.vectorsDir}/${path}`).json(),
);
const result = await runRuntimeSuite(api, files, options, agent);
console.log(`RESULT ${JSON.stringify({ version: `bun ${Bun.version}`, ...result })}`);
