/**
 * Targets as received (contract §3.1; issue 14 item 7): the verifier authenticates the exact string that
 * arrived, from `url` or from a configured `origin` + the raw `path`, and refuses dot segments in
 * any encoding and backslashes. Signatures from node:crypto and from a Python-style client that
 * signs the exact string it sends.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyPartnerRequest, verifyQredoRequest } from '../../src/verify/verifiers.js';
import { createQredoSigner } from '../../src/sign/qredo-signer.js';
import { createPartnerSigner } from '../../src/sign/partner-signer.js';

registerBackend(nodeBackend);

const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);
const SECRET = randomBytes(32);
const ORIGIN = 'https://api.example.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const hmac = (ts: string, method: string, url: string) =>
  createHmac('sha256', SECRET)
    .update(ts + method + url)
    .digest('base64url');
const rsa = (stamp: string, url: string) =>
  nodeSign('sha256', Buffer.from(stamp + url), privateKey).toString('base64url');

function qredoHeaders(sigUrl: string, host = 'api.example.com') {
  return {
    host,
    'qredo-api-key': 'k1',
    'qredo-api-ts': TS,
    'qredo-api-sig': hmac(TS, 'GET', sigUrl),
  };
}

const qOpts = { secretFor: () => SECRET, now: () => NOW, backend: 'node' as const };
const pOpts = { publicKeyFor: () => publicKey, now: () => NOW, backend: 'node' as const };

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    assert.instance(e, SigningError);
    return (e as SigningError).code;
  }
  return 'ACCEPTED';
}

const T = suite('attack: normalised targets');

T(
  'attack: a signature for /ACME/wallets replayed at /BETA/%2e%2e/ACME/wallets is refused',
  async () => {
    const signed = `${ORIGIN}/v1/company/ACME/wallets`;
    const headers = qredoHeaders(signed);
    const spellings = [
      '/v1/company/BETA/%2e%2e/ACME/wallets',
      '/v1/company/BETA/%2E%2E/ACME/wallets',
      '/v1/company/BETA/.%2e/ACME/wallets',
      '/v1/company/BETA/%2E./ACME/wallets',
      '/v1/company/BETA/../ACME/wallets',
      '/v1/company/./ACME/wallets',
      '/v1/company/%2e/ACME/wallets',
      '/v1/company/BETA\\..\\ACME/wallets',
      '/v1/company\\ACME/wallets',
      '/v1/company/BETA/%2e%2e%2fACME/wallets', // for servers that decode %2F before resolving
      '/v1/company/BETA/..%5CACME/wallets',
    ];
    for (const path of spellings) {
      assert.is(
        await code(
          verifyQredoRequest({ method: 'GET', path, headers }, { ...qOpts, origin: ORIGIN }),
        ),
        'INVALID_URL',
        path,
      );
      assert.is(
        await code(verifyQredoRequest({ method: 'GET', url: ORIGIN + path, headers }, qOpts)),
        'INVALID_URL',
        path,
      );
      const ph = { 'x-api-key': 'p1', 'x-timestamp': TS, 'x-sign': rsa(TS, signed) };
      assert.is(
        await code(verifyPartnerRequest({ path, headers: ph }, { ...pOpts, origin: ORIGIN })),
        'INVALID_URL',
        path,
      );
    }
    // Control: the honest request, as Node hands it over (req.url), verifies and says what it was.
    const ok = await verifyQredoRequest(
      { method: 'GET', path: '/v1/company/ACME/wallets', headers },
      { ...qOpts, origin: ORIGIN },
    );
    assert.equal(ok, { apiKey: 'k1', url: signed });
    // Dots inside a segment, and in the query, are data.
    const dotted = `${ORIGIN}/v1/files/a..b/.well/x?p=../..`;
    const r = await verifyQredoRequest(
      { method: 'GET', url: dotted, headers: qredoHeaders(dotted) },
      qOpts,
    );
    assert.is(r.url, dotted);
  },
);

T('attack: Host splicing: a verifier configured with origin ignores the Host header', async () => {
  const sandbox = 'https://sandbox.example.com';
  const signedForSandbox = `${sandbox}/v1/transfer`;
  const headers = qredoHeaders(signedForSandbox, 'sandbox.example.com');
  // The production verifier builds the URL from its configured origin, never from Host.
  const opts = { ...qOpts, origin: ORIGIN };
  assert.is(
    await code(verifyQredoRequest({ method: 'GET', path: '/v1/transfer', headers }, opts)),
    'BAD_SIGNATURE',
  );
  // A url on another origin than the configured one is refused outright.
  assert.is(
    await code(verifyQredoRequest({ method: 'GET', url: signedForSandbox, headers }, opts)),
    'INVALID_URL',
  );
  // Absolute-form request targets (a proxy request's req.url) are not paths.
  assert.is(
    await code(verifyQredoRequest({ method: 'GET', path: signedForSandbox, headers }, opts)),
    'INVALID_URL',
  );
  // Control: the sandbox's own verifier accepts it.
  const ok = await verifyQredoRequest(
    { method: 'GET', path: '/v1/transfer', headers },
    { ...qOpts, origin: sandbox },
  );
  assert.is(ok.url, signedForSandbox);
});

T('control: a Python-style client that signs the exact string it sends verifies', async () => {
  // requests/urllib send the path as given: an upper-case %-escape, a port, unencoded "~" and "!".
  const sent = '/v1/search?q=caf%C3%A9&tag=a~b!c&empty=';
  const url = `${ORIGIN}:8443${sent}`;
  const headers = qredoHeaders(url);
  const ok = await verifyQredoRequest(
    { method: 'GET', path: sent, headers },
    { ...qOpts, origin: `${ORIGIN}:8443` },
  );
  assert.equal(ok, { apiKey: 'k1', url });
  // Such a client's request is not re-spelled: the WHATWG form of the same URL does not verify it.
  const respelled = new URL(url).href;
  if (respelled !== url) {
    assert.is(
      await code(verifyQredoRequest({ method: 'GET', url: respelled, headers }, qOpts)),
      'BAD_SIGNATURE',
    );
  }
});

T(
  "control: this library's signers (which send the WHATWG form) verify, Partner returns the method",
  async () => {
    const q = createQredoSigner({ apiKey: 'k1', secret: SECRET, backend: 'node' });
    const given = 'https://api.example.com/v1/a b/ü?x=1 2';
    const sq = await q.sign({ method: 'GET', url: given, timestamp: TS });
    const target = new URL(sq.url);
    const path = target.pathname + target.search;
    const ok = await verifyQredoRequest(
      { method: 'GET', path, headers: sq.headers },
      { ...qOpts, origin: ORIGIN },
    );
    assert.is(ok.url, sq.url);
    const p = createPartnerSigner({ apiKey: 'p1', privateKey, backend: 'node' });
    const sp = await p.sign({ method: 'DELETE', url: given, timestamp: TS });
    const pv = await verifyPartnerRequest(
      { method: 'delete', path, headers: sp.headers },
      { ...pOpts, origin: ORIGIN },
    );
    assert.equal(pv, { apiKey: 'p1', url: sp.url, method: 'DELETE' });
    // The method is not signed: the same request with another method verifies, and says so.
    const other = await verifyPartnerRequest(
      { method: 'POST', path, headers: sp.headers },
      { ...pOpts, origin: ORIGIN },
    );
    assert.is(other.method, 'POST');
    p.destroy();
    q.destroy();
  },
);

T('bad inputs: url and path together, path without origin, malformed origins', async () => {
  const headers = qredoHeaders(`${ORIGIN}/x`);
  assert.is(
    await code(
      verifyQredoRequest(
        { method: 'GET', url: `${ORIGIN}/x`, path: '/x', headers },
        { ...qOpts, origin: ORIGIN },
      ),
    ),
    'INVALID_URL',
  );
  assert.is(
    await code(verifyQredoRequest({ method: 'GET', path: '/x', headers }, qOpts)),
    'INVALID_URL',
  );
  for (const origin of [
    'https://api.example.com/',
    'api.example.com',
    'https://API.example.com',
    'ftp://x',
  ]) {
    assert.is(
      await code(verifyQredoRequest({ method: 'GET', path: '/x', headers }, { ...qOpts, origin })),
      'INVALID_OPTION',
      origin,
    );
  }
  for (const path of ['x', '', '/a b', '/ü', '*']) {
    assert.is(
      await code(
        verifyQredoRequest({ method: 'GET', path, headers }, { ...qOpts, origin: ORIGIN }),
      ),
      'INVALID_URL',
      path,
    );
  }
});

T.run();
