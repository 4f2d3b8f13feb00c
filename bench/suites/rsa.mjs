// Partner API signing (contract §1.2) and its verification: qredo-sign on each backend against the
// code a user would write with node:crypto, node-rsa's pure-JS engine, node-forge or WebCrypto.
// Keys are imported once per subject, outside the measurement.
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';
import NodeRSA from 'node-rsa';
import forge from 'node-forge';
import { CHECK_TIMESTAMP } from '../fixtures.mjs';
import { backendSubjects, nowSeconds, qredoSign, signerSubject } from './common.mjs';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const encoder = new TextEncoder();

/** node-rsa's pure-JS engine, forced on Node with environment 'browser' (jsbn by default there). */
function nodeRsa(keyData, format, bigIntImpl) {
  const options = { environment: 'browser', signingScheme: 'pkcs1-sha256' };
  if (bigIntImpl) options.bigIntImpl = bigIntImpl;
  return new NodeRSA(keyData, format, options);
}

/** A hand-written Partner API signer: `signBytes(input)` returns the signature bytes. */
function handSigner(apiKey, { url, body }, signBytes, isAsync = false) {
  const finish = (ts, signature) => ({
    'x-api-key': apiKey,
    'x-timestamp': ts,
    'x-sign': Buffer.from(signature).toString('base64url'),
  });
  const sign = (timestamp) => {
    const ts = timestamp ?? nowSeconds();
    const signature = signBytes(ts + url + body);
    return isAsync ? signature.then((s) => finish(ts, s)) : finish(ts, signature);
  };
  return {
    async: isAsync,
    run: () => sign(undefined),
    check: async () => (await sign(CHECK_TIMESTAMP))['x-sign'],
  };
}

function signPeers(fx, keys, request) {
  const pem = keys.pkcs1Pem;
  return [
    {
      name: 'node:crypto',
      setup: async () => {
        const key = createPrivateKey(pem);
        return handSigner(fx.apiKey, request, (text) =>
          cryptoSign('sha256', Buffer.from(text), key),
        );
      },
    },
    {
      name: 'node-rsa',
      setup: async () => {
        const key = nodeRsa(pem, 'pkcs1-private-pem');
        return handSigner(fx.apiKey, request, (text) => key.sign(Buffer.from(text)));
      },
    },
    {
      name: 'node-rsa/native-bigint',
      setup: async () => {
        const key = nodeRsa(pem, 'pkcs1-private-pem', 'native');
        return handSigner(fx.apiKey, request, (text) => key.sign(Buffer.from(text)));
      },
    },
    {
      name: 'node-forge',
      setup: async () => {
        const key = forge.pki.privateKeyFromPem(pem);
        return handSigner(fx.apiKey, request, (text) => {
          const md = forge.md.sha256.create();
          md.update(text, 'utf8');
          return Buffer.from(key.sign(md), 'binary');
        });
      },
    },
    {
      name: 'crypto.subtle',
      setup: async () => {
        const key = await crypto.subtle.importKey('pkcs8', keys.pkcs8Der, RSA, false, ['sign']);
        return handSigner(
          fx.apiKey,
          request,
          async (text) => new Uint8Array(await crypto.subtle.sign(RSA, key, encoder.encode(text))),
          true,
        );
      },
    },
  ];
}

function signSuite(name, fx, keys) {
  const request = fx.small;
  const expected = cryptoSign(
    'sha256',
    Buffer.from(CHECK_TIMESTAMP + request.url + request.body),
    createPrivateKey(keys.pkcs1Pem),
  ).toString('base64url');
  const qredo = backendSubjects((backend) => {
    const signer = qredoSign.createPartnerSigner({
      apiKey: fx.apiKey,
      privateKey: keys.pkcs1Pem,
      backend,
    });
    const { url, body } = request;
    return signerSubject(signer, (timestamp) => ({ url, body, timestamp }), 'x-sign');
  });
  return {
    name,
    description: `Partner API signing (RSA-${keys.bits}, PKCS#1 v1.5 SHA-256) of a ~150-byte request, key imported once`,
    expected,
    subjects: [...qredo, ...signPeers(fx, keys, request)],
  };
}

/**
 * The request a verifier receives, signed by node:crypto, and the same request with one
 * signature bit flipped: each subject must accept the first and refuse the second.
 */
function receivedRequests(fx, keys) {
  const { url, body } = fx.small;
  const signature = cryptoSign(
    'sha256',
    Buffer.from(CHECK_TIMESTAMP + url + body),
    createPrivateKey(keys.pkcs1Pem),
  );
  const tampered = Buffer.from(signature);
  tampered[17] ^= 1;
  const make = (sig) => ({
    method: 'POST',
    url,
    headers: {
      'x-api-key': fx.apiKey,
      'x-timestamp': CHECK_TIMESTAMP,
      'x-sign': sig.toString('base64url'),
    },
    body: new Uint8Array(Buffer.from(body)),
  });
  return { good: make(signature), bad: make(tampered) };
}

/** The clock verifiers are given: the moment the requests were signed. */
const signedAt = () => Number(CHECK_TIMESTAMP) * 1000;

/**
 * The hand-written server-side check a user would pair with a raw verify call: the API key known,
 * the timestamp window, the signing input, the signature decoded from base64url.
 */
function handVerifier(verifyBytes, isAsync = false) {
  const known = new Set(['bench-api-key']);
  const check = (req) => {
    if (!known.has(req.headers['x-api-key'])) return false;
    const ts = req.headers['x-timestamp'];
    if (!/^\d+$/.test(ts) || Math.abs(Number(ts) - signedAt() / 1000) > 30) return false;
    const input = Buffer.concat([Buffer.from(ts + req.url), req.body]);
    return verifyBytes(input, Buffer.from(req.headers['x-sign'], 'base64url'));
  };
  return { check, isAsync };
}

/**
 * @returns {[string, () => ReturnType<typeof handVerifier> | Promise<ReturnType<typeof handVerifier>>][]}
 */
function verifyPeers(keys) {
  return [
    [
      'node:crypto',
      () => {
        const key = createPublicKey(keys.spkiPem);
        return handVerifier((data, sig) => cryptoVerify('sha256', data, key, sig));
      },
    ],
    [
      'node-rsa',
      () => {
        const key = nodeRsa(keys.spkiPem, 'pkcs8-public-pem');
        return handVerifier((data, sig) => key.verify(data, sig));
      },
    ],
    [
      'node-rsa/native-bigint',
      () => {
        const key = nodeRsa(keys.spkiPem, 'pkcs8-public-pem', 'native');
        return handVerifier((data, sig) => key.verify(data, sig));
      },
    ],
    [
      'node-forge',
      () => {
        const key = forge.pki.publicKeyFromPem(keys.spkiPem);
        return handVerifier((data, sig) => {
          const md = forge.md.sha256.create();
          md.update(data.toString('binary'));
          try {
            return key.verify(md.digest().bytes(), sig.toString('binary'));
          } catch {
            return false; // forge throws on a malformed encoded message
          }
        });
      },
    ],
    [
      'crypto.subtle',
      async () => {
        const key = await crypto.subtle.importKey('spki', keys.spkiDer, RSA, false, ['verify']);
        return handVerifier((data, sig) => crypto.subtle.verify(RSA, key, sig, data), true);
      },
    ],
  ];
}

function verifySuite(fx, keys) {
  const { good, bad } = receivedRequests(fx, keys);
  const qredo = backendSubjects((backend) => {
    if (typeof qredoSign.verifyPartnerRequest !== 'function') {
      throw new Error('verifyPartnerRequest is not exported by the built package');
    }
    const options = { publicKeyFor: () => keys.spkiPem, now: signedAt, backend };
    const verify = (req) =>
      qredoSign.verifyPartnerRequest(req, options).then(
        () => true,
        (error) => {
          if (error?.code === 'BAD_SIGNATURE') return false;
          throw error;
        },
      );
    return {
      async: true,
      run: () => verify(good),
      check: async () => `${await verify(good)}/${await verify(bad)}`,
    };
  });
  const peers = verifyPeers(keys).map(([name, make]) => ({
    name,
    setup: async () => {
      const { check, isAsync } = await make();
      return {
        async: isAsync,
        run: () => check(good),
        check: async () => `${await check(good)}/${await check(bad)}`,
      };
    },
  }));
  return {
    name: 'verify-partner',
    description:
      'Partner API request verification (RSA-2048): headers, key lookup, timestamp window, signing input, signature',
    expected: 'true/false',
    subjects: [...qredo, ...peers],
  };
}

export function rsaSuites(fx) {
  const suites = [signSuite('partner-sign-rsa2048', fx, fx.rsa2048)];
  if (fx.rsa4096) suites.push(signSuite('partner-sign-rsa4096', fx, fx.rsa4096));
  suites.push(verifySuite(fx, fx.rsa2048));
  return suites;
}
