// Qredo API signing (contract §1.1): qredo-sign on each backend against the code a user would write
// with node:crypto, hash-wasm, @noble/hashes or crypto-js instead. Every peer is given its best
// fair chance: the secret is decoded (and, where the library allows, prepared) once, and the
// signature is encoded with Buffer's base64url, the fastest encoder Node has.
import { createHmac } from 'node:crypto';
import { createHMAC, createSHA256 } from 'hash-wasm';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import CryptoJS from 'crypto-js';
import { CHECK_TIMESTAMP, qredoInputBytes } from '../fixtures.mjs';
import { backendSubjects, nowSeconds, qredoSign, signerSubject } from './common.mjs';

const headers = (apiKey, ts, sig) => ({
  'qredo-api-key': apiKey,
  'qredo-api-ts': ts,
  'qredo-api-sig': sig,
});

/**
 * Where measured requests get their timestamps: `now` (undefined: the signer takes the current
 * second, as users' code does) or `distinct` (a new one per request, so no two requests share
 * their first 64 bytes and the wasm kernel's first-block cache never hits).
 */
function timestamps(kind) {
  let next = 1647356399;
  return kind === 'distinct' ? () => next++ : () => undefined;
}

/** A hand-written signer: `mac(prefix, body)` returns the base64url signature. */
function handWritten(apiKey, { method, url, body }, mac, stamps) {
  const nextTimestamp = timestamps(stamps);
  const sign = (timestamp) => {
    const ts = timestamp === undefined ? nowSeconds() : String(timestamp);
    return headers(apiKey, ts, mac(ts + method + url, body));
  };
  return {
    async: false,
    run: () => sign(nextTimestamp()),
    check: () => sign(CHECK_TIMESTAMP)['qredo-api-sig'],
  };
}

function peers(fx, request, stamps) {
  const keyBytes = Buffer.from(fx.secret, 'base64');
  return [
    {
      // The realistic code: concatenate, createHmac, digest('base64url'); a Buffer body is fed
      // as a second update rather than stringified.
      name: 'node:crypto',
      setup: async () =>
        handWritten(
          fx.apiKey,
          request,
          (prefix, body) =>
            typeof body === 'string'
              ? createHmac('sha256', keyBytes)
                  .update(prefix + body)
                  .digest('base64url')
              : createHmac('sha256', keyBytes).update(prefix).update(body).digest('base64url'),
          stamps,
        ),
    },
    {
      // createHMAC keys the hasher once; init() restarts it for each request.
      name: 'hash-wasm',
      setup: async () => {
        const mac = await createHMAC(createSHA256(), keyBytes);
        return handWritten(
          fx.apiKey,
          request,
          (prefix, body) => {
            mac.init();
            if (typeof body === 'string') mac.update(prefix + body);
            else mac.update(prefix).update(body);
            return Buffer.from(mac.digest('binary')).toString('base64url');
          },
          stamps,
        );
      },
    },
    {
      name: '@noble/hashes',
      setup: async () =>
        handWritten(
          fx.apiKey,
          request,
          (prefix, body) => {
            const tag =
              typeof body === 'string'
                ? hmac(sha256, keyBytes, utf8ToBytes(prefix + body))
                : hmac.create(sha256, keyBytes).update(utf8ToBytes(prefix)).update(body).digest();
            return Buffer.from(tag).toString('base64url');
          },
          stamps,
        ),
    },
    {
      name: 'crypto-js',
      setup: async () => {
        const key = CryptoJS.enc.Base64.parse(fx.secret);
        return handWritten(
          fx.apiKey,
          request,
          (prefix, body) => {
            const tag =
              typeof body === 'string'
                ? CryptoJS.HmacSHA256(prefix + body, key)
                : CryptoJS.algo.HMAC.create(CryptoJS.algo.SHA256, key)
                    .update(prefix)
                    .update(CryptoJS.lib.WordArray.create(body))
                    .finalize();
            return tag.toString(CryptoJS.enc.Base64url);
          },
          stamps,
        );
      },
    },
  ];
}

function hmacSuite(name, description, fx, request, stamps = 'now') {
  const expected = createHmac('sha256', Buffer.from(fx.secret, 'base64'))
    .update(CHECK_TIMESTAMP + request.method + request.url)
    .update(request.body)
    .digest('base64url');
  const qredo = backendSubjects((backend) => {
    const signer = qredoSign.createQredoSigner({ apiKey: fx.apiKey, secret: fx.secret, backend });
    const { method, url, body } = request;
    const nextTimestamp = timestamps(stamps);
    return signerSubject(
      signer,
      (timestamp) => ({ method, url, body, timestamp: timestamp ?? nextTimestamp() }),
      'qredo-api-sig',
    );
  });
  return {
    name,
    description,
    bytes: qredoInputBytes(request),
    expected,
    subjects: [...qredo, ...peers(fx, request, stamps)],
  };
}

export function hmacSuites(fx) {
  return [
    hmacSuite(
      'api-sign',
      'Qredo API signing of a ~150-byte request (string JSON body), end to end',
      fx,
      fx.small,
    ),
    hmacSuite(
      'api-sign-distinct',
      'api-sign with a new timestamp on every request: no two share a first block (cache misses)',
      fx,
      fx.small,
      'distinct',
    ),
    hmacSuite(
      'hmac-1mib',
      'Qredo API signing with a 1 MiB string body (UTF-8 encoding included)',
      fx,
      fx.largeText,
    ),
    hmacSuite(
      'hmac-1mib-bytes',
      'Qredo API signing with a 1 MiB Uint8Array body (hashing throughput)',
      fx,
      fx.largeBytes,
    ),
  ];
}
