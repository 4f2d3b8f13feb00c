/**
 * Chromium launcher: bundles page.mjs from the consumer directory with esbuild (platform
 * `browser`, so the `browser` condition), serves the page and bundle from 127.0.0.1 on a free
 * port, drives the Debian `chromium` headless through playwright-core, and runs the suite in the
 * page (a secure context: 127.0.0.1 counts as potentially trustworthy, so crypto.subtle exists).
 * With `specifier` in the options, the page imports that entry (e.g. `qredo-sign/qredo-api`).
 *   node run.mjs <consumer dir> '<options json>'
 * Prints one line `RESULT <json>`.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { bundleLauncher } from '../bundle.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const here = fileURLToPath(new URL('.', import.meta.url));
const [work, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const outdir = join(work, 'browser-out');
mkdirSync(outdir, { recursive: true });

const { file } = await bundleLauncher({
  entry: join(work, 'browser', 'page.mjs'),
  outdir,
  vectorsDir: options.vectorsDir,
  conditions: ['browser'],
  platform: 'browser',
  specifier: options.specifier,
});
const pages = {
  '/': { type: 'text/html', body: readFileSync(join(here, 'index.html')) },
  '/page.js': { type: 'text/javascript', body: readFileSync(file) },
};
const server = createServer((request, response) => {
  const page = pages[new URL(request.url, 'http://x').pathname];
  response.writeHead(page ? 200 : 404, { 'content-type': page?.type ?? 'text/plain' });
  response.end(page?.body ?? 'not found');
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => typeof globalThis.qredoRuntimeSuite === 'function', null, {
    timeout: 30_000,
  });
  const result = await page.evaluate((o) => globalThis.qredoRuntimeSuite(o), options);
  // Errors thrown outside the suite (module evaluation, unhandled rejections) fail the entry.
  result.checks.total += errors.length;
  result.checks.failures.push(...errors.map((e) => `page error: ${e}`));
  const version = `chromium ${browser.version()}`;
  console.log(`RESULT ${JSON.stringify({ version, ...result })}`);
} finally {
  await browser.close();
  server.close();
}
