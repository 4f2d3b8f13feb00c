/**
 * The golden vectors of vectors/ (independent Python/OpenSSL generator) on every backend the Node
 * entry registers, through the one conformance runner (src/conformance/runner.ts). One uvu test per
 * (file, backend, mode), each asserting its exact case count so that nothing is silently skipped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as api from '../../src/index.node.js';
import {
  runGoldenVectors,
  type ConformanceApi,
  type ConformanceMode,
  type ConformanceReport,
  type GoldenFiles,
} from '../../src/conformance/runner.js';
import { loadVectorFiles } from '../../src/conformance/vector-files.js';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'));

const files: GoldenFiles = await loadVectorFiles(load, [
  'qredoApi',
  'partnerApi',
  'primitives',
  'secrets',
  'keys',
  'badKeys',
]);

const BACKENDS = api.availableBackends();
const SYNC: string[] = BACKENDS.filter((b) => b !== 'webcrypto');

/** Cases each suite must run: every vector, or one refusal check for signSync on an async-only backend. */
const expectedCases = (file: string, backend: string, mode: ConformanceMode): number => {
  if (mode === 'sync' && !SYNC.includes(backend)) return 1;
  const p = files.primitives!;
  return {
    'qredo-api': files.qredoApi!.vectors.length,
    'partner-api': files.partnerApi!.vectors.length,
    secrets: files.secrets!.valid.length + files.secrets!.invalid.length,
    primitives: p.hmac.length + p.rsa.length + p.base64url.length,
    'bad-keys': files.badKeys!.privateKeys.length + files.badKeys!.publicKeys.length,
  }[file]!;
};

const describe = (report: ConformanceReport) =>
  report.failures.slice(0, 15).map((f) => `${f.name}: ${f.message}`);

test('the vector files hold what the README promises', () => {
  assert.ok(files.qredoApi!.vectors.length >= 150);
  assert.ok(files.partnerApi!.vectors.length >= 60);
  assert.equal(Object.keys(files.keys!.keys).sort(), [
    'rsa2048',
    'rsa2048-e3',
    'rsa3072',
    'rsa4096',
  ]);
  assert.ok(BACKENDS.includes('node') && BACKENDS.includes('webcrypto'));
});

for (const backend of BACKENDS) {
  for (const [file, modes] of [
    ['qredo-api', ['async', 'sync']],
    ['partner-api', ['async', 'sync']],
    ['secrets', ['async', 'sync']],
    ['primitives', ['async']],
    ['bad-keys', ['async']],
  ] as const) {
    for (const mode of modes) {
      // secrets has no signSync refusal check of its own: the signing suites cover it.
      if (file === 'secrets' && mode === 'sync' && !SYNC.includes(backend)) continue;
      test(`${file} on ${backend} (${mode})`, async () => {
        const report = await runGoldenVectors(api, files, {
          backends: [backend],
          sync: SYNC,
          modes: [mode],
          only: [file],
        });
        assert.equal(describe(report), []);
        assert.is(report.total, expectedCases(file, backend, mode));
        assert.is(report.passed, report.total);
      });
    }
  }
}

// The runner itself must be able to fail: a library that is one character off is caught.
test('the runner reports a signature that is one character off', async () => {
  const tampered: ConformanceApi = {
    ...api,
    createQredoSigner(options) {
      const signer = api.createQredoSigner(options);
      const flip = (r: api.SignedRequest) => {
        const sig = r.headers['qredo-api-sig'];
        const last = sig.endsWith('A') ? 'B' : 'A';
        return { ...r, headers: { ...r.headers, 'qredo-api-sig': sig.slice(0, -1) + last } };
      };
      return {
        sign: async (req: never) => flip(await signer.sign(req)),
        signSync: (req: never) => flip(signer.signSync(req)),
      };
    },
  };
  const report = await runGoldenVectors(tampered, files, {
    backends: ['node'],
    modes: ['sync'],
    only: ['qredo-api'],
  });
  assert.is(report.failures.length, files.qredoApi!.vectors.length);
  assert.match(report.failures[0]!.message, /qredo-api-sig/);
});

test('the runner reports a wrong error code and an unavailable backend', async () => {
  const lax: ConformanceApi = {
    ...api,
    rsaVerify: async () => {
      throw new api.SigningError('INVALID_KEY', 'always');
    },
  };
  const report = await runGoldenVectors(lax, files, {
    backends: ['node', 'no-such-backend'],
    only: ['bad-keys'],
  });
  const weak = files.badKeys!.publicKeys.filter((k: { code: string }) => k.code !== 'INVALID_KEY');
  assert.is(report.failures.length, weak.length);
  assert.equal(report.skipped, [
    { backend: 'no-such-backend', reason: 'not available in this runtime or entry' },
  ]);
});

test.run();
