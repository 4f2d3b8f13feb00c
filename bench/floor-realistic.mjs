// Where a realistic Qredo API signature spends its time (issue 17), as a ladder measured in one
// process: from the bare WASM kernel up to `signSync`, each rung adding one piece of the work the
// signer does, beside the two hand-written node:crypto peers of the `api-sign-realistic` suite.
// Every request has its own URL (an id in the path) and timestamp, as in that suite, so no cache
// can serve it.
//
// The bottom rungs are not products: they skip checks the contract requires (docs/contract.md
// §1.4 canonical URL and method, §3a body, the SignedRequest of §3). They show the floor a
// signer built on this kernel cannot go below, and what each required check costs above it.
//
// Run: npm run bench:floor [-- --json]   (timing loop and table: quick-compare.mjs)
import { createHmac, hash, randomBytes } from 'node:crypto';
import { EMBEDDED_WASM } from '../src/backends/wasm/generated/embedded.ts';
import { registerWasmSources } from '../src/backends/wasm/load.ts';
import { importWasmHmacKey } from '../src/backends/wasm/hash.ts';
import { wasmHmacBackend } from '../src/backends/wasm/backend.ts';
import { registerHmacBackend } from '../src/backends/registry.ts';
import {
  bodyToSign,
  canonicalMethod,
  canonicalTimestamp,
  canonicalUrl,
} from '../src/scheme/canonical.ts';
import { LazySignedRequest, checkObject, labelJsonBody } from '../src/scheme/signed-request.ts';
import { createQredoSigner } from '../src/sign/qredo-signer.ts';
import { compare, printReport, ratioRows } from './quick-compare.mjs';

const ROUNDS = 9;
const secret = new Uint8Array(randomBytes(32));
const apiKey = 'bench';
const body = '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}';
const URL_BASE = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer/';

registerWasmSources(EMBEDDED_WASM);
registerHmacBackend(wasmHmacBackend);
const key = /** @type {import('./types/sync-keys.js').SyncHmacKey} */ (importWasmHmacKey(secret));
const signer = createQredoSigner({ apiKey, secret, backend: 'wasm' });

/** A request that never repeats, as `api-sign-realistic` makes them. */
let n = 0;
const next = () => {
  n++;
  return { method: 'POST', url: URL_BASE + n, body, timestamp: 1647356400 + n };
};

/** @param {string} ts @param {string} signature */
const headers = (ts, signature) => ({
  'qredo-api-key': apiKey,
  'qredo-api-ts': ts,
  'qredo-api-sig': signature,
});

// The hand-written peers, as bench/suites/realistic.mjs writes them.
const ipadded = Buffer.alloc(64 + 4096);
const opadded = Buffer.alloc(64 + 32);
for (let i = 0; i < 64; i++) {
  ipadded[i] = (secret[i] ?? 0) ^ 0x36;
  opadded[i] = (secret[i] ?? 0) ^ 0x5c;
}
/** @param {ReturnType<typeof next>} r */
const createHmacCode = (r) => {
  const ts = String(r.timestamp);
  const text = ts + r.method + r.url + r.body;
  return headers(ts, createHmac('sha256', secret).update(text).digest('base64url'));
};
/** @param {ReturnType<typeof next>} r */
const hashPadsCode = (r) => {
  const ts = String(r.timestamp);
  const text = ts + r.method + r.url + r.body;
  const input = ipadded.subarray(0, 64 + ipadded.write(text, 64));
  // @ts-expect-error: Node's types list 'binary' for crypto.hash's output, not its alias 'latin1'
  opadded.write(hash('sha256', input, 'latin1'), 64, 'latin1');
  return headers(ts, hash('sha256', opadded, 'base64url'));
};

// The ladder. Each rung is the one before it plus one piece of what `#sign` does.
/** @param {ReturnType<typeof next>} r */
const kernelOnly = (r) => {
  const ts = String(r.timestamp);
  return headers(ts, key.macRequest(ts + r.method + r.url, r.body));
};
/** @param {ReturnType<typeof next>} r */
const withUrl = (r) => {
  const ts = String(r.timestamp);
  return headers(ts, key.macRequest(ts + r.method + canonicalUrl(r.url), r.body));
};
/** @param {ReturnType<typeof next>} r */
const withChecks = (r) => {
  checkObject(r, 'request');
  const method = canonicalMethod(r.method);
  const url = canonicalUrl(r.url);
  const sent = /** @type {string} */ (bodyToSign(r.body, method));
  const ts = canonicalTimestamp(r.timestamp);
  return headers(ts, key.macRequest(ts + method + url, sent));
};
/** @param {ReturnType<typeof next>} r */
const withResult = (r) => {
  checkObject(r, 'request');
  const method = canonicalMethod(r.method);
  const url = canonicalUrl(r.url);
  const sent = /** @type {string} */ (bodyToSign(r.body, method));
  const ts = canonicalTimestamp(r.timestamp);
  const prefix = ts + method + url;
  const signed = headers(ts, key.macRequest(prefix, sent));
  return new LazySignedRequest(method, url, sent, labelJsonBody(signed, r.body), prefix);
};

// Every rung must sign the same bytes as node:crypto: the ladder measures work, not shortcuts.
const probe = next();
const expected = createHmacCode(probe)['qredo-api-sig'];
for (const [name, signature] of Object.entries({
  hashPadsCode: hashPadsCode(probe)['qredo-api-sig'],
  kernelOnly: kernelOnly(probe)['qredo-api-sig'],
  withUrl: withUrl(probe)['qredo-api-sig'],
  withChecks: withChecks(probe)['qredo-api-sig'],
  withResult: withResult(probe).headers['qredo-api-sig'],
  signSync: signer.signSync(probe).headers['qredo-api-sig'],
})) {
  if (signature !== expected) throw new Error(`${name} disagrees with node:crypto`);
}

// Four SHA-256 compressions: the inner hash of a 156-byte request takes three blocks after the
// precomputed K⊕ipad state, the outer one more (RFC 2104 §4).
const messageBytes = Buffer.byteLength(String(probe.timestamp) + 'POST' + probe.url + body);

const ops = compare(
  {
    'node:crypto (createHmac)': () => createHmacCode(next()),
    'node:crypto (crypto.hash pads)': () => hashPadsCode(next()),
    'wasm kernel alone (no checks)': () => kernelOnly(next()),
    '+ canonical URL': () => withUrl(next()),
    '+ method, body, timestamp checks': () => withChecks(next()),
    '+ SignedRequest (= #sign)': () => withResult(next()),
    'qredo-sign wasm signSync': () => signer.signSync(next()),
  },
  { ms: 300, rounds: ROUNDS, batch: 200 },
);

const rows = [
  ...ratioRows(`realistic request, ${messageBytes} B signed, vs createHmac`, ops, {
    baseline: 'node:crypto (createHmac)',
    targets: { 'qredo-sign wasm signSync': 1.3 },
  }),
  ...ratioRows('the same, vs the crypto.hash pad code', ops, {
    baseline: 'node:crypto (crypto.hash pads)',
    targets: { 'qredo-sign wasm signSync': 0.95 },
  }),
];
const us = (name) => 1e6 / ops[name];
const cost = (upper, lower) => `${((us(upper) - us(lower)) * 1000).toFixed(0)} ns`;
printReport({
  rounds: ROUNDS,
  rows,
  footer: [
    '',
    'Cost of each rung (difference of the best rounds):',
    `  canonical URL ${cost('+ canonical URL', 'wasm kernel alone (no checks)')}, ` +
      `checks ${cost('+ method, body, timestamp checks', '+ canonical URL')}, ` +
      `SignedRequest ${cost('+ SignedRequest (= #sign)', '+ method, body, timestamp checks')}, ` +
      `signer dispatch ${cost('qredo-sign wasm signSync', '+ SignedRequest (= #sign)')}`,
  ],
  extra: { messageBytes },
});
key.destroy();
signer.destroy();
