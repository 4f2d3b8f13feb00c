/**
 * One canonicalisation per scheme (issue 15): the public qredoSigningInput / partnerSigningInput
 * apply the signers' rules, so what one refuses the other refuses, and what both accept they turn
 * into the same bytes (whose MAC equals node:crypto's). Also: a SignedRequest keeps signingInput
 * through `{ ...signed }` and structuredClone (issue 16), and the header constants are the names
 * the signers emit (docs/contract.md §1.1–§1.3).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { api, errorOf, referenceQredoSignature, referenceRsaSignature } from '../support.js';
import { PARTNER_HEADERS, QREDO_HEADERS, TOKEN_HEADER } from '../../src/scheme/headers.js';

const SIGNED_REQUEST_MODULE = fileURLToPath(
  new URL('../../src/scheme/signed-request.ts', import.meta.url),
);
const SECRET = Buffer.from('one canonicalisation test secret!');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const qredo = api.createQredoSigner({ apiKey: 'k', secret: SECRET.toString('base64') });
const partner = api.createPartnerSigner({ apiKey: 'k', privateKey: PEM });
const codeOf = async (run: () => unknown) =>
  ((await errorOf(run)) as { code?: string } | undefined)?.code ?? 'accepted';

test('a POST to a wss: URL is refused by both signers and by both signing-input helpers', async () => {
  for (const url of ['wss://api.qredo.network/ws', 'ws://localhost:8080/feed']) {
    const request = { method: 'POST', url, body: '{"a":1}', timestamp: 1 };
    const codes = [
      await codeOf(() => qredo.signSync(request)),
      await codeOf(() => api.qredoSigningInput(request)),
      await codeOf(() => partner.sign(request)),
      await codeOf(() => api.partnerSigningInput(request)),
      await codeOf(() => api.partnerSigningInput({ url, body: 'x', nonce: 7 })), // default POST
    ];
    assert.equal(codes, Array(5).fill('INVALID_METHOD'), url);
  }
});

test('what the helpers accept, the signers sign: same bytes, MAC and signature from node:crypto', async () => {
  const cases = [
    { method: 'get', url: 'wss://API.qredo.network:443/ws#frag', timestamp: 5 },
    { method: 'patch', url: 'https://a.test/x/../y?q=1 2', body: { name: 'é' }, timestamp: 6 },
    {
      method: 'POST',
      url: new URL('https://a.test/p'),
      body: new Uint8Array([0, 255]),
      timestamp: '0007',
    },
  ];
  for (const request of cases) {
    const input = api.qredoSigningInput(request as never);
    const signed = qredo.signSync(request as never);
    assert.equal(Buffer.from(signed.signingInput), Buffer.from(input), String(request.url));
    assert.is(signed.headers['qredo-api-sig'], referenceQredoSignature(SECRET, input));
    const { method: _m, ...rest } = request;
    const partnerInput = api.partnerSigningInput(rest as never);
    const partnerSigned = await partner.sign(rest as never);
    assert.equal(Buffer.from(partnerSigned.signingInput), Buffer.from(partnerInput));
    assert.is(partnerSigned.headers['x-sign'], referenceRsaSignature(privateKey, partnerInput));
  }
});

test('{ ...signed } and structuredClone keep every field, signingInput included', async () => {
  const request = { method: 'POST', url: 'https://a.test/c', body: { name: 'ACME' }, timestamp: 9 };
  const partnerRequest = { url: request.url, body: request.body, nonce: 3 };
  const pairs = [
    [qredo.signSync(request), Buffer.from('9POSThttps://a.test/c{"name":"ACME"}')],
    [await partner.sign(partnerRequest), Buffer.from('3https://a.test/c{"name":"ACME"}')],
  ] as const;
  for (const [signed, expected] of pairs) {
    for (const copy of [{ ...signed }, structuredClone(signed)]) {
      assert.equal(Object.keys(copy).sort(), ['body', 'headers', 'method', 'signingInput', 'url']);
      assert.equal(Buffer.from(copy.signingInput), expected);
      assert.equal(copy.headers, signed.headers);
      assert.is(copy.body, '{"name":"ACME"}');
    }
    assert.is(JSON.stringify(signed).includes('signingInput'), false, 'JSON stays short');
  }
});

test('without Annex B __defineGetter__ (a hardened realm) signingInput is the same own getter', () => {
  // signed-request.ts reads __defineGetter__ once at import, so the realm without it is a fresh
  // process that deletes it before importing anything.
  const script = `
    delete Object.prototype.__defineGetter__;
    const { LazySignedRequest } = await import(${JSON.stringify(SIGNED_REQUEST_MODULE)});
    const signed = new LazySignedRequest('POST', 'https://a.test/c', 'b', {}, '9POSThttps://a.test/c');
    const d = Object.getOwnPropertyDescriptor(signed, 'signingInput');
    console.log(JSON.stringify({
      annexB: '__defineGetter__' in Object.prototype,
      getter: typeof d?.get, enumerable: d?.enumerable, configurable: d?.configurable,
      spread: Buffer.from({ ...signed }.signingInput).toString(),
      cloned: Buffer.from(structuredClone(signed).signingInput).toString(),
    }));`;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(JSON.parse(out), {
    annexB: false,
    getter: 'function',
    enumerable: true,
    configurable: true,
    spread: '9POSThttps://a.test/cb',
    cloned: '9POSThttps://a.test/cb',
  });
});

test('the header constants are the names the signers emit', async () => {
  const request = { method: 'GET', url: 'https://a.test/', timestamp: 1 };
  for (const profile of ['v1', 'v2'] as const) {
    const signer = api.createQredoSigner({
      apiKey: 'k',
      secret: SECRET.toString('base64'),
      profile,
    });
    assert.equal(
      Object.keys(signer.signSync(request).headers).sort(),
      Object.values(QREDO_HEADERS[profile]).sort(),
      profile,
    );
  }
  assert.equal(
    Object.keys((await partner.sign({ ...request })).headers).sort(),
    [PARTNER_HEADERS.apiKey, PARTNER_HEADERS.signature, PARTNER_HEADERS.timestamp].sort(),
  );
  assert.equal(
    Object.keys((await partner.sign({ url: request.url, nonce: 1 })).headers).sort(),
    [PARTNER_HEADERS.apiKey, PARTNER_HEADERS.nonce, PARTNER_HEADERS.signature].sort(),
  );
  assert.is(TOKEN_HEADER, 'x-token');
});

test('a Uint8Array body over a SharedArrayBuffer is sent as an ArrayBuffer-backed copy', () => {
  const shared = new Uint8Array(new SharedArrayBuffer(3));
  shared.set([1, 2, 3]);
  const signed = qredo.signSync({
    method: 'POST',
    url: 'https://a.test/',
    body: shared,
    timestamp: 1,
  });
  const body = signed.body as Uint8Array;
  assert.ok(body.buffer instanceof ArrayBuffer);
  assert.equal([...body], [1, 2, 3]);
  const plain = new Uint8Array([4, 5]);
  assert.is(qredo.signSync({ method: 'POST', url: 'https://a.test/', body: plain }).body, plain);
});

test.run();
