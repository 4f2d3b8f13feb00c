/**
 * The Redis nonce store against a real redis-server: the one this file starts on loopback (via
 * test/verify/with-redis.mjs) or the one REDIS_URL points at. Several clients stand for several
 * verifier processes racing on the same nonce.
 *
 * Without a redis-server binary and without REDIS_URL the suite is skipped with a message, unless
 * REQUIRE_REDIS=1 (set in CI), where that is a failure.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomUUID, sign as nodeSign } from 'node:crypto';
import { createClient } from 'redis';
import { hasRedisServer, startRedis } from './with-redis.mjs';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyPartnerRequest } from '../../src/verify/verifiers.js';
import { createRedisNonceStore, DEFAULT_REDIS_PREFIX } from '../../src/verify/nonce-store-redis.js';

registerBackend(nodeBackend);

async function connect(url: string) {
  const client = createClient({ url });
  client.on('error', () => {}); // surfaced through the commands that fail
  return client.connect();
}
type Client = Awaited<ReturnType<typeof connect>>;

const R = suite('nonce-store-redis');
const available = process.env.REDIS_URL !== undefined || hasRedisServer();

if (!available) {
  const message = 'redis-server not found and REDIS_URL not set (apt-get install -y redis-server)';
  if (process.env.REQUIRE_REDIS === '1') {
    R('redis-server is required here (REQUIRE_REDIS=1)', () => assert.unreachable(message));
  } else {
    console.warn(`\n  SKIPPED nonce-store-redis: ${message}\n`);
  }
} else {
  let server: { url: string; stop(): Promise<void> } | undefined;
  const clients: Client[] = [];
  const prefix = `test:${randomUUID()}:`;

  R.before(async () => {
    let url = process.env.REDIS_URL;
    if (url === undefined) {
      server = await startRedis();
      url = server.url;
    }
    for (let i = 0; i < 4; i++) clients.push(await connect(url));
  });

  R.after(async () => {
    for (const client of clients) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(keys);
      await client.close();
    }
    await server?.stop();
  });

  R('first time true, then false; TTL set; one sorted set per API key', async () => {
    const store = createRedisNonceStore(clients[0], { prefix });
    assert.is(await store.checkAndSet('key:1', 'n1', 60), true);
    assert.is(await store.checkAndSet('key:1', 'n1', 60), false);
    assert.is(await store.checkAndSet('key', '1:n1', 60), true, 'API key and nonce cannot collide');
    assert.is(await store.checkAndSet('key:2', 'n1', 60), true, 'nonces are per API key');
    assert.is(await store.has!('key:1', 'n1'), true);
    assert.is(await store.has!('key:1', 'n2'), false);
    const key = `${prefix}5:key:1`;
    const ttl = await clients[1].ttl(key);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    const expiry = Number(await clients[1].zScore(key, 'n1'));
    assert.ok(Math.abs(expiry - Date.now() - 60_000) < 5_000, `expiry ${expiry}`);
  });

  R('the nonce is forgotten when its TTL runs out', async () => {
    const store = createRedisNonceStore(clients[0], { prefix });
    assert.is(await store.checkAndSet('k', 'short', 1), true);
    assert.is(await store.checkAndSet('k', 'short', 1), false);
    await clients[0].zAdd(`${prefix}1:k`, { score: 1, value: 'short' }); // expired long ago
    assert.is(await store.has!('k', 'short'), false);
    assert.is(await store.checkAndSet('k', 'short', 1), true);
  });

  R('the default prefix, and bad arguments', async () => {
    const store = createRedisNonceStore(clients[2]);
    const apiKey = randomUUID();
    assert.is(await store.checkAndSet(apiKey, 'n', 5), true);
    const key = `${DEFAULT_REDIS_PREFIX}${apiKey.length}:${apiKey}`;
    assert.ok((await clients[3].zScore(key, 'n')) !== null);
    await clients[3].del(key);
    try {
      await store.checkAndSet('k', 'n', 0);
      assert.unreachable('ttl 0 accepted');
    } catch (e) {
      assert.is((e as SigningError).code, 'INVALID_OPTION');
    }
    for (const bad of [{} as never, { set: async () => 'OK' } as never]) {
      assert.throws(
        () => createRedisNonceStore(bad),
        (e: SigningError) => e.code === 'INVALID_OPTION',
      );
    }
    assert.throws(
      () => createRedisNonceStore(clients[0], { timeoutMs: 0 }),
      (e: SigningError) => e.code === 'INVALID_OPTION',
    );
  });

  R(
    'attack: a tenant floods its key; the victim keeps its entries and B is refused, fail closed',
    async () => {
      const store = createRedisNonceStore(clients[0], { prefix, maxEntriesPerKey: 5 });
      assert.is(await store.checkAndSet('A', 'victim', 60), true);
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) {
        await Promise.resolve(store.checkAndSet('B', `flood-${i}`, 60)).then(
          () => codes.push('ok'),
          (e: unknown) => codes.push((e as SigningError).code),
        );
      }
      assert.equal(codes, ['ok', 'ok', 'ok', 'ok', 'ok', 'NONCE_STORE_FULL']);
      assert.is(await store.checkAndSet('A', 'victim', 60), false);
      assert.is(await store.checkAndSet('A', 'second', 60), true, "B's bound is B's own");
    },
  );

  R('several verifiers, one nonce, many concurrent requests: accepted exactly once', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    const nonce = String(Date.now()) + '000';
    const body = '{"name":"ACME"}';
    const signature = nodeSign('sha256', Buffer.from(nonce + url + body), privateKey).toString(
      'base64url',
    );
    const request = {
      method: 'POST',
      url,
      body,
      headers: { 'x-api-key': 'partner-1', 'x-nonce': nonce, 'x-sign': signature },
    };
    const verifiers = clients.map((client) => ({
      publicKeyFor: () => publicKey,
      backend: 'node' as const,
      stamps: 'nonce' as const,
      nonceStore: createRedisNonceStore(client, { prefix }),
    }));
    const attempts = Array.from({ length: 40 }, (_, i) =>
      verifyPartnerRequest(request, verifiers[i % verifiers.length]),
    );
    const results = await Promise.allSettled(attempts);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    assert.is(accepted.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.is((r.reason as SigningError).code, 'REPLAYED_NONCE');
    }
    // A forged request with a fresh nonce never reaches Redis.
    const fresh = nonce + '1';
    const forged = { ...request, headers: { ...request.headers, 'x-nonce': fresh } };
    const error = await verifyPartnerRequest(forged, verifiers[0]).catch((e) => e);
    assert.is((error as SigningError).code, 'BAD_SIGNATURE');
    assert.is(await clients[0].zScore(`${prefix}9:partner-1`, fresh), null);
  });

  R(
    "attack under 'either' with Redis: a timestamp request relabelled as x-nonce, and back",
    async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const url = 'https://play-api.qredo.network/api/v1/p/company';
      const ts = String(Math.floor(Date.now() / 1000));
      const sign = (stamp: string) =>
        nodeSign('sha256', Buffer.from(stamp + url), privateKey).toString('base64url');
      const opts = {
        publicKeyFor: () => publicKey,
        stamps: 'either' as const,
        backend: 'node' as const,
        nonceStore: createRedisNonceStore(clients[1], { prefix }),
      };
      const asTimestamp = {
        url,
        headers: { 'x-api-key': 'e1', 'x-timestamp': ts, 'x-sign': sign(ts) },
      };
      const asNonce = { url, headers: { 'x-api-key': 'e1', 'x-nonce': ts, 'x-sign': sign(ts) } };
      assert.is((await verifyPartnerRequest(asTimestamp, opts)).apiKey, 'e1');
      assert.is(
        (await verifyPartnerRequest(asTimestamp, opts)).apiKey,
        'e1',
        'resent in the window',
      );
      const error = await verifyPartnerRequest(asNonce, opts).catch((e) => e);
      assert.is((error as SigningError).code, 'REPLAYED_NONCE');
      const n = `${Date.now()}000`;
      const nonceReq = { url, headers: { 'x-api-key': 'e2', 'x-nonce': n, 'x-sign': sign(n) } };
      assert.is((await verifyPartnerRequest(nonceReq, opts)).apiKey, 'e2');
      const moved = { url, headers: { 'x-api-key': 'e2', 'x-timestamp': n, 'x-sign': sign(n) } };
      for (let i = 0; i < 3; i++) {
        const e = await verifyPartnerRequest(moved, opts).catch((x) => x);
        assert.is((e as SigningError).code, 'REPLAYED_NONCE');
      }
    },
  );

  R(
    'every client failure is a SigningError (NONCE_STORE_UNAVAILABLE), never a raw error',
    async () => {
      const failing = [
        { eval: async () => Promise.reject(new Error('connection lost')) },
        {
          eval: () => {
            throw new TypeError('synchronous throw');
          },
        },
        { eval: async () => 'OK' }, // an unexpected answer
      ];
      for (const client of failing) {
        const store = createRedisNonceStore(client as never);
        try {
          await store.checkAndSet('k', 'n', 5);
          assert.unreachable('accepted without Redis');
        } catch (e) {
          assert.instance(e, SigningError);
          assert.is((e as SigningError).code, 'NONCE_STORE_UNAVAILABLE');
        }
      }
    },
  );

  R(
    'a client that never answers: NONCE_STORE_UNAVAILABLE after timeoutMs, not a hang',
    async () => {
      const hanging = { eval: () => new Promise<never>(() => {}) };
      const store = createRedisNonceStore(hanging, { timeoutMs: 100 });
      const started = Date.now();
      const error = await Promise.resolve(store.checkAndSet('k', 'n', 5)).catch((e: unknown) => e);
      assert.is((error as SigningError).code, 'NONCE_STORE_UNAVAILABLE');
      assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    },
  );

  R('outage: redis-server killed mid-test, verification fails closed promptly', async () => {
    if (server === undefined) return; // an external REDIS_URL is not ours to kill
    const own = await startRedis();
    const client = createClient({ url: own.url, socket: { reconnectStrategy: () => 100 } });
    client.on('error', () => {});
    await client.connect();
    const nonceStore = createRedisNonceStore(client, { prefix, timeoutMs: 300 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    const make = (nonce: string) => ({
      url,
      headers: {
        'x-api-key': 'p1',
        'x-nonce': nonce,
        'x-sign': nodeSign('sha256', Buffer.from(nonce + url), privateKey).toString('base64url'),
      },
    });
    const opts = {
      publicKeyFor: () => publicKey,
      stamps: 'nonce' as const,
      nonceStore,
      backend: 'node' as const,
    };
    assert.is((await verifyPartnerRequest(make('before'), opts)).apiKey, 'p1'); // control
    process.kill(own.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const nonce of ['before', 'during-1', 'during-2']) {
      const started = Date.now();
      const error = await verifyPartnerRequest(make(nonce), opts).catch((e) => e);
      assert.instance(error, SigningError);
      assert.is((error as SigningError).code, 'NONCE_STORE_UNAVAILABLE', nonce);
      assert.ok(Date.now() - started < 1500, `${nonce}: ${Date.now() - started} ms`);
    }
    await client.destroy?.();
    await own.stop();
  });
}

R.run();
