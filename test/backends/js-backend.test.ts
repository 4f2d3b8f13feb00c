/**
 * What only the pure-JS backend has: the fault check before release (a fault injected into one
 * CRT half withholds the signature), its need for getRandomValues, typed errors for opaque and
 * destroyed keys, and that 'auto' never picks it for RSA while another backend exists. Its
 * HMAC-SHA256 and RSA results against node:crypto, with the other implementations', are in
 * hmac-equivalence.test.ts and rsa-equivalence.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { jsBackend } from '../../src/backends/js.js';
import { createJsRsaSigningKey } from '../../src/backends/js-rsa.js';
import { nodeBackend } from '../../src/backends/node.js';
import { availableBackends, registerBackend, selectBackends } from '../../src/backends/registry.js';
import { isSigningError } from '../../src/lib/errors.js';
import { codeOf } from '../support.js';
import { parseRsaPrivateKey } from '../../src/keys/keys.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const R = suite('js backend: RSA PKCS#1 v1.5 SHA-256');

const F2048 = (() => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
})();

const MESSAGES = [new Uint8Array(0), Uint8Array.of(0x61), randomBytes(150)];

R('a fault in one CRT half is caught and the signature withheld', () => {
  const material = parseRsaPrivateKey(F2048.pem);
  const faulty = createJsRsaSigningKey(material.components!, { faultHalfP: (m1) => m1 ^ 1n });
  let caught: unknown;
  try {
    faulty.sign(MESSAGES[2]);
  } catch (error) {
    caught = error;
  }
  assert.ok(isSigningError(caught));
  assert.is((caught as { code: string }).code, 'SIGNATURE_FAULT');
  const text = JSON.stringify(caught) + String(caught) + (caught as Error).stack;
  const p = hex(material.components!.p);
  assert.not.ok(text.includes(p.slice(0, 16)), 'the error quotes no key material');
  // The same seam passing the half through unchanged signs correctly: the check, not the seam,
  // is what refused.
  const honest = createJsRsaSigningKey(material.components!, { faultHalfP: (m1) => m1 });
  const expected = nodeSign('sha256', MESSAGES[2], F2048.privateKey).toString('hex');
  assert.is(hex(honest.sign(MESSAGES[2]) as Uint8Array), expected);
});

R('opaque keys, missing getRandomValues and destroyed keys are typed errors', () => {
  assert.is(
    codeOf(() => jsBackend.importRsaPrivateKey({ bits: 2048, native: {} })),
    'UNAVAILABLE_BACKEND',
  );
  assert.is(
    codeOf(() => jsBackend.importRsaPublicKey({ bits: 2048, native: {} })),
    'UNAVAILABLE_BACKEND',
  );
  const material = parseRsaPrivateKey(F2048.pem);
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
  try {
    assert.is(
      codeOf(() => jsBackend.importRsaPrivateKey(material)),
      'UNAVAILABLE_BACKEND',
    );
  } finally {
    Object.defineProperty(globalThis, 'crypto', descriptor);
  }
  const signer = jsBackend.importRsaPrivateKey(material);
  signer.destroy();
  assert.is(
    codeOf(() => signer.sign(MESSAGES[1])),
    'INVALID_OPTION',
  );
});

R("'auto' never picks js for RSA while another backend exists", () => {
  registerBackend(jsBackend);
  if (!availableBackends().includes('node')) registerBackend(nodeBackend);
  const rsa = selectBackends('auto', 'rsa');
  assert.is.not(rsa.async.name, 'js');
  assert.is.not(rsa.sync?.name, 'js');
});

R.run();
