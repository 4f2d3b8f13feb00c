// Key import in a warm process: each operation creates a signer from the secret or PEM as the user
// holds it, signs one ~150-byte request and drops the key. This is what a one-shot call
// (`signQredoRequest`, `signPartnerRequest`) or a signer made per request costs. Fresh processes
// (cold module caches, first WASM instantiation) are measured by cold-start.mjs instead.
import { createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { createHMAC, createSHA256 } from 'hash-wasm';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import CryptoJS from 'crypto-js';
import NodeRSA from 'node-rsa';
import forge from 'node-forge';
import { CHECK_TIMESTAMP } from '../fixtures.mjs';
import { backendSubjects, nowSeconds, qredoSign } from './common.mjs';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** A subject whose every operation is `once(timestamp)`, sync or async, returning the signature. */
function oneShot(once, isAsync) {
  return {
    async: isAsync,
    run: () => once(undefined),
    check: async () => once(CHECK_TIMESTAMP),
  };
}

/** Whether the explicit backend signs synchronously (webcrypto does not). */
const isAsyncBackend = (backend) => backend === 'webcrypto';

function hmacImportSuite(fx) {
  const { method, url, body } = fx.small;
  const expected = createHmac('sha256', Buffer.from(fx.secret, 'base64'))
    .update(CHECK_TIMESTAMP + method + url + body)
    .digest('base64url');
  const qredo = backendSubjects((backend) => {
    const once = (timestamp) => {
      const signer = qredoSign.createQredoSigner({ apiKey: fx.apiKey, secret: fx.secret, backend });
      const request = { method, url, body, timestamp };
      if (isAsyncBackend(backend)) {
        return signer.sign(request).then((signed) => {
          signer.destroy();
          return signed.headers['qredo-api-sig'];
        });
      }
      const signature = signer.signSync(request).headers['qredo-api-sig'];
      signer.destroy();
      return signature;
    };
    return oneShot(once, isAsyncBackend(backend));
  });
  const input = (ts) => (ts ?? nowSeconds()) + method + url + body;
  const peers = [
    [
      'node:crypto',
      false,
      (ts) =>
        createHmac('sha256', Buffer.from(fx.secret, 'base64'))
          .update(input(ts))
          .digest('base64url'),
    ],
    [
      'hash-wasm',
      true,
      async (ts) => {
        const mac = await createHMAC(createSHA256(), Buffer.from(fx.secret, 'base64'));
        mac.update(input(ts));
        return Buffer.from(mac.digest('binary')).toString('base64url');
      },
    ],
    [
      '@noble/hashes',
      false,
      (ts) => {
        const tag = hmac(sha256, Buffer.from(fx.secret, 'base64'), utf8ToBytes(input(ts)));
        return Buffer.from(tag).toString('base64url');
      },
    ],
    [
      'crypto-js',
      false,
      (ts) =>
        CryptoJS.HmacSHA256(input(ts), CryptoJS.enc.Base64.parse(fx.secret)).toString(
          CryptoJS.enc.Base64url,
        ),
    ],
  ].map(([name, isAsync, once]) => ({ name, setup: async () => oneShot(once, isAsync) }));
  return {
    name: 'key-import-hmac',
    description: 'Create a Qredo API signer from the base64 secret, sign one request, drop it',
    expected,
    subjects: [...qredo, ...peers],
  };
}

/** PEM → DER for WebCrypto, as a user without a helper library writes it. */
const pemToDer = (pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

function rsaImportSuite(fx) {
  const keys = fx.rsa2048;
  const pem = keys.pkcs1Pem;
  const { url, body } = fx.small;
  const input = (ts) => (ts ?? nowSeconds()) + url + body;
  const expected = cryptoSign(
    'sha256',
    Buffer.from(input(CHECK_TIMESTAMP)),
    createPrivateKey(pem),
  ).toString('base64url');
  const qredo = backendSubjects((backend) => {
    const once = (timestamp) => {
      const signer = qredoSign.createPartnerSigner({ apiKey: fx.apiKey, privateKey: pem, backend });
      const request = { url, body, timestamp };
      if (isAsyncBackend(backend)) {
        return signer.sign(request).then((signed) => {
          signer.destroy();
          return signed.headers['x-sign'];
        });
      }
      const signature = signer.signSync(request).headers['x-sign'];
      signer.destroy();
      return signature;
    };
    return oneShot(once, isAsyncBackend(backend));
  });
  // crypto.subtle cannot import PKCS#1: a user converts with openssl once and keeps PKCS#8.
  const pkcs8Pem = createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' });
  const peers = [
    [
      'node:crypto',
      false,
      (ts) =>
        cryptoSign('sha256', Buffer.from(input(ts)), createPrivateKey(pem)).toString('base64url'),
    ],
    [
      'node-rsa',
      false,
      (ts) => {
        const key = new NodeRSA(pem, 'pkcs1-private-pem', {
          environment: 'browser',
          signingScheme: 'pkcs1-sha256',
        });
        return Buffer.from(key.sign(Buffer.from(input(ts)))).toString('base64url');
      },
    ],
    [
      'node-forge',
      false,
      (ts) => {
        const key = forge.pki.privateKeyFromPem(pem);
        const md = forge.md.sha256.create();
        md.update(input(ts), 'utf8');
        return Buffer.from(key.sign(md), 'binary').toString('base64url');
      },
    ],
    [
      'crypto.subtle',
      true,
      async (ts) => {
        const key = await crypto.subtle.importKey('pkcs8', pemToDer(pkcs8Pem), RSA, false, [
          'sign',
        ]);
        const sig = await crypto.subtle.sign(RSA, key, new TextEncoder().encode(input(ts)));
        return Buffer.from(sig).toString('base64url');
      },
    ],
  ].map(([name, isAsync, once]) => ({ name, setup: async () => oneShot(once, isAsync) }));
  return {
    name: 'key-import-rsa2048',
    description:
      'Create a Partner API signer from a PKCS#1 PEM (RSA-2048), sign one request, drop it',
    expected,
    subjects: [...qredo, ...peers],
  };
}

export function keyImportSuites(fx) {
  return [hmacImportSuite(fx), rsaImportSuite(fx)];
}
