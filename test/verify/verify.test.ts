/**
 * Verifiers (contract §3). Every request here is signed by node:crypto directly in this file, never by
 * the library's signers, so a canonicalisation bug shared by signer and verifier cannot hide.
 * Expected timestamp-window outcomes are worked out by hand from the clock below.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { _backendChoiceInternals } from '../../src/verify/backend-choice.js';
import { webcryptoBackend } from '../../src/backends/webcrypto.js';
import type { Backend, BackendName } from '../../src/backends/types.js';
import { SigningError } from '../../src/lib/errors.js';
import type { PublicKeyInput } from '../../src/keys/keys.js';
import {
  verifyPartnerRequest,
  verifyQredoRequest,
  type ReceivedRequest,
} from '../../src/verify/verifiers.js';
import { createMemoryNonceStore, type NonceStore } from '../../src/verify/nonce-store.js';

registerBackend(nodeBackend);
registerBackend(webcryptoBackend);

const NOW = 1_700_000_000_000; // epoch ms, a whole second
const NOW_S = NOW / 1000;
const now = () => NOW;

const SECRET_BYTES = randomBytes(32);
const SECRET = SECRET_BYTES.toString('base64'); // standard alphabet, padded: as the web app shows it
const URL_BALANCE = 'https://api.qredo.network/qapi/v1/balance';
const URL_COMPANY = 'https://play-api.qredo.network/api/v1/p/company';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SPKI_PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;

/** Every error a verifier produced, for the leak check at the end. */
const seen: unknown[] = [];
/** Every valid signature and secret form used, which no error may contain. */
const confidential = new Set<string>([SECRET, SECRET_BYTES.toString('hex')]);

function hmacSig(ts: string, method: string, url: string, body: string | Uint8Array = ''): string {
  const sig = createHmac('sha256', SECRET_BYTES)
    .update(ts + method + url)
    .update(body)
    .digest();
  const text = sig.toString('base64url');
  confidential.add(text);
  return text;
}

function rsaSig(stamp: string, url: string, body: string | Uint8Array = '', key = privateKey) {
  const data = Buffer.concat([Buffer.from(stamp + url), Buffer.from(body)]);
  return nodeSign('sha256', data, key as KeyObject).toString('base64url');
}

async function rejects(run: Promise<unknown>, code: string): Promise<SigningError> {
  try {
    await run;
  } catch (error) {
    seen.push(error);
    assert.instance(error, SigningError);
    assert.is((error as SigningError).code, code, (error as Error).message);
    return error as SigningError;
  }
  assert.unreachable(`expected a rejection with ${code}`);
  throw new Error('unreachable');
}

const secretFor = (apiKey: string) => (apiKey === 'k1' ? SECRET : undefined);

function qredoRequest(over: Partial<ReceivedRequest> & { ts?: string; sig?: string } = {}) {
  const ts = over.ts ?? String(NOW_S);
  const method = over.method ?? 'GET';
  const url = (over.url as string) ?? URL_BALANCE;
  const body = over.body ?? undefined;
  const sig = over.sig ?? hmacSig(ts, method.toUpperCase(), url, (body as string) ?? '');
  return {
    method,
    url,
    body,
    headers: over.headers ?? { 'qredo-api-key': 'k1', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
  };
}

for (const backend of ['node', 'webcrypto'] as BackendName[]) {
  const Q = suite(`verifyQredoRequest [${backend}]`);
  const opts = { secretFor, now, backend };

  Q('accepts an independently signed GET, and returns the API key', async () => {
    assert.is((await verifyQredoRequest(qredoRequest(), opts)).apiKey, 'k1');
  });

  Q('verifies the received bytes: string body and the same bytes as a Uint8Array', async () => {
    const text = '{"amount":"1.5","memo":"café ☕"}';
    const sig = hmacSig(String(NOW_S), 'POST', URL_BALANCE, text);
    const req = qredoRequest({ method: 'POST', body: text, sig });
    assert.is((await verifyQredoRequest(req, opts)).apiKey, 'k1');
    const bytes = new TextEncoder().encode(text);
    assert.is((await verifyQredoRequest({ ...req, body: bytes }, opts)).apiKey, 'k1');
    assert.is((await verifyQredoRequest({ ...req, body: bytes.buffer }, opts)).apiKey, 'k1');
    // JSON with other spacing is other bytes: the verifier must not re-serialise.
    await rejects(
      verifyQredoRequest({ ...req, body: '{"amount": "1.5","memo":"café ☕"}' }, opts),
      'BAD_SIGNATURE',
    );
  });

  Q('binary body that is not UTF-8; empty body equals no body', async () => {
    const bin = new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x80]);
    const sig = hmacSig(String(NOW_S), 'PUT', URL_BALANCE, bin);
    assert.is(
      (await verifyQredoRequest(qredoRequest({ method: 'PUT', body: bin, sig }), opts)).apiKey,
      'k1',
    );
    assert.is((await verifyQredoRequest(qredoRequest({ body: '' }), opts)).apiKey, 'k1');
    assert.is(
      (await verifyQredoRequest(qredoRequest({ body: new Uint8Array(0) }), opts)).apiKey,
      'k1',
    );
  });

  Q('header names in any case, array values, a Headers object', async () => {
    const ts = String(NOW_S);
    const sig = hmacSig(ts, 'GET', URL_BALANCE);
    const variants: ReceivedRequest['headers'][] = [
      { 'Qredo-Api-Key': 'k1', 'QREDO-API-TS': ts, 'qReDo-ApI-sIg': sig },
      { 'qredo-api-key': ['k1'], 'qredo-api-ts': [ts], 'qredo-api-sig': [sig] },
      { 'qredo-api-key': ' k1\t', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
      new Headers({ 'Qredo-Api-Key': 'k1', 'Qredo-Api-Ts': ts, 'Qredo-Api-Sig': sig }),
    ];
    for (const headers of variants) {
      assert.is((await verifyQredoRequest(qredoRequest({ headers }), opts)).apiKey, 'k1');
    }
  });

  Q('method received in lower case is verified upper-cased, as signed', async () => {
    const sig = hmacSig(String(NOW_S), 'PATCH', URL_BALANCE, 'x');
    const req = qredoRequest({ method: 'patch', body: 'x', sig });
    assert.is((await verifyQredoRequest(req, opts)).apiKey, 'k1');
  });

  Q('URL: authenticated exactly as received (contract §3.1), never a normalised form', async () => {
    const sig = hmacSig(String(NOW_S), 'GET', URL_BALANCE);
    const result = await verifyQredoRequest(qredoRequest({ url: URL_BALANCE, sig }), opts);
    assert.equal(result, { apiKey: 'k1', url: URL_BALANCE });
    assert.is(
      (await verifyQredoRequest(qredoRequest({ url: new URL(URL_BALANCE), sig }), opts)).apiKey,
      'k1',
    );
    // Changed in issue 14: another spelling of the URL is no longer canonicalised into the signed
    // one. What arrived is what is authenticated; a fragment never arrives over HTTP.
    const respelled = 'https://API.qredo.network:443/qapi/v1/balance';
    await rejects(verifyQredoRequest(qredoRequest({ url: respelled, sig }), opts), 'BAD_SIGNATURE');
    await rejects(
      verifyQredoRequest(qredoRequest({ url: URL_BALANCE + '#frag', sig }), opts),
      'INVALID_URL',
    );
    // A client that signed its URL string verbatim (not canonical) is accepted for that string.
    const sigVerbatim = hmacSig(String(NOW_S), 'GET', respelled);
    assert.equal(
      await verifyQredoRequest(qredoRequest({ url: respelled, sig: sigVerbatim }), opts),
      { apiKey: 'k1', url: respelled },
    );
    await rejects(
      verifyQredoRequest(qredoRequest({ url: URL_BALANCE + '?a=1', sig }), opts),
      'BAD_SIGNATURE',
    );
  });

  Q('Qredo API v2 header names (contract §1.3), and the profile option', async () => {
    const ts = String(NOW_S);
    const sig = hmacSig(ts, 'GET', URL_BALANCE);
    const v2 = { 'qredo-api-key': 'k1', 'qredo-api-timestamp': ts, 'qredo-api-signature': sig };
    assert.is((await verifyQredoRequest(qredoRequest({ headers: v2 }), opts)).apiKey, 'k1');
    assert.is(
      (await verifyQredoRequest(qredoRequest({ headers: v2 }), { ...opts, profile: 'v2' })).apiKey,
      'k1',
    );
    await rejects(
      verifyQredoRequest(qredoRequest({ headers: v2 }), { ...opts, profile: 'v1' }),
      'MISSING_HEADER',
    );
    await rejects(verifyQredoRequest(qredoRequest(), { ...opts, profile: 'v2' }), 'MISSING_HEADER');
    const mixed = { 'qredo-api-key': 'k1', 'qredo-api-ts': ts, 'qredo-api-signature': sig };
    await rejects(verifyQredoRequest(qredoRequest({ headers: mixed }), opts), 'MISSING_HEADER');
  });

  Q('secretFor: async, raw bytes (left intact), URL-safe unpadded text', async () => {
    assert.is(
      (await verifyQredoRequest(qredoRequest(), { ...opts, secretFor: async () => SECRET })).apiKey,
      'k1',
    );
    const raw = new Uint8Array(SECRET_BYTES);
    assert.is(
      (await verifyQredoRequest(qredoRequest(), { ...opts, secretFor: () => raw })).apiKey,
      'k1',
    );
    assert.equal(raw, new Uint8Array(SECRET_BYTES), 'caller bytes must not be wiped');
    const urlSafe = SECRET_BYTES.toString('base64url');
    assert.is(
      (await verifyQredoRequest(qredoRequest(), { ...opts, secretFor: () => ` ${urlSafe}\n` }))
        .apiKey,
      'k1',
    );
  });

  Q('MISSING_HEADER: each header absent, empty, repeated, or malformed timestamp', async () => {
    const full = qredoRequest().headers as Record<string, string>;
    for (const name of Object.keys(full)) {
      const { [name]: _, ...rest } = full;
      await rejects(verifyQredoRequest(qredoRequest({ headers: rest }), opts), 'MISSING_HEADER');
      await rejects(
        verifyQredoRequest(qredoRequest({ headers: { ...full, [name]: '' } }), opts),
        'MISSING_HEADER',
      );
      await rejects(
        verifyQredoRequest(
          qredoRequest({ headers: { ...full, [name]: [full[name], full[name]] } }),
          opts,
        ),
        'MISSING_HEADER',
      );
      await rejects(
        verifyQredoRequest(
          qredoRequest({ headers: { ...full, [name.toUpperCase()]: full[name] } }),
          opts,
        ),
        'MISSING_HEADER',
      );
    }
    for (const ts of ['1.7e9', '-1700000000', '0x65', '１７']) {
      await rejects(
        verifyQredoRequest(qredoRequest({ headers: { ...full, 'qredo-api-ts': ts } }), opts),
        'MISSING_HEADER',
      );
    }
    await rejects(verifyQredoRequest(qredoRequest({ headers: {} }), opts), 'MISSING_HEADER');
  });

  Q('UNKNOWN_KEY, checked before the window and the signature', async () => {
    const req = qredoRequest({ ts: '1000', sig: 'x' });
    await rejects(
      verifyQredoRequest({ ...req, headers: { ...req.headers, 'qredo-api-key': 'nobody' } }, opts),
      'UNKNOWN_KEY',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, secretFor: async () => null }),
      'UNKNOWN_KEY',
    );
  });

  Q('STALE_TIMESTAMP before BAD_SIGNATURE', async () => {
    await rejects(
      verifyQredoRequest(qredoRequest({ ts: String(NOW_S - 3600), sig: 'x' }), opts),
      'STALE_TIMESTAMP',
    );
  });

  Q('timestamp read as s, ms, µs or ns by magnitude; window both ways', async () => {
    const accepted = [
      String(NOW_S - 30), // seconds: [T, T+1 s) ends 29.001 s before now
      String(NOW_S + 30),
      String(NOW - 30_000), // milliseconds
      String(NOW + 30_000),
      String(BigInt(NOW - 30_000) * 1000n), // microseconds
      String(BigInt(NOW + 30_000) * 1000n),
      String(BigInt(NOW - 30_000) * 1_000_000n), // nanoseconds
      String(BigInt(NOW + 30_000) * 1_000_000n),
      '000' + String(NOW_S), // leading zeros are part of the signed text, not of the value
    ];
    const stale = [
      String(NOW_S - 31), // ends 30.001 s before now
      String(NOW_S + 31),
      String(NOW - 30_001),
      String(NOW + 30_001),
      String(BigInt(NOW - 30_000) * 1000n - 1n),
      String(BigInt(NOW + 30_000) * 1000n + 1n),
      String(BigInt(NOW - 30_000) * 1_000_000n - 1n),
      String(BigInt(NOW + 30_000) * 1_000_000n + 1n),
      '0',
      '9'.repeat(32),
    ];
    for (const ts of accepted) {
      assert.is((await verifyQredoRequest(qredoRequest({ ts }), opts)).apiKey, 'k1', ts);
    }
    for (const ts of stale)
      await rejects(verifyQredoRequest(qredoRequest({ ts }), opts), 'STALE_TIMESTAMP');
    const narrow = { ...opts, maxSkewSeconds: 5 };
    assert.is(
      (await verifyQredoRequest(qredoRequest({ ts: String(NOW - 5000) }), narrow)).apiKey,
      'k1',
    );
    await rejects(
      verifyQredoRequest(qredoRequest({ ts: String(NOW - 5001) }), narrow),
      'STALE_TIMESTAMP',
    );
    // A whole-second timestamp stands for the whole second [T, T + 1 s).
    const late = { ...opts, now: () => NOW + 999 };
    assert.is(
      (await verifyQredoRequest(qredoRequest({ ts: String(NOW_S - 30) }), late)).apiKey,
      'k1',
    );
    await rejects(
      verifyQredoRequest(qredoRequest({ ts: String(NOW - 30_000) }), late),
      'STALE_TIMESTAMP',
    );
    // At 1973-03-03 (10^11 ms) each unit's smallest value is "now": 10^8 s, 10^11 ms, 10^14 µs,
    // 10^17 ns. One less than a boundary is read in the coarser unit, thousands of years ahead.
    const y1973 = { ...opts, now: () => 1e11 };
    for (const ts of ['100000000', '100000000000', '100000000000000', '100000000000000000']) {
      assert.is((await verifyQredoRequest(qredoRequest({ ts }), y1973)).apiKey, 'k1', ts);
    }
    for (const ts of ['99999999999', '99999999999999', '99999999999999999']) {
      await rejects(verifyQredoRequest(qredoRequest({ ts }), y1973), 'STALE_TIMESTAMP');
    }
    const wide = { ...opts, maxSkewSeconds: Infinity };
    assert.is((await verifyQredoRequest(qredoRequest({ ts: '1' }), wide)).apiKey, 'k1');
  });

  Q('BAD_SIGNATURE: any change to what was signed', async () => {
    const ts = String(NOW_S);
    const body = 'amount=1';
    const sig = hmacSig(ts, 'POST', URL_BALANCE, body);
    const base = qredoRequest({ method: 'POST', body, sig });
    assert.is((await verifyQredoRequest(base, opts)).apiKey, 'k1');
    await rejects(verifyQredoRequest({ ...base, body: 'amount=2' }, opts), 'BAD_SIGNATURE');
    await rejects(verifyQredoRequest({ ...base, body: undefined }, opts), 'BAD_SIGNATURE');
    await rejects(verifyQredoRequest({ ...base, method: 'PUT' }, opts), 'BAD_SIGNATURE');
    await rejects(verifyQredoRequest({ ...base, url: URL_BALANCE + 'x' }, opts), 'BAD_SIGNATURE');
    const otherTs = { ...base, headers: { ...base.headers, 'qredo-api-ts': String(NOW_S + 1) } };
    await rejects(verifyQredoRequest(otherTs, opts), 'BAD_SIGNATURE');
    const otherSecret = randomBytes(32).toString('base64');
    await rejects(
      verifyQredoRequest(base, { ...opts, secretFor: () => otherSecret }),
      'BAD_SIGNATURE',
    );
  });

  Q('BAD_SIGNATURE: malformed signature text', async () => {
    const good = hmacSig(String(NOW_S), 'GET', URL_BALANCE);
    const last = good[42];
    // 43 symbols carry 258 bits for 256: the last symbol's two low bits must be zero.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = good.slice(0, 42) + alphabet[alphabet.indexOf(last) | 1];
    const std = Buffer.from(good, 'base64url').toString('base64');
    for (const sig of [
      good.slice(0, 42),
      good + 'A',
      good + '=',
      std,
      nonCanonical,
      good.slice(0, 41) + '.A',
    ]) {
      await rejects(verifyQredoRequest(qredoRequest({ sig }), opts), 'BAD_SIGNATURE');
    }
    // A Headers object joins a repeated field with ", ", which is no signature.
    const headers = new Headers({ 'qredo-api-key': 'k1', 'qredo-api-ts': String(NOW_S) });
    headers.append('qredo-api-sig', good);
    headers.append('qredo-api-sig', good);
    await rejects(verifyQredoRequest(qredoRequest({ headers }), opts), 'BAD_SIGNATURE');
  });

  Q('caller errors: bad URL, method, body, options', async () => {
    await rejects(verifyQredoRequest(qredoRequest({ url: '/relative' }), opts), 'INVALID_URL');
    await rejects(verifyQredoRequest(qredoRequest({ method: 'G T' }), opts), 'INVALID_METHOD');
    await rejects(
      verifyQredoRequest(qredoRequest({ body: 42 as never, sig: 'x' }), opts),
      'INVALID_BODY',
    );
    await rejects(
      verifyQredoRequest(qredoRequest({ body: 'a\ud800', sig: 'x' }), opts),
      'INVALID_BODY',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, maxSkewSeconds: -1 }),
      'INVALID_OPTION',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, secretFor: undefined as never }),
      'INVALID_OPTION',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, profile: 'v3' as never }),
      'INVALID_OPTION',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, now: () => NaN }),
      'INVALID_OPTION',
    );
    await rejects(
      verifyQredoRequest(qredoRequest(), { ...opts, secretFor: () => 'not base64!' }),
      'INVALID_SECRET',
    );
  });

  Q.run();
}

// ——— Partner API ———

const JWK = publicKey.export({ format: 'jwk' });
const PKCS1_PEM = publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const DER = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
const keysByApiKey = new Map<string, string>([
  ['p1', SPKI_PEM],
  ['p2', SPKI_PEM],
]);
const publicKeyFor = (apiKey: string) => keysByApiKey.get(apiKey);

function partnerRequest(
  stamp: { ts?: string; nonce?: string },
  over: {
    url?: string;
    body?: string | Uint8Array;
    sig?: string;
    apiKey?: string;
    key?: KeyObject;
  } = {},
) {
  const url = over.url ?? URL_COMPANY;
  const value = stamp.ts ?? stamp.nonce!;
  const sig = over.sig ?? rsaSig(value, url, over.body ?? '', over.key);
  const headers: Record<string, string> = { 'x-api-key': over.apiKey ?? 'p1', 'x-sign': sig };
  if (stamp.ts !== undefined) headers['x-timestamp'] = stamp.ts;
  if (stamp.nonce !== undefined) headers['x-nonce'] = stamp.nonce;
  return { method: over.body ? 'POST' : 'GET', url, headers, body: over.body };
}

let nonceCounter = 0;
const freshNonce = () => `${Date.now()}${process.pid}${++nonceCounter}`;

for (const backend of ['node', 'webcrypto'] as BackendName[]) {
  const P = suite(`verifyPartnerRequest [${backend}]`);
  const store = () => createMemoryNonceStore();
  const opts = { publicKeyFor, now, backend };
  const nonceOpts = { ...opts, stamps: 'nonce' as const }; // default is 'timestamp' (issue 14)

  P('accepts every public key form, with x-timestamp', async () => {
    const forms: PublicKeyInput[] = [SPKI_PEM, PKCS1_PEM, DER, JWK, JSON.stringify(JWK), publicKey];
    if (backend === 'webcrypto') {
      forms.push(
        await webcrypto.subtle.importKey(
          'jwk',
          JWK,
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['verify'],
        ),
      );
    }
    const req = partnerRequest({ ts: String(NOW_S) });
    for (const key of forms) {
      assert.is(
        (await verifyPartnerRequest(req, { ...opts, publicKeyFor: () => key })).apiKey,
        'p1',
      );
    }
  });

  P('x-nonce: accepted once, then REPLAYED_NONCE; per API key; no window', async () => {
    const nonceStore = store();
    const nonce = freshNonce();
    const body = '{"name":"ACME"}';
    const req = partnerRequest({ nonce }, { body });
    const far = () => NOW + 10 * 365 * 86_400_000; // a nonce-only request has no timestamp window
    assert.is(
      (await verifyPartnerRequest(req, { ...nonceOpts, nonceStore, now: far })).apiKey,
      'p1',
    );
    await rejects(verifyPartnerRequest(req, { ...nonceOpts, nonceStore }), 'REPLAYED_NONCE');
    const sameNonceOtherKey = partnerRequest({ nonce }, { body, apiKey: 'p2' });
    assert.is(
      (await verifyPartnerRequest(sameNonceOtherKey, { ...nonceOpts, nonceStore })).apiKey,
      'p2',
    );
    assert.equal(nonceStore.size, 2);
  });

  P('a forged request does not consume the nonce', async () => {
    const nonceStore = store();
    const nonce = freshNonce();
    const forged = partnerRequest({ nonce }, { key: other.privateKey });
    await rejects(verifyPartnerRequest(forged, { ...nonceOpts, nonceStore }), 'BAD_SIGNATURE');
    assert.is(nonceStore.size, 0);
    assert.is(
      (await verifyPartnerRequest(partnerRequest({ nonce }), { ...nonceOpts, nonceStore })).apiKey,
      'p1',
    );
    await rejects(
      verifyPartnerRequest(partnerRequest({ nonce }), { ...nonceOpts, nonceStore }),
      'REPLAYED_NONCE',
    );
  });

  P('timestamped requests use no nonce store; the default store is shared', async () => {
    const nonceStore = store();
    const req = partnerRequest({ ts: String(NOW) });
    await verifyPartnerRequest(req, { ...opts, nonceStore });
    assert.is(nonceStore.size, 0);
    const nonce = freshNonce();
    assert.is((await verifyPartnerRequest(partnerRequest({ nonce }), nonceOpts)).apiKey, 'p1');
    await rejects(verifyPartnerRequest(partnerRequest({ nonce }), nonceOpts), 'REPLAYED_NONCE');
  });

  P('concurrent verifications of one nonce: exactly one accepted', async () => {
    const nonceStore = store();
    const req = partnerRequest({ nonce: freshNonce() });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => verifyPartnerRequest(req, { ...nonceOpts, nonceStore })),
    );
    assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.is((r.reason as SigningError).code, 'REPLAYED_NONCE');
    }
  });

  P('the method is not signed; the body bytes are', async () => {
    const bin = new Uint8Array([0, 255, 128, 10]);
    const req = partnerRequest({ ts: String(NOW_S) }, { body: bin });
    for (const method of ['POST', 'PUT', 'delete', undefined]) {
      assert.is((await verifyPartnerRequest({ ...req, method }, opts)).apiKey, 'p1');
    }
    await rejects(
      verifyPartnerRequest({ ...req, body: new Uint8Array([0, 255, 128, 11]) }, opts),
      'BAD_SIGNATURE',
    );
  });

  P('MISSING_HEADER, UNKNOWN_KEY, STALE_TIMESTAMP in that order', async () => {
    const ts = String(NOW_S);
    const full = partnerRequest({ ts }).headers;
    for (const name of ['x-api-key', 'x-sign', 'x-timestamp']) {
      const { [name]: _, ...rest } = full;
      await rejects(
        verifyPartnerRequest({ url: URL_COMPANY, headers: rest }, opts),
        'MISSING_HEADER',
      );
    }
    const both = { ...full, 'x-nonce': '1' };
    await rejects(
      verifyPartnerRequest({ url: URL_COMPANY, headers: both }, opts),
      'MISSING_HEADER',
    );
    const badNonce = { 'x-api-key': 'p1', 'x-sign': full['x-sign'], 'x-nonce': 'two words' };
    await rejects(
      verifyPartnerRequest({ url: URL_COMPANY, headers: badNonce }, opts),
      'MISSING_HEADER',
    );
    const unknown = partnerRequest({ ts: '5' }, { apiKey: 'nobody', sig: 'x' });
    await rejects(verifyPartnerRequest(unknown, opts), 'UNKNOWN_KEY');
    await rejects(
      verifyPartnerRequest(partnerRequest({ ts: String(NOW - 30_001) }, { sig: 'x' }), opts),
      'STALE_TIMESTAMP',
    );
    const nsFuture = String(BigInt(NOW + 30_001) * 1_000_000n);
    await rejects(verifyPartnerRequest(partnerRequest({ ts: nsFuture }), opts), 'STALE_TIMESTAMP');
    assert.is(
      (await verifyPartnerRequest(partnerRequest({ ts: String(BigInt(NOW) * 1000n) }), opts))
        .apiKey,
      'p1',
    );
  });

  P('BAD_SIGNATURE: other key, other URL, altered or malformed signature', async () => {
    const ts = String(NOW_S);
    const good = partnerRequest({ ts });
    const sig = good.headers['x-sign'];
    assert.is(sig.length, 342);
    const flipped = sig.slice(0, 100) + (sig[100] === 'A' ? 'B' : 'A') + sig.slice(101);
    const cases = [
      partnerRequest({ ts }, { key: other.privateKey }),
      partnerRequest({ ts }, { sig: rsaSig(ts, URL_COMPANY + '/x') }),
      { ...good, url: URL_COMPANY + '?x=1' },
      { ...good, headers: { ...good.headers, 'x-sign': flipped } },
      { ...good, headers: { ...good.headers, 'x-sign': sig.slice(1) } },
      { ...good, headers: { ...good.headers, 'x-sign': sig + 'AAAA' } },
      {
        ...good,
        headers: { ...good.headers, 'x-sign': Buffer.from(sig, 'base64url').toString('base64') },
      },
      { ...good, headers: { ...good.headers, 'x-sign': 'A'.repeat(342) } },
      { ...good, headers: { ...good.headers, 'x-sign': '_'.repeat(341) + 'w' } }, // ≥ n
    ];
    for (const req of cases) await rejects(verifyPartnerRequest(req, opts), 'BAD_SIGNATURE');
  });

  P("unusable keys are the caller's errors, not BAD_SIGNATURE", async () => {
    const req = partnerRequest({ ts: String(NOW_S) });
    await rejects(
      verifyPartnerRequest(req, { ...opts, publicKeyFor: () => 'nonsense' }),
      'INVALID_KEY',
    );
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    await rejects(verifyPartnerRequest(req, { ...opts, publicKeyFor: () => weak }), 'WEAK_KEY');
    await rejects(verifyPartnerRequest(req, { ...opts, nonceTtlSeconds: 0 }), 'INVALID_OPTION');
    await rejects(
      verifyPartnerRequest(req, { ...opts, nonceStore: {} as NonceStore }),
      'INVALID_OPTION',
    );
  });

  P.run();
}

// ——— key cache and the in-memory store ———

const C = suite('verifier key cache and memory nonce store');

C('a public key is parsed and imported once, whatever the number of requests', async () => {
  let imports = 0;
  const counting: Backend = {
    ...nodeBackend,
    importRsaPublicKey(material) {
      imports++;
      return nodeBackend.importRsaPublicKey(material);
    },
  };
  registerBackend(counting);
  _backendChoiceInternals.forget(); // the same name, another object: see backend-choice.ts
  try {
    const pem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
    const keyObject = createPublicKey(privateKey);
    for (const key of [pem, keyObject]) {
      for (let i = 0; i < 3; i++) {
        const req = partnerRequest({ ts: String(NOW_S + i) });
        await verifyPartnerRequest(req, { publicKeyFor: () => key, now, backend: 'node' });
      }
    }
    // One import: the PEM and the KeyObject hold the same key material, and the cache is keyed by
    // material, not by object (issue 14; it was 2 when objects were cached by identity).
    assert.is(imports, 1);
  } finally {
    registerBackend(nodeBackend);
    _backendChoiceInternals.forget();
  }
});

C('memory store: TTL expiry; when full it refuses (NONCE_STORE_FULL), never forgets', () => {
  let t = 0;
  const s = createMemoryNonceStore({ maxEntries: 3, now: () => t });
  assert.ok(s.checkAndSet('k', '1', 10));
  assert.not.ok(s.checkAndSet('k', '1', 10));
  t = 9_999;
  assert.not.ok(s.checkAndSet('k', '1', 10));
  t = 10_000;
  assert.ok(s.checkAndSet('k', '1', 10), 'expired after its TTL');
  assert.ok(s.checkAndSet('k', '2', 10));
  assert.ok(s.checkAndSet('k', '3', 10));
  // Changed in issue 14: a full store used to drop its oldest entry; now it refuses the new one.
  assert.throws(
    () => s.checkAndSet('k', '4', 10),
    (e: SigningError) => e.code === 'NONCE_STORE_FULL',
  );
  assert.is(s.size, 3);
  assert.not.ok(s.checkAndSet('k', '1', 10), 'still refused: nothing was forgotten');
  assert.not.ok(s.checkAndSet('k', '2', 10));
  t = 20_000;
  // API key and nonce cannot run into each other.
  assert.ok(s.checkAndSet('a:b', 'c', 10));
  assert.ok(s.checkAndSet('a', 'b:c', 10));
  assert.ok(s.has('a', 'b:c'));
  assert.not.ok(s.has('a', 'b'));
});

C('memory store: entries with different TTLs leave in expiry order', () => {
  let t = 0;
  const s = createMemoryNonceStore({ maxEntries: 3, now: () => t });
  assert.ok(s.checkAndSet('k', 'long', 100));
  assert.ok(s.checkAndSet('k', 'a', 1));
  t = 2000;
  assert.ok(s.checkAndSet('k', 'a', 1), 'expired, accepted again');
  assert.ok(s.checkAndSet('k', 'b', 1));
  t = 2500;
  assert.throws(
    () => s.checkAndSet('k', 'c', 1),
    (e: SigningError) => e.code === 'NONCE_STORE_FULL',
  );
  assert.not.ok(s.checkAndSet('k', 'a', 1), 'the second acceptance of a still holds');
  t = 3000; // a and b expire; long (behind them in acceptance order) does not block that
  assert.ok(s.checkAndSet('k', 'c', 1));
  assert.ok(s.checkAndSet('k', 'd', 1));
  assert.not.ok(s.checkAndSet('k', 'long', 100), 'never forgotten before its TTL');
});

C('no error text contains the secret or a valid signature', () => {
  assert.ok(seen.length > 100, `collected ${seen.length} errors`);
  for (const error of seen) {
    const e = error as SigningError;
    const texts = [e.message, String(e), JSON.stringify(e), e.stack ?? '', String(e.cause ?? '')];
    for (const text of texts) {
      for (const secret of confidential) {
        assert.not.ok(text.includes(secret), `error ${e.code} leaks confidential text`);
      }
    }
  }
});

C.run();
