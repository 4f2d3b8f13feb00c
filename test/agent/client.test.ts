/**
 * createSigningAgent end to end against the mock v2 server (test/agent/mock-v2.ts): registration,
 * approve, reject, the feed with reconnection and expiry, the policy hook, and the attacks the
 * mock must refuse (a signature by an unregistered key, a forged body).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import * as agentApi from '../../src/agent.js';
import type { WebSocketConstructor } from '../../src/agent.js';
import { startMockV2, type MockV2 } from './mock-v2.js';
import { blsVectors, unhex } from './vectors-files.js';

const API_KEY = 'agent-key-1';
const SECRET_BYTES = new Uint8Array(randomBytes(32));
const SECRET = Buffer.from(SECRET_BYTES).toString('base64url');
const WS = WebSocket as unknown as WebSocketConstructor;

const T = suite('signing agent (mock v2)');
let mock: MockV2;

T.before.each(async () => {
  mock = await startMockV2({ apiKey: API_KEY, secret: SECRET_BYTES });
});
T.after.each(async () => {
  await mock.close();
});

function makeAgent(extra: Partial<agentApi.SigningAgentOptions> = {}, seedCase = 0) {
  const lines: string[] = [];
  const agent = agentApi.createSigningAgent({
    apiKey: API_KEY,
    secret: SECRET,
    baseUrl: mock.base,
    workspaceId: mock.workspaceId,
    keys: agentApi.agentKeysFromSeed(unhex(blsVectors.cases[seedCase].seed)),
    feed: { WebSocket: WS, initialDelayMs: 20, maxDelayMs: 50 },
    log: (line) => lines.push(line),
    ...extra,
  });
  return { agent, lines };
}

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return 'accepted';
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

T(
  'register: PUTs the exact v2 body and approves the returned action with the new key',
  async () => {
    const { agent } = makeAgent();
    const { actionId } = await agent.register(API_KEY);
    const c = blsVectors.cases[0];
    assert.is(mock.registered.get(API_KEY)?.body, c.v2RegisterBody, 'byte-exact body (oracle)');
    assert.equal(
      mock.decisions.map((d) => [d.actionId, d.status, d.accepted]),
      [[actionId, 3, true]],
    );
  },
);

T('approve and reject: status 3 / 4, the same signature, verified by the mock', async () => {
  const { agent } = makeAgent();
  await agent.register(API_KEY);
  const message = unhex(blsVectors.cases[0].message);
  const a = mock.addAction([message, new Uint8Array([1, 2, 3])], 9999); // an unknown status: not gated
  const b = mock.addAction([message]);
  const approved = await agent.approve(a.id);
  const rejected = await agent.reject(b.id);
  assert.is(approved.signature, blsVectors.cases[0].signature, 'oracle signature of messages[0]');
  assert.is(rejected.signature, approved.signature);
  const last = mock.decisions.slice(-2);
  assert.equal(
    last.map((d) => [d.status, d.accepted]),
    [
      [3, true],
      [4, true],
    ],
  );
  const fetched = await agent.action(a.id);
  assert.equal(fetched.messages[1], new Uint8Array([1, 2, 3]));
});

T('attack: an agent whose key is not the registered one is refused by the server', async () => {
  const { agent: honest } = makeAgent();
  await honest.register(API_KEY);
  const { agent: intruder } = makeAgent({}, 4); // same API credentials, other BLS key
  const a = mock.addAction([randomBytes(32)]);
  assert.is(await codeOf(() => intruder.approve(a.id)), 'AGENT_REQUEST_FAILED');
  assert.equal(mock.decisions.at(-1), {
    actionId: a.id,
    status: 3,
    signature: mock.decisions.at(-1)!.signature,
    accepted: false,
    reason: 'bad signature',
  });
  const ok = await honest.approve(a.id);
  assert.ok(mock.decisions.at(-1)!.accepted, `control: ${ok.signature}`);
});

T(
  'attack: a signature over another message (replayed from a different action) is refused',
  async () => {
    const { agent } = makeAgent();
    await agent.register(API_KEY);
    const a = mock.addAction([randomBytes(32)]);
    const b = mock.addAction([randomBytes(32)]);
    const { signature } = await agent.approve(a.id);
    // Replay a's signature for b with a raw request.
    const token = await (await fetch(`${mock.base}/workspaces/${mock.workspaceId}/token`)).status;
    assert.is(token, 401, 'unsigned token request refused');
    const session = (await import('../../src/client/token-session.js')).createQredoTokenSession({
      apiKey: API_KEY,
      secret: SECRET,
      baseUrl: mock.base,
      workspaceId: mock.workspaceId,
    });
    const res = await session.fetch(`${mock.base}/actions/${b.id}`, {
      method: 'POST',
      body: `{"status":3,"signatures":["${signature}"]}`,
    });
    assert.is(res.status, 401);
    assert.is(mock.decisions.at(-1)!.reason, 'bad signature');
  },
);

T('errors name the call and status, never the token or secret', async () => {
  const { agent } = makeAgent();
  const e = await agent.approve('no-such-action').catch((x: unknown) => x as Error);
  assert.is((e as { code?: string }).code, 'AGENT_REQUEST_FAILED');
  assert.match(String(e), /HTTP 404/);
  assert.not.ok(String(e).includes(SECRET));
  assert.is(await codeOf(() => agent.approve('../token')), 'INVALID_ARGUMENT');
  const { agent: wrong } = makeAgent({
    secret: Buffer.from(randomBytes(32)).toString('base64url'),
  });
  const e2 = await wrong.approve('x').catch((x: unknown) => x as Error);
  assert.is((e2 as { code?: string }).code, 'TOKEN_REQUEST_FAILED');
});

T(
  'feed: yields live actions (base64 decoded), drops expired and malformed ones, redacts the token',
  async () => {
    const { agent, lines } = makeAgent();
    const controller = new AbortController();
    const got: agentApi.AgentAction[] = [];
    const done = (async () => {
      for await (const a of agent.feed({ signal: controller.signal })) {
        got.push(a);
        if (got.length === 2) controller.abort();
      }
    })();
    await until(() => mock.feedClients() === 1);
    const expired = mock.addAction([randomBytes(8)]);
    expired.expireTime = Math.floor(Date.now() / 1000) - 1;
    mock.push(expired);
    mock.push('{"id":"x","messages":[null]}');
    mock.push('not json');
    const live = mock.addAction([new Uint8Array([0xfb, 0xff, 0x00])]);
    mock.push(live);
    // Reconnection: the server drops the socket; the agent opens a new one with a fresh token.
    await until(() => got.length === 1);
    mock.dropFeeds();
    await until(() => mock.upgrades.length === 2 && mock.feedClients() === 1);
    const after = mock.addAction([new Uint8Array([7])]);
    mock.push(after);
    await done;
    assert.equal(
      got.map((a) => a.id),
      [live.id, after.id],
    );
    assert.equal(got[0].messages[0], new Uint8Array([0xfb, 0xff, 0x00]));
    assert.ok(mock.upgrades.length >= 2, 'reconnected');
    const all = lines.join('\n');
    for (const u of mock.upgrades) {
      const t = new URL(u).searchParams.get('token')!;
      assert.not.ok(all.includes(t), 'feed token in a log line');
    }
    assert.match(all, /token=REDACTED/);
    assert.match(all, /dropped expired action/);
  },
);

T('listen: the default policy approves nothing; a policy approves and rejects', async () => {
  const { agent } = makeAgent();
  await agent.register(API_KEY);
  const before = mock.decisions.length;
  const controller = new AbortController();
  const idle = agent.listen({ signal: controller.signal });
  await until(() => mock.feedClients() === 1);
  mock.push(mock.addAction([randomBytes(16)]));
  await new Promise((r) => setTimeout(r, 200));
  controller.abort();
  await idle;
  await until(() => mock.feedClients() === 0);
  assert.is(mock.decisions.length, before, 'nothing approved by default');

  const yes = mock.addAction([randomBytes(16)]);
  const no = mock.addAction([randomBytes(16)]);
  const { agent: auto } = makeAgent({
    policy: (a) => (a.id === yes.id ? 'approve' : a.id === no.id ? 'reject' : 'ignore'),
  });
  const c2 = new AbortController();
  const upgradesBefore = mock.upgrades.length;
  const running = auto.listen({ signal: c2.signal });
  await until(() => mock.upgrades.length === upgradesBefore + 1);
  await until(() => mock.feedClients() === 1);
  mock.push(yes);
  mock.push(no);
  mock.push(yes); // a repeat is decided once
  await until(() => mock.decisions.length === before + 2);
  await new Promise((r) => setTimeout(r, 100));
  c2.abort();
  await running;
  assert.equal(
    mock.decisions.slice(before).map((d) => [d.actionId, d.status, d.accepted]),
    [
      [yes.id, 3, true],
      [no.id, 4, true],
    ],
  );
});

T('listen: pendingStatus, when configured, filters what the policy sees', async () => {
  const seen: number[] = [];
  const { agent } = makeAgent({
    pendingStatus: 1,
    policy: (a) => (seen.push(a.status!), 'ignore'),
  });
  const controller = new AbortController();
  const running = agent.listen({ signal: controller.signal });
  await until(() => mock.feedClients() === 1);
  mock.push(mock.addAction([randomBytes(4)], 2));
  mock.push(mock.addAction([randomBytes(4)], 1));
  await until(() => seen.length === 1);
  controller.abort();
  await running;
  assert.equal(seen, [1]);
});

T(
  'feed: a handshake that fails or gives no ws(s) URL is retried, then given up (maxAttempts)',
  async () => {
    let calls = 0;
    const { agent, lines } = makeAgent({
      feed: {
        WebSocket: WS,
        initialDelayMs: 5,
        maxAttempts: 3,
        handshake: async () => {
          calls++;
          if (calls === 1) throw new Error('refused');
          return { url: calls === 2 ? 'https://example.invalid/?token=SECRETTOKEN' : 'not a url' };
        },
      },
    });
    const code = await (async () => {
      for await (const _ of agent.feed()) void _;
    })().catch((e: { code?: string }) => e.code);
    assert.is(code, 'AGENT_REQUEST_FAILED');
    assert.is(calls, 3);
    assert.not.ok(lines.join('\n').includes('SECRETTOKEN'));
  },
);

T('destroy(): keys wiped, calls refused', async () => {
  const keys = agentApi.agentKeysFromSeed(unhex(blsVectors.cases[0].seed));
  const held = keys.blsSecretKey;
  const { agent } = makeAgent({ keys });
  agent.destroy();
  assert.ok(held.every((b) => b === 0));
  assert.is(await codeOf(() => agent.approve('a')), 'INVALID_OPTION');
});

T.run();
