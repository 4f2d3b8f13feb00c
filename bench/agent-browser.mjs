// The agent suite's three operations in headless Chromium (issue 18 asks for Node and Chromium):
// bundles the BUILT `qredo-sign/agent` entry for the browser with esbuild, serves it from
// 127.0.0.1, runs a timed loop in the page through playwright-core and the Debian `chromium`,
// checks the outputs against the oracle vector first, and prints ms/op.
//   npm run build && node bench/agent-browser.mjs [--quick]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const quick = process.argv.includes('--quick');
const vectors = JSON.parse(
  readFileSync(new URL('../vectors/signing-agent/signing-agent-bls.json', import.meta.url), 'utf8'),
);
const c = vectors.cases[2];

const page = `
import * as agent from 'qredo-sign/agent';
const unhex = (t) => new Uint8Array(t.match(/../g).map((h) => parseInt(h, 16)));
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
globalThis.benchAgent = (c, ms) => {
  const seed = unhex(c.seed), message = unhex(c.message), signature = unhex(c.signature);
  const keys = agent.agentKeysFromSeed(seed);
  if (hex(keys.blsPublicKey) !== c.blsPublicKey) throw new Error('public key differs from the vector');
  if (hex(keys.sign(message)) !== c.signature) throw new Error('signature differs from the vector');
  if (!agent.blsVerify(keys.blsPublicKey, message, signature)) throw new Error('did not verify');
  const time = (run) => {
    for (let i = 0; i < 3; i++) run();
    let n = 0;
    const start = performance.now();
    do { run(); n++; } while (performance.now() - start < ms);
    return (performance.now() - start) / n;
  };
  return {
    userAgent: navigator.userAgent,
    keysFromSeed: time(() => agent.agentKeysFromSeed(seed).destroy()),
    sign: time(() => keys.sign(message)),
    verify: time(() => agent.blsVerify(keys.blsPublicKey, message, signature)),
  };
};`;

const bundle = await build({
  stdin: {
    contents: page,
    resolveDir: new URL('..', import.meta.url).pathname,
    sourcefile: 'page.mjs',
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  conditions: ['browser'],
  target: 'es2022',
  logLevel: 'error',
  plugins: [
    {
      name: 'self',
      setup(b) {
        // The built entry, as a user's bundler resolves it through the exports map.
        b.onResolve({ filter: /^qredo-sign\/agent$/ }, () => ({
          path: new URL('../dist/esm/agent.js', import.meta.url).pathname,
        }));
      },
    },
  ],
});
const html = '<!doctype html><script type="module" src="/page.js"></script>';
const server = createServer((req, res) => {
  const js = req.url === '/page.js';
  res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
  res.end(js ? bundle.outputFiles[0].text : html);
});
await /** @type {Promise<void>} */ (new Promise((ok) => server.listen(0, '127.0.0.1', ok)));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const tab = await browser.newPage();
  await tab.goto(
    `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`,
  );
  await tab.waitForFunction(() => typeof globalThis.benchAgent === 'function');
  const r = await tab.evaluate(([v, ms]) => globalThis.benchAgent(v, ms), [c, quick ? 1000 : 4000]);
  console.log(`chromium ${browser.version()}`);
  for (const k of ['keysFromSeed', 'sign', 'verify'])
    console.log(`${k.padEnd(14)} ${r[k].toFixed(2)} ms/op`);
} finally {
  await browser.close();
  server.close();
}
