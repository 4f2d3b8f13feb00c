// Quick benchmark of the WASM hash kernels against what they must beat (issue 3):
//  - a ~150-byte Qredo API request: the wasm HMAC key's macRequest/macBase64url vs hand-written
//    node:crypto (`createHmac(...).update(prefix + body).digest('base64url')`, target ≥ 1.5× for
//    signSync end to end) and hash-wasm's HMAC + base64url; plus `signSync` end to end on the
//    wasm backend vs the hand-written node:crypto code with its headers object;
//  - HMAC-SHA256 and SHA-256 over 1 MiB: MB/s vs hash-wasm (target ≥ 1.0×) and node:crypto;
//  - the cold first call (compile + instantiate + key import + first MAC) once, before warm-up.
//
// Run: npm run bench:wasm-hash [-- --json]   (timing loop and table: quick-compare.mjs)
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createHMAC, createSHA256 } from 'hash-wasm';
import { EMBEDDED_WASM } from '../src/backends/wasm/generated/embedded.ts';
import { registerWasmSources } from '../src/backends/wasm/load.ts';
import { importWasmHmacKey, wasmSha256 } from '../src/backends/wasm/hash.ts';
import { registerBackend } from '../src/backends/registry.ts';
import { createQredoSigner } from '../src/sign/qredo-signer.ts';
import { base64url } from '../src/lib/encoding.ts';
import { compare, printReport, ratioRows } from './quick-compare.mjs';

const ROUNDS = 7;

const secret = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);

// ——— cold start: the first key import compiles and instantiates the module ———
registerWasmSources(EMBEDDED_WASM);
const coldStart = performance.now();
const key = /** @type {import('./types/sync-keys.js').SyncHmacKey} */ (importWasmHmacKey(secret));
key.macBase64url(new Uint8Array(150));
const coldMs = performance.now() - coldStart;

// ——— HMAC: a ~150-byte Qredo API request (timestamp + method + URL + small JSON body) ———
const timestamp = '1647356399';
const url = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer';
const body = '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}';
const prefix = timestamp + 'POST' + url;
const input = new TextEncoder().encode(prefix + body);
const expected = createHmac('sha256', secret).update(input).digest('base64url');
const hashWasmHmac = await createHMAC(createSHA256(), secret);
const hashWasmMac = (data) => {
  hashWasmHmac.init();
  hashWasmHmac.update(data);
  return base64url.encode(hashWasmHmac.digest('binary'));
};
if (
  key.macRequest(prefix, body) !== expected ||
  key.macBase64url(input) !== expected ||
  hashWasmMac(input) !== expected
) {
  throw new Error('an HMAC candidate disagrees with node:crypto');
}

// The package entries will register the real wasm backend (src/backends/wasm/backend.ts, with RSA); the
// bench needs only its HMAC half, so it registers that alone.
registerBackend({
  name: 'wasm',
  sync: true,
  importHmacKey: importWasmHmacKey,
  importRsaPrivateKey() {
    throw new Error('not in this bench');
  },
  importRsaPublicKey() {
    throw new Error('not in this bench');
  },
});
const signer = createQredoSigner({ apiKey: 'bench', secret, backend: 'wasm' });
const request = { method: 'POST', url, body, timestamp };
if (signer.signSync(request).headers['qredo-api-sig'] !== expected) {
  throw new Error('wasm signer disagrees with node:crypto');
}
/** What an application would write by hand with node:crypto for one Qredo API request. */
const handWritten = () => {
  const signature = createHmac('sha256', secret)
    .update(timestamp + 'POST' + url + body)
    .digest('base64url');
  return { 'qredo-api-key': 'bench', 'qredo-api-ts': timestamp, 'qredo-api-sig': signature };
};

const hmacOps = compare(
  {
    'wasm signer.signSync': () => signer.signSync(request).headers,
    'wasm macRequest': () => key.macRequest(prefix, body),
    'wasm macBase64url': () => key.macBase64url(input),
    'node:crypto hand-written': handWritten,
    'hash-wasm HMAC + base64url': () => hashWasmMac(input),
  },
  { ms: 300, rounds: ROUNDS, batch: 200 },
);

// ——— 1 MiB: HMAC and SHA-256 throughput ———
const MIB = 1 << 20;
const large = new Uint8Array(randomBytes(MIB));
const hashWasmSha = await createSHA256();
if (
  Buffer.from(key.mac(large)).toString('hex') !==
    createHmac('sha256', secret).update(large).digest('hex') ||
  Buffer.from(wasmSha256(large)).toString('hex') !==
    createHash('sha256').update(large).digest('hex')
) {
  throw new Error('a 1 MiB candidate disagrees with node:crypto');
}
const largeOps = compare(
  {
    'wasm HMAC': () => key.mac(large),
    'hash-wasm HMAC': () => {
      hashWasmHmac.init();
      hashWasmHmac.update(large);
      return hashWasmHmac.digest('binary');
    },
    'wasm SHA-256': () => wasmSha256(large),
    'hash-wasm SHA-256': () => {
      hashWasmSha.init();
      hashWasmSha.update(large);
      return hashWasmSha.digest('binary');
    },
    'node:crypto HMAC': () => createHmac('sha256', secret).update(large).digest(),
  },
  { ms: 250, rounds: ROUNDS },
);

// ——— report ———
printReport({
  rounds: ROUNDS,
  notes: [`cold first call (compile + instantiate + import + first MAC): ${coldMs.toFixed(2)} ms`],
  extra: { coldMs },
  rows: [
    ...ratioRows(`Qredo API request, ${input.length} B`, hmacOps, {
      baseline: 'node:crypto hand-written',
      targets: { 'wasm signer.signSync': 1.5 },
    }),
    ...ratioRows('1 MiB', largeOps, {
      baseline: 'hash-wasm HMAC',
      targets: { 'wasm HMAC': 1.0 },
      unit: 'MB/s',
      scale: MIB / 1e6,
    }),
  ],
});
