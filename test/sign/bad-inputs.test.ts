/**
 * The catalogue of wrong inputs every entry point must refuse, each with its own SigningError
 * code, and none of whose errors may contain the secret or private key.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { api, BACKENDS, errorOf } from '../support.js';

// Distinctive so that a leak is easy to find in any error text.
const SECRET = 'U0VDUkVULURPLU5PVC1MRUFLLWJhc2U2NC1zZWNyZXQ';
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const GOOD = rsa(2048);
const GOOD_PEM = GOOD.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const PEM_BODY = GOOD_PEM.split('\n')[5];
const WEAK = rsa(1024);
const ENCRYPTED_PKCS8 = GOOD.privateKey.export({
  type: 'pkcs8',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'pw',
}) as string;
const ENCRYPTED_TRADITIONAL = GOOD.privateKey.export({
  type: 'pkcs1',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'pw',
}) as string;
const EC = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ED = generateKeyPairSync('ed25519');
const pem = (k: { export(o: object): unknown }, type: string) =>
  k.export({ type, format: 'pem' }) as string;

const qredo = (over: Record<string, unknown>) => () =>
  api.createQredoSigner({ apiKey: 'k', secret: SECRET, ...over } as never);
const qredoSign = (request: unknown) => () =>
  api.createQredoSigner({ apiKey: 'k', secret: SECRET }).signSync(request as never);
const partner = (privateKey: unknown) => () =>
  api.createPartnerSigner({ apiKey: 'k', privateKey: privateKey as never });
const partnerSigner = api.createPartnerSigner({ apiKey: 'k', privateKey: GOOD_PEM });
const partnerSign = (request: unknown) => () => partnerSigner.sign(request as never);
const GET = { method: 'GET', url: 'https://x.test/' };
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;

/** [name, expected code, call]. */
export const CATALOGUE: [string, string, () => unknown][] = [
  ['secret with a character outside both alphabets', 'INVALID_SECRET', qredo({ secret: 'abc$' })],
  ['secret of impossible length (4k+1)', 'INVALID_SECRET', qredo({ secret: 'abcde' })],
  ['empty secret', 'INVALID_SECRET', qredo({ secret: '' })],
  ['white-space-only secret', 'INVALID_SECRET', qredo({ secret: ' \n\t ' })],
  ['padding in the middle of the secret', 'INVALID_SECRET', qredo({ secret: 'ab=cdefg' })],
  ['three padding characters', 'INVALID_SECRET', qredo({ secret: 'abcde===' })],
  ['secret of the wrong type', 'INVALID_SECRET', qredo({ secret: 12345 })],
  ['empty secret bytes', 'INVALID_SECRET', qredo({ secret: new Uint8Array(0) })],
  ['empty apiKey', 'INVALID_API_KEY', qredo({ apiKey: '' })],
  ['apiKey with a space', 'INVALID_API_KEY', qredo({ apiKey: 'a b' })],
  ['apiKey with a newline (header injection)', 'INVALID_API_KEY', qredo({ apiKey: 'k\r\nx: y' })],
  ['unknown backend name', 'INVALID_OPTION', qredo({ backend: 'openssl' })],
  ['unknown profile', 'INVALID_OPTION', qredo({ profile: 'v3' })],
  ['options not an object', 'INVALID_OPTION', () => api.createQredoSigner(null as never)],
  ['request not an object', 'INVALID_REQUEST', qredoSign(undefined)],
  ['method with a space', 'INVALID_METHOD', qredoSign({ ...GET, method: 'GE T' })],
  ['empty method', 'INVALID_METHOD', qredoSign({ ...GET, method: '' })],
  ['method of the wrong type', 'INVALID_METHOD', qredoSign({ ...GET, method: 42 })],
  ['relative URL', 'INVALID_URL', qredoSign({ ...GET, url: '/qapi/v1/balance' })],
  ['ftp URL', 'INVALID_URL', qredoSign({ ...GET, url: 'ftp://x.test/' })],
  ['URL with credentials', 'INVALID_URL', qredoSign({ ...GET, url: 'https://u:p@x.test/' })],
  ['not a URL at all', 'INVALID_URL', qredoSign({ ...GET, url: 'not a url' })],
  ['URL of the wrong type', 'INVALID_URL', qredoSign({ ...GET, url: 42 })],
  ['POST to a ws: URL', 'INVALID_METHOD', qredoSign({ method: 'POST', url: 'wss://x.test/' })],
  ['negative timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: -1 })],
  ['fractional timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: 1.5 })],
  ['NaN timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: NaN })],
  ['unsafe integer timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: 2 ** 53 })],
  ['timestamp with a letter', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: '12a' })],
  ['empty timestamp string', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: '' })],
  ['negative bigint timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: -1n })],
  ['Date as timestamp', 'INVALID_TIMESTAMP', qredoSign({ ...GET, timestamp: new Date() })],
  [
    'lone high surrogate in a string body',
    'INVALID_BODY',
    qredoSign({ method: 'POST', url: GET.url, body: 'a\uD800b' }),
  ],
  ['function as body', 'INVALID_BODY', qredoSign({ method: 'POST', url: GET.url, body: () => 1 })],
  ['body on a GET request', 'INVALID_BODY', qredoSign({ ...GET, body: 'x' })],
  [
    'body on a HEAD request',
    'INVALID_BODY',
    qredoSign({ method: 'HEAD', url: GET.url, body: new Uint8Array([1]) }),
  ],
  ['cyclic JSON body', 'INVALID_BODY', qredoSign({ method: 'POST', url: GET.url, body: cyclic })],
  [
    'bigint inside a JSON body',
    'INVALID_BODY',
    qredoSign({ method: 'POST', url: GET.url, body: { n: 1n } }),
  ],
  ['number as body', 'INVALID_BODY', qredoSign({ method: 'POST', url: GET.url, body: 42 })],
  ['Map as body', 'INVALID_BODY', qredoSign({ method: 'POST', url: GET.url, body: new Map() })],
  ['empty nonce', 'INVALID_NONCE', partnerSign({ url: GET.url, nonce: '' })],
  ['nonce with a space', 'INVALID_NONCE', partnerSign({ url: GET.url, nonce: 'a b' })],
  ['non-ASCII nonce', 'INVALID_NONCE', partnerSign({ url: GET.url, nonce: 'é' })],
  ['negative nonce', 'INVALID_NONCE', partnerSign({ url: GET.url, nonce: -1 })],
  [
    'both timestamp and nonce',
    'INVALID_OPTION',
    partnerSign({ url: GET.url, nonce: 1, timestamp: 1 }),
  ],
  ['garbage private key', 'INVALID_KEY', partner('not a key')],
  ['truncated PEM', 'INVALID_KEY', partner(GOOD_PEM.slice(0, 400))],
  [
    'PEM with bad base64',
    'INVALID_KEY',
    partner(GOOD_PEM.replace(PEM_BODY, '!'.repeat(PEM_BODY.length))),
  ],
  [
    'truncated DER',
    'INVALID_KEY',
    partner(new Uint8Array(GOOD.privateKey.export({ type: 'pkcs8', format: 'der' })).slice(0, 300)),
  ],
  ['1024-bit RSA key', 'WEAK_KEY', partner(pem(WEAK.privateKey, 'pkcs1'))],
  ['1024-bit RSA key as PKCS#8', 'WEAK_KEY', partner(pem(WEAK.privateKey, 'pkcs8'))],
  ['encrypted PKCS#8 PEM', 'ENCRYPTED_KEY', partner(ENCRYPTED_PKCS8)],
  ['Proc-Type: 4,ENCRYPTED PEM', 'ENCRYPTED_KEY', partner(ENCRYPTED_TRADITIONAL)],
  ['EC private key', 'INVALID_KEY', partner(pem(EC.privateKey, 'pkcs8'))],
  ['EC private key (SEC1 PEM)', 'INVALID_KEY', partner(pem(EC.privateKey, 'sec1'))],
  ['Ed25519 private key', 'INVALID_KEY', partner(pem(ED.privateKey, 'pkcs8'))],
  ['public key given as private', 'INVALID_KEY', partner(pem(GOOD.publicKey, 'spki'))],
  ['EC JWK', 'INVALID_KEY', partner(EC.privateKey.export({ format: 'jwk' }))],
  ['RSA JWK without d', 'INVALID_KEY', partner(GOOD.publicKey.export({ format: 'jwk' }))],
  ['EC KeyObject', 'INVALID_KEY', partner(EC.privateKey)],
  [
    'HMAC key of the wrong type',
    'INVALID_ARGUMENT',
    () => api.hmacSha256('key' as never, new Uint8Array(1)),
  ],
  [
    'signature of the wrong type',
    'INVALID_ARGUMENT',
    () => api.rsaVerify(pem(GOOD.publicKey, 'spki'), new Uint8Array(1), 'sig' as never),
  ],
  [
    'garbage public key',
    'INVALID_KEY',
    () =>
      api.rsaVerify(
        '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
        new Uint8Array(1),
        new Uint8Array(256),
      ),
  ],
  [
    '1024-bit public key',
    'WEAK_KEY',
    () => api.rsaVerify(pem(WEAK.publicKey, 'spki'), new Uint8Array(1), new Uint8Array(128)),
  ],
];

const test = suite('bad inputs');

for (const [name, code, call] of CATALOGUE) {
  test(`${name} → ${code}`, async () => {
    const error = await errorOf(call);
    assert.ok(error instanceof api.SigningError, `expected a SigningError, got ${String(error)}`);
    const e = error as InstanceType<typeof api.SigningError>;
    assert.is(e.code, code);
    const texts = [e.message, String(e), JSON.stringify(e), e.stack ?? '', String(e.cause ?? '')];
    for (const text of texts) {
      assert.not.ok(text.includes(SECRET), 'the secret appears in the error');
      assert.not.ok(text.includes(PEM_BODY), 'private key material appears in the error');
    }
  });
}

test('the catalogue is large and its codes are distinct per input class', () => {
  assert.ok(CATALOGUE.length >= 30);
  assert.ok(new Set(CATALOGUE.map(([, code]) => code)).size >= 12);
});

test('a signer never shows its secret', () => {
  for (const backend of BACKENDS) {
    const signer = api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend });
    const views = [String(signer), JSON.stringify(signer), JSON.stringify(Object.entries(signer))];
    for (const view of views) assert.not.ok(view.includes(SECRET) || view.includes('U0VDUkVU'));
  }
});

test('a destroyed signer refuses to sign', async () => {
  const signer = api.createQredoSigner({ apiKey: 'k', secret: SECRET });
  signer.destroy();
  const error = (await errorOf(() => signer.signSync(GET))) as InstanceType<
    typeof api.SigningError
  >;
  assert.is(error.code, 'INVALID_OPTION');
});

test.run();
