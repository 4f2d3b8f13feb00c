/**
 * The Partner API differential (contract §1.2): as the Qredo API one, with the RSA test keys of
 * vectors/keys.json and node:crypto's PKCS#1 v1.5 signature as the reference; nonce requests are
 * also refused when replayed, and a changed request never burns the nonce.
 */
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as api from '../../../src/index.node.js';
import type { BackendName, SignedRequest } from '../../../src/index.node.js';
import {
  API_KEY,
  BACKENDS,
  SYNC,
  TOKEN,
  assertSame,
  attempt,
  bump,
  changeNonce,
  changeTimestamp,
  checkChangedUrl,
  expectRejected,
  expectBodyAndSignatureBound,
  freshness,
  receivedOf,
  stopsAsStale,
  type VerifyChanged,
  referenceBody,
  jsonLabel,
  referenceNonce,
  referenceTimestamp,
  referenceUrl,
  urlInput,
  urlText,
  view,
  type DifferentialStats,
  type Outcome,
} from './common.js';
import {
  bodyArb,
  buildBody,
  methodArb,
  nonceArb,
  tamperArb,
  timestampArb,
  urlArb,
  NOW_MS,
  type BodySpec,
  type Tamper,
} from './request-arbitraries.js';

const KEYS = JSON.parse(
  readFileSync(new URL('../../../vectors/keys.json', import.meta.url), 'utf8'),
).keys;
/** The 2048-bit test keys of vectors/keys.json (e = 65537 and e = 3). */
export const PARTNER_KEYS: { name: string; pem: string; spki: string; keyObject: KeyObject }[] = [
  'rsa2048',
  'rsa2048-e3',
].map((name) => ({
  name,
  pem: KEYS[name].pkcs1Pem,
  spki: KEYS[name].spkiPem,
  keyObject: createPrivateKey(KEYS[name].pkcs1Pem),
}));

export interface PartnerCase {
  key: number;
  method: unknown;
  url: string | { url: string };
  body: BodySpec;
  stamp: { timestamp: unknown } | { nonce: unknown } | { timestamp: unknown; nonce: unknown };
  tamper: Tamper;
  /** Whether the slow sync kernels (wasm, js) take part in this case. */
  slowBackends: boolean;
  /** Keep a body on GET, HEAD and ws(s) requests (a fault, so rarely). */
  bodyOnGet: boolean;
}

export const partnerCaseArb: fc.Arbitrary<PartnerCase> = fc.record({
  key: fc.nat(PARTNER_KEYS.length - 1),
  method: fc.option(methodArb, { freq: 2, nil: undefined }),
  url: urlArb,
  body: bodyArb,
  stamp: fc.oneof(
    { weight: 12, arbitrary: timestampArb.map((timestamp) => ({ timestamp })) },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          { weight: 9, arbitrary: nonceArb },
          {
            weight: 1,
            arbitrary: fc.constantFrom<unknown>('', 'a b', 'x'.repeat(257), -1, 1.5, 'é'),
          },
        )
        .map((nonce) => ({ nonce })),
    },
    { weight: 1, arbitrary: fc.constant({ timestamp: 1, nonce: 1 }) },
  ),
  tamper: tamperArb,
  slowBackends: fc.boolean(),
  bodyOnGet: fc.nat(19).map((n) => n === 0),
});

function referencePartner(c: PartnerCase, spec: BodySpec, body: unknown): Outcome {
  const codes: string[] = [];
  const b = referenceBody(spec, body);
  const hasBody =
    b === 'INVALID_BODY' ? !(body === undefined || body === null) : b.send !== undefined;
  let method: string | undefined;
  if (c.method === undefined) method = hasBody ? 'POST' : 'GET';
  else if (typeof c.method === 'string' && TOKEN.test(c.method)) method = c.method.toUpperCase();
  else codes.push('INVALID_METHOD');
  const url = referenceUrl(urlText(c.url));
  if (!url) codes.push('INVALID_URL');
  if (url?.startsWith('ws') && method && method !== 'GET') codes.push('INVALID_METHOD');
  if (b === 'INVALID_BODY' || (b.send !== undefined && (method === 'GET' || method === 'HEAD')))
    codes.push('INVALID_BODY');
  let stamp: string | undefined;
  let header = 'x-timestamp';
  if ('timestamp' in c.stamp && 'nonce' in c.stamp) codes.push('INVALID_OPTION');
  else if ('nonce' in c.stamp) {
    header = 'x-nonce';
    stamp = referenceNonce(c.stamp.nonce);
    if (stamp === undefined) codes.push('INVALID_NONCE');
  } else {
    stamp = referenceTimestamp(c.stamp.timestamp);
    if (stamp === undefined) codes.push('INVALID_TIMESTAMP');
  }
  if (codes.length) return { codes };
  const bb = b as Exclude<typeof b, string>;
  const input = Buffer.concat([Buffer.from(stamp! + url!, 'utf8'), bb.bytes]);
  const signature = nodeSign('sha256', input, PARTNER_KEYS[c.key].keyObject).toString('base64url');
  return {
    view: view({
      method: method!,
      url: url!,
      body: bb.send,
      headers: {
        'x-api-key': API_KEY,
        [header]: stamp!,
        'x-sign': signature,
        ...jsonLabel(spec),
      },
      signingInput: input,
    }),
  };
}

/** Partner signers, created once per key and backend (imports are the slow part). */
const partnerSigners = new Map<string, api.PartnerSigner>();
function partnerSigner(key: number, backend: BackendName): api.PartnerSigner {
  const id = `${key}/${backend}`;
  let signer = partnerSigners.get(id);
  if (!signer)
    partnerSigners.set(
      id,
      (signer = api.createPartnerSigner({
        apiKey: API_KEY,
        privateKey: PARTNER_KEYS[key].pem,
        backend,
      })),
    );
  return signer;
}

/** One Partner API case (contract §1.2): as checkQredoCase, with RSA keys. */
export async function checkPartnerCase(c: PartnerCase, stats: DifferentialStats): Promise<void> {
  const stampText =
    'nonce' in c.stamp
      ? String(c.stamp.nonce)
      : String((c.stamp as { timestamp: unknown }).timestamp);
  const prefixBytes = Buffer.byteLength(`${stampText}${referenceUrl(urlText(c.url)) ?? ''}`);
  const method = typeof c.method === 'string' ? c.method.toUpperCase() : undefined;
  const noBody =
    !c.bodyOnGet &&
    (method === 'GET' || method === 'HEAD' || referenceUrl(urlText(c.url))?.startsWith('ws'));
  const spec: BodySpec = noBody ? { kind: 'none' } : c.body;
  const body = buildBody(spec, prefixBytes);
  const expected = referencePartner(c, spec, body);
  const request = { method: c.method, url: urlInput(c.url), body, ...c.stamp } as never;
  stats.requests++;
  let baseline: Outcome | undefined;
  let signed: SignedRequest | undefined;
  for (const backend of BACKENDS) {
    if (!c.slowBackends && (backend === 'js' || backend === 'wasm')) continue;
    const signer = partnerSigner(c.key, backend);
    for (const mode of SYNC.has(backend) ? (['sync', 'async'] as const) : (['async'] as const)) {
      const result = await attempt(async () => {
        const r = mode === 'sync' ? signer.signSync(request) : await signer.sign(request);
        if (backend === 'node' && mode === 'sync') signed = r;
        return r;
      });
      baseline ??= result;
      assertSame(result, baseline, `partner ${backend} (${mode}) against node`);
      assertSame(result, expected, `partner ${backend} (${mode}) against the reference`);
      bump('codes' in result ? stats.refused : stats.signatures, `partner ${backend} ${mode}`);
      if ('codes' in result && result === baseline) bump(stats.refusalCodes, result.codes[0]);
    }
  }
  if (signed) await partnerRoundTrip(c, signed, stats);
}

async function partnerRoundTrip(
  c: PartnerCase,
  signed: SignedRequest,
  stats: DifferentialStats,
): Promise<void> {
  const nonce = signed.headers['x-nonce'];
  const stamp = nonce ?? signed.headers['x-timestamp'];
  const options = {
    publicKeyFor: (k: string) => (k === API_KEY ? PARTNER_KEYS[c.key].spki : undefined),
    now: () => NOW_MS,
    nonceStore: api.createMemoryNonceStore(),
    stamps: 'either' as const, // the cases sign with both kinds (default: 'timestamp', issue 14)
    backend: BACKENDS[c.tamper.backend % BACKENDS.length],
  };
  const received = receivedOf(signed);
  const verify: VerifyChanged = (over) =>
    api.verifyPartnerRequest({ ...received, ...over }, options);
  // A nonce request has no window; a timestamp request is checked only when its timestamp is fresh.
  if (nonce === undefined && (await stopsAsStale(stamp, verify, stats))) return;
  // Changed requests first: a forged request must not burn the nonce (contract §3).
  await expectBodyAndSignatureBound(verify, signed, 'x-sign', c.tamper, stats);
  const headers = (name: string, value: string) => ({ ...signed.headers, [name]: value });
  if (nonce === undefined) {
    await expectRejected(
      () =>
        verify({
          headers: headers(
            'x-timestamp',
            changeTimestamp(stamp, freshness(stamp).unitDigits, c.tamper),
          ),
        }),
      'BAD_SIGNATURE',
      'timestamp digit',
      stats,
    );
  } else {
    await expectRejected(
      () => verify({ headers: headers('x-nonce', changeNonce(nonce, c.tamper)) }),
      'BAD_SIGNATURE',
      'nonce character',
      stats,
    );
  }
  // A changed URL is refused (contract §3.1); a store of its own all the same, so that a wrongly
  // accepted change could not use up the nonce the unchanged request below needs.
  await checkChangedUrl(
    signed.url,
    c.tamper,
    (url) =>
      api.verifyPartnerRequest(
        { ...received, url },
        { ...options, nonceStore: api.createMemoryNonceStore() },
      ),
    stats,
  );
  const ok = (await verify({})) as { apiKey: string };
  if (ok.apiKey !== API_KEY) throw new Error('round trip: wrong apiKey');
  stats.roundTrips++;
  if (nonce !== undefined)
    await expectRejected(() => verify({}), 'REPLAYED_NONCE', 'replayed nonce', stats);
}

/** Destroys the cached Partner signers (WASM key memory is zeroed). */
export function destroyPartnerSigners(): void {
  for (const signer of partnerSigners.values()) signer.destroy();
  partnerSigners.clear();
}
