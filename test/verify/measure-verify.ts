/**
 * Verifier speed against hand-written node:crypto verification, in one process with alternating
 * rounds (issue 17). Not a test (no assertions on time): run it by hand,
 *   node --import tsx test/verify/measure-verify.ts [rounds] [ms-per-sample] [name filter]
 * and read the ratios (ours / hand-written operations per CPU second of this process, so that
 * other work on a shared machine drops out): the median over alternating rounds.
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  randomBytes,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
} from 'node:crypto';
import { verifyPartnerRequest, verifyQredoRequest } from '../../src/index.node.js';

const rounds = Number(process.argv[2] ?? 21);
const sampleMs = Number(process.argv[3] ?? 40);
const only = process.argv[4];

const TS = '1647356399';
const now = () => Number(TS) * 1000;
const origin = 'https://api.qredo.network';
const path = '/qapi/v1/company/1x2y3z/transfer';
const url = origin + path;
const bodyText = '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}';
const body = new Uint8Array(Buffer.from(bodyText));
const apiKey = 'bench-api-key';
const secretText = randomBytes(32).toString('base64');
const secret = Buffer.from(secretText, 'base64');
const signature = createHmac('sha256', secret)
  .update(TS + 'POST' + url + bodyText)
  .digest('base64url');
const headers = {
  host: 'api.qredo.network',
  'content-type': 'application/json',
  'content-length': String(body.length),
  'user-agent': 'bench',
  'qredo-api-key': apiKey,
  'qredo-api-ts': TS,
  'qredo-api-sig': signature,
};
const secrets = new Map([[apiKey, secretText]]);

// The strongest hand-written code: pads prepared once per key, two crypto.hash calls (RFC 2104).
const inner = Buffer.alloc(64, 0x36);
const outer = Buffer.alloc(64, 0x5c);
for (let i = 0; i < secret.length; i++) {
  inner[i] ^= secret[i];
  outer[i] ^= secret[i];
}
const pads = new Map([[apiKey, { inner, outer }]]);
const secretBytes = new Map([[apiKey, secret]]);

type Req = {
  method: string;
  url?: string;
  path?: string;
  headers: typeof headers;
  body: Uint8Array;
};
const request: Req = { method: 'POST', url, headers, body };
const pathRequest: Req = { method: 'POST', path, headers, body };

function handHash(req: Req): boolean {
  const h = req.headers;
  const ts = h['qredo-api-ts'];
  const p = pads.get(h['qredo-api-key']);
  if (!p || !/^\d+$/.test(ts) || Math.abs(Number(ts) - now() / 1000) > 30) return false;
  const data = Buffer.concat([p.inner, Buffer.from(ts + req.method + req.url), req.body]);
  const mac = hash('sha256', Buffer.concat([p.outer, hash('sha256', data, 'buffer')]), 'buffer');
  const got = Buffer.from(h['qredo-api-sig'], 'base64url');
  return got.length === 32 && timingSafeEqual(mac, got);
}

function handHmac(req: Req): boolean {
  const h = req.headers;
  const ts = h['qredo-api-ts'];
  const key = secretBytes.get(h['qredo-api-key']);
  if (!key || !/^\d+$/.test(ts) || Math.abs(Number(ts) - now() / 1000) > 30) return false;
  const mac = createHmac('sha256', key)
    .update(ts + req.method + req.url)
    .update(req.body)
    .digest();
  const got = Buffer.from(h['qredo-api-sig'], 'base64url');
  return got.length === 32 && timingSafeEqual(mac, got);
}

const qOptions = { secretFor: (k: string) => secrets.get(k), now };
const qPathOptions = { ...qOptions, origin };

// Partner API.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
const pSig = cryptoSign('sha256', Buffer.from(TS + url + bodyText), privateKey);
const pRequest = {
  method: 'POST',
  url,
  headers: { 'x-api-key': apiKey, 'x-timestamp': TS, 'x-sign': pSig.toString('base64url') },
  body,
};
const pKey = createPublicKey(spkiPem);
function handPartner(req: typeof pRequest): boolean {
  const ts = req.headers['x-timestamp'];
  if (!/^\d+$/.test(ts) || Math.abs(Number(ts) - now() / 1000) > 30) return false;
  const input = Buffer.concat([Buffer.from(ts + req.url), req.body]);
  return cryptoVerify('sha256', input, pKey, Buffer.from(req.headers['x-sign'], 'base64url'));
}
const pOptions = { publicKeyFor: () => spkiPem, now };

type Subject = { name: string; run: () => unknown; isAsync: boolean };
const hand = (name: string, run: () => unknown): Subject => ({ name, run, isAsync: false });
const ours = (name: string, run: () => unknown): Subject => ({ name, run, isAsync: true });
const qHash = hand('hand crypto.hash pads', () => handHash(request));
const qHmac = hand('hand createHmac', () => handHmac(request));
const qOptionsBy = Object.fromEntries(
  (['node', 'wasm', 'js'] as const).map((b) => [b, { ...qOptions, backend: b }]),
);
// A new URL every time (an id in the path), as a server sees them.
const distinct = Array.from({ length: 1024 }, (_, i) => {
  const u = `${url}/${i}`;
  const sig = createHmac('sha256', secret)
    .update(TS + 'POST' + u + bodyText)
    .digest('base64url');
  return { method: 'POST', url: u, headers: { ...headers, 'qredo-api-sig': sig }, body };
});
let at = 0;
const nextDistinct = () => distinct[(at = (at + 1) & 1023)];

/** Pairs measured side by side: [ours, hand-written]. */
const allPairs: [Subject, Subject][] = [
  [ours('verifyQredoRequest url auto', () => verifyQredoRequest(request, qOptions)), qHash],
  [ours('verifyQredoRequest url auto', () => verifyQredoRequest(request, qOptions)), qHmac],
  [
    ours('verifyQredoRequest distinct auto', () => verifyQredoRequest(nextDistinct(), qOptions)),
    hand('hand createHmac distinct', () => handHmac(nextDistinct())),
  ],
  [
    ours('verifyQredoRequest distinct auto', () => verifyQredoRequest(nextDistinct(), qOptions)),
    hand('hand crypto.hash distinct', () => handHash(nextDistinct())),
  ],
  [
    ours('verifyQredoRequest path auto', () => verifyQredoRequest(pathRequest, qPathOptions)),
    qHash,
  ],
  ...(['node', 'wasm', 'js'] as const).map((b): [Subject, Subject] => [
    ours(`verifyQredoRequest url ${b}`, () => verifyQredoRequest(request, qOptionsBy[b])),
    qHash,
  ]),
  [
    ours('verifyPartnerRequest', () => verifyPartnerRequest(pRequest, pOptions)),
    hand('hand crypto.verify', () => handPartner(pRequest)),
  ],
];
const pairs = allPairs.filter(([s]) => !only || s.name.includes(only));

/** Operations per CPU second of this process: other processes' load on a shared machine drops out. */
async function sample(s: Subject): Promise<number> {
  let n = 0;
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000; // ms
  };
  const start = cpu();
  const end = start + sampleMs;
  let t = start;
  while (t < end) {
    if (s.isAsync) for (let i = 0; i < 50; i++) await s.run();
    else for (let i = 0; i < 50; i++) s.run();
    n += 50;
    t = cpu();
  }
  return (n / (t - start)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  for (const pair of pairs) {
    for (const s of pair) {
      const ok = s.isAsync ? await s.run() : s.run();
      if (ok === false) throw new Error(`${s.name} refused the good request`);
    }
  }
  // Short samples, alternating within each pair (who goes first alternates too): the ratio of
  // neighbours cancels most of the drift of a machine shared with other work.
  for (const [a, b] of pairs) {
    const ratios: number[] = [];
    let bestA = 0;
    let bestB = 0;
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 ? b : a;
      const x = await sample(first);
      const y = await sample(first === a ? b : a);
      const [opsA, opsB] = first === a ? [x, y] : [y, x];
      ratios.push(opsA / opsB);
      bestA = Math.max(bestA, opsA);
      bestB = Math.max(bestB, opsB);
    }
    console.log(
      `${a.name.padEnd(32)} vs ${b.name.padEnd(22)} median ${median(ratios).toFixed(2)}×  ` +
        `best ${(bestA / bestB).toFixed(2)}×  (${Math.round(bestA)} / ${Math.round(bestB)} ops/s)`,
    );
  }
}

await main();
