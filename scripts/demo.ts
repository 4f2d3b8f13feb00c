/**
 * `npm run demo`: signs Qredo's documented example requests with every backend here, checks the
 * golden vectors, and prints a short speed table. Everything it prints was computed in this run.
 */
import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import * as api from '../src/index.node.js';
import { checkGoldenVectors, headingLine } from './demo-vectors.js';

const backends = api.availableBackends();
const heading = (text: string) => console.log(headingLine(text));
const show = (bytes: Uint8Array) => JSON.stringify(new TextDecoder().decode(bytes));

// A throwaway secret for the demo (base64, as the Qredo web app shows secrets).
const secret = Buffer.from('qredo-sign demo secret, not a real one').toString('base64');
const apiKey = 'demo-api-key';

heading('Qredo API (contract §5): GET /qapi/v1/balance at 1647356399');
const example = {
  method: 'GET',
  url: 'https://api.qredo.network/qapi/v1/balance',
  timestamp: 1647356399,
};
const independent = createHmac('sha256', Buffer.from(secret, 'base64'))
  .update('1647356399GEThttps://api.qredo.network/qapi/v1/balance')
  .digest('base64url');
let failures = 0;
for (const backend of backends) {
  const signed = await api.createQredoSigner({ apiKey, secret, backend }).sign(example);
  const ok = signed.headers['qredo-api-sig'] === independent;
  failures += ok ? 0 : 1;
  if (backend === backends[0]) {
    console.log(`signing input: ${show(signed.signingInput)}`);
    for (const [name, value] of Object.entries(signed.headers)) console.log(`${name}: ${value}`);
  }
  console.log(
    `  ${backend.padEnd(10)} ${signed.headers['qredo-api-sig']}  ${ok ? 'matches' : 'DIFFERS from'} node:crypto computed directly`,
  );
}

heading('Partner API: POST /api/v1/p/company {"name":"random_inc"} with a throwaway RSA-2048 key');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string; // what `openssl genrsa` writes
const partnerRequest = {
  url: 'https://play-api.qredo.network/api/v1/p/company',
  body: { name: 'random_inc' },
  timestamp: 1647356399,
};
const signatures = new Set<string>();
for (const backend of backends) {
  const signed = await api
    .createPartnerSigner({ apiKey, privateKey: pem, backend })
    .sign(partnerRequest);
  const ok = verify(
    'sha256',
    signed.signingInput,
    publicKey,
    Buffer.from(signed.headers['x-sign'], 'base64url'),
  );
  failures += ok ? 0 : 1;
  signatures.add(signed.headers['x-sign']);
  if (backend === backends[0]) {
    console.log(`${signed.method} ${signed.url}\nsigning input: ${show(signed.signingInput)}`);
    for (const [name, value] of Object.entries(signed.headers))
      console.log(`${name}: ${value.length > 60 ? value.slice(0, 57) + '...' : value}`);
  }
  console.log(
    `  ${backend.padEnd(10)} x-sign ${signed.headers['x-sign'].slice(0, 24)}…  ${ok ? 'verifies' : 'DOES NOT VERIFY'} with node:crypto`,
  );
}
if (signatures.size !== 1) {
  console.log('  backends disagree on the deterministic RSA signature');
  failures++;
}

heading(
  'Golden vectors (vectors/*.json, from Python and OpenSSL) and RFC 4231, RFC 4648, Wycheproof',
);
failures += await checkGoldenVectors(api, backends);

heading('Speed: Qredo API signSync of a ~150-byte request (ops/s, this machine, this run)');
const request = {
  method: 'POST',
  url: 'https://api.qredo.network/qapi/v1/company/1a2b3c/fund',
  body: '{"name":"ACME treasury","members":["alice","bob"],"policy":{"threshold":2}}',
};
// Subjects run in interleaved rounds and report their median round, so a burst of load from
// another process hits every subject alike instead of skewing one of them.
function measure(subjects: Record<string, () => unknown>): Record<string, number> {
  const rounds: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(subjects)) {
    for (let i = 0; i < 20_000; i++) run(); // warm up the JIT and the WASM tiers
    rounds[name] = [];
  }
  for (let round = 0; round < 15; round++) {
    for (const [name, run] of Object.entries(subjects)) {
      const start = performance.now();
      for (let i = 0; i < 2000; i++) run();
      rounds[name].push(2000 / ((performance.now() - start) / 1000));
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return Object.fromEntries(Object.entries(rounds).map(([name, xs]) => [name, median(xs)]));
}
const rawKey = Buffer.from(secret, 'base64');
const subjects: Record<string, () => unknown> = {
  'node:crypto by hand': () => {
    const ts = Math.floor(Date.now() / 1000).toString();
    const sig = createHmac('sha256', rawKey)
      .update(ts + request.method + request.url + request.body)
      .digest('base64url');
    return { 'qredo-api-key': apiKey, 'qredo-api-ts': ts, 'qredo-api-sig': sig };
  },
};
for (const backend of ['auto', ...backends] as const) {
  if (backend === 'webcrypto') continue; // async only: see `npm run bench`
  const signer = api.createQredoSigner({ apiKey, secret, backend });
  subjects[`qredo-sign/${backend}`] = () => signer.signSync(request);
}
const speeds = measure(subjects);
const baseline = speeds['node:crypto by hand'];
for (const [name, ops] of Object.entries(speeds)) {
  const shown = Math.round(ops).toLocaleString('en').padStart(10);
  console.log(`  ${name.padEnd(22)} ${shown}  ${(ops / baseline).toFixed(2)}×`);
}
console.log('  (full benchmarks against peers: npm run bench)');

if (failures > 0) {
  console.log(`\n${failures} check(s) failed`);
  process.exit(1);
}
console.log('\nAll checks passed.');
