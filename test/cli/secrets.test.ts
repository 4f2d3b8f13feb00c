/**
 * Issue 14 item 6: the `qredo-sign` command never prints a private key or an API secret (contract
 * §6.1). Each attack is a habit seen in CI scripts — `QREDO_PRIVATE_KEY="$(cat key.pem)"`,
 * `--private-key=<pem text>`, a secret pasted where a path belongs — run as a child process, with
 * stdout and stderr searched for any line of the key. Signatures are checked against node:crypto.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'qredo-sign-cli-secrets-'));
const tmp = (name: string) => join(TMP, name);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM_PKCS1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const PEM_PKCS8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const KEY_PATH = tmp('key.pem');
writeFileSync(KEY_PATH, PEM_PKCS1, { mode: 0o600 });

const SECRET_BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 53 + 3) & 0xff));
const SECRET = SECRET_BYTES.toString('base64');
const URL_ = 'https://api.qredo.network/qapi/v1/balance';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('QREDO_') && v) env[k] = v;
  return new Promise<Run>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { ...env, ...options.env }, maxBuffer: 1 << 24 },
      (error, out, err) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code, out, err });
      },
    );
    child.stdin!.end(options.input ?? '');
  });
}

/**
 * Every run of 16 base64 characters of the key's body lines: finding any one of them in the
 * output means some of the key was printed (a JSON-escaped one-line PEM keeps them intact).
 */
function keyFragments(pem: string): string[] {
  return pem
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .flatMap((line) => [line.slice(0, 16), line.slice(-16)]);
}

function assertNothingOfTheKey(run: Run, pem: string, label: string): void {
  const printed = run.out + run.err;
  assert.not.ok(/-----(BEGIN|END)/.test(printed), `${label}: a PEM armour line was printed`);
  for (const fragment of keyFragments(pem)) {
    assert.not.ok(printed.includes(fragment), `${label}: key material was printed`);
  }
}

test('attack: the PEM itself in QREDO_PRIVATE_KEY or --private-key is refused, never echoed', async () => {
  const partner = ['partner', '--api-key', 'k', '--url', URL_, '--nonce', '1'];
  const cases: [string, string[], Record<string, string>, string][] = [
    ['QREDO_PRIVATE_KEY=$(cat key.pem)', partner, { QREDO_PRIVATE_KEY: PEM_PKCS1 }, PEM_PKCS1],
    ['QREDO_PRIVATE_KEY, PKCS#8', partner, { QREDO_PRIVATE_KEY: PEM_PKCS8 }, PEM_PKCS8],
    ['--private-key=<pem>', [...partner, `--private-key=${PEM_PKCS1}`], {}, PEM_PKCS1],
    ['--private-key <pem>', [...partner, '--private-key', PEM_PKCS8], {}, PEM_PKCS8],
    [
      'explain partner --private-key=<pem>',
      ['explain', ...partner, `--private-key=${PEM_PKCS1}`],
      {},
      PEM_PKCS1,
    ],
    // The key's base64 on one line (what some secret stores hand out): no armour to spot.
    [
      'QREDO_PRIVATE_KEY=base64 body only',
      partner,
      { QREDO_PRIVATE_KEY: keyFragments(PEM_PKCS1).join('') },
      PEM_PKCS1,
    ],
  ];
  const runs = await Promise.all(cases.map(([, args, env]) => cli(args, { env })));
  runs.forEach((run, i) => {
    const [label, , , pem] = cases[i];
    assert.is(run.code, 2, `${label}: ${run.err}`);
    assert.match(run.err, /give a path, not the key/, label);
    assert.match(run.err, /^qredo-sign: [^\n]+\n$/, `${label}: not one line`);
    assert.match(run.err, label.startsWith('QREDO') ? /QREDO_PRIVATE_KEY/ : /--private-key/);
    assertNothingOfTheKey(run, pem, label);
  });
});

test('control: the same key given as a path signs, byte for byte what node:crypto signs', async () => {
  const args = ['partner', '--api-key', 'k', '--url', URL_, '--nonce', '7'];
  const [flag, env] = await Promise.all([
    cli([...args, '--private-key', KEY_PATH]),
    cli(args, { env: { QREDO_PRIVATE_KEY: KEY_PATH } }),
  ]);
  const expected = nodeSign('sha256', Buffer.from(`7${URL_}`), privateKey).toString('base64url');
  for (const run of [flag, env]) {
    assert.is(run.code, 0, run.err);
    assert.ok(run.out.includes(`x-sign: ${expected}`), run.out);
    assertNothingOfTheKey(run, PEM_PKCS1, 'control');
  }
});

const apiArgs = ['api', '--api-key', 'k', '--method', 'GET', '--url', URL_, '--timestamp', '1'];
const expectedSig = createHmac('sha256', SECRET_BYTES).update(`1GET${URL_}`).digest('base64url');

test('--secret-file PATH|-: signs with the secret, trailing newline ignored, no warning', async () => {
  writeFileSync(tmp('secret'), `${SECRET}\n`, { mode: 0o600 });
  writeFileSync(tmp('secret-crlf'), `${SECRET}\r\n`, { mode: 0o600 });
  const runs = await Promise.all([
    cli([...apiArgs, '--secret-file', tmp('secret')]),
    cli([...apiArgs, '--secret-file', tmp('secret-crlf')]),
    cli([...apiArgs, '--secret-file', '-'], { input: `${SECRET}\n` }),
    cli(apiArgs, { env: { QREDO_API_SECRET: SECRET } }),
  ]);
  for (const run of runs) {
    assert.is(run.code, 0, run.err);
    assert.ok(run.out.includes(`qredo-api-sig: ${expectedSig}`), run.out);
    assert.is(run.err, '');
  }
});

test('--secret on the command line still signs, with a one-line warning naming the safe ways', async () => {
  const run = await cli([...apiArgs, '--secret', SECRET]);
  assert.is(run.code, 0, run.err);
  assert.ok(run.out.includes(`qredo-api-sig: ${expectedSig}`));
  assert.match(
    run.err,
    /^qredo-sign: warning: [^\n]*\bps\b[^\n]*--secret-file[^\n]*QREDO_API_SECRET/,
  );
  assert.is(run.err.split('\n').length, 2, 'one line');
  assert.not.ok(run.err.includes(SECRET));
});

test('attack: a secret pasted where a path belongs, or malformed, is never echoed', async () => {
  const bad = 'Zm9v*SECRET-do-not-print*YmFy';
  const verifyArgs = ['verify', 'api', '--method', 'GET', '--url', URL_];
  const headers = ['--header', 'qredo-api-key: k', '--header', 'qredo-api-ts: 1'];
  const cases: [string[], RegExp, string][] = [
    [[...apiArgs, '--secret-file', SECRET], /give a path, not the secret/, SECRET],
    [[...verifyArgs, ...headers, '--secret-file', SECRET], /give a path, not the secret/, SECRET],
    [['explain', ...apiArgs, '--secret-file', SECRET], /give a path, not the secret/, SECRET],
    [[...apiArgs, '--secret-file', tmp('bad')], /INVALID_SECRET/, bad],
    [[...apiArgs, '--secret', SECRET, '--secret-file', tmp('secret')], /not both/, SECRET],
  ];
  writeFileSync(tmp('bad'), `${bad}\n`);
  writeFileSync(tmp('secret'), `${SECRET}\n`);
  const runs = await Promise.all(cases.map(([args]) => cli(args)));
  runs.forEach((run, i) => {
    const [args, pattern, secret] = cases[i];
    const label = args.slice(0, 2).join(' ');
    assert.is(run.code, 2, `${label}: ${run.err}`);
    assert.match(run.err, pattern, `${label}: ${run.err}`);
    assert.not.ok((run.out + run.err).includes(secret), `${label} echoed the secret`);
  });
});

test('--secret-file - and --body-file - cannot both read standard input', async () => {
  const run = await cli([...apiArgs, '--secret-file', '-', '--body-file', '-'], {
    input: SECRET,
  });
  assert.is(run.code, 2);
  assert.match(run.err, /only one of --secret-file, --body-file can read stdin/);
  assert.not.ok(run.err.includes(SECRET));
});

test('verify api --secret-file: a valid request verifies', async () => {
  writeFileSync(tmp('secret-v'), `${SECRET}\n`);
  const now = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', SECRET_BYTES).update(`${now}GET${URL_}`).digest('base64url');
  const run = await cli([
    ...['verify', 'api', '--method', 'GET', '--url', URL_, '--secret-file', tmp('secret-v')],
    ...['--header', 'qredo-api-key: k', '--header', `qredo-api-ts: ${now}`],
    ...['--header', `qredo-api-sig: ${sig}`],
  ]);
  assert.is(run.code, 0, run.err);
  assert.match(run.out, /^valid: signed with API key k\n$/);
  assert.is(run.err, '');
});

test.after(() => rmSync(TMP, { recursive: true, force: true }));

test.run();
