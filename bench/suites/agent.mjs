// The Signing Agent (issue 18): keys from a seed, BLS sign and BLS verify, through the built
// `qredo-sign/agent` entry. No other JavaScript implementation of the agent's scheme exists (the
// Go agent links Apache Milagro's C library), so the subject is measured alone, its output
// checked against the Milagro oracle vectors before it is timed; the aim in issue 18 is sign
// ≤ 5 ms and verify ≤ 40 ms per operation.
import { readFileSync } from 'node:fs';
import * as agent from 'qredo-sign/agent';

const vectors = JSON.parse(
  readFileSync(
    new URL('../../vectors/signing-agent/signing-agent-bls.json', import.meta.url),
    'utf8',
  ),
);
// Case 2: the seed and 48-byte message of the Go agent's own Test_Smoke_Test.
const c = vectors.cases[2];
const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const SUBJECT = 'qredo-sign/agent';

function suite(name, description, expected, make) {
  return {
    name,
    description,
    baseline: SUBJECT,
    bytes: c.messageLength,
    expected,
    subjects: [{ name: SUBJECT, setup: async () => ({ async: false, ...make() }) }],
  };
}

export function agentSuites() {
  const seed = unhex(c.seed);
  const message = unhex(c.message);
  const signature = unhex(c.signature);
  const keys = agent.agentKeysFromSeed(seed);
  const publicKey = keys.blsPublicKey;
  return [
    suite(
      'agent-keys-from-seed',
      'Signing Agent keys from a 48-byte seed (AMCL generator, G2 and secp256k1 public keys)',
      c.blsPublicKey,
      () => ({
        run: () => agent.agentKeysFromSeed(seed).destroy(),
        check: async () => hex(agent.agentKeysFromSeed(seed).blsPublicKey),
      }),
    ),
    suite(
      'agent-sign',
      `Signing Agent BLS signature of a ${c.messageLength}-byte message (hash to G1, scalar multiply)`,
      c.signature,
      () => ({
        run: () => keys.sign(message),
        check: async () => hex(keys.sign(message)),
      }),
    ),
    suite(
      'agent-verify',
      'Signing Agent BLS verification (two-pairing product, strict decoding, subgroup checks)',
      'true',
      () => ({
        run: () => {
          if (!agent.blsVerify(publicKey, message, signature)) throw new Error('did not verify');
        },
        check: async () => String(agent.blsVerify(publicKey, message, signature)),
      }),
    ),
  ];
}
