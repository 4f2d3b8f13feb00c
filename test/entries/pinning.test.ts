/**
 * Backend entries pin their backend (issue 16): `qredo-sign/js` and the others export signers,
 * primitives and verifiers that default to their own backend even when the root entry registered
 * more in the same process; `backend:` given explicitly still wins. And `initWasm` is exported from
 * every entry that can load WASM. Runs in a child process: the root entry registers backends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { runChildScript } from '../support.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';

test('importing qredo-sign/js (or /wasm, /webcrypto, /node) beside the root entry pins its backend', () => {
  const out = runChildScript(`
const root = await import('./src/index.node.ts');
const entries = {
  js: await import('./src/backend-js.ts'),
  wasm: await import('./src/backend-wasm.ts'),
  webcrypto: await import('./src/backend-webcrypto.ts'),
  node: await import('./src/backend-node.ts'),
};
const pem = ${JSON.stringify(PEM)};
const out = { root: root.createQredoSigner({ apiKey: 'k', secret: 'c2VjcmV0' }).backend };
for (const [name, entry] of Object.entries(entries)) {
  const options = { apiKey: 'k', secret: 'c2VjcmV0' };
  out[name] = {
    qredo: entry.createQredoSigner(options).backend,
    partner: entry.createPartnerSigner({ apiKey: 'k', privateKey: pem }).backend,
    explicit: entry.createQredoSigner({ ...options, backend: 'js' }).backend,
    optionsUntouched: !('backend' in options),
    sig: (await entry.signQredoRequest({ ...options, method: 'GET', url: 'https://x.test/a', timestamp: 1 })).headers['qredo-api-sig'],
    xsign: (await entry.signPartnerRequest({ apiKey: 'k', privateKey: pem, url: ${JSON.stringify(URL_)}, nonce: '1' })).headers['x-sign'],
    mac: Buffer.from(await entry.hmacSha256(new Uint8Array([1, 2]), new Uint8Array([3]))).toString('hex'),
  };
}
console.log(JSON.stringify(out));
`) as Record<string, Record<string, unknown>> & { root: string };
  assert.is(out.root, 'wasm', 'control: the root entry still chooses by the auto policy');
  const sig = createHmac('sha256', Buffer.from('c2VjcmV0', 'base64'))
    .update('1GEThttps://x.test/a')
    .digest('base64url');
  const xsign = nodeSign('sha256', Buffer.from(`1${URL_}`), privateKey).toString('base64url');
  const mac = createHmac('sha256', Buffer.from([1, 2]))
    .update(Buffer.from([3]))
    .digest('hex');
  for (const name of ['js', 'wasm', 'webcrypto', 'node']) {
    const entry = out[name]!;
    assert.is(entry.qredo, name, `${name}: Qredo signer`);
    assert.is(entry.partner, name, `${name}: Partner signer`);
    assert.is(entry.explicit, 'js', `${name}: an explicit backend wins`);
    assert.ok(entry.optionsUntouched, `${name}: the caller's options object is not changed`);
    assert.is(entry.sig, sig, name);
    assert.is(entry.xsign, xsign, name);
    assert.is(entry.mac, mac, name);
  }
});

test('initWasm is exported from the root entries and from qredo-sign/wasm', async () => {
  for (const path of ['index.ts', 'index.node.ts', 'backend-wasm.ts']) {
    const entry = (await import(`../../src/${path}`)) as { initWasm?: unknown };
    assert.type(entry.initWasm, 'function', path);
  }
  await ((await import('../../src/index.node.ts')) as { initWasm(): Promise<void> }).initWasm();
  // The workerd entries import .wasm files that only wrangler can load: read their export lists.
  for (const path of ['index.workerd.ts', 'backend-wasm.workerd.ts']) {
    const text = readFileSync(new URL(`../../src/${path}`, import.meta.url), 'utf8');
    assert.match(text, /export \{ initWasm \} from '\.\/backends\/wasm\/init\.js'/, path);
  }
});

test.run();
