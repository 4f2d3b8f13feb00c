/**
 * What the README and docs/cli.md quote from the command stays what the command prints (issue 16):
 * the `explain` header and backend line, the curl form, the `INVALID_SECRET` message, the vector
 * count, and `--compare-input` in the main help. Runs the CLI in-process.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/args.js';

const SECRET = 'dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9ubHk'; // the made-up secret the docs use
const doc = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

async function run(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    env: { QREDO_API_KEY: 'demo-key', QREDO_API_SECRET: SECRET, ...env },
    secrets: new Set(),
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readStdin: async () => new Uint8Array(0),
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** The ```text block that follows the first occurrence of `marker` in a doc. */
function textBlockAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${marker} found`);
  const m = /```text\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `a text block follows ${marker}`);
  return m![1];
}

test('main --help lists explain --compare-input', async () => {
  const { code, out } = await run(['--help']);
  assert.is(code, 0);
  assert.match(out, /explain .*\n.*--compare-input PATH\|-/);
});

test('docs/cli.md: api --format curl is what the command prints (with -sS)', async () => {
  const { code, out } = await run([
    'api',
    '--method',
    'POST',
    '--url',
    'https://api.qredo.network/qapi/v1/company',
    '--body',
    '{"name":"ACME"}',
    '--timestamp',
    '1647356399',
    '--format',
    'curl',
  ]);
  assert.is(code, 0);
  assert.match(out, /^ {2}curl -sS /m);
  assert.is(textBlockAfter(doc('docs/cli.md'), '--body \'{"name":"ACME"}\' --timestamp'), out);
});

test('docs/cli.md: the explain sample is what the command prints (backend line included)', async () => {
  const cli = doc('docs/cli.md');
  const body = '{\r\n  "name": "ACME"\r\n}\r\n';
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'qredo-sign-drift-'));
  try {
    writeFileSync(join(dir, 'body.json'), body);
    const { code, out } = await run([
      'explain',
      'api',
      '--method',
      'POST',
      '--url',
      'https://api.qredo.network/qapi/v1/company',
      '--timestamp',
      '1647356399',
      '--body-file',
      join(dir, 'body.json'),
      '--expect-signature',
      'BXBm2NcPDuc5nEA0CiVsz8MP7XhAgMuDtOx2RUtDEkk',
    ]);
    assert.is(code, 1, 'NO MATCH exits 1');
    assert.is(textBlockAfter(cli, '--expect-signature BXBm'), out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/cli.md: the quoted INVALID_SECRET line is the real message', async () => {
  const quoted = /`(qredo-sign: INVALID_SECRET: [^`]*)`/.exec(doc('docs/cli.md'));
  assert.ok(quoted, 'docs/cli.md quotes an INVALID_SECRET line');
  const { code, err } = await run(
    ['api', '--method', 'GET', '--url', 'https://api.qredo.network/qapi/v1/balance'],
    { QREDO_API_SECRET: `${SECRET}!` }, // "a value ending in `!`", as the doc says
  );
  assert.is(code, 2);
  assert.is(err.trim(), quoted![1]);
});

test('one vector count: the number the docs quote is what `vectors` counts per backend', async () => {
  const { code, out } = await run(['vectors']);
  assert.is(code, 0);
  const perBackend = /cases per backend: ([^)]*)\)/.exec(out);
  assert.ok(perBackend, out.slice(-300));
  const counts = Object.fromEntries(
    perBackend![1].split(', ').map((s) => s.split(' ') as [string, string]),
  );
  for (const path of ['README.md', 'docs/cli.md']) {
    const quoted = /(\d+) cases per backend/.exec(doc(path));
    assert.ok(quoted, `${path} quotes the count`);
    assert.is(quoted![1], counts.node, `${path} count`);
  }
  assert.match(doc('docs/cli.md'), new RegExp(`runs\\s+${counts.webcrypto} of them`));
});

test.run();
