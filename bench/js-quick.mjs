// Quick benchmark of the pure-JS backend against the hand-written code it must beat (issue 4):
//  - Qredo API signing of a ~150-byte request: jsBackend HMAC + base64url vs
//    `base64url(hmac(sha256, key, data))` written directly with @noble/hashes (target ≥ 1.0×);
//  - RSA-2048 PKCS#1 v1.5 SHA-256 sign: jsBackend vs node-rsa's pure-JS engine (target ≥ 5×).
//
// Run: node --import tsx bench/js-quick.mjs [--json]
// Candidates run in alternating rounds and the best round counts, which damps noise from other
// processes on a shared machine. Results are printed as a table, and as JSON with --json.
import { generateKeyPairSync } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import NodeRSA from 'node-rsa';
import { jsBackend } from '../src/backends/js.ts';
import { base64url } from '../src/encoding.ts';
import { parseRsaPrivateKey } from '../src/keys.ts';

const ROUNDS = 5;

/** Best ops/s of each candidate over ROUNDS alternating rounds of about `ms` milliseconds. */
function compare(candidates, ms) {
  const best = Object.fromEntries(Object.keys(candidates).map((name) => [name, 0]));
  for (const run of Object.values(candidates)) for (let i = 0; i < 3; i++) run(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(candidates)) {
      let ops = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        run();
        ops++;
        elapsed = performance.now() - start;
      } while (elapsed < ms);
      best[name] = Math.max(best[name], (ops * 1000) / elapsed);
    }
  }
  return best;
}

/** Runs `f` `times` times per call, so that sub-microsecond work is timed in batches. */
const batch = (times, f) => () => {
  for (let i = 0; i < times; i++) f();
};

// ——— HMAC: a ~150-byte Qredo API signing input (timestamp + method + URL + small JSON body) ———
const secret = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
const input = new TextEncoder().encode(
  '1647356399POSThttps://api.qredo.network/qapi/v1/company/1x2y3z/transfer' +
    '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}',
);
const jsKey = jsBackend.importHmacKey(secret);
const expected = Buffer.from(hmac(sha256, secret, input)).toString('base64url');
if (jsKey.macBase64url(input) !== expected) throw new Error('jsBackend HMAC disagrees with noble');

const HMAC_BATCH = 200;
const hmacOps = compare(
  {
    jsBackend: batch(HMAC_BATCH, () => jsKey.macBase64url(input)),
    'noble + base64url.encode': batch(HMAC_BATCH, () =>
      base64url.encode(hmac(sha256, secret, input)),
    ),
    'noble + Buffer base64url': batch(HMAC_BATCH, () =>
      Buffer.from(hmac(sha256, secret, input)).toString('base64url'),
    ),
  },
  300,
);
for (const name of Object.keys(hmacOps)) hmacOps[name] *= HMAC_BATCH;

// ——— RSA-2048 sign ———
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' });
const rsaKey = jsBackend.importRsaPrivateKey(parseRsaPrivateKey(pem));
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
  1000,
);

// ——— report ———
const rows = [];
const report = (group, ops, baseline, target) => {
  for (const [name, value] of Object.entries(ops)) {
    rows.push({
      group,
      name,
      opsPerSec: Math.round(value),
      usPerOp: +(1e6 / value).toFixed(2),
      jsSpeedup: +(ops.jsBackend / value).toFixed(2),
      target: name === baseline ? target : undefined,
    });
  }
};
report(`HMAC-SHA256 + base64url, ${input.length} B`, hmacOps, 'noble + base64url.encode', 1.0);
report('RSA-2048 PKCS#1 v1.5 SHA-256 sign', rsaOps, 'node-rsa (jsbn)', 5);

console.log(`Node ${process.version}, best of ${ROUNDS} alternating rounds`);
for (const r of rows) {
  const target = r.target === undefined ? '' : `  (target ≥ ${r.target}×)`;
  console.log(
    `${r.group.padEnd(40)} ${r.name.padEnd(26)} ${String(r.opsPerSec).padStart(9)} ops/s ` +
      `${String(r.usPerOp).padStart(9)} µs/op   js ×${r.jsSpeedup}${target}`,
  );
}
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
