/**
 * `qredo-sign/qredo-api` (src/index.qredo-api.ts): the Qredo API half of the API with only the
 * HMAC half of webcrypto registered. Its golden and public HMAC vectors run in a child process
 * (test/entries/qredo-api-entry-child.ts) so that its registry is not the test process's. Also: registering a
 * backend's HMAC half alone never takes away the RSA half another entry registered.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/index.node.js';
import { registerBackend, selectBackends } from '../../src/backends/registry.js';
import { webcryptoBackend, webcryptoHmacBackend } from '../../src/backends/webcrypto.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', 'test/entries/qredo-api-entry-child.ts'], {
    cwd: root,
    encoding: 'utf8',
  }),
);

// Written out here, not derived from src/: the Partner API half is exactly what must be missing.
const PARTNER_HALF = [
  'initWasm', // not Partner API, but this entry has no wasm backend to initialise
  'createMemoryNonceStore',
  'createNonceSource',
  'createPartnerSigner',
  'defaultNonceStore',
  'partnerSigningInput',
  'rsaSign',
  'rsaVerify',
  'signPartnerRequest',
  'verifyPartnerRequest',
];

test('the entry exports the Qredo API half: every name of qredo-sign but the Partner API ones', () => {
  const all = Object.keys(api).sort();
  assert.equal(
    child.names,
    all.filter((n) => !PARTNER_HALF.includes(n)),
  );
  assert.ok(PARTNER_HALF.every((n) => all.includes(n)));
});

test('the entry registers webcrypto only; signSync says why it cannot sign', () => {
  assert.equal(child.backends, ['webcrypto']);
  assert.is(child.signerBackend, 'webcrypto');
  assert.is(child.syncCode, 'UNAVAILABLE_BACKEND');
  assert.is(child.unavailableCode, 'UNAVAILABLE_BACKEND');
});

test('the entry reproduces the Qredo API, secret and HMAC vectors on webcrypto', () => {
  assert.equal(child.report.failures, []);
  assert.is(child.report.passed, child.report.total);
  // Every suite ran, async only (webcrypto has no sync path; the secrets suite skips sync mode).
  const ran = child.groups.map((g: string) => g.split(':')[0]);
  for (const suite of ['qredo-api', 'secrets', 'rfc4231', 'rfc4648', 'wycheproof-hmac']) {
    assert.ok(ran.includes(`${suite}/async`), `${suite} did not run: ${ran}`);
  }
  assert.ok(child.report.total > 350, `only ${child.report.total} cases ran`);
});

test('an HMAC half registered after a whole backend leaves its RSA half in place', () => {
  registerBackend(webcryptoBackend);
  try {
    registerBackend(webcryptoHmacBackend);
    assert.is(selectBackends('webcrypto', 'hmac').async, webcryptoHmacBackend);
    assert.is(selectBackends('webcrypto', 'rsa').async, webcryptoBackend);
    assert.ok(api.availableBackends().includes('webcrypto'));
  } finally {
    registerBackend(webcryptoBackend);
  }
  assert.is(selectBackends('webcrypto', 'hmac').async, webcryptoBackend);
});

test.run();
