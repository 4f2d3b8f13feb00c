/**
 * Node launcher: imports the package by name (`import()` for ESM, `require()` for the CommonJS
 * build), so Node resolves it through the exports map of the packed package, then runs suite.mjs.
 * Run by run-all.mjs from the consumer directory it prepared:
 *   node node.mjs '{"specifier":"qredo-sign","format":"import","backends":[...],...}'
 * Prints one line `RESULT <json>`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadVectorFiles, runRuntimeSuite } from './suite.mjs';

const options = JSON.parse(process.argv[2]);
const api =
  options.format === 'require'
    ? createRequire(import.meta.url)(options.specifier)
    : await import(options.specifier);
const agent = options.agent
  ? options.format === 'require'
    ? createRequire(import.meta.url)('qredo-sign/agent')
    : await import('qredo-sign/agent')
  : undefined;
const files = await loadVectorFiles(async (path) =>
  JSON.parse(await readFile(join(options.vectorsDir, path), 'utf8')),
);
const result = await runRuntimeSuite(api, files, options, agent);
console.log(`RESULT ${JSON.stringify({ version: process.version, ...result })}`);
