/**
 * Public suites through the conformance runner on every backend the Node entry registers:
 * RFC 4231 (HMAC-SHA-256), RFC 4648 (base64url), Wycheproof HMAC-SHA256, RSA PKCS#1 v1.5 SHA-256
 * verification (2048/3072/4096) and signing (SHA-256 groups; keys below 2048 bits must get
 * WEAK_KEY). Wycheproof "acceptable" verification cases must be rejected (see src/conformance/runner.ts).
 * Every case runs on every backend; no sampling is needed at the measured speeds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as api from '../../src/index.node.js';
import { runGoldenVectors, type GoldenFiles } from '../../src/conformance/runner.js';
import { loadVectorFiles } from '../../src/conformance/vector-files.js';
import type { WycheproofFile } from '../../src/conformance/types.js';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'));

const files: GoldenFiles = await loadVectorFiles(load, [
  'public.rfc4231',
  'public.rfc4648',
  'public.wycheproofHmac',
  'public.wycheproofRsaVerify',
  'public.wycheproofRsaSign',
]);

const sha256Tests = (docs: readonly WycheproofFile[]) =>
  docs.flatMap((d) => d.testGroups.filter((g) => g.sha === 'SHA-256')).flatMap((g) => g.tests)
    .length;

const pub = files.public!;
// Counts from the files themselves (vectors/public/wycheproof/README.md lists the same numbers).
const EXPECTED: Record<string, number> = {
  rfc4231: pub.rfc4231!.tests.length,
  rfc4648: pub.rfc4648!.vectors.length,
  'wycheproof-hmac': pub.wycheproofHmac!.numberOfTests!,
  'wycheproof-rsa-verify': pub.wycheproofRsaVerify!.reduce((n, d) => n + d.numberOfTests!, 0),
  'wycheproof-rsa-sign': sha256Tests(pub.wycheproofRsaSign!),
};

test('the public suites hold the documented number of cases', () => {
  assert.equal(EXPECTED, {
    rfc4231: 7,
    rfc4648: 18,
    'wycheproof-hmac': 174,
    'wycheproof-rsa-verify': 776,
    'wycheproof-rsa-sign': 44,
  });
});

for (const backend of api.availableBackends()) {
  for (const [file, count] of Object.entries(EXPECTED)) {
    test(`${file} on ${backend}`, async () => {
      const report = await runGoldenVectors(api, files, { backends: [backend], only: [file] });
      assert.equal(
        report.failures.slice(0, 15).map((f) => `${f.name}: ${f.message}`),
        [],
      );
      assert.is(report.total, count);
      assert.is(report.passed, count);
    });
  }
}

test.run();
