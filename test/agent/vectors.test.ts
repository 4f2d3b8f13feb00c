/**
 * Every vector of vectors/signing-agent/ (an Apache Milagro oracle, SIGNING-AGENT.md §12) through
 * the public `qredo-sign/agent` API, with the same runner the cross-runtime suite uses, plus the
 * pieces that need Node: SHAKE256 against node:crypto, and the M-Pin server check by pairing.
 */
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import * as agent from '../../src/agent.js';
import { runAgentVectors } from '../../runtimes/agent-suite.mjs';
import { decodeG1, decodeG2, R, bytesToBigInt } from '../../src/agent/encoding.js';
import { mapToG1 } from '../../src/agent/hash-to-g1.js';
import { blsVectors, zkpVectors, hex, unhex } from './vectors-files.js';

test('every signing-agent vector passes (keys, signatures, bodies, CSPRNG, verdicts, x-api-zkp)', () => {
  const result = runAgentVectors(agent, { bls: blsVectors, zkp: zkpVectors });
  assert.equal(result.failures, []);
  assert.equal(result.groups, {
    'keys+sign': [124, 124],
    csprng: [4, 4],
    agentGolden: [1, 1],
    'verify (amcl)': [21, 21],
    'verify (strict)': [21, 21],
    'x-api-zkp': [18, 18],
  });
});

test('SHAKE256 samples: node:crypto (OpenSSL) agrees with the vectors, 48-byte output', () => {
  for (const s of blsVectors.shake256) {
    const digest = createHash('shake256', { outputLength: 48 }).update(unhex(s.message)).digest();
    assert.is(digest.toString('hex'), s.shake256_48);
  }
});

test('M-Pin server check (e(V,Q)·e(U+[y]HID, sQ) = 1) gives the oracle verdict for every case', () => {
  const { Fp12 } = bls12_381.fields;
  for (const z of zkpVectors.cases) {
    const r = agent.zkpOnePass({
      zkpId: unhex(z.MPINId),
      zkpToken: unhex(z.TOKEN),
      pin: z.PIN,
      time: z.ET,
      randomScalar: unhex(z.X),
    });
    const digest = new Uint8Array(48);
    digest.set(createHash('sha256').update(unhex(z.MPINId)).digest(), 16);
    const hid = mapToG1(digest);
    const y = bytesToBigInt(r.Y) % R;
    const U = decodeG1(r.U, true)!;
    const V = decodeG1(r.V, true)!;
    const sQ = decodeG2(unhex(z.SS), true)!;
    const product = bls12_381.pairingBatch([
      { g1: V, g2: bls12_381.G2.Point.BASE },
      { g1: U.add(hid.multiply(y)), g2: sQ },
    ]);
    assert.is(Fp12.eql(product, Fp12.ONE), z.serverRc === 0, `TEST ${z.TEST}`);
  }
});

test('a wrong PIN changes V and the server refuses it (attack: guessing the PIN)', () => {
  const z = zkpVectors.cases.find((c: { serverRc: number }) => c.serverRc === 0);
  const input = {
    zkpId: unhex(z.MPINId),
    zkpToken: unhex(z.TOKEN),
    pin: z.PIN,
    time: z.ET,
    randomScalar: unhex(z.X),
  };
  assert.is(hex(agent.zkpOnePass(input).V), z.V);
  assert.is.not(hex(agent.zkpOnePass({ ...input, pin: (z.PIN + 1) % 10000 }).V), z.V);
});

test('x-api-zkp: fresh x per request (two headers differ), and bad inputs are refused', () => {
  const z = zkpVectors.cases[0];
  const base = { zkpId: unhex(z.MPINId), zkpToken: unhex(z.TOKEN), pin: z.PIN, time: z.ET };
  assert.is.not(agent.zkpHeader(base), agent.zkpHeader(base));
  const codeOf = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return 'accepted';
  };
  assert.is(
    codeOf(() => agent.zkpHeader({ ...base, zkpToken: unhex(z.TOKEN).slice(0, 96) })),
    'INVALID_KEY',
  );
  const offCurve = unhex(z.TOKEN);
  offCurve[96] ^= 1;
  assert.is(
    codeOf(() => agent.zkpHeader({ ...base, zkpToken: offCurve })),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => agent.zkpHeader({ ...base, pin: -1 })),
    'INVALID_KEY',
  );
  assert.is(
    codeOf(() => agent.zkpHeader({ ...base, time: 2 ** 32 })),
    'INVALID_TIMESTAMP',
  );
  assert.is(
    codeOf(() => agent.zkpHeader({ ...base, zkpId: new Uint8Array(0) })),
    'INVALID_ARGUMENT',
  );
});

test.run();
