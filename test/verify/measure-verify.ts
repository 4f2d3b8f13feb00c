/**
 * Verifier speed against hand-written node:crypto verification, in one process with alternating
 * rounds (issue 17). Not a test (no assertions on time): run it by hand,
 *   node --import tsx test/verify/measure-verify.ts [rounds] [ms-per-sample]
 * and read the ratios (ours / hand-written ops per second; the best sample of each subject).
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

const rounds = Number(process.argv[2] ?? 5);
const sampleMs = Number(process.argv[3] ?? 300);
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

type Subject = { name: string; group: string; run: () => unknown; isAsync: boolean };
const subjects: Subject[] = [
  { group: 'qredo', name: 'hand crypto.hash pads', run: () => handHash(request), isAsync: false },
  { group: 'qredo', name: 'hand createHmac', run: () => handHmac(request), isAsync: false },
  ...(['auto', 'node', 'wasm', 'js'] as const).map((backend) => ({
    group: 'qredo',
    name: `verifyQredoRequest url ${backend}`,
    run: () => verifyQredoRequest(request, { ...qOptions, backend }),
    isAsync: true,
  })),
  {
    group: 'qredo',
    name: 'verifyQredoRequest url (shared options)',
    run: () => verifyQredoRequest(request, qOptions),
    isAsync: true,
  },
  {
    group: 'qredo',
    name: 'verifyQredoRequest path (shared options)',
    run: () => verifyQredoRequest(pathRequest, qPathOptions),
    isAsync: true,
  },
  {
    group: 'partner',
    name: 'hand crypto.verify',
    run: () => handPartner(pRequest),
    isAsync: false,
  },
  {
    group: 'partner',
    name: 'verifyPartnerRequest',
    run: () => verifyPartnerRequest(pRequest, pOptions),
    isAsync: true,
  },
].filter((s) => !only || s.group === only);

async function sample(s: Subject): Promise<number> {
  let n = 0;
  const end = performance.now() + sampleMs;
  let t = performance.now();
  const start = t;
  while (t < end) {
    if (s.isAsync) for (let i = 0; i < 200; i++) await s.run();
    else for (let i = 0; i < 200; i++) s.run();
    n += 200;
    t = performance.now();
  }
  return (n / (t - start)) * 1000;
}

async function main(): Promise<void> {
  for (const s of subjects) {
    const ok = s.isAsync ? await s.run() : s.run();
    if (ok === false) throw new Error(`${s.name} refused the good request`);
  }
  const best = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...subjects].reverse() : subjects;
    for (const s of order) {
      const ops = await sample(s);
      best.set(s.name, Math.max(best.get(s.name) ?? 0, ops));
    }
  }
  for (const group of ['qredo', 'partner']) {
    const base = group === 'qredo' ? 'hand crypto.hash pads' : 'hand crypto.verify';
    const alt = group === 'qredo' ? best.get('hand createHmac') : undefined;
    for (const s of subjects.filter((x) => x.group === group)) {
      const ops = best.get(s.name)!;
      const vs = (ops / best.get(base)!).toFixed(2);
      const vsAlt = alt ? ` ${(ops / alt).toFixed(2)}× createHmac` : '';
      console.log(
        `${s.name.padEnd(42)} ${Math.round(ops).toString().padStart(9)} ops/s ${vs}×${vsAlt}`,
      );
    }
  }
}

await main();
