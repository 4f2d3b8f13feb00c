/**
 * Replay attacks on the verifiers (issue 14 items 1, 2 and 11; contract §3.1), each performed against
 * the verifier and asserted to fail, beside a control showing the honest request still verifies.
 * Signatures come from node:crypto (the attacker holds only captured requests, never a key).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyPartnerRequest, verifyQredoRequest } from '../../src/verify/verifiers.js';
import { createMemoryNonceStore, type NonceStore } from '../../src/verify/nonce-store.js';
import { createPartnerSigner } from '../../src/sign/partner-signer.js';

registerBackend(nodeBackend);

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const URL_COMPANY = 'https://play-api.qredo.network/api/v1/p/company';
const NOW = 1_700_000_000_000;
const YEAR_MS = 365 * 86_400_000;

function partner(stamp: { ts?: string; nonce?: string }, body = '', sig?: string) {
  const value = (stamp.ts ?? stamp.nonce) as string;
  const x =
    sig ??
    nodeSign('sha256', Buffer.from(value + URL_COMPANY + body), privateKey).toString('base64url');
  const headers: Record<string, string> = { 'x-api-key': 'p1', 'x-sign': x };
  if (stamp.ts !== undefined) headers['x-timestamp'] = stamp.ts;
  if (stamp.nonce !== undefined) headers['x-nonce'] = stamp.nonce;
  return { method: 'POST', url: URL_COMPANY, headers, body };
}

/** The same captured request with its stamp moved to the other header. */
function relabel(req: ReturnType<typeof partner>) {
  const { 'x-timestamp': ts, 'x-nonce': nonce, ...rest } = req.headers;
  const headers = ts !== undefined ? { ...rest, 'x-nonce': ts } : { ...rest, 'x-timestamp': nonce };
  return { ...req, headers };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    assert.instance(e, SigningError);
    return (e as SigningError).code;
  }
  return 'ACCEPTED';
}

const base = { publicKeyFor: () => publicKey, backend: 'node' as const };

// ——— 1. stamp relabelling ———

const R = suite('attack: stamp relabelling (contract §3.1 stamps)');

R('attack: a year-old x-timestamp request resent as x-nonce is refused', async () => {
  const ts = String((NOW - YEAR_MS) / 1000);
  const captured = partner({ ts }, '{"name":"ACME"}');
  const attack = relabel(captured);
  const now = () => NOW;
  // Default (stamps: 'timestamp'): the other header is refused and the message names the option.
  const err = await verifyPartnerRequest(attack, { ...base, now }).catch((e) => e);
  assert.is(err.code, 'MISSING_HEADER');
  assert.match(err.message, /stamps/);
  // A nonce verifier with timed nonces: a year-old time is out of the window.
  const timed = { ...base, now, nonceWindowSeconds: 300, nonceStore: createMemoryNonceStore() };
  assert.is(
    await code(verifyPartnerRequest(attack, { ...timed, stamps: 'nonce' })),
    'STALE_TIMESTAMP',
  );
  assert.is(
    await code(verifyPartnerRequest(attack, { ...timed, stamps: 'either' })),
    'STALE_TIMESTAMP',
  );
  // Control: the honest request, when it was fresh, verified.
  const then = () => NOW - YEAR_MS;
  assert.is((await verifyPartnerRequest(captured, { ...base, now: then })).apiKey, 'p1');
});

R(
  "attack under 'either': an accepted timestamp request relabelled as x-nonce in its window",
  async () => {
    const nonceStore = createMemoryNonceStore();
    const opts = { ...base, now: () => NOW, stamps: 'either' as const, nonceStore };
    const captured = partner({ ts: String(NOW / 1000) }, '{"a":1}');
    assert.is((await verifyPartnerRequest(captured, opts)).apiKey, 'p1');
    assert.is(await code(verifyPartnerRequest(relabel(captured), opts)), 'REPLAYED_NONCE');
  },
);

R(
  "attack: an accepted nonce:'auto' request moved to x-timestamp and resent many times",
  async () => {
    const signer = createPartnerSigner({ apiKey: 'p1', privateKey, backend: 'node' });
    const signed = await signer.sign({
      url: URL_COMPANY,
      method: 'POST',
      body: '{"x":1}',
      nonce: 'auto',
    });
    const captured = {
      method: 'POST',
      url: signed.url,
      headers: signed.headers,
      body: signed.body as string,
    };
    const attack = relabel(captured as ReturnType<typeof partner>);
    const nonceStore = createMemoryNonceStore();
    for (const stamps of ['nonce', 'either'] as const) {
      const opts = { ...base, stamps, nonceStore, nonceWindowSeconds: 300 };
      if (stamps === 'nonce') assert.is((await verifyPartnerRequest(captured, opts)).apiKey, 'p1');
      const expected = stamps === 'nonce' ? 'MISSING_HEADER' : 'REPLAYED_NONCE';
      for (let i = 0; i < 10; i++)
        assert.is(await code(verifyPartnerRequest(attack, opts)), expected);
    }
    signer.destroy();
  },
);

R(
  "control under 'either': many honest requests per second share a timestamp and all verify",
  async () => {
    const nonceStore = createMemoryNonceStore();
    const opts = { ...base, now: () => NOW, stamps: 'either' as const, nonceStore };
    const ts = String(NOW / 1000);
    for (let i = 0; i < 50; i++) {
      assert.is((await verifyPartnerRequest(partner({ ts }, `{"i":${i}}`), opts)).apiKey, 'p1');
    }
    // Timestamp requests stay replayable within the window, as contract §3 always allowed.
    const same = partner({ ts }, '{"i":0}');
    assert.is((await verifyPartnerRequest(same, opts)).apiKey, 'p1');
    // Honest nonce requests keep working beside them, each once.
    assert.is((await verifyPartnerRequest(partner({ nonce: 'n-1' }), opts)).apiKey, 'p1');
    assert.is(await code(verifyPartnerRequest(partner({ nonce: 'n-1' }), opts)), 'REPLAYED_NONCE');
    // The per-key function form, and a store without has() is refused for 'either'.
    const perKey = {
      ...opts,
      stamps: (k: string) => (k === 'p1' ? 'either' : 'timestamp'),
    } as const;
    assert.is((await verifyPartnerRequest(partner({ nonce: 'n-2' }), perKey)).apiKey, 'p1');
    const legacy: NonceStore = { checkAndSet: () => true };
    assert.is(
      await code(verifyPartnerRequest(same, { ...opts, nonceStore: legacy })),
      'INVALID_OPTION',
    );
  },
);

R(
  "attack under 'either': the original and its relabelled copy raced against each other",
  async () => {
    // A store that answers after random delays, so that the two paths interleave at every await.
    for (let round = 0; round < 20; round++) {
      const inner = createMemoryNonceStore();
      const later = <T>(v: T) => new Promise<T>((r) => setTimeout(r, Math.random() * 3, v));
      const nonceStore: NonceStore = {
        checkAndSet: (k, v, ttl) => later(inner.checkAndSet(k, v, ttl)),
        has: (k, v) => later(inner.has(k, v)),
      };
      const opts = { ...base, now: () => NOW, stamps: 'either' as const, nonceStore };
      const captured = partner({ ts: String(NOW / 1000) }, `{"round":${round}}`);
      const copies = Array.from({ length: 6 }, (_, i) => (i % 2 ? relabel(captured) : captured));
      const codes = await Promise.all(copies.map((c) => code(verifyPartnerRequest(c, opts))));
      const asNonce = codes.filter((c, i) => i % 2 === 1 && c === 'ACCEPTED').length;
      const asTimestamp = codes.filter((c, i) => i % 2 === 0 && c === 'ACCEPTED').length;
      assert.ok(asNonce <= 1, `accepted as a nonce ${asNonce} times`);
      assert.ok(asNonce === 0 || asTimestamp === 0, `both kinds accepted: ${codes}`);
      for (const c of codes) assert.ok(c === 'ACCEPTED' || c === 'REPLAYED_NONCE', c);
    }
  },
);

R('control: old custom stores (checkAndSet only) keep working for nonce verifiers', async () => {
  const seen = new Set<string>();
  const legacy: NonceStore = {
    checkAndSet: (k, n) => (seen.has(k + '\n' + n) ? false : (seen.add(k + '\n' + n), true)),
  };
  const opts = { ...base, stamps: 'nonce' as const, nonceStore: legacy };
  assert.is((await verifyPartnerRequest(partner({ nonce: 'legacy-1' }), opts)).apiKey, 'p1');
  assert.is(
    await code(verifyPartnerRequest(partner({ nonce: 'legacy-1' }), opts)),
    'REPLAYED_NONCE',
  );
});

R.run();

// ——— 2. timed nonces ———

const T = suite('attack: nonces that never expire (contract §3.1 timed nonces)');

T(
  'attack: a nonce request replayed after the store forgot it is refused with the window on',
  async () => {
    const nonce = String(NOW * 1000); // microseconds, as nonce: 'auto' makes them
    const captured = partner({ nonce }, '{"pay":1}');
    const first = createMemoryNonceStore();
    const timed = { ...base, stamps: 'nonce' as const, nonceWindowSeconds: 120 };
    assert.is(
      (await verifyPartnerRequest(captured, { ...timed, now: () => NOW, nonceStore: first }))
        .apiKey,
      'p1',
    );
    assert.is(
      await code(verifyPartnerRequest(captured, { ...timed, now: () => NOW, nonceStore: first })),
      'REPLAYED_NONCE',
    );
    // Later: the TTL passed or the process restarted, and the new store knows nothing.
    const later = () => NOW + 121_001;
    const restarted = createMemoryNonceStore();
    assert.is(
      await code(verifyPartnerRequest(captured, { ...timed, now: later, nonceStore: restarted })),
      'STALE_TIMESTAMP',
    );
    // Without the window (the default) the same replay is accepted: what the docs warn about.
    const untimed = {
      ...base,
      stamps: 'nonce' as const,
      now: later,
      nonceStore: createMemoryNonceStore(),
    };
    assert.is((await verifyPartnerRequest(captured, untimed)).apiKey, 'p1');
  },
);

T(
  'timed nonces: the store entry lives until stamp + window; non-digit nonces keep the TTL',
  async () => {
    const ttls: number[] = [];
    const spy: NonceStore = { checkAndSet: (_k, _n, ttl) => (ttls.push(ttl), true) };
    const opts = { ...base, stamps: 'nonce' as const, nonceWindowSeconds: 120, nonceStore: spy };
    const nonce = String(NOW - 20_000); // milliseconds, 20 s old
    await verifyPartnerRequest(partner({ nonce }), { ...opts, now: () => NOW });
    await verifyPartnerRequest(partner({ nonce: 'abc-1' }), {
      ...opts,
      now: () => NOW,
      nonceTtlSeconds: 777,
    });
    assert.equal(ttls, [101, 777]); // 120 − 20 s, +1 for the whole millisecond the stamp covers
    // A time in the future beyond the window is refused too; random numbers read as times are.
    assert.is(
      await code(
        verifyPartnerRequest(partner({ nonce: String(NOW + 121_000) }), {
          ...opts,
          now: () => NOW,
        }),
      ),
      'STALE_TIMESTAMP',
    );
    assert.is(
      await code(verifyPartnerRequest(partner({ nonce: '8273645' }), { ...opts, now: () => NOW })),
      'STALE_TIMESTAMP',
    );
    assert.is(
      await code(verifyPartnerRequest(partner({ nonce: '1' }), { ...opts, nonceWindowSeconds: 0 })),
      'INVALID_OPTION',
    );
  },
);

T.run();

// ——— 11. the Qredo API replay cache ———

const SECRET = randomBytes(32);
const URL_BALANCE = 'https://api.qredo.network/qapi/v1/balance';

function qredo(ts: string, body = '') {
  const sig = createHmac('sha256', SECRET)
    .update(ts + 'POST' + URL_BALANCE)
    .update(body)
    .digest('base64url');
  return {
    method: 'POST',
    url: URL_BALANCE,
    body,
    headers: { 'qredo-api-key': 'k1', 'qredo-api-ts': ts, 'qredo-api-sig': sig },
  };
}

const Q = suite('attack: Qredo API replay within the window (replayCache)');

Q('attack: the same request twice is refused the second time when replayCache is on', async () => {
  const req = qredo(String(NOW / 1000), '{"amount":1}');
  const opts = { secretFor: () => SECRET, now: () => NOW, backend: 'node' as const };
  const cache = createMemoryNonceStore();
  assert.is((await verifyQredoRequest(req, { ...opts, replayCache: cache })).apiKey, 'k1');
  assert.is(await code(verifyQredoRequest(req, { ...opts, replayCache: cache })), 'REPLAYED_NONCE');
  // true: the process-wide cache.
  const other = qredo(String(NOW / 1000), '{"amount":2}');
  assert.is((await verifyQredoRequest(other, { ...opts, replayCache: true })).apiKey, 'k1');
  assert.is(
    await code(verifyQredoRequest(other, { ...opts, replayCache: true })),
    'REPLAYED_NONCE',
  );
  // A forgery never reaches the cache; a different request in the same second is new.
  const forged = { ...req, body: '{"amount":9}' };
  assert.is(
    await code(verifyQredoRequest(forged, { ...opts, replayCache: cache })),
    'BAD_SIGNATURE',
  );
  assert.is(cache.size, 1);
  // The record lasts for the window only: after it, the timestamp itself is stale.
  assert.is(
    await code(verifyQredoRequest(req, { ...opts, now: () => NOW + 31_000, replayCache: cache })),
    'STALE_TIMESTAMP',
  );
});

Q('attack: the same request raced 20 times with replayCache: accepted exactly once', async () => {
  const req = qredo(String(NOW / 1000), '{"amount":3}');
  const opts = { secretFor: () => SECRET, now: () => NOW, backend: 'node' as const };
  const replayCache = createMemoryNonceStore();
  const codes = await Promise.all(
    Array.from({ length: 20 }, () => code(verifyQredoRequest(req, { ...opts, replayCache }))),
  );
  assert.is(codes.filter((c) => c === 'ACCEPTED').length, 1);
  assert.is(codes.filter((c) => c === 'REPLAYED_NONCE').length, 19);
});

Q(
  'control: without replayCache a resent request verifies within the window, as before',
  async () => {
    const req = qredo(String(NOW / 1000), '{"amount":1}');
    const opts = { secretFor: () => SECRET, now: () => NOW, backend: 'node' as const };
    for (let i = 0; i < 3; i++) assert.is((await verifyQredoRequest(req, opts)).apiKey, 'k1');
    assert.is(
      await code(verifyQredoRequest(req, { ...opts, replayCache: {} as NonceStore })),
      'INVALID_OPTION',
    );
  },
);

Q.run();
