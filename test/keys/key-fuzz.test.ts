/**
 * Key-parser fuzzing (issue 6): 10,000+ mutations of the 2048-bit test key in every accepted form
 * (PKCS#1/PKCS#8 PEM and DER, SPKI/PKCS#1 public PEM and DER, JWK objects and text) through
 * createPartnerSigner, rsaSign, rsaVerify and verifyPartnerRequest. See _key-fuzz-case.ts for what
 * each case must satisfy. Reproduce a failure with FUZZ_SEED=<seed printed below>; longer runs:
 * test/fuzz.mjs.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { api, errorOf } from '../support.js';
import { runKeyFuzz } from './fuzz/key-fuzz-run.js';
import { BASES, PRIVATE_JWK } from './fuzz/key-mutations.js';
import { writeDerTree, cloneTree } from './fuzz/der-tree.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = 10_000;
/** A case takes milliseconds; one that takes this long is a hang (a loop or a quadratic scan). */
const CASE_LIMIT_MS = 5_000;

const test = suite('key fuzz');

test(`${RUNS} mutated keys: only SigningErrors, the same key or refused, no hang`, async () => {
  console.log(`key fuzz: seed ${SEED}, ${RUNS} recipes (set FUZZ_SEED to replay)`);
  const result = await runKeyFuzz({ seed: SEED, runs: RUNS, caseLimitMs: CASE_LIMIT_MS });
  const s = result.stats;
  if (s) {
    console.log(
      `key fuzz: ${s.cases} cases, ${s.entryCalls} entry-point calls in ${(result.ms / 1000).toFixed(1)} s ` +
        `(slowest case ${s.maxCaseMs.toFixed(0)} ms); signed with the same key ${s.sameKeySigned}, ` +
        `public parsed ${s.publicParsed}; node:crypto agreed ${s.nodeAgreed}, only library ` +
        `${s.onlyLibrary}, only node ${s.onlyNode}; codes ${JSON.stringify(s.codes)}`,
    );
    for (const example of s.onlyLibraryExamples)
      console.log(`  accepted, OpenSSL refuses: ${example}`);
  }
  assert.ok(result.ok, result.message);
  assert.ok(s!.cases >= RUNS, `only ${s!.cases} cases ran`);
});

// ——— what the fuzzer found, pinned down ———

const DATA = new TextEncoder().encode('1700000000https://partner.example/api/v1/p/company');
const REFERENCE = nodeSign(
  'sha256',
  DATA,
  createPrivateKey({ key: PRIVATE_JWK as never, format: 'jwk' }),
);
const int = (f: string) => BigInt('0x' + Buffer.from(PRIVATE_JWK[f], 'base64url').toString('hex'));
const b64 = (v: bigint) =>
  Buffer.from(
    v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), '0'),
    'hex',
  ).toString('base64url');
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const [e, d, p, q] = ['e', 'd', 'p', 'q'].map(int);
const jwkWith = (over: Record<string, bigint>) => ({
  ...PRIVATE_JWK,
  ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, b64(v)])),
});

const pinned = suite('key parser: consistency and caller buffers');

pinned('a DER key in a node Buffer is read, never wiped: it signs again and again', async () => {
  const der = Buffer.from((BASES[1] as { der: Uint8Array }).der);
  const before = der.toString('hex');
  for (let i = 0; i < 3; i++) {
    const signature = await api.rsaSign(der, DATA, { backend: 'js' });
    assert.is(Buffer.from(signature).toString('hex'), REFERENCE.toString('hex'));
    api.createPartnerSigner({ apiKey: 'k', privateKey: der }).destroy();
  }
  assert.is(der.toString('hex'), before);
});

const phi = (p - 1n) * (q - 1n);
const lambda = phi / gcd(p - 1n, q - 1n);
const INCONSISTENT: [string, Record<string, bigint>][] = [
  ['d with one bit flipped', { d: d ^ 2n }],
  ['dp + 2', { dp: int('dp') + 2n }],
  ['dq − 2', { dq: int('dq') - 2n }],
  ['qi + 1', { qi: int('qi') + 1n }],
  ['e = 65539 with the same d', { e: 65539n }],
  ['p and q swapped (CRT values left as they were)', { p: q, q: p }],
  ['p, q and dp, dq swapped, qi left as it was', { p: q, q: p, dp: int('dq'), dq: int('dp') }],
];
for (const [name, over] of INCONSISTENT) {
  pinned(`refused as INVALID_KEY: ${name}`, async () => {
    for (const backend of ['node', 'js'] as const) {
      const error = await errorOf(() => api.rsaSign(jwkWith(over), DATA, { backend }));
      assert.is((error as { code?: string }).code, 'INVALID_KEY', backend);
    }
  });
}

const CONSISTENT: [string, Record<string, bigint>][] = [
  ['d reduced mod φ(n)', { d: inverse(e, phi) }],
  ['d reduced mod λ(n)', { d: inverse(e, lambda) }],
  [
    'p and q swapped with their CRT values and qi recomputed',
    { p: q, q: p, dp: int('dq'), dq: int('dp'), qi: inverse(p, q) },
  ],
];
for (const [name, over] of CONSISTENT) {
  pinned(`accepted, and signs as the original key: ${name}`, async () => {
    for (const backend of api.availableBackends()) {
      const signature = await api.rsaSign(jwkWith(over), DATA, { backend });
      assert.is(Buffer.from(signature).toString('hex'), REFERENCE.toString('hex'), backend);
    }
  });
}

pinned('refused as INVALID_KEY: a PKCS#1 RSAPrivateKey with a field after qInv', async () => {
  const tree = cloneTree((BASES[0] as { tree: Parameters<typeof cloneTree>[0] }).tree);
  tree.children!.push({
    tag: 0x02,
    offset: -1,
    headerLength: 2,
    length: 1,
    content: new Uint8Array([1]),
  });
  const error = await errorOf(() => api.rsaSign(writeDerTree(tree), DATA));
  assert.is((error as { code?: string }).code, 'INVALID_KEY');
});

test.run();
pinned.run();
