/**
 * The faster G1 arithmetic of src/agent/g1-mul.ts against plain definitions (noble's generic
 * multiplication, a naive double-and-add by the full cofactor): same points, so the oracle vectors
 * pass for the right reason and keep passing if the shortcuts are touched.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { M, clearToSubgroup, mulPublic, mulSubgroup } from '../../src/agent/g1-mul.js';
import { mapToG1 } from '../../src/agent/hash-to-g1.js';
import { Fp, bytesToBigInt, g1Rhs, sqrtFp } from '../../src/agent/encoding.js';

const G = bls12_381.G1.Point.BASE;
const r = bls12_381.params.r;
const H_FULL = 0x396c8c005555e1568c00aaab0000aaabn; // SIGNING-AGENT.md §1

test('GLV: [k]Q equals noble multiply for random k and edge scalars', () => {
  const Q = G.multiply(0x1234567890abcdefn);
  const lambda = 0xd201000000010000n ** 2n - 1n;
  const scalars = [1n, 2n, lambda - 1n, lambda, lambda + 1n, r - 1n, r - 2n];
  for (let i = 0; i < 8; i++) scalars.push((bytesToBigInt(randomBytes(40)) % (r - 1n)) + 1n);
  for (const k of scalars) assert.ok(mulSubgroup(Q, k).equals(Q.multiply(k)), `k=${k}`);
});

test('full cofactor: [m]([1−x]P) equals naive [h]P for points outside the subgroup', () => {
  let x = bytesToBigInt(randomBytes(48)) % Fp.ORDER;
  let found = 0;
  while (found < 4) {
    x = Fp.add(x, 1n);
    const y = sqrtFp(g1Rhs(x));
    if (y === undefined) continue;
    const P = bls12_381.G1.Point.fromAffine({ x, y });
    assert.not.ok(P.isTorsionFree(), 'a random curve point is outside G1');
    const fast = mulPublic(clearToSubgroup(P), M);
    assert.ok(fast.equals(mulPublic(P, H_FULL)));
    assert.ok(fast.isTorsionFree());
    found++;
  }
});

test('mapToG1 is not noble clearCofactor (effective cofactor): the §10 pitfall', () => {
  const digest = new Uint8Array(randomBytes(48));
  let x = bytesToBigInt(digest) % Fp.ORDER;
  let y: bigint | undefined;
  for (;;) {
    y = sqrtFp(g1Rhs(x));
    if (y !== undefined) break;
    x = Fp.add(x, 1n);
  }
  const P = bls12_381.G1.Point.fromAffine({ x, y: (y & 1n) === 0n ? y : Fp.neg(y) });
  assert.ok(mapToG1(digest).equals(mulPublic(P, H_FULL)));
  assert.not.ok(mapToG1(digest).equals(P.clearCofactor()));
});

test.run();
