/**
 * Signed WebSocket upgrades, opened with Node's `ws` package and with undici's WebSocket (in a
 * child process: on Node 20 it is behind --experimental-websocket), against a local server that
 * checks the upgrade request's headers on its own (test/client/server.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { api, errorOf } from '../support.js';
import { startServer, type TestServer } from './server.js';
import { signWebSocket, runtimeSendsWebSocketHeaders } from '../../src/client/websocket.js';

const SECRET_BYTES = randomBytes(32);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const qredo = api.createQredoSigner({ apiKey: 'qk', secret: SECRET_BYTES });
let issuedNonces = 0;
const partner = api.createPartnerSigner({
  apiKey: 'pk',
  privateKey,
  nonce: { onIssue: () => issuedNonces++ },
});

let server: TestServer;
const W = suite('signWebSocket');
W.before(async () => {
  server = await startServer({
    qredoSecrets: { qk: SECRET_BYTES },
    partnerKeys: { pk: publicKey },
  });
});
W.after(async () => {
  await server.close();
});

const feedUrl = () => `ws://127.0.0.1:${server.port}/api/v1/p/coreclient/feed?since=1#ignored`;
const lastUpgrade = () => server.requests.filter((r) => r.upgrade).at(-1)!;

/** Opens with `ws`; resolves with the first message, rejects with the handshake error. */
function openWithWs(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('message', (data) => {
      resolve(String(data));
      socket.close();
    });
    socket.once('error', reject);
  });
}

W('Qredo API signer: the upgrade verifies, fragment dropped', async () => {
  const signed = await signWebSocket(qredo, feedUrl());
  assert.is(signed.url, `ws://127.0.0.1:${server.port}/api/v1/p/coreclient/feed?since=1`);
  assert.is(await openWithWs(signed.url, signed.headers), 'hello qk');
  const upgrade = lastUpgrade();
  assert.ok(upgrade.verdict.ok);
  assert.is(upgrade.method, 'GET');
  assert.is(upgrade.url, signed.url);
});

W('Partner API signer: nonce auto, explicit nonce and timestamp', async () => {
  for (const options of [{ nonce: 'auto' as const }, { nonce: 'n-42' }, {}]) {
    const signed = await signWebSocket(partner, feedUrl(), options);
    assert.is(await openWithWs(signed.url, signed.headers), 'hello pk');
    assert.is(lastUpgrade().verdict.scheme, 'partner');
  }
  assert.is(lastUpgrade().headers['x-timestamp'] !== undefined, true);
});

W('a signature for another URL is refused by the server (the check can fail)', async () => {
  const signed = await signWebSocket(qredo, feedUrl());
  const error = await errorOf(() =>
    openWithWs(`ws://127.0.0.1:${server.port}/api/v1/p/other`, signed.headers),
  );
  assert.match(String(error), /401/);
  assert.is(lastUpgrade().verdict.reason, 'bad signature');
});

W("undici's WebSocket (child process) sends the headers too", async () => {
  const signed = await signWebSocket(partner, feedUrl(), { nonce: 'auto' });
  const script = `
    const [url, headers] = JSON.parse(process.argv[1]);
    const socket = new WebSocket(url, { headers });
    socket.onmessage = (e) => { console.log(String(e.data)); socket.close(); };
    socket.onerror = () => { console.log('error'); process.exitCode = 1; };`;
  const major = Number(process.versions.node.split('.')[0]);
  const flags = major < 22 ? ['--experimental-websocket', '--no-warnings'] : [];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [...flags, '-e', script, JSON.stringify([signed.url, signed.headers])],
      { timeout: 5000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    );
  });
  assert.is(output, 'hello pk');
  assert.ok(lastUpgrade().verdict.ok);
});

W('browsers: UNSUPPORTED_RUNTIME before any nonce is spent; the override', async () => {
  const g = globalThis as Record<string, unknown>;
  assert.ok(runtimeSendsWebSocketHeaders());
  for (const fake of [{ window: {}, document: {} }, { importScripts: () => undefined }]) {
    Object.assign(g, fake);
    try {
      assert.not.ok(runtimeSendsWebSocketHeaders());
      const before = issuedNonces;
      const error = await errorOf(() => signWebSocket(partner, feedUrl(), { nonce: 'auto' }));
      assert.is((error as { code?: string }).code, 'UNSUPPORTED_RUNTIME');
      assert.match((error as Error).message, /cannot send request headers/);
      assert.is(issuedNonces, before);
      const signed = await signWebSocket(qredo, feedUrl(), { headersSupported: true });
      assert.is(await openWithWs(signed.url, signed.headers), 'hello qk');
    } finally {
      for (const name of Object.keys(fake)) delete g[name];
    }
  }
  assert.ok(runtimeSendsWebSocketHeaders());
  const forced = await errorOf(() => signWebSocket(qredo, feedUrl(), { headersSupported: false }));
  assert.is((forced as { code?: string }).code, 'UNSUPPORTED_RUNTIME');
});

W('refusals: http URL, a nonce for a Qredo signer, not a signer', async () => {
  const http = await errorOf(() => signWebSocket(qredo, `http://127.0.0.1:${server.port}/x`));
  assert.is((http as { code?: string }).code, 'INVALID_URL');
  const nonce = await errorOf(() => signWebSocket(qredo, feedUrl(), { nonce: 'auto' }));
  assert.is((nonce as { code?: string }).code, 'INVALID_OPTION');
  const notSigner = await errorOf(() => signWebSocket({} as never, feedUrl()));
  assert.is((notSigner as { code?: string }).code, 'INVALID_ARGUMENT');
});

W.run();
