/**
 * The in-memory stamp store (contract §3.1 "No tenant can evict another"; issue 14 item 3): per-key and
 * total bounds, never forgetting another key's unexpired entry, refusing when full (fail closed).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyPartnerRequest } from '../../src/verify/verifiers.js';
import { createMemoryNonceStore } from '../../src/verify/nonce-store.js';

registerBackend(nodeBackend);

const victim = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tenant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const URL_COMPANY = 'https://play-api.qredo.network/api/v1/p/company';
const keys: Record<string, typeof victim> = { A: victim, B: tenant };

function request(apiKey: 'A' | 'B', nonce: string) {
  const sig = nodeSign('sha256', Buffer.from(nonce + URL_COMPANY), keys[apiKey].privateKey);
  return {
    url: URL_COMPANY,
    headers: { 'x-api-key': apiKey, 'x-nonce': nonce, 'x-sign': sig.toString('base64url') },
  };
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

const S = suite('attack: cross-tenant eviction of the nonce store');

S(
  'attack: tenant B floods the store and victim A’s captured request is still refused',
  async () => {
    for (const bounds of [{ maxEntries: 8 }, { maxEntries: 64, maxEntriesPerKey: 8 }]) {
      const nonceStore = createMemoryNonceStore(bounds);
      const opts = {
        publicKeyFor: (k: string) => keys[k]?.publicKey,
        stamps: 'nonce' as const,
        nonceStore,
        backend: 'node' as const,
      };
      const captured = request('A', 'victim-payment-1');
      assert.is((await verifyPartnerRequest(captured, opts)).apiKey, 'A'); // control: honest, once
      const codes = new Set<string>();
      for (let i = 0; i <= bounds.maxEntries; i++) {
        codes.add(await code(verifyPartnerRequest(request('B', `flood-${i}`), opts)));
      }
      assert.ok(codes.has('NONCE_STORE_FULL'), 'the flood is refused once B reaches its bound');
      assert.is(await code(verifyPartnerRequest(captured, opts)), 'REPLAYED_NONCE');
      if (bounds.maxEntriesPerKey) {
        // B's bound is its own: A still has room for honest new requests.
        assert.is((await verifyPartnerRequest(request('A', 'victim-payment-2'), opts)).apiKey, 'A');
      }
    }
  },
);

S('bounds: per key and in total, refused with NONCE_STORE_FULL; expired entries make room', () => {
  let t = 0;
  const s = createMemoryNonceStore({ maxEntries: 5, maxEntriesPerKey: 3, now: () => t });
  for (const n of ['1', '2', '3']) assert.ok(s.checkAndSet('A', n, 10));
  assert.throws(
    () => s.checkAndSet('A', '4', 10),
    (e: SigningError) => e.code === 'NONCE_STORE_FULL',
  );
  assert.ok(s.checkAndSet('B', '1', 10));
  assert.ok(s.checkAndSet('B', '2', 10));
  assert.throws(
    () => s.checkAndSet('C', '1', 10),
    (e: SigningError) => e.code === 'NONCE_STORE_FULL',
  );
  assert.not.ok(s.checkAndSet('A', '1', 10), 'a replay is still a replay when full');
  t = 10_000;
  assert.ok(s.checkAndSet('C', '1', 10));
  assert.ok(s.checkAndSet('A', '4', 10));
  assert.is(s.size, 2);
  for (const bad of [0, -1, 1.5, NaN]) {
    assert.throws(
      () => createMemoryNonceStore({ maxEntriesPerKey: bad }),
      (e: SigningError) => e.code === 'INVALID_OPTION',
    );
  }
});

S('cost per insertion stays logarithmic when full of long entries and short ones expire', () => {
  // The pattern that made a FIFO quadratic or stuck: one long entry ahead of many short ones.
  let t = 0;
  const n = 200_000;
  const s = createMemoryNonceStore({ maxEntries: n, maxEntriesPerKey: n, now: () => t });
  s.checkAndSet('k', 'long', 86_400);
  const started = performance.now();
  for (let i = 0; i < 5 * n; i++) {
    if (i % 1000 === 0) t += 1000;
    s.checkAndSet('k', String(i), 30);
  }
  const ms = performance.now() - started;
  assert.ok(s.size < n, `short entries expired behind the long one (size ${s.size})`);
  console.log(`  memory store: ${5 * n} insertions in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 20_000, `${ms} ms`);
});

S.run();
