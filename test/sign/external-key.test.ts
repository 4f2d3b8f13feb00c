/**
 * External signers as `privateKey` (contract §3b): both forms sign requests that an independent
 * verifier (test/client/server.ts, node:crypto) accepts; a signer that returns a wrong signature is
 * caught before anything is released or sent (SIGNATURE_FAULT); signSync works only for a
 * synchronous signer. The digest-mode reference adds the SHA-256 DigestInfo with node:crypto's raw
 * RSA (privateEncrypt), as a KMS in RSASSA_PKCS1_V1_5_SHA_256 digest mode does.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  constants,
  createHash,
  generateKeyPairSync,
  privateEncrypt,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { api, errorOf, referenceRsaSignature } from '../support.js';
import { startServer, type TestServer } from '../client/server.js';
import { createSignedFetch, type FetchFunction } from '../../src/client/signed-fetch.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
// RFC 8017 §9.2 note 1: the DER prefix of DigestInfo for SHA-256.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const rawRsa = (key: KeyObject, block: Uint8Array) =>
  new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, block));
/** What a KMS in digest mode returns: PKCS#1 v1.5 over DigestInfo(SHA-256) ‖ digest. */
const kmsDigestSign = (key: KeyObject) => async (digest: Uint8Array) => {
  assert.is(digest.length, 32);
  return rawRsa(key, Buffer.concat([SHA256_DIGEST_INFO, digest]));
};
const messageSign = (key: KeyObject) => (data: Uint8Array) =>
  new Uint8Array(nodeSign('sha256', data, key));

let server: TestServer;
let sent = 0;
const countingFetch: FetchFunction = (input, init) => {
  sent++;
  return fetch(input, init);
};

const E = suite('external signers');
E.before(async () => {
  server = await startServer({ partnerKeys: { pk: publicKey } });
});
E.after(async () => {
  await server.close();
});

async function send(req: api.SignedRequest) {
  const init = { method: req.method, headers: req.headers, body: req.body as BodyInit | undefined };
  const res = await fetch(req.url, init);
  await res.arrayBuffer();
  return server.requests[server.requests.length - 1];
}

E(
  'sign(data) form, synchronous, with publicKey: sign and signSync verify at the server',
  async () => {
    let calls = 0;
    const signer = api.createPartnerSigner({
      apiKey: 'pk',
      privateKey: {
        sign: (data) => {
          calls++;
          return messageSign(privateKey)(data);
        },
        publicKey: PUBLIC_PEM,
      },
    });
    const a = await signer.sign({ url: `${server.origin}/a?x=1`, body: { amount: '1.5' } });
    assert.is(a.headers['x-sign'], referenceRsaSignature(privateKey, a.signingInput));
    const ra = await send(a);
    assert.ok(ra.verdict.ok, ra.verdict.reason);
    assert.is(ra.body.toString(), '{"amount":"1.5"}');
    const b = signer.signSync({ url: `${server.origin}/b`, nonce: 'auto' });
    const rb = await send(b);
    assert.ok(rb.verdict.ok, rb.verdict.reason);
    assert.is(calls, 2);
  },
);

E(
  'signDigest(sha256) form (a KMS in digest mode): receives the 32-byte digest; verifies',
  async () => {
    const seen: Uint8Array[] = [];
    const signer = api.createPartnerSigner({
      apiKey: 'pk',
      privateKey: {
        signDigest: async (digest) => {
          seen.push(digest);
          return kmsDigestSign(privateKey)(digest);
        },
        publicKey: publicKey.export({ type: 'spki', format: 'der' }),
      },
    });
    const req = await signer.sign({ url: `${server.origin}/kms`, body: 'x'.repeat(10000) });
    const expectedDigest = createHash('sha256').update(req.signingInput).digest();
    assert.equal(Array.from(seen[0]), Array.from(expectedDigest));
    assert.is(req.headers['x-sign'], referenceRsaSignature(privateKey, req.signingInput));
    const r = await send(req);
    assert.ok(r.verdict.ok, r.verdict.reason);
  },
);

E('external signer without publicKey: its signatures verify at the server', async () => {
  const signer = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: { signDigest: kmsDigestSign(privateKey) },
  });
  const r = await send(await signer.sign({ url: `${server.origin}/nopub`, nonce: 'auto' }));
  assert.ok(r.verdict.ok, r.verdict.reason);
});

// ——— attacks and faults: nothing wrong is released ———

const faulty: [string, api.ExternalSigner][] = [
  ['another key', { sign: messageSign(other.privateKey), publicKey: PUBLIC_PEM }],
  [
    'digest signed without DigestInfo (raw RSA over the bare digest)',
    { signDigest: async (d) => rawRsa(privateKey, d), publicKey: PUBLIC_PEM },
  ],
  [
    'one flipped bit (a hardware fault)',
    {
      sign: (data) => {
        const s = messageSign(privateKey)(data);
        s[100] ^= 1;
        return s;
      },
      publicKey: PUBLIC_PEM,
    },
  ],
  [
    'a valid signature of another message (replayed)',
    {
      sign: () => messageSign(privateKey)(new TextEncoder().encode('earlier request')),
      publicKey: PUBLIC_PEM,
    },
  ],
  ['a short signature', { sign: () => new Uint8Array(255), publicKey: PUBLIC_PEM }],
  ['a short signature, no publicKey', { sign: () => new Uint8Array(64) }],
  ['not bytes', { sign: () => 'c2lnbmF0dXJl' as unknown as Uint8Array }],
];

for (const [name, external] of faulty) {
  E(
    `attack/fault: ${name} → SIGNATURE_FAULT, nothing sent (control: honest key sends)`,
    async () => {
      const before = server.requests.length;
      sent = 0;
      const signer = api.createPartnerSigner({ apiKey: 'pk', privateKey: external });
      const qfetch = createSignedFetch(signer, { fetch: countingFetch });
      const error = await errorOf(() =>
        qfetch(`${server.origin}/fault`, { method: 'POST', body: 'x' }),
      );
      assert.instance(error, api.SigningError);
      assert.is((error as api.SigningError).code, 'SIGNATURE_FAULT');
      assert.is(sent, 0);
      assert.is(server.requests.length, before);
      if (typeof (external as { sign?: unknown }).sign === 'function') {
        const syncError = await errorOf(() => signer.signSync({ url: `${server.origin}/fault` }));
        assert.is((syncError as api.SigningError).code, 'SIGNATURE_FAULT');
      }
      // Control: the same path with an honest signer reaches the server and verifies.
      const honest = api.createPartnerSigner({
        apiKey: 'pk',
        privateKey: { sign: messageSign(privateKey), publicKey: PUBLIC_PEM },
      });
      const res = await createSignedFetch(honest, { fetch: countingFetch })(
        `${server.origin}/fault`,
        { method: 'POST', body: 'x' },
      );
      assert.is(res.status, 200);
      assert.is(sent, 1);
    },
  );
}

E('the returned buffer is copied before the check: later writes to it change nothing', async () => {
  let last: Uint8Array | undefined;
  const signer = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: {
      sign: (data) => (last = messageSign(privateKey)(data)),
      publicKey: PUBLIC_PEM,
    },
  });
  const req = signer.signSync({ url: `${server.origin}/copy` });
  last!.fill(0);
  const r = await send(req);
  assert.ok(r.verdict.ok, r.verdict.reason);
});

// ——— signSync and failures of the external code ———

E('signSync: ASYNC_ONLY_BACKEND, saying why, for async signers; sign() still works', async () => {
  let calls = 0;
  const declared = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: {
      async sign(data: Uint8Array) {
        calls++;
        return messageSign(privateKey)(data);
      },
    },
  });
  const e1 = (await errorOf(() => declared.signSync({ url: server.origin }))) as api.SigningError;
  assert.is(e1.code, 'ASYNC_ONLY_BACKEND');
  assert.match(e1.message, /sign\(\) is an async function.*use sign\(\)/);
  assert.is(calls, 0, 'a declared async signer is not even called');
  const returnsPromise = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: { signDigest: (d) => kmsDigestSign(privateKey)(d), publicKey: PUBLIC_PEM },
  });
  const e2 = (await errorOf(() =>
    returnsPromise.signSync({ url: server.origin }),
  )) as api.SigningError;
  assert.is(e2.code, 'ASYNC_ONLY_BACKEND');
  assert.match(e2.message, /signDigest\(\) returned a Promise/);
  const r = await send(await returnsPromise.sign({ url: `${server.origin}/p` }));
  assert.ok(r.verdict.ok, r.verdict.reason);
});

E('a failing KMS/HSM call rejects with a SigningError carrying its error as cause', async () => {
  const outage = new Error('KMS throttled');
  const signer = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: {
      signDigest: async () => {
        throw outage;
      },
    },
  });
  const e = (await errorOf(() => signer.sign({ url: server.origin }))) as api.SigningError;
  assert.instance(e, api.SigningError);
  assert.is(e.code, 'UNAVAILABLE_BACKEND');
  assert.is(e.cause, outage);
  const syncThrow = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: {
      sign: () => {
        throw outage;
      },
    },
  });
  const e2 = (await errorOf(() => syncThrow.signSync({ url: server.origin }))) as api.SigningError;
  assert.is(e2.code, 'UNAVAILABLE_BACKEND');
});

E(
  'refusals: both sign and signDigest; a private key as publicKey is read as its public half',
  async () => {
    const both = await errorOf(() =>
      api.createPartnerSigner({
        apiKey: 'pk',
        privateKey: { sign: messageSign(privateKey), signDigest: kmsDigestSign(privateKey) },
      }),
    );
    assert.is((both as api.SigningError).code, 'INVALID_KEY');
    const bad = await errorOf(() =>
      api.createPartnerSigner({
        apiKey: 'pk',
        privateKey: { sign: messageSign(privateKey), publicKey: 'nope' },
      }),
    );
    assert.is((bad as api.SigningError).code, 'INVALID_KEY');
  },
);

E('destroy(): the external signer is not called afterwards', async () => {
  let calls = 0;
  const signer = api.createPartnerSigner({
    apiKey: 'pk',
    privateKey: {
      sign: (d) => {
        calls++;
        return messageSign(privateKey)(d);
      },
    },
  });
  signer.destroy();
  const e = await errorOf(() => signer.sign({ url: server.origin }));
  assert.instance(e, api.SigningError);
  assert.is(calls, 0);
});

E.run();
