// One memory sample, run by memory.mjs in a fresh Node process started with --expose-gc: creates
// COUNT Qredo API signers (or hand-written key Buffers), signs one request with each, keeps them
// all alive, and prints one JSON line with the heap and external (ArrayBuffer, WASM memory) growth.
//
// Usage (normally spawned): node --expose-gc bench/memory-child.mjs <subject> <count>
//   subject: qredo-sign/<backend> | 'key Buffer (node:crypto)'
import { createHmac, randomBytes } from 'node:crypto';

const [subject, countText] = process.argv.slice(2);
const count = Number(countText);
const request = {
  method: 'POST',
  url: 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer',
  body: '{"amount":1}',
  timestamp: 1647356399,
};

function collect() {
  for (let i = 0; i < 4; i++) /** @type {() => void} */ (globalThis.gc)();
  const { heapUsed, external } = process.memoryUsage();
  return { heapUsed, external };
}

// The secrets exist before the measurement: the user holds them either way.
const secrets = Array.from({ length: count }, () => randomBytes(32).toString('base64'));
const kept = new Array(count).fill(null);

let make;
if (subject === 'key Buffer (node:crypto)') {
  make = async (secret) => {
    const key = Buffer.from(secret, 'base64');
    createHmac('sha256', key).update('x').digest('base64url');
    return key;
  };
} else {
  // A backend name or 'auto', checked against availableBackends() below.
  const backend = /** @type {any} */ (subject.slice('qredo-sign/'.length));
  const lib = await import('qredo-sign');
  if (backend !== 'auto' && !lib.availableBackends().includes(backend)) {
    console.log(JSON.stringify({ skipped: `backend "${backend}" is not registered` }));
    process.exit(0);
  }
  make = async (secret) => {
    const signer = lib.createQredoSigner({ apiKey: 'k', secret, backend });
    if (backend === 'webcrypto') await signer.sign(request);
    else signer.signSync(request);
    return signer;
  };
}
// One signer made and dropped first: module state, WASM instance and JIT code are not per signer.
await make(randomBytes(32).toString('base64'));

const before = collect();
for (let i = 0; i < count; i++) kept[i] = await make(secrets[i]);
const after = collect();
const heapBytes = (after.heapUsed - before.heapUsed) / count;
const externalBytes = (after.external - before.external) / count;
console.log(
  JSON.stringify({ heapBytes, externalBytes, bytes: heapBytes + externalBytes, kept: kept.length }),
);
