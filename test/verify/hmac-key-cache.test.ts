/**
 * The Qredo API verifier's import cache (issue 17, contract §3.1 "Key cache"): each secret imported
 * once, found only by its material, destroyed when dropped or evicted, invisible to inspect.
 * Requests are signed with node:crypto here, never by the library.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import '../../src/index.node.js'; // every backend this runtime has
import {
  AUTO_HMAC_NATIVE_THRESHOLD,
  availableBackends,
  registerBackend,
} from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { _nodeHmacInternals } from '../../src/backends/node-hmac.js';
import type { HmacKey } from '../../src/backends/types.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyQredoRequest } from '../../src/verify/verifiers.js';
import { _hmacKeyCacheInternals, HMAC_KEY_CACHE_LIMIT } from '../../src/verify/hmac-key-cache.js';

registerBackend(nodeBackend);

const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);
const URL_X = 'https://api.qredo.network/qapi/v1/balance';
const now = () => NOW;

function request(secret: Uint8Array, apiKey = 'k1', body = '') {
  const sig = createHmac('sha256', secret)
    .update(TS + 'POST' + URL_X + body)
    .digest('base64url');
  return {
    method: 'POST',
    url: URL_X,
    body,
    headers: { 'qredo-api-key': apiKey, 'qredo-api-ts': TS, 'qredo-api-sig': sig },
  };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ACCEPTED';
  } catch (e) {
    assert.instance(e, SigningError);
    return (e as SigningError).code;
  }
}

/** Wraps node's importHmacKey for the duration of `run`, recording every key and its destroy(). */
async function spying(
  run: (keys: { key: HmacKey; destroyed: boolean }[]) => Promise<void>,
): Promise<void> {
  const imported: { key: HmacKey; destroyed: boolean }[] = [];
  const original = nodeBackend.importHmacKey;
  nodeBackend.importHmacKey = (bytes) => {
    const key = original.call(nodeBackend, bytes);
    const record = { key, destroyed: false };
    const destroy = key.destroy.bind(key);
    key.destroy = () => {
      record.destroyed = true;
      destroy();
    };
    imported.push(record);
    return key;
  };
  try {
    await run(imported);
  } finally {
    nodeBackend.importHmacKey = original;
  }
}

const C = suite('HMAC key cache (issue 17)');

C.before.each(() => _hmacKeyCacheInternals.clear());

C('control: a cache hit gives the same answers as a cold cache, imported once', async () => {
  const secret = randomBytes(32);
  const text = secret.toString('base64');
  const good = request(secret, 'k1', '{"a":1}');
  const forged = { ...good, body: '{"a":2}' };
  const opts = { secretFor: () => text, now, backend: 'node' as const };
  await spying(async (imported) => {
    for (let i = 0; i < 5; i++) {
      assert.is(await outcome(verifyQredoRequest(good, opts)), 'ACCEPTED');
      assert.is(await outcome(verifyQredoRequest(forged, opts)), 'BAD_SIGNATURE');
    }
    assert.is(imported.length, 1, 'imported once for ten requests');
    _hmacKeyCacheInternals.clear();
    assert.ok(imported[0].destroyed, 'clearing destroys');
    assert.is(await outcome(verifyQredoRequest(forged, opts)), 'BAD_SIGNATURE'); // cold: same
    assert.is(await outcome(verifyQredoRequest(good, opts)), 'ACCEPTED');
  });
});

C(
  'control: other spellings of one secret (URL-safe, unpadded, bytes) share the import',
  async () => {
    const secret = randomBytes(32);
    const spellings = [
      secret.toString('base64'),
      secret.toString('base64url'),
      ` ${secret.toString('base64')}\n`,
      new Uint8Array(secret),
    ];
    await spying(async (imported) => {
      for (const s of spellings) {
        const opts = { secretFor: () => s, now, backend: 'node' as const };
        assert.is(await outcome(verifyQredoRequest(request(secret), opts)), 'ACCEPTED');
      }
      assert.is(imported.length, 1);
    });
  },
);

C('attack: a secret dropped by the application no longer verifies (rotation)', async () => {
  const old = randomBytes(32);
  const next = randomBytes(32);
  let current: string[] = [old.toString('base64'), next.toString('base64')];
  const opts = { secretFor: () => current, now, backend: 'node' as const };
  await spying(async (imported) => {
    // During the rotation both verify (and stay cached).
    assert.is(await outcome(verifyQredoRequest(request(old), opts)), 'ACCEPTED');
    assert.is(await outcome(verifyQredoRequest(request(next), opts)), 'ACCEPTED');
    assert.is(imported.length, 2);
    current = [next.toString('base64')]; // the app stops returning the old secret
    assert.is(await outcome(verifyQredoRequest(request(old), opts)), 'BAD_SIGNATURE');
    assert.is(await outcome(verifyQredoRequest(request(next), opts)), 'ACCEPTED'); // control
    assert.is(imported.length, 2, 'the new secret was not imported again');
    assert.ok(imported[0].destroyed, 'the dropped key was destroyed at once');
    assert.not.ok(imported[1].destroyed);
    assert.is(_hmacKeyCacheInternals.held(), 1);
  });
});

C(
  'attack: secret bytes rotated in place in the same array verify with the new key only',
  async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const held = new Uint8Array(a); // the app's buffer, overwritten on rotation
    const opts = { secretFor: () => held, now, backend: 'node' as const };
    assert.is(await outcome(verifyQredoRequest(request(a), opts)), 'ACCEPTED');
    held.set(b);
    assert.is(await outcome(verifyQredoRequest(request(a), opts)), 'BAD_SIGNATURE');
    assert.is(await outcome(verifyQredoRequest(request(b), opts)), 'ACCEPTED');
    assert.equal(held, new Uint8Array(b), "the caller's bytes are left intact");
  },
);

C('attack: an API key never verifies with another API key’s cached secret', async () => {
  const s1 = randomBytes(32);
  const s2 = randomBytes(32);
  const secrets: Record<string, string> = { k1: s1.toString('base64'), k2: s2.toString('base64') };
  const opts = { secretFor: (k: string) => secrets[k], now, backend: 'node' as const };
  assert.is(await outcome(verifyQredoRequest(request(s1, 'k1'), opts)), 'ACCEPTED');
  assert.is(await outcome(verifyQredoRequest(request(s1, 'k2'), opts)), 'BAD_SIGNATURE');
  assert.is(await outcome(verifyQredoRequest(request(s2, 'k2'), opts)), 'ACCEPTED');
});

C('eviction: bounded, and every evicted key is destroyed (pads zeroed)', async () => {
  const secret = (i: number) => createHmac('sha256', 'seed').update(String(i)).digest();
  const opts = {
    secretFor: (k: string) => secret(Number(k.slice(1))),
    now,
    backend: 'node' as const,
  };
  const extra = 40;
  await spying(async (imported) => {
    for (let i = 0; i < HMAC_KEY_CACHE_LIMIT + extra; i++) {
      assert.is(await outcome(verifyQredoRequest(request(secret(i), `a${i}`), opts)), 'ACCEPTED');
    }
    assert.is(imported.length, HMAC_KEY_CACHE_LIMIT + extra);
    assert.ok(_hmacKeyCacheInternals.held() <= HMAC_KEY_CACHE_LIMIT);
    const destroyed = imported.filter((r) => r.destroyed);
    assert.is(destroyed.length, HMAC_KEY_CACHE_LIMIT + extra - _hmacKeyCacheInternals.held());
    assert.ok(destroyed.length >= extra);
    if (_nodeHmacInternals.oneShotAvailable()) {
      for (const { key } of destroyed) {
        const pads = _nodeHmacInternals.pads(key)!;
        assert.ok(pads.inner.every((x) => x === 0) && pads.outer.every((x) => x === 0));
      }
    }
    // An evicted API key still verifies: it is imported again.
    assert.is(await outcome(verifyQredoRequest(request(secret(0), 'a0'), opts)), 'ACCEPTED');
  });
});

C('eviction: API keys in use get a second chance over a burst of new ones', async () => {
  const secret = (i: number) => createHmac('sha256', 'seed2').update(String(i)).digest();
  const opts = {
    secretFor: (k: string) => secret(Number(k.slice(1))),
    now,
    backend: 'node' as const,
  };
  await spying(async (imported) => {
    // Fill the cache; the first key keeps being used while the burst goes by.
    for (let i = 0; i < HMAC_KEY_CACHE_LIMIT + 100; i++) {
      await verifyQredoRequest(request(secret(i), `b${i}`), opts);
      await verifyQredoRequest(request(secret(0), 'b0'), opts);
    }
    assert.not.ok(imported[0].destroyed, 'the key in use was never evicted');
  });
});

C('the secret never appears in inspect or JSON of the cache', async () => {
  const secret = randomBytes(32);
  const text = secret.toString('base64');
  const opts = { secretFor: () => [text, new Uint8Array(secret)], now, backend: 'node' as const };
  assert.is(await outcome(verifyQredoRequest(request(secret), opts)), 'ACCEPTED');
  const cache = _hmacKeyCacheInternals.slots();
  assert.ok(cache.size > 0);
  const shown = [
    inspect(cache, { showHidden: true, depth: Infinity, maxArrayLength: Infinity }),
    JSON.stringify([...cache.values()]),
  ]
    .join('\n')
    .replace(/\s+/g, ''); // inspect breaks long byte lists over lines
  const forms = [
    text,
    secret.toString('base64url'),
    secret.toString('hex'),
    [...secret].join(','),
    [...secret.subarray(0, 8)].join(','), // a fragment is a leak too
  ];
  for (const form of forms) assert.not.ok(shown.includes(form), `the cache shows ${form}`);
});

C('a secret that does not decode is INVALID_SECRET, with or without a cached entry', async () => {
  const secret = randomBytes(32);
  let value: string = secret.toString('base64');
  const opts = { secretFor: () => value, now, backend: 'node' as const };
  assert.is(await outcome(verifyQredoRequest(request(secret), opts)), 'ACCEPTED');
  value = 'not base64!';
  assert.is(await outcome(verifyQredoRequest(request(secret), opts)), 'INVALID_SECRET');
});

C('every backend, through the cache: text, binary and large bodies, v1 and v2 names', async () => {
  const secret = randomBytes(32);
  const text = secret.toString('base64');
  const bodies: (string | Uint8Array)[] = [
    '',
    '{"memo":"café ☕ 𝄞"}',
    new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x80]),
    'x'.repeat(AUTO_HMAC_NATIVE_THRESHOLD + 1), // 'auto' sends this one to node
    'é'.repeat(40_000), // beyond every backend's scratch buffer
  ];
  for (const backend of [...availableBackends(), 'auto'] as const) {
    const opts = { secretFor: () => text, now, backend };
    for (let round = 0; round < 2; round++) {
      for (const body of bodies) {
        const sig = createHmac('sha256', secret)
          .update(TS + 'PUT' + URL_X)
          .update(body)
          .digest('base64url');
        const good = {
          method: 'PUT',
          url: URL_X,
          body,
          headers: { 'qredo-api-key': 'kb', 'qredo-api-timestamp': TS, 'qredo-api-signature': sig },
        };
        const label = `${backend} ${typeof body} ${body.length}`;
        assert.is(await outcome(verifyQredoRequest(good, opts)), 'ACCEPTED', label);
        const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
        const bad = { ...good, headers: { ...good.headers, 'qredo-api-signature': flipped } };
        assert.is(await outcome(verifyQredoRequest(bad, opts)), 'BAD_SIGNATURE', label);
      }
    }
  }
});

C.run();
