/**
 * AgentKeys: secrets stay out of inspect/JSON/String, are wiped on destroy(), and every wrong
 * input is refused with its code (contract §7). Expected key bytes come from the oracle vectors.
 */
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as agent from '../../src/agent.js';
import { blsVectors, hex, unhex } from './vectors-files.js';

const c = blsVectors.cases[2]; // the agent's Test_Smoke_Test: 48-byte message
const seed = () => unhex(c.seed);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return 'accepted';
}

test('no secret (hex or base64) in inspect, JSON, String, template or Object.keys', () => {
  const keys = agent.agentKeysFromSeed(seed());
  const texts = [
    inspect(keys),
    inspect(keys, { showHidden: true, depth: 10 }),
    JSON.stringify(keys),
    JSON.stringify({ keys }),
    String(keys),
    `${keys}`,
    Object.keys(keys).join(','),
  ];
  const secrets = [
    c.secretKey.slice(32),
    c.secretKeyBase64.slice(24),
    c.ecPrivateKey,
    c.ecPrivateKeyBase64.slice(0, 40),
    c.seed,
    c.seedBase64.slice(0, 40),
  ];
  for (const t of texts) for (const s of secrets) assert.not.ok(t.includes(s), `leak in ${t}`);
  assert.ok(JSON.stringify(keys).includes(c.blsPublicKeyBase64), 'public key is shown');
  // The holder can still read them on purpose (to store them).
  assert.is(hex(keys.blsSecretKey), c.secretKey);
});

test('destroy() zeroes the secret bytes and stops signing (attack: use after destroy)', () => {
  const keys = agent.agentKeysFromSeed(seed());
  const held = keys.blsSecretKey;
  const heldEc = keys.ecPrivateKey;
  assert.is(hex(keys.sign(unhex(c.message))), c.signature);
  keys.destroy();
  assert.ok(keys.destroyed);
  assert.ok(held.every((b) => b === 0));
  assert.ok(heldEc.every((b) => b === 0));
  assert.is(
    codeOf(() => keys.sign(unhex(c.message))),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => keys.blsSecretKey),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => keys.exportSecretRecord()),
    'INVALID_KEY',
  );
  assert.is(hex(keys.blsPublicKey), c.blsPublicKey, 'public parts stay');
});

test('public-key getters return copies (a caller cannot alter what gets registered)', () => {
  const keys = agent.agentKeysFromSeed(seed());
  keys.blsPublicKey.fill(0);
  assert.is(hex(keys.blsPublicKey), c.blsPublicKey);
});

test('seed checks: 48 bytes by default; empty refused even with anySeedLength', () => {
  assert.is(
    codeOf(() => agent.agentKeysFromSeed(new Uint8Array(47))),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => agent.agentKeysFromSeed(new Uint8Array(0), { anySeedLength: true })),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => agent.agentKeysFromSeed('seed' as unknown as Uint8Array)),
    'INVALID_KEY',
  );
  const odd = blsVectors.cases.find((x: { seed: string }) => x.seed.length === 2);
  assert.is(
    hex(agent.agentKeysFromSeed(unhex(odd.seed), { anySeedLength: true }).blsPublicKey),
    odd.blsPublicKey,
  );
});

test('import checks: lengths, base64, zero key (WEAK_KEY), EC key ≥ n, wrong types', () => {
  const ok = { blsPrivateKey: c.secretKeyBase64, ecPrivateKey: c.ecPrivateKeyBase64 };
  assert.is(hex(agent.importAgentKeys(ok).blsPublicKey), c.blsPublicKey);
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const zero = b64(new Uint8Array(48));
  const order = unhex('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001');
  const rKey = new Uint8Array(48);
  rKey.set(order, 16);
  const cases: [string, unknown, string][] = [
    ['zero BLS key', { ...ok, blsPrivateKey: zero }, 'WEAK_KEY'],
    ['BLS key equal to r (0 mod r)', { ...ok, blsPrivateKey: b64(rKey) }, 'WEAK_KEY'],
    ['32-byte BLS key', { ...ok, blsPrivateKey: b64(new Uint8Array(32).fill(1)) }, 'INVALID_KEY'],
    ['49-byte BLS key', { ...ok, blsPrivateKey: b64(new Uint8Array(49).fill(1)) }, 'INVALID_KEY'],
    ['not base64', { ...ok, blsPrivateKey: '!!!!' }, 'INVALID_KEY'],
    ['zero EC key', { ...ok, ecPrivateKey: b64(new Uint8Array(32)) }, 'INVALID_KEY'],
    [
      'EC key = 2^256-1 (≥ n)',
      { ...ok, ecPrivateKey: b64(new Uint8Array(32).fill(255)) },
      'INVALID_KEY',
    ],
    ['EC key missing', { blsPrivateKey: c.secretKeyBase64 }, 'INVALID_KEY'],
    ['v1 seed of 47 bytes', { blsSeed: b64(new Uint8Array(47).fill(3)) }, 'INVALID_KEY'],
    ['null', null, 'INVALID_KEY'],
  ];
  for (const [name, record, code] of cases) {
    assert.is(
      codeOf(() => agent.importAgentKeys(record as agent.AgentKeyRecord)),
      code,
      name,
    );
  }
});

test('blsSign refuses bad keys; blsVerify refuses forgeries (attacks) beside an honest control', () => {
  const keys = agent.agentKeysFromSeed(seed());
  const msg = unhex(c.message);
  const sig = agent.blsSign(keys.blsSecretKey, msg);
  assert.ok(agent.blsVerify(keys.blsPublicKey, msg, sig), 'control');
  const other = agent.agentKeysFromSeed(unhex(blsVectors.cases[4].seed));
  assert.not.ok(agent.blsVerify(other.blsPublicKey, msg, sig), 'another key');
  assert.not.ok(agent.blsVerify(keys.blsPublicKey, msg, other.sign(msg)), 'signed by another key');
  const tampered = msg.slice();
  tampered[0] ^= 1;
  assert.not.ok(agent.blsVerify(keys.blsPublicKey, tampered, sig), 'tampered message');
  const long = new Uint8Array(50);
  long.set(sig);
  assert.not.ok(agent.blsVerify(keys.blsPublicKey, msg, long), 'trailing byte (strict)');
  assert.ok(agent.blsVerify(keys.blsPublicKey, msg, long, { strict: false }), 'AMCL ignores it');
  assert.not.ok(agent.blsVerify(keys.blsPublicKey, msg, new Uint8Array(49)), 'all-zero signature');
  assert.not.ok(agent.blsVerify(new Uint8Array(192), msg, sig), 'all-zero public key');
  assert.is(
    codeOf(() => agent.blsSign(new Uint8Array(48), msg)),
    'WEAK_KEY',
  );
  assert.is(
    codeOf(() => agent.blsSign(new Uint8Array(32), msg)),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => agent.blsSign(keys.blsSecretKey, 'text' as unknown as Uint8Array)),
    'INVALID_ARGUMENT',
  );
});

test('generateAgentKeys: fresh keys every time, and they sign and verify', () => {
  const a = agent.generateAgentKeys();
  const b = agent.generateAgentKeys();
  assert.is.not(hex(a.blsPublicKey), hex(b.blsPublicKey));
  const m = new TextEncoder().encode('approve');
  assert.ok(agent.blsVerify(a.blsPublicKey, m, a.sign(m)));
});

test.run();
