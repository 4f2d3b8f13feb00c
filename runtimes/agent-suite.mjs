/**
 * The Signing Agent vectors (vectors/signing-agent/, from an Apache Milagro oracle) run through the
 * public API of `qredo-sign/agent` only. Plain ESM with no import and no file access, so the same
 * runner serves the unit tests (test/agent/vectors.test.ts) and every runtime launcher; it is
 * handed the agent namespace and the two parsed vector files.
 */

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);

/** Secret key 1: its signature on m is H(m) itself (the vectors' `hashToG1Compressed`). */
const ONE = (() => {
  const k = new Uint8Array(48);
  k[47] = 1;
  return k;
})();

/**
 * @param {any} agent the `qredo-sign/agent` namespace
 * @param {{ bls: any, zkp: any }} files signing-agent-bls.json and signing-agent-v1-zkp.json
 * @returns {{ passed: number, total: number, failures: string[], groups: Record<string, [number, number]> }}
 */
export function runAgentVectors(agent, { bls, zkp }) {
  const result = { passed: 0, total: 0, failures: [], groups: {} };
  const check = (group, name, fn) => {
    const g = (result.groups[group] ??= [0, 0]);
    result.total++;
    g[1]++;
    let message;
    try {
      message = fn();
    } catch (error) {
      message = `threw ${error?.code ?? ''} ${error?.message ?? error}`;
    }
    if (message) result.failures.push(`${group} ${name}: ${message}`);
    else {
      result.passed++;
      g[0]++;
    }
  };
  const eq = (what, got, want) => (got === want ? undefined : `${what} ${got} != ${want}`);

  for (const c of bls.cases) {
    check('keys+sign', `case ${c.id}`, () => {
      const seed = unhex(c.seed);
      const keys = agent.agentKeysFromSeed(seed, { anySeedLength: seed.length !== 48 });
      const record = keys.exportSecretRecord();
      const json = keys.toJSON();
      const message = unhex(c.message);
      const sig = agent.blsSign(keys.blsSecretKey, message);
      const imported = agent.importAgentKeys({
        blsPrivateKey: c.secretKeyBase64,
        ecPrivateKey: c.ecPrivateKeyBase64,
      });
      const fromV1 = seed.length === 48 ? agent.importAgentKeys({ blsSeed: c.seedBase64 }) : keys;
      const failure =
        eq('secretKey', hex(keys.blsSecretKey), c.secretKey) ??
        eq('secretKeyBase64', record.blsPrivateKey, c.secretKeyBase64) ??
        eq('blsPublicKey', hex(keys.blsPublicKey), c.blsPublicKey) ??
        eq('blsPublicKeyBase64', json.blsPublicKey, c.blsPublicKeyBase64) ??
        eq('ecPrivateKey', hex(keys.ecPrivateKey), c.ecPrivateKey) ??
        eq('ecPrivateKeyBase64', record.ecPrivateKey, c.ecPrivateKeyBase64) ??
        eq('ecPublicKey', hex(keys.ecPublicKey), c.ecPublicKey) ??
        eq('ecPublicKeyBase64', json.ecPublicKey, c.ecPublicKeyBase64) ??
        eq('hashToG1', hex(agent.blsSign(ONE, message)), c.hashToG1Compressed) ??
        eq('signature', hex(sig), c.signature) ??
        eq('keys.sign', hex(keys.sign(message)), c.signature) ??
        eq('imported v2 signature', hex(imported.sign(message)), c.signature) ??
        eq('imported v1 public key', hex(fromV1.blsPublicKey), c.blsPublicKey) ??
        eq('verify', agent.blsVerify(keys.blsPublicKey, message, sig), true) ??
        eq('approve body', agent.decisionBody(sig, 'approve'), c.v2ApproveBody) ??
        eq('reject body', agent.decisionBody(sig, 'reject'), c.v2RejectBody) ??
        eq('register body', agent.registrationBody(keys), c.v2RegisterBody);
      for (const k of [keys, imported, fromV1]) k.destroy();
      return failure;
    });
  }

  for (const [i, s] of bls.csprng.entries()) {
    check('csprng', `stream ${i}`, () =>
      eq('bytes', hex(agent.amclSeedStream(unhex(s.seed), 200)), s.first200Bytes),
    );
  }

  check('agentGolden', 'TestBLSADD aggregate', () => {
    const g = bls.agentGolden;
    // sig12 = sig1 + sig2 must verify under pk12 = pk1 + pk2 (same message): BLS aggregation.
    return (
      eq('seed1 is case 0', bls.cases[0].seed, g.seed1) ??
      eq('seed2 is case 1', bls.cases[1].seed, g.seed2) ??
      eq(
        'aggregate verifies',
        agent.blsVerify(unhex(g.pk12), unhex(g.message), unhex(g.sig12)),
        true,
      )
    );
  });

  for (const [i, n] of bls.verifyNegatives.entries()) {
    const args = [unhex(n.blsPublicKey), unhex(n.message), unhex(n.signature)];
    // AMCL's verdict, reproduced with the lenient decoding; the strict default also refuses the
    // non-canonical x + p encoding (a second spelling of the same signature).
    check('verify (amcl)', `${i} ${n.comment}`, () =>
      eq('verdict', agent.blsVerify(...args, { strict: false }), n.amclVerifyRc === 0),
    );
    const nonCanonical = /NON-CANONICAL/.test(n.comment);
    check('verify (strict)', `${i} ${n.comment}`, () =>
      eq('verdict', agent.blsVerify(...args), n.amclVerifyRc === 0 && !nonCanonical),
    );
  }

  for (const [i, z] of zkp.cases.entries()) {
    check('x-api-zkp', `${i} TEST ${z.TEST}`, () => {
      const input = {
        zkpId: unhex(z.MPINId),
        zkpToken: unhex(z.TOKEN),
        pin: z.PIN,
        time: z.ET,
        randomScalar: unhex(z.X),
      };
      const r = agent.zkpOnePass(input);
      return (
        eq('U', hex(r.U), z.U) ??
        eq('V', hex(r.V), z.V) ??
        eq('Y', hex(r.Y), z.Y) ??
        eq('header', agent.zkpHeader(input), z.xApiZkpHeader)
      );
    });
  }
  result.failures = result.failures.slice(0, 20);
  return result;
}
