/**
 * Signers share one class per kind (issue 17): many signers keep call sites monomorphic and cost
 * about what a prepared key costs, while their secrets stay unreachable from every view a program
 * or a log can take of them. The memory bound runs in a child process with --expose-gc.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { BACKENDS, SYNC_BACKENDS, api, runChildScript } from '../support.js';

const SECRET_BYTES = Buffer.from('signer-shape: a secret never shown');
const SECRET = SECRET_BYTES.toString('base64');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const PEM_LINE = PEM.split('\n')[5]!;

test('every Qredo signer, and every Partner signer, is an instance of one shared class', () => {
  for (const backend of BACKENDS) {
    const a = api.createQredoSigner({ apiKey: 'a', secret: SECRET, backend });
    const b = api.createQredoSigner({ apiKey: 'b', secret: SECRET, backend, profile: 'v2' });
    assert.is(Object.getPrototypeOf(a), Object.getPrototypeOf(b), backend);
    assert.equal(Object.keys(a), Object.keys(b), `${backend}: same own fields, same order`);
    const data = Object.keys(a).filter((k) => typeof (a as never)[k] !== 'function');
    assert.equal(data, ['backend', 'apiKey', 'profile']);
  }
  const qredoProto = Object.getPrototypeOf(api.createQredoSigner({ apiKey: 'a', secret: SECRET }));
  const wasmProto = Object.getPrototypeOf(
    api.createQredoSigner({ apiKey: 'a', secret: SECRET, backend: 'wasm' }),
  );
  assert.is(qredoProto, wasmProto, 'backends differ only in the keys held');
  const p1 = api.createPartnerSigner({ apiKey: 'a', privateKey: PEM });
  const p2 = api.createPartnerSigner({ apiKey: 'b', privateKey: PEM, backend: 'wasm' });
  assert.is(Object.getPrototypeOf(p1), Object.getPrototypeOf(p2));
  assert.equal(
    Object.keys(p1).filter((k) => typeof (p1 as never)[k] !== 'function'),
    ['backend', 'apiKey'],
  );
  // Methods work detached, as they did when each signer was an object of closures.
  const { signSync } = api.createQredoSigner({ apiKey: 'k', secret: SECRET });
  assert.is(signSync({ method: 'GET', url: 'https://x.test/' }).headers['qredo-api-key'], 'k');
});

test('attack: every view of a signer (inspect with hidden fields, JSON, String, own keys) hides its secret', () => {
  const views = (signer: object) => [
    inspect(signer, { showHidden: true, depth: Infinity, getters: true }),
    inspect(Object.getPrototypeOf(signer), { showHidden: true, depth: Infinity }),
    JSON.stringify(signer),
    String(signer),
    JSON.stringify(Object.entries(signer)),
    JSON.stringify(
      Object.getOwnPropertyNames(signer).map((n) => [n, String((signer as never)[n])]),
    ),
    Object.getOwnPropertySymbols(signer).map(String).join(),
  ];
  const hex = SECRET_BYTES.toString('hex');
  for (const backend of BACKENDS) {
    const signer = api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend });
    for (const view of views(signer)) {
      assert.not.ok(view.includes(SECRET) || view.includes(hex), `${backend}: ${view}`);
    }
    // Control: the views do show what is public.
    assert.match(String(signer), /"apiKey":"k"/);
    assert.match(inspect(signer), new RegExp(`"backend":"${signer.backend}"`));
  }
  for (const backend of SYNC_BACKENDS) {
    const signer = api.createPartnerSigner({ apiKey: 'k', privateKey: PEM, backend });
    for (const view of views(signer)) assert.not.ok(view.includes(PEM_LINE), `${backend}: ${view}`);
    assert.is(
      JSON.stringify(signer),
      JSON.stringify({ type: 'PartnerSigner', apiKey: 'k', backend }),
    );
  }
});

test('a signer costs at most 1 KB of heap (10,000 signers, wasm and auto)', () => {
  const out = runChildScript(`
const v8 = await import('node:v8');
const vm = await import('node:vm');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const api = await import('./src/index.node.ts');
const out = {};
for (const backend of ['wasm', 'auto']) {
  const warm = api.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0', backend });
  warm.signSync({ method: 'GET', url: 'https://x.test/' });
  gc(); gc();
  const before = process.memoryUsage().heapUsed;
  const signers = [];
  for (let i = 0; i < 10000; i++) {
    const secret = new Uint8Array(32); secret[0] = i & 255; secret[1] = i >> 8;
    signers.push(api.createQredoSigner({ apiKey: 'k', secret, backend }));
  }
  gc(); gc();
  out[backend] = (process.memoryUsage().heapUsed - before) / signers.length;
  for (const s of signers) s.destroy();
}
console.log(JSON.stringify(out));
`) as Record<string, number>;
  for (const [backend, bytes] of Object.entries(out)) {
    assert.ok(bytes <= 1024, `${backend}: ${bytes.toFixed(0)} bytes of heap per signer`);
  }
});

test.run();
