/**
 * What a Qredo API signer shows besides its headers: the JSON view of a signed request, its lazily
 * joined signing input, the "<field> must be <rule>" messages of its refusals, and the registry
 * rule that a retired backend's RSA half goes with its HMAC half (run in a child process, since it
 * retires wasm from that process's registry).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REFUSE_WASM, api, errorOf, referenceQredoSignature, runChildScript } from '../support.js';

const SECRET = Buffer.from('signer-surface test secret').toString('base64');
const URL_OK = 'https://api.qredo.network/qapi/v1/company';

test('JSON of a signed request: method, url, body (bytes as a count), headers, in that order', async () => {
  for (const backend of api.availableBackends()) {
    const signer = api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend });
    for (const body of ['{"a":"é"}', new Uint8Array([0, 255, 7])]) {
      const signed = await signer.sign({ method: 'post', url: URL_OK, body, timestamp: 7 });
      const input = Buffer.concat([Buffer.from(`7POST${URL_OK}`), Buffer.from(body)]);
      const headers = {
        'qredo-api-key': 'k',
        'qredo-api-ts': '7',
        'qredo-api-sig': referenceQredoSignature(Buffer.from(SECRET, 'base64'), input),
      };
      const shown = typeof body === 'string' ? body : '<3 bytes>';
      assert.is(
        JSON.stringify(signed),
        JSON.stringify({ method: 'POST', url: URL_OK, body: shown, headers }),
        backend,
      );
      assert.equal(Buffer.from(signed.signingInput), input, `${backend}: signing input`);
    }
  }
});

test('refusals name the field and its rule: "<field> must be <rule>"', async () => {
  const sign = (request: object) => () =>
    api.createQredoSigner({ apiKey: 'k', secret: SECRET }).signSync(request as never);
  const create = (options: object) => () =>
    api.createQredoSigner({ apiKey: 'k', secret: SECRET, ...options } as never);
  const cases: [string, () => unknown][] = [
    ['secret', create({ secret: 'abc$' })],
    ['secret', create({ secret: new Uint8Array(0) })],
    ['apiKey', create({ apiKey: 'a b' })],
    ['profile', create({ profile: 'v3' })],
    ['backend', create({ backend: 'openssl' })],
    ['options', () => api.createQredoSigner(null as never)],
    ['request', sign(null as never)],
    ['method', sign({ method: 'GE T', url: URL_OK })],
    ['method', sign({ method: 'POST', url: 'wss://x.test/' })],
    ['url', sign({ method: 'GET', url: 'ftp://x.test/' })],
    ['url', sign({ method: 'GET', url: 'https://u:p@x.test/' })],
    ['timestamp', sign({ method: 'GET', url: URL_OK, timestamp: 1.5 })],
    ['body', sign({ method: 'POST', url: URL_OK, body: 'a\uD800' })],
    ['body', sign({ method: 'POST', url: URL_OK, body: 42 })],
    ['body', sign({ method: 'GET', url: URL_OK, body: 'x' })],
    ['body', sign({ method: 'POST', url: URL_OK, body: { n: 1n } })],
  ];
  for (const [field, call] of cases) {
    const error = (await errorOf(call)) as Error;
    assert.ok(error instanceof api.SigningError, `${field}: ${String(error)}`);
    assert.match(error.message, new RegExp(`^${field} must be \\S`), error.message);
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const error = (await errorOf(sign({ method: 'POST', url: URL_OK, body: cyclic }))) as Error;
  assert.match(String(error.cause), /circular|cyclic/i, 'the runtime says why, in the cause');
});

// WebAssembly refused after the import, as in auto-fallback.test.ts (a CSP without
// 'wasm-unsafe-eval'); the Qredo API signer under 'auto' retires wasm, and with it wasm's RSA half.
const SCRIPT = `
const { generateKeyPairSync } = await import('node:crypto');
const api = await import('./src/index.node.ts');
${REFUSE_WASM}
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
const out = { qredo: api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' }).backend };
try { api.createPartnerSigner({ apiKey: 'k', privateKey, backend: 'wasm' }); out.partnerWasm = 'accepted'; }
catch (e) { out.partnerWasm = e.code; }
out.partnerAuto = api.createPartnerSigner({ apiKey: 'k', privateKey }).backend;
out.available = api.availableBackends();
console.log(JSON.stringify(out));
`;

test('a retired backend loses its RSA half too; auto signs RSA with the next one', () => {
  assert.equal(runChildScript(SCRIPT), {
    qredo: 'node',
    partnerWasm: 'UNAVAILABLE_BACKEND',
    partnerAuto: 'node',
    available: ['node', 'webcrypto', 'js'],
  });
});

// The registry alone, with a stand-in backend, in its own process (the registry is global).
const REGISTRY = `
const r = await import('./src/backends/registry.ts');
const key = { mac: () => new Uint8Array(32), destroy() {} };
const fake = { name: 'wasm', sync: true, importHmacKey: () => key,
  importRsaPrivateKey: () => ({}), importRsaPublicKey: () => ({}) };
const code = (run) => { try { run(); return 'selected'; } catch (e) { return e.code; } };
const out = {};
r.registerBackend(fake);
out.before = code(() => r.selectBackends('wasm', 'rsa'));
out.retired = r.retireBackend('wasm');
out.hmac = code(() => r.selectBackends('wasm', 'hmac'));
out.rsa = code(() => r.selectBackends('wasm', 'rsa'));
out.again = r.retireBackend('wasm');
r.registerHmacBackend(fake);
out.hmacHalf = [code(() => r.selectBackends('wasm', 'hmac')), code(() => r.selectBackends('wasm', 'rsa'))];
r.registerBackend(fake);
out.whole = code(() => r.selectBackends('wasm', 'rsa'));
console.log(JSON.stringify(out));
`;

test('registry: retiring a backend takes both halves; registering it whole brings both back', () => {
  assert.equal(runChildScript(REGISTRY), {
    before: 'selected',
    retired: true,
    hmac: 'UNAVAILABLE_BACKEND',
    rsa: 'UNAVAILABLE_BACKEND',
    again: false,
    // An HMAC half registered alone counts for HMAC; the RSA half registered before it counts
    // again with it (registering a half never removes the other).
    hmacHalf: ['selected', 'selected'],
    whole: 'selected',
  });
});

test.run();
