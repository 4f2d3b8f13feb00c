/**
 * `qredo-sign mock` as another language's test suite runs it: a child process whose first line
 * names the URL, fed requests signed by Python's `hmac` alone, stopped with SIGTERM.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'qredo-mock-cli-'));
const SECRET = Buffer.alloc(32, 9).toString('base64');

test('mock CLI: starts, accepts a Python-signed request, logs it without secrets, stops on SIGTERM', async () => {
  const secretFile = join(TMP, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  const routes = join(TMP, 'routes.json');
  writeFileSync(routes, JSON.stringify({ 'GET /qapi/v1/balance': { total: '7' } }));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.ts',
      'mock',
      '--port',
      '0',
      '--api-key',
      'k1',
      '--secret-file',
      secretFile,
      '--routes',
      routes,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`mock exited: ${err}`)));
  });
  const target = `${url}/qapi/v1/balance`;
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = execFileSync('python3', [
    '-c',
    'import base64,hashlib,hmac,sys; k=base64.b64decode(sys.argv[1]); ' +
      'print(base64.urlsafe_b64encode(hmac.new(k, sys.argv[2].encode(), hashlib.sha256).digest()).rstrip(b"=").decode())',
    SECRET,
    `${ts}GET${target}`,
  ])
    .toString()
    .trim();
  const ok = await fetch(target, {
    headers: { 'qredo-api-key': 'k1', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
  });
  assert.is(ok.status, 200);
  assert.equal(await ok.json(), { total: '7' });
  const bad = await fetch(target, {
    headers: { 'qredo-api-key': 'k1', 'qredo-api-ts': ts, 'qredo-api-sig': 'x'.repeat(43) },
  });
  assert.is(bad.status, 401);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.is(code, 0, err);
  assert.match(out, /GET \/qapi\/v1\/balance 200 qredo-v1/);
  assert.match(out, /GET \/qapi\/v1\/balance 401 qredo-v1 BAD_SIGNATURE/);
  assert.not.ok(out.includes(sig) || out.includes(SECRET) || err.includes(SECRET));
});

test('mock CLI: --help exits 0; no key at all is bad usage', () => {
  const help = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'mock', '--help'], {
    cwd: ROOT,
  }).toString();
  assert.match(help, /qredo-sign mock/);
  let code = 0;
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'mock'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { PATH: process.env.PATH },
    });
  } catch (error) {
    code = (error as { status: number }).status;
  }
  assert.is(code, 2);
});

test.after(() => rmSync(TMP, { recursive: true, force: true }));
test.run();
