/**
 * `qredo-sign agent …`: help, keys file (mode 0600, nothing secret printed), and register /
 * approve / reject / listen against the mock v2 server. `--help`, keygen and one failure run as
 * child processes (the real binary path); the rest through `main` in this process.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/args.js';
import { startMockV2, type MockV2 } from './mock-v2.js';
import { blsVectors } from './vectors-files.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const C = suite('cli agent');
let dir = '';
let mock: MockV2;
const API_KEY = 'cli-agent';
const SECRET_BYTES = new Uint8Array(randomBytes(32));
const SECRET = Buffer.from(SECRET_BYTES).toString('base64url');

function child(args: string[]) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('QREDO_') && v) env[k] = v;
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env },
      (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

async function run(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    env,
    secrets: new Set(),
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    readStdin: async () => new Uint8Array(0),
  };
  const code = await main(args, io);
  return { code, out, err };
}

C.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qredo-agent-cli-'));
  mock = await startMockV2({ apiKey: API_KEY, secret: SECRET_BYTES });
});
C.after(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

C('agent --help exits 0 (child process); agent alone is bad usage', async () => {
  const help = await child(['agent', '--help']);
  assert.is(help.code, 0);
  assert.match(help.out, /qredo-sign agent keygen/);
  assert.match(help.out, /NOT\s+verified/);
  for (const sub of ['keygen', 'listen']) assert.is((await run(['agent', sub, '--help'])).code, 0);
  assert.is((await run(['agent'])).code, 2);
  assert.is((await run(['agent', 'steal'])).code, 2);
  assert.match((await run(['--help'])).out, /qredo-sign agent/);
});

C(
  'agent keygen: file mode 0600, v2 record, only public keys printed; no overwrite without --force',
  async () => {
    const path = join(dir, 'keys.json');
    const r = await child(['agent', 'keygen', '--keys', path]);
    assert.is(r.code, 0, r.err);
    assert.is(statSync(path).mode & 0o777, 0o600);
    const record = JSON.parse(readFileSync(path, 'utf8'));
    assert.is(Buffer.from(record.blsPrivateKey, 'base64').length, 48);
    assert.is(Buffer.from(record.ecPrivateKey, 'base64').length, 32);
    assert.not.ok(r.out.includes(record.blsPrivateKey) || r.err.includes(record.blsPrivateKey));
    assert.not.ok(r.out.includes(record.ecPrivateKey) || r.err.includes(record.ecPrivateKey));
    assert.match(r.out, /^blsPublicKey: [A-Za-z0-9+/=]{256}\necPublicKey: [A-Za-z0-9+/=]{88}\n$/);
    const again = await run(['agent', 'keygen', '--keys', path]);
    assert.is(again.code, 2);
    assert.match(again.err, /exists/);
    assert.is((await run(['agent', 'keygen', '--keys', path, '--force'])).code, 0);
    assert.is(statSync(path).mode & 0o777, 0o600);
    assert.is.not(JSON.parse(readFileSync(path, 'utf8')).blsPrivateKey, record.blsPrivateKey);
  },
);

C('agent show: public keys of a v2 record and of a v1 bls_seed file (oracle values)', async () => {
  const c = blsVectors.cases[0];
  const v2 = join(dir, 'v2.json');
  const v1 = join(dir, 'v1.json');
  writeFileSync(
    v2,
    JSON.stringify({ blsPrivateKey: c.secretKeyBase64, ecPrivateKey: c.ecPrivateKeyBase64 }),
  );
  writeFileSync(v1, JSON.stringify({ bls_seed: c.seedBase64 }));
  for (const path of [v2, v1]) {
    const r = await run(['agent', 'show', '--keys', path]);
    assert.is(
      r.out,
      `blsPublicKey: ${c.blsPublicKeyBase64}\necPublicKey: ${c.ecPublicKeyBase64}\n`,
    );
  }
  const json = await run(['agent', 'show', '--keys', v2, '--format', 'json']);
  assert.not.ok(json.out.includes(c.secretKeyBase64));
  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      blsPrivateKey: Buffer.alloc(48).toString('base64'),
      ecPrivateKey: c.ecPrivateKeyBase64,
    }),
  );
  const weak = await run(['agent', 'show', '--keys', bad]);
  assert.is(weak.code, 2);
  assert.match(weak.err, /WEAK_KEY/);
});

C(
  'agent register / approve / reject / listen against the mock; no secret in any output',
  async () => {
    const c = blsVectors.cases[1];
    const path = join(dir, 'agent.json');
    writeFileSync(
      path,
      JSON.stringify({ blsPrivateKey: c.secretKeyBase64, ecPrivateKey: c.ecPrivateKeyBase64 }),
    );
    const env = {
      QREDO_API_KEY: API_KEY,
      QREDO_API_SECRET: SECRET,
      QREDO_BASE_URL: mock.base,
      QREDO_WORKSPACE_ID: mock.workspaceId,
      QREDO_AGENT_KEYS: path,
    };
    const reg = await run(['agent', 'register'], env);
    assert.is(reg.code, 0, reg.err);
    assert.is(mock.registered.get(API_KEY)?.body, c.v2RegisterBody);
    const a = mock.addAction([Buffer.from(c.message, 'hex')]);
    const ok = await run(['agent', 'approve', a.id], env);
    assert.is(ok.code, 0, ok.err);
    assert.is(ok.out, `approved ${a.id}\nsignature: ${c.signature}\n`);
    const no = await run(['agent', 'reject', a.id], env);
    assert.is(no.code, 0, no.err);
    assert.equal(
      mock.decisions.slice(-2).map((d) => [d.status, d.accepted]),
      [
        [3, true],
        [4, true],
      ],
    );
    const missing = await run(['agent', 'approve', 'nope'], env);
    assert.is(missing.code, 2);
    assert.match(missing.err, /AGENT_REQUEST_FAILED.*404/);

    const before = mock.decisions.length;
    const listening = run(['agent', 'listen', '--duration', '1', '--verbose'], env);
    const end = Date.now() + 3000;
    while (mock.feedClients() === 0 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 10));
    const live = mock.addAction([new Uint8Array([1, 2])]);
    mock.push(live);
    const l = await listening;
    assert.is(l.code, 0, l.err);
    assert.equal(JSON.parse(l.out.trim()), {
      id: live.id,
      status: live.status,
      expireTime: JSON.parse(l.out).expireTime,
      messages: ['0102'],
    });
    assert.is(mock.decisions.length, before, 'listen approves nothing');
    assert.match(l.err, /token=REDACTED/);
    for (const text of [reg, ok, no, missing, l].flatMap((r) => [r.out, r.err])) {
      for (const s of [SECRET, c.secretKeyBase64, c.ecPrivateKeyBase64])
        assert.not.ok(text.includes(s));
      for (const u of mock.upgrades)
        assert.not.ok(text.includes(new URL(u).searchParams.get('token')!));
    }
  },
);

C.run();
