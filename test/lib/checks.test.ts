/**
 * The one definition of each shared type test (issue 15): what counts as a KeyObject, a CryptoKey,
 * a plain JSON body, and "now" in whole seconds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSecretKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { isCryptoKey, isKeyObject, isPlainJson } from '../../src/lib/checks.js';
import { currentTimestamp } from '../../src/lib/time.js';
import { currentTimestamp as reExported } from '../../src/scheme/signed-request.js';

test('isKeyObject: asymmetric node KeyObjects (the only kind keys are read from), nothing else', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  for (const key of [privateKey, publicKey]) assert.ok(isKeyObject(key), key.type);
  assert.not.ok(isKeyObject(createSecretKey(new Uint8Array(16))), 'secret KeyObject');
  const crypto = await webcrypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, [
    'sign',
  ]);
  for (const other of [null, undefined, {}, { export() {}, type: 'private' }, 'pem', crypto]) {
    assert.not.ok(isKeyObject(other), String(other));
  }
});

test('isCryptoKey: WebCrypto keys only', async () => {
  const key = await webcrypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  assert.ok(isCryptoKey(key));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  for (const other of [privateKey, {}, null, { type: 'secret', algorithm: {} }]) {
    assert.not.ok(isCryptoKey(other));
  }
});

test('isPlainJson: plain objects, null-prototype objects and arrays; no class instances', () => {
  for (const yes of [{}, { a: 1 }, Object.create(null), [], [1, 'x']]) assert.ok(isPlainJson(yes));
  for (const no of [new Date(0), new Map(), new Uint8Array(1), null, 'x', 1, () => 1]) {
    assert.not.ok(isPlainJson(no), String(no));
  }
});

test('currentTimestamp: whole Unix seconds as text, one definition re-exported', () => {
  assert.is(currentTimestamp(1_700_000_000_999), '1700000000');
  const before = Math.floor(Date.now() / 1000);
  const now = Number(currentTimestamp());
  assert.ok(now >= before && now <= before + 1);
  assert.is(reExported, currentTimestamp);
});

test.run();
