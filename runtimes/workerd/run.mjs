/**
 * workerd launcher: bundles worker.mjs from the consumer directory with esbuild and the
 * `workerd`, `worker`, `browser` conditions (wrangler's), links the entry's `.wasm` imports as
 * workerd `wasm` modules, serves it with the `workerd` npm package's binary on 127.0.0.1 (a free
 * port, no `nodejs_compat`), POSTs the suite options to it, and stops the server by its PID.
 * With `specifier` in the options, the worker imports that entry (e.g. `qredo-sign/qredo-api`).
 *   node run.mjs <consumer dir> '<options json>'
 * Prints one line `RESULT <json>`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLauncher } from '../bundle.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const [work, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const outdir = join(work, 'workerd-out');
mkdirSync(outdir, { recursive: true });

const { wasm } = await bundleLauncher({
  entry: join(work, 'workerd', 'worker.mjs'),
  outdir,
  vectorsDir: options.vectorsDir,
  conditions: ['workerd', 'worker', 'browser'],
  platform: 'neutral',
  specifier: options.specifier,
});
const modules = wasm.map((f) => `    (name = "${f}", wasm = embed "${f}"),`).join('\n');
const config = readFileSync(join(here, 'config.capnp'), 'utf8').replace(
  /^ *# WASM_MODULES:.*$/m,
  modules,
);
writeFileSync(join(outdir, 'config.capnp'), config);

/** A port the kernel just handed out on 127.0.0.1 (released again for workerd to bind). */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const binary = fileURLToPath(new URL('../../node_modules/workerd/bin/workerd', import.meta.url));
const port = await freePort();
const child = spawn(
  binary,
  ['serve', join(outdir, 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let log = '';
child.stdout.on('data', (d) => (log += d));
child.stderr.on('data', (d) => (log += d));
const stop = () => {
  if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
};
process.on('exit', stop);
// run-all.mjs stops a launcher that overruns with SIGTERM: take workerd down with it.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stop();
    process.exit(1);
  });
}

async function post(deadline) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/run`, {
        method: 'POST',
        body: JSON.stringify(options),
        signal: AbortSignal.timeout(5 * 60_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text}`);
      return JSON.parse(text);
    } catch (error) {
      // Connection refused while workerd starts; anything else is a real failure.
      if (error?.cause?.code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

try {
  const result = await post(Date.now() + 20_000);
  const version = readFileSync(
    new URL('../../node_modules/workerd/package.json', import.meta.url),
    'utf8',
  );
  console.log(
    `RESULT ${JSON.stringify({ version: `workerd ${JSON.parse(version).version}`, ...result })}`,
  );
} finally {
  stop();
}
