/**
 * The secret and API-key mistakes of a first hour (issue 16, docs/contract.md §1.1): each gets
 * INVALID_SECRET / INVALID_API_KEY with its own message, never quoting the secret; the honest
 * forms beside them sign with the decoded key (HMAC from node:crypto, not from this library).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, errorOf, referenceQredoSignature } from '../support.js';

const KEY = new Uint8Array(randomBytes(32));
const TEXT = Buffer.from(KEY).toString('base64'); // as the web app shows it
const URL_OK = 'https://api.qredo.network/qapi/v1/balance';
const REQUEST = { method: 'GET', url: URL_OK, timestamp: 1700000000 };
const EXPECTED = referenceQredoSignature(KEY, `1700000000GET${URL_OK}`);

const create = (options: object) =>
  api.createQredoSigner({ apiKey: 'k', secret: TEXT, backend: 'js', ...options } as never);
const refusal = async (options: object) => {
  const error = (await errorOf(() => create(options))) as { code?: string; message: string };
  assert.ok(error, 'refused');
  return error;
};

const secretCases: [string, unknown, RegExp][] = [
  ['an unset environment variable', undefined, /undefined: is the environment variable set/],
  ['an empty string', '', /an empty string/],
  ['only white space', ' \n', /only white space/],
  ['wrapping double quotes', `"${TEXT}"`, /wrapped in quotes/],
  ['wrapping single quotes', `'${TEXT}'`, /wrapped in quotes/],
  ['inner spaces', `${TEXT.slice(0, 20)} ${TEXT.slice(20)}`, /white space inside/],
  ['an impossible length', TEXT.replace(/=+$/, '') + 'AB', /4k\+1 characters/],
  [
    'a character outside base64',
    TEXT.slice(0, 10) + '$' + TEXT.slice(11),
    /a character of neither/,
  ],
  ['null', null, /not null/],
  ['empty bytes', new Uint8Array(0), /0 bytes/],
];

test('each secret mistake is INVALID_SECRET with its own message, never quoting the secret', async () => {
  const messages = new Set<string>();
  assert.is(TEXT.replace(/=+$/, '').length % 4, 3, 'the length case has 4k+1 symbols');
  for (const [name, secret, why] of secretCases) {
    const error = await refusal({ secret });
    assert.is(error.code, 'INVALID_SECRET', name);
    assert.match(error.message, why, name);
    assert.match(error.message, /^secret must be /, name);
    assert.not.ok(error.message.includes(TEXT.slice(0, 8)), `${name}: no part of the secret`);
    messages.add(error.message);
  }
  assert.is(messages.size, secretCases.length - 1, 'one message per mistake (two kinds of quotes)');
});

test('a secret file read with readFileSync (bytes of base64 text) is refused; as text it signs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-secret-'));
  try {
    for (const [name, content] of [
      ['with a newline', `${TEXT}\n`],
      ['without a newline', TEXT],
      ['CRLF', `${TEXT}\r\n`],
      ['wrapped at 20 columns', TEXT.replace(/(.{20})/g, '$1\n')],
      ['url-safe, unpadded', Buffer.from(KEY).toString('base64url') + '\n'],
    ]) {
      const file = join(dir, 'secret.txt');
      writeFileSync(file, content);
      const error = await refusal({ secret: readFileSync(file) });
      assert.is(error.code, 'INVALID_SECRET', name);
      assert.match(error.message, /readFileSync/, name);
      // Control: the same file read as text is the honest form.
      if (!name.startsWith('wrapped')) {
        const signed = create({ secret: readFileSync(file, 'utf8') }).signSync(REQUEST);
        assert.is(signed.headers['qredo-api-sig'], EXPECTED, `${name}: text signs`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('raw key bytes still sign as the raw key (random bytes; an ASCII passphrase with spaces)', () => {
  const signed = create({ secret: KEY }).signSync(REQUEST);
  assert.is(signed.headers['qredo-api-sig'], EXPECTED);
  const phrase = Buffer.from('this is a test secret for qredo-sign');
  const other = create({ secret: phrase }).signSync(REQUEST);
  assert.is(
    other.headers['qredo-api-sig'],
    referenceQredoSignature(phrase, `1700000000GET${URL_OK}`),
  );
});

test('an API key with a trailing newline or inner space says "white space"; unset says so', async () => {
  for (const apiKey of ['my-key\n', 'my-key ', ' my-key', 'my-key\r\n']) {
    const error = await refusal({ apiKey });
    assert.is(error.code, 'INVALID_API_KEY', JSON.stringify(apiKey));
    assert.match(error.message, /white space/, JSON.stringify(apiKey));
    assert.match(error.message, /leading or trailing/, JSON.stringify(apiKey));
  }
  const inner = await refusal({ apiKey: 'my key' });
  assert.match(inner.message, /white space inside/);
  const unset = await refusal({ apiKey: undefined });
  assert.is(unset.code, 'INVALID_API_KEY');
  assert.match(unset.message, /environment variable/);
  const other = await refusal({ apiKey: 'é' });
  assert.match(other.message, /visible ASCII/);
  // Control: the trimmed key works, and is what is sent.
  assert.is(create({ apiKey: 'my-key' }).signSync(REQUEST).headers['qredo-api-key'], 'my-key');
});

test.run();
