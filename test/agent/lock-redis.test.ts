/**
 * At-most-once approval across agent instances through the Redis lock, against a real
 * redis-server (started on loopback by test/verify/with-redis.mjs, or REDIS_URL) and the mock v2
 * server. Skipped with a message without redis-server, unless REQUIRE_REDIS=1.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { hasRedisServer, startRedis } from '../verify/with-redis.mjs';
import * as agentApi from '../../src/agent.js';
import { startMockV2, type MockV2 } from './mock-v2.js';
import { blsVectors, unhex } from './vectors-files.js';

async function connect(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  return client.connect();
}
type Client = Awaited<ReturnType<typeof connect>>;

const L = suite('agent approval lock (redis)');
const available = process.env.REDIS_URL !== undefined || hasRedisServer();
const API_KEY = 'agent-key-1';
const SECRET = new Uint8Array(randomBytes(32));

if (!available) {
  const message = 'redis-server not found and REDIS_URL not set (apt-get install -y redis-server)';
  if (process.env.REQUIRE_REDIS === '1')
    L('redis-server is required', () => assert.unreachable(message));
  else console.warn(`\n  SKIPPED agent lock: ${message}\n`);
} else {
  let server: { url: string; stop(): Promise<void> } | undefined;
  let url = '';
  const clients: Client[] = [];
  const prefix = `test:${randomUUID()}:`;
  let mock: MockV2;

  const instance = (client: Client, ttlMs = 60_000) =>
    agentApi.createSigningAgent({
      apiKey: API_KEY,
      secret: Buffer.from(SECRET).toString('base64url'),
      baseUrl: mock.base,
      workspaceId: mock.workspaceId,
      keys: agentApi.agentKeysFromSeed(unhex(blsVectors.cases[0].seed)),
      lock: agentApi.createRedisApprovalLock(client, { prefix, ttlMs }),
    });

  L.before(async () => {
    url = process.env.REDIS_URL ?? '';
    if (!url) {
      server = await startRedis();
      url = server.url;
    }
    for (let i = 0; i < 4; i++) clients.push(await connect(url));
    mock = await startMockV2({ apiKey: API_KEY, secret: SECRET });
    await instance(clients[0]).register(API_KEY);
  });

  L.after(async () => {
    await mock.close();
    for (const client of clients) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(keys);
      await client.close();
    }
    await server?.stop();
  });

  L('four instances race on one action: exactly one POST, the others ACTION_LOCKED', async () => {
    const agents = clients.map((c) => instance(c));
    const a = mock.addAction([randomBytes(32)]);
    const before = mock.decisions.length;
    const outcomes = await Promise.allSettled(agents.map((x) => x.approve(a.id)));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const locked = outcomes.filter(
      (o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'ACTION_LOCKED',
    );
    assert.is(ok.length, 1);
    assert.is(locked.length, 3);
    assert.is(mock.decisions.length - before, 1, 'one request reached the server');
    assert.ok(mock.decisions.at(-1)!.accepted);
    // Decided: it stays locked (done marker with its own TTL), so a late instance does not re-send.
    assert.match(String(await clients[1].get(`${prefix}${a.id}`)), /^done:/);
    assert.is(
      await agents[2].approve(a.id).catch((e: { code?: string }) => e.code),
      'ACTION_LOCKED',
    );
  });

  L('a crashed holder: its lock expires (PX) and another instance approves', async () => {
    const a = mock.addAction([randomBytes(32)]);
    const crashed = agentApi.createRedisApprovalLock(clients[0], { prefix, ttlMs: 150 });
    assert.ok(await crashed.acquire(a.id), 'the holder takes the lock, then "crashes"');
    const other = instance(clients[1]);
    assert.is(await other.approve(a.id).catch((e: { code?: string }) => e.code), 'ACTION_LOCKED');
    const pttl = await clients[2].pTTL(`${prefix}${a.id}`);
    assert.ok(pttl > 0 && pttl <= 150, `pttl ${pttl}`);
    await new Promise((r) => setTimeout(r, 250));
    const result = await other.approve(a.id);
    assert.is(result.decision, 'approve');
    assert.ok(mock.decisions.at(-1)!.accepted);
  });

  L('Redis unreachable: LOCK_UNAVAILABLE and nothing is sent (fail closed)', async () => {
    const dead = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
    dead.on('error', () => {});
    const a = mock.addAction([randomBytes(32)]);
    const before = mock.decisions.length;
    const agent = agentApi.createSigningAgent({
      apiKey: API_KEY,
      secret: Buffer.from(SECRET).toString('base64url'),
      baseUrl: mock.base,
      workspaceId: mock.workspaceId,
      keys: agentApi.agentKeysFromSeed(unhex(blsVectors.cases[0].seed)),
      lock: agentApi.createRedisApprovalLock(dead as unknown as agentApi.RedisLockClient, {
        prefix,
      }),
    });
    assert.is(
      await agent.approve(a.id).catch((e: { code?: string }) => e.code),
      'LOCK_UNAVAILABLE',
    );
    assert.is(mock.decisions.length, before);
  });

  L('bad options are refused', () => {
    assert.throws(
      () => agentApi.createRedisApprovalLock({} as never),
      (e: { code?: string }) => e.code === 'INVALID_OPTION',
    );
    assert.throws(
      () => agentApi.createRedisApprovalLock(clients[0], { ttlMs: 0 }),
      (e: { code?: string }) => e.code === 'INVALID_OPTION',
    );
  });
}

L.run();
