/**
 * The Qredo API differential (contract §1.1): each random request signed on every backend, sync and
 * async where it can, must equal the node backend's result and an HMAC reference computed here;
 * invalid requests must fail with the same code everywhere; then the signed request must verify,
 * and fail after a single-byte change to its body, signature, timestamp or URL.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import * as api from '../../../src/index.node.js';
import type { SignedRequest } from '../../../src/index.node.js';
import {
  API_KEY,
  BACKENDS,
  SYNC,
  TOKEN,
  assertSame,
  attempt,
  bump,
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
  referenceTimestamp,
  referenceUrl,
  refusal,
  urlInput,
  urlText,
  view,
  type DifferentialStats,
  type Outcome,
} from './common.js';
import {
  bodyArb,
  buildBody,
  buildSecret,
  methodArb,
  secretArb,
  tamperArb,
  timestampArb,
  urlArb,
  NOW_MS,
  type BodySpec,
  type SecretSpec,
  type Tamper,
} from './request-arbitraries.js';

export interface QredoCase {
  method: unknown;
  url: string | { url: string };
  body: BodySpec;
  timestamp: unknown;
  secret: SecretSpec;
  profile: 'v1' | 'v2';
  tamper: Tamper;
  /** Keep a body on GET, HEAD and ws(s) requests (a fault, so rarely). */
  bodyOnGet: boolean;
}

export const qredoCaseArb: fc.Arbitrary<QredoCase> = fc.record({
  method: methodArb,
  url: urlArb,
  body: bodyArb,
  timestamp: timestampArb,
  secret: secretArb,
  profile: fc.constantFrom('v1' as const, 'v2' as const),
  bodyOnGet: fc.nat(19).map((n) => n === 0),
  tamper: tamperArb,
});

/** The expected outcome of signing a Qredo API request (contract §1.1, §1.4). */
function referenceQredo(
  c: QredoCase,
  spec: BodySpec,
  body: unknown,
  key: Uint8Array | undefined,
): Outcome {
  if (!key) return { codes: ['INVALID_SECRET'] };
  const codes: string[] = [];
  const method =
    typeof c.method === 'string' && TOKEN.test(c.method) ? c.method.toUpperCase() : undefined;
  if (!method) codes.push('INVALID_METHOD');
  const url = referenceUrl(urlText(c.url));
  if (!url) codes.push('INVALID_URL');
  if (url?.startsWith('ws') && method && method !== 'GET') codes.push('INVALID_METHOD');
  const b = referenceBody(spec, body);
  if (b === 'INVALID_BODY' || (b.send !== undefined && (method === 'GET' || method === 'HEAD')))
    codes.push('INVALID_BODY');
  const stamp = referenceTimestamp(c.timestamp);
  if (stamp === undefined) codes.push('INVALID_TIMESTAMP');
  if (codes.length) return { codes };
  const bb = b as Exclude<typeof b, string>;
  const input = Buffer.concat([Buffer.from(stamp! + method! + url!, 'utf8'), bb.bytes]);
  const signature = createHmac('sha256', key).update(input).digest('base64url');
  const [ts, sig] =
    c.profile === 'v1'
      ? ['qredo-api-ts', 'qredo-api-sig']
      : ['qredo-api-timestamp', 'qredo-api-signature'];
  return {
    view: view({
      method: method!,
      url: url!,
      body: bb.send,
      headers: { 'qredo-api-key': API_KEY, [ts]: stamp!, [sig]: signature, ...jsonLabel(spec) },
      signingInput: input,
    }),
  };
}

/** One Qredo API case: every backend and mode against node and the reference, then the round trip. */
export async function checkQredoCase(c: QredoCase, stats: DifferentialStats): Promise<void> {
  const { secret, key } = buildSecret(c.secret);
  const method = typeof c.method === 'string' ? c.method.toUpperCase() : '';
  const prefixBytes = Buffer.byteLength(
    `${String(c.timestamp)}${method}${referenceUrl(urlText(c.url)) ?? ''}`,
  );
  const url = referenceUrl(urlText(c.url));
  const noBody = !c.bodyOnGet && (method === 'GET' || method === 'HEAD' || url?.startsWith('ws'));
  const spec: BodySpec = noBody ? { kind: 'none' } : c.body;
  const body = buildBody(spec, prefixBytes);
  const expected = referenceQredo(c, spec, body, key);
  const request = { method: c.method, url: urlInput(c.url), body, timestamp: c.timestamp } as never;
  stats.requests++;

  let baseline: Outcome | undefined;
  let signed: SignedRequest | undefined;
  for (const backend of BACKENDS) {
    let signer: api.QredoSigner | undefined;
    let refused: Outcome | undefined;
    try {
      signer = api.createQredoSigner({ apiKey: API_KEY, secret, backend, profile: c.profile });
    } catch (error) {
      refused = refusal(error);
    }
    for (const mode of SYNC.has(backend) ? (['sync', 'async'] as const) : (['async'] as const)) {
      const result =
        refused ??
        (await attempt(async () => {
          const r = mode === 'sync' ? signer!.signSync(request) : await signer!.sign(request);
          if (backend === 'node' && mode === 'sync') signed = r;
          return r;
        }));
      baseline ??= result;
      assertSame(result, baseline, `${backend} (${mode}) against node`);
      assertSame(result, expected, `${backend} (${mode}) against the reference`);
      bump('codes' in result ? stats.refused : stats.signatures, `qredo ${backend} ${mode}`);
      if ('codes' in result && result === baseline) bump(stats.refusalCodes, result.codes[0]);
    }
    signer?.destroy();
  }
  if (signed) await qredoRoundTrip(c, signed, secret, stats);
}

async function qredoRoundTrip(
  c: QredoCase,
  signed: SignedRequest,
  secret: string | Uint8Array,
  stats: DifferentialStats,
): Promise<void> {
  const tsHeader = c.profile === 'v1' ? 'qredo-api-ts' : 'qredo-api-timestamp';
  const sigHeader = c.profile === 'v1' ? 'qredo-api-sig' : 'qredo-api-signature';
  const stamp = signed.headers[tsHeader];
  const options = {
    secretFor: (k: string) => (k === API_KEY ? secret : undefined),
    now: () => NOW_MS,
    backend: BACKENDS[c.tamper.backend % BACKENDS.length],
  };
  const received = receivedOf(signed);
  const verify: VerifyChanged = (over) => api.verifyQredoRequest({ ...received, ...over }, options);
  if (await stopsAsStale(stamp, verify, stats)) return;
  const ok = (await verify({})) as { apiKey: string };
  if (ok.apiKey !== API_KEY) throw new Error('round trip: wrong apiKey');
  stats.roundTrips++;
  await expectBodyAndSignatureBound(verify, signed, sigHeader, c.tamper, stats);
  await expectRejected(
    () =>
      verify({
        headers: {
          ...signed.headers,
          [tsHeader]: changeTimestamp(stamp, freshness(stamp).unitDigits, c.tamper),
        },
      }),
    'BAD_SIGNATURE',
    'timestamp digit',
    stats,
  );
  await checkChangedUrl(signed.url, c.tamper, (url) => verify({ url }), stats);
}
