/**
 * The Redis nonce store against a real redis-server: the one this file starts on loopback (via
 * scripts/with-redis.mjs) or the one REDIS_URL points at. Several clients stand for several
 * verifier processes racing on the same nonce.
 *
 * Without a redis-server binary and without REDIS_URL the suite is skipped with a message, unless
 * REQUIRE_REDIS=1 (set in CI), where that is a failure.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomUUID, sign as nodeSign } from 'node:crypto';
import { createClient } from 'redis';
import { hasRedisServer, startRedis } from '../scripts/with-redis.mjs';
import { registerBackend } from '../src/backends/registry.js';
import { nodeBackend } from '../src/backends/node.js';
import { SigningError } from '../src/errors.js';
import { verifyPartnerRequest } from '../src/verify.js';
import { nonceKey } from '../src/nonce-store.js';
import { createRedisNonceStore, DEFAULT_REDIS_PREFIX } from '../src/nonce-store-redis.js';

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

  R('SET NX EX: first time true, then false; TTL set; key layout', async () => {
    const store = createRedisNonceStore(clients[0], { prefix });
    assert.is(await store.checkAndSet('key:1', 'n1', 60), true);
    assert.is(await store.checkAndSet('key:1', 'n1', 60), false);
    assert.is(await store.checkAndSet('key', '1:n1', 60), true, 'API key and nonce cannot collide');
    assert.is(await store.checkAndSet('key:2', 'n1', 60), true, 'nonces are per API key');
    const key = prefix + nonceKey('key:1', 'n1');
    assert.is(key, `${prefix}5:key:1:n1`);
    const ttl = await clients[1].ttl(key);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    assert.is(await clients[1].get(key), '1');
  });

  R('the nonce is forgotten when its TTL runs out', async () => {
    const store = createRedisNonceStore(clients[0], { prefix });
    assert.is(await store.checkAndSet('k', 'short', 1), true);
    assert.is(await store.checkAndSet('k', 'short', 1), false);
    await clients[0].pExpire(prefix + nonceKey('k', 'short'), 1); // instead of waiting a second
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(await store.checkAndSet('k', 'short', 1), true);
  });

  R('the default prefix, and bad arguments', async () => {
    const store = createRedisNonceStore(clients[2]);
    const nonce = randomUUID();
    assert.is(await store.checkAndSet('k', nonce, 5), true);
    const key = DEFAULT_REDIS_PREFIX + nonceKey('k', nonce);
    assert.is(await clients[3].get(key), '1');
    await clients[3].del(key);
    try {
      await store.checkAndSet('k', nonce, 0);
      assert.unreachable('ttl 0 accepted');
    } catch (e) {
      assert.is((e as SigningError).code, 'INVALID_OPTION');
    }
    assert.throws(
      () => createRedisNonceStore({} as never),
      (e: SigningError) => e.code === 'INVALID_OPTION',
    );
  });

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
    assert.is(await clients[0].exists(prefix + nonceKey('partner-1', fresh)), 0);
  });

  R('a Redis failure rejects verification (fails closed)', async () => {
    const broken = {
      set: async () => {
        throw new Error('connection lost');
      },
    };
    const store = createRedisNonceStore(broken);
    try {
      await store.checkAndSet('k', 'n', 5);
      assert.unreachable('accepted without Redis');
    } catch (e) {
      assert.is((e as Error).message, 'connection lost');
    }
  });
}

R.run();
