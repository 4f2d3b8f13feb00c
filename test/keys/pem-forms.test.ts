/**
 * Keys as they arrive from `.env` files, CI variables and ssh-keygen (issue 16): what is
 * unambiguous signs with the right key (the signature equals node:crypto's over the original
 * key), the rest is a typed error naming the mistake. OpenSSH files are made by the real
 * ssh-keygen from a key node:crypto generated, so the reference never passes through this library.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, errorOf, referenceRsaSignature, utf8 } from '../support.js';

const test = suite('PEM and OpenSSH forms');
const DATA = utf8('1647356399https://play-api.qredo.network/api/v1/p/company{"name":"ACME"}');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const EXPECTED = referenceRsaSignature(privateKey, DATA);
const PKCS1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const PKCS8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const sign = async (key: unknown) =>
  Buffer.from(await api.rsaSign(key as never, DATA, { backend: 'js' })).toString('base64url');
const failure = async (key: unknown) => {
  const error = (await errorOf(() => sign(key))) as { code?: string; message?: string };
  assert.ok(error, 'refused');
  return { code: error.code, message: String(error.message) };
};

const mangled: [string, (pem: string) => string][] = [
  ['literal \\n escapes on one line (dotenv, JSON)', (pem) => pem.trim().split('\n').join('\\n')],
  ['literal \\r\\n escapes', (pem) => pem.trim().split('\n').join('\\r\\n')],
  ['YAML indentation on every line', (pem) => pem.replace(/^/gm, '    ')],
  ['trailing spaces on every line, END line included', (pem) => pem.replace(/\n/g, '   \n')],
  ['CRLF line ends', (pem) => pem.replace(/\n/g, '\r\n')],
  ['wrapped in double quotes', (pem) => `"${pem.trim()}"`],
  ['quoted and escaped (.env)', (pem) => `"${pem.trim().split('\n').join('\\n')}"`],
];
for (const [label, pem] of [
  ['PKCS#1', PKCS1],
  ['PKCS#8', PKCS8],
] as const) {
  for (const [name, mangle] of mangled) {
    test(`${label} PEM with ${name} signs as node:crypto does`, async () => {
      const text = mangle(pem);
      assert.is.not(text.trim(), pem.trim(), 'the mangling changed the text');
      assert.is(await sign(text), EXPECTED);
      assert.is(await sign(utf8(text)), EXPECTED, 'as bytes too');
    });
  }
}

test('a file path given as the key says so (and the file contents sign)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-keys-'));
  try {
    const path = join(dir, 'partner.pem');
    writeFileSync(path, PKCS8);
    for (const given of [path, './partner.pem', '~/keys/partner.pem', 'C:\\keys\\partner.pem']) {
      const { code, message } = await failure(given);
      assert.is(code, 'INVALID_KEY', given);
      assert.match(message, /looks like a file path: read the file and pass its contents/, given);
    }
    assert.is(await sign(readFileSync(path, 'utf8')), EXPECTED, 'control: the contents sign');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text that is neither a PEM nor a path keeps the generic message', async () => {
  const { code, message } = await failure('not a key at all');
  assert.is(code, 'INVALID_KEY');
  assert.not.match(message, /file path/);
});

const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

/** Runs ssh-keygen on a fresh copy of `pem` in a temporary directory; returns the file's text. */
function sshKeygen(pem: string, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-ssh-'));
  try {
    const file = join(dir, 'id_rsa');
    writeFileSync(file, pem, { mode: 0o600 });
    const run = spawnSync('ssh-keygen', [...args, '-f', file], { encoding: 'utf8' });
    assert.is(run.status, 0, run.stderr);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CI installs openssh-client and sets REQUIRE_SSH_KEYGEN (.ci/run): there a missing ssh-keygen
// fails instead of silently dropping the OpenSSH cases.
if (!hasSshKeygen) {
  if (process.env.REQUIRE_SSH_KEYGEN)
    throw new Error('ssh-keygen is required (REQUIRE_SSH_KEYGEN)');
  console.log('  SKIPPED: the OpenSSH key cases (no ssh-keygen on PATH)');
}
if (hasSshKeygen) {
  // `ssh-keygen -p` rewrites a key in its default format, OpenSSH's own (openssh-key-v1).
  const OPENSSH = sshKeygen(PKCS1, ['-p', '-P', '', '-N', '']);

  test('ssh-keygen wrote an OpenSSH key (the fixture is what the test claims)', () => {
    assert.match(OPENSSH, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  });

  test('an unencrypted OpenSSH RSA key signs as node:crypto does, on every backend', async () => {
    for (const backend of api.availableBackends()) {
      const signature = await api.rsaSign(OPENSSH, DATA, { backend });
      assert.is(Buffer.from(signature).toString('base64url'), EXPECTED, backend);
    }
    assert.is(await sign(utf8(OPENSSH)), EXPECTED, 'as bytes (readFileSync without encoding)');
    assert.is(await sign(OPENSSH.replace(/^/gm, '  ')), EXPECTED, 'indented');
  });

  test('an OpenSSH key from ssh-keygen -t rsa signs, and verifies with its public key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qredo-ssh-'));
    try {
      const file = join(dir, 'id_rsa');
      const run = spawnSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', file]);
      assert.is(run.status, 0);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /BEGIN OPENSSH PRIVATE KEY/);
      // The reference: the same key converted to PEM by ssh-keygen itself, signed by node:crypto.
      const pem = sshKeygen(text, ['-p', '-P', '', '-N', '', '-m', 'PEM']);
      assert.is(await sign(text), referenceRsaSignature(pem, DATA));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an encrypted OpenSSH key says how to convert it', async () => {
    const encrypted = sshKeygen(OPENSSH, ['-p', '-P', '', '-N', 'correct horse']);
    assert.match(encrypted, /BEGIN OPENSSH PRIVATE KEY/);
    const { code, message } = await failure(encrypted);
    assert.is(code, 'ENCRYPTED_KEY');
    assert.match(message, /encrypted OpenSSH key: convert with ssh-keygen -p -m PEM/);
  });

  test('an OpenSSH Ed25519 key is named as not RSA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qredo-ssh-'));
    try {
      const file = join(dir, 'id_ed25519');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
      const { code, message } = await failure(readFileSync(file, 'utf8'));
      assert.is(code, 'INVALID_KEY');
      assert.match(message, /OpenSSH key is not an RSA key \(ssh-ed25519\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('damaged OpenSSH keys are INVALID_KEY at every truncation, never a crash', async () => {
    const body = OPENSSH.split('\n').slice(1, -2).join('');
    const blob = Buffer.from(body, 'base64');
    for (let cut = 0; cut < blob.length; cut += 97) {
      const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${blob.subarray(0, cut).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
      const { code } = await failure(pem);
      assert.ok(code === 'INVALID_KEY', `cut at ${cut}: ${code}`);
    }
    // One flipped bit in a prime: the consistency checks refuse the key, naming no bytes.
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 200] ^= 1;
    const { code, message } = await failure(
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${flipped.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`,
    );
    assert.is(code, 'INVALID_KEY');
    assert.not.match(message, /[0-9a-f]{16}/i, 'no key bytes in the message');
  });
} else {
  test('ssh-keygen is missing: OpenSSH tests need it (apt-get install openssh-client)', () => {
    assert.unreachable('install openssh-client to run the OpenSSH key tests');
  });
}

test.run();
