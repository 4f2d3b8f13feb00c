// Quick benchmark of the pure-JS backend against the hand-written code it must beat (issue 4):
//  - Qredo API signing of a ~150-byte request: `createQredoSigner({ backend: 'js' }).signSync`
//    vs what an application would write with @noble/hashes, `base64url(hmac(sha256, key, input))`
//    plus the headers object (target ≥ 1.0×). The backend's own macRequest/macBase64url rows
//    show how much of the signer's time is the MAC (macBase64url is given pre-encoded bytes);
//  - RSA-2048 PKCS#1 v1.5 SHA-256 sign: jsBackend vs node-rsa's pure-JS engine (target ≥ 5×),
//    and node-rsa's native-BigInt variant for context.
//
// Run: npm run bench:js [-- --json]   (timing loop and table: quick-compare.mjs)
import { generateKeyPairSync } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import NodeRSA from 'node-rsa';
import { jsBackend } from '../src/backends/js.ts';
import { registerBackend } from '../src/backends/registry.ts';
import { createQredoSigner } from '../src/sign/qredo-signer.ts';
import { base64url } from '../src/lib/encoding.ts';
import { parseRsaPrivateKey } from '../src/keys/keys.ts';
import { compare, printReport, ratioRows } from './quick-compare.mjs';

const ROUNDS = 5;

// ——— HMAC: a ~150-byte Qredo API request (timestamp + method + URL + small JSON body) ———
const secret = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
const timestamp = '1647356399';
const url = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer';
const body = '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}';
const prefix = timestamp + 'POST' + url;
const input = new TextEncoder().encode(prefix + body);
const jsKey = /** @type {import('./types/sync-keys.js').SyncHmacKey} */ (
  jsBackend.importHmacKey(secret)
);
const expected = Buffer.from(hmac(sha256, secret, input)).toString('base64url');
if (jsKey.macBase64url(input) !== expected || jsKey.macRequest(prefix, body) !== expected) {
  throw new Error('jsBackend HMAC disagrees with noble');
}
registerBackend(jsBackend); // the package entries will do this; the bench must not depend on it
const signer = createQredoSigner({ apiKey: 'bench', secret, backend: 'js' });
const request = { method: 'POST', url, body, timestamp };
if (signer.signSync(request).headers['qredo-api-sig'] !== expected) {
  throw new Error('js signer disagrees with noble');
}
const encoder = new TextEncoder();
/** What an application would write by hand with @noble/hashes for one Qredo API request. */
const handWritten = (encode) => () => {
  const signature = encode(hmac(sha256, secret, encoder.encode(timestamp + 'POST' + url + body)));
  return { 'qredo-api-key': 'bench', 'qredo-api-ts': timestamp, 'qredo-api-sig': signature };
};
const bufferEncode = (mac) => Buffer.from(mac).toString('base64url');

const hmacOps = compare(
  {
    'js signer.signSync': () => signer.signSync(request).headers,
    'jsBackend macRequest': () => jsKey.macRequest(prefix, body),
    'jsBackend macBase64url': () => jsKey.macBase64url(input),
    'noble + base64url.encode': handWritten(base64url.encode),
    'noble + Buffer base64url': handWritten(bufferEncode),
  },
  { ms: 300, rounds: ROUNDS, batch: 200 },
);

// ——— RSA-2048 sign ———
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' });
const rsaKey = /** @type {import('./types/sync-keys.js').SyncRsaSigningKey} */ (
  jsBackend.importRsaPrivateKey(parseRsaPrivateKey(pem))
);
const message = input;
// node-rsa 2 on Node: `environment: 'browser'` forces its pure-JS engine (jsbn by default);
// `bigIntImpl: 'native'` is its BigInt variant, measured too for context.
const nodeRsaJsbn = new NodeRSA(pem, 'pkcs1-private-pem', {
  environment: 'browser',
  signingScheme: 'pkcs1-sha256',
});
const nodeRsaNative = new NodeRSA(pem, 'pkcs1-private-pem', {
  environment: 'browser',
  signingScheme: 'pkcs1-sha256',
  bigIntImpl: 'native',
});
const reference = Buffer.from(nodeRsaJsbn.sign(Buffer.from(message)));
if (!Buffer.from(rsaKey.sign(message)).equals(reference)) {
  throw new Error('jsBackend RSA signature differs from node-rsa');
}
const rsaOps = compare(
  {
    jsBackend: () => rsaKey.sign(message),
    'node-rsa (jsbn)': () => nodeRsaJsbn.sign(Buffer.from(message)),
    'node-rsa (native BigInt)': () => nodeRsaNative.sign(Buffer.from(message)),
  },
  { ms: 1000, rounds: ROUNDS },
);

// ——— report ———
printReport({
  rounds: ROUNDS,
  rows: [
    ...ratioRows(`Qredo API request, ${input.length} B`, hmacOps, {
      baseline: 'noble + base64url.encode',
      targets: { 'js signer.signSync': 1.0 },
    }),
    ...ratioRows('RSA-2048 sign', rsaOps, {
      baseline: 'node-rsa (jsbn)',
      targets: { jsBackend: 5 },
    }),
  ],
});
