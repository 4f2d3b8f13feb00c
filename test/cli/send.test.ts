/**
 * `qredo-sign send` (issue 19), run as a child process against independent verifiers on loopback
 * (test/client/server.ts checks signatures with node:crypto `createHmac` / `verify`, never with this
 * library), directly and through an HTTP proxy and a CONNECT tunnel.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSignature, startServer } from '../client/server.js';
import { createMockServer } from '../../src/mock.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/args.js';
import {
  environmentUrl,
  QREDO_ENVIRONMENTS,
  resolveEnvironment,
} from '../../src/client/environments.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'qredo-send-'));
const SECRET_BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 29 + 3) & 0xff));
const SECRET = SECRET_BYTES.toString('base64');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_FILE = join(TMP, 'private.pem');
writeFileSync(KEY_FILE, privateKey.export({ type: 'pkcs1', format: 'pem' }));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** The CLI as a child process, with no QREDO_* or proxy variable from outside. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v && !k.startsWith('QREDO_') && !/^(https?|no)_proxy$/i.test(k)) base[k] = v;
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { ...base, ...env } },
      (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, out, err }),
    );
  });
}

/**
 * The same command line through `main` in this process (child processes cost seconds each on a
 * shared machine); the first test and the TLS one run as real child processes.
 */
async function inProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    env,
    secrets: new Set(),
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readStdin: async () => new Uint8Array(0),
  };
  const code = await main(
    [...args, ...(args[0] === 'send' && !args.includes('--pretty') ? ['--raw'] : [])],
    io,
  );
  return { code, out, err };
}

const noSecretIn = (run: Run) => {
  assert.not.ok(run.out.includes(SECRET) || run.err.includes(SECRET), 'the secret was printed');
};

test('send api: 200 from an independent HMAC verifier (Unicode URL, body ending in a newline), exit 0', async () => {
  const server = await startServer({ qredoSecrets: { k1: SECRET_BYTES } });
  try {
    const run = await cli(
      [
        'send',
        'api',
        '--api-key',
        'k1',
        '--method',
        'POST',
        '--url',
        `${server.origin}/qapi/v1/ünïcode path?q=☃`,
        '--body',
        '{"a":1}\n',
      ],
      { QREDO_API_SECRET: SECRET },
    );
    assert.is(run.code, 0, run.err + run.out);
    assert.equal(JSON.parse(run.out), { ok: true, method: 'POST', bytes: 8 });
    assert.is(
      run.out,
      '{"ok":true,"method":"POST","bytes":8}',
      'raw when stdout is not a terminal',
    );
    assert.ok(server.requests[0].verdict.ok);
    assert.is(
      server.requests[0].url,
      `${server.origin}/qapi/v1/%C3%BCn%C3%AFcode%20path?q=%E2%98%83`,
    );
    assert.is(server.requests[0].headers['content-type'], 'application/json');
    noSecretIn(run);
    assert.not.ok(run.out.includes(String(server.requests[0].headers['qredo-api-sig'])));
  } finally {
    await server.close();
  }
});

test('send partner: 200 from an independent RSA verifier; --include prints the status line and headers', async () => {
  const server = await startServer({ partnerKeys: { p1: publicKey } });
  try {
    const run = await inProcess([
      'send',
      'partner',
      '--api-key',
      'p1',
      '--private-key',
      KEY_FILE,
      '--url',
      `${server.origin}/api/v1/p/company`,
      '--body',
      '{"name":"ACME"}',
      '--include',
      '--pretty',
    ]);
    assert.is(run.code, 0, run.err);
    assert.match(run.out, /^HTTP\/1\.1 200 OK\n/);
    assert.match(run.out, /\ncontent-type: application\/json\n/i);
    assert.ok(
      run.out.endsWith('\n\n{\n  "ok": true,\n  "method": "POST",\n  "bytes": 15\n}\n'),
      run.out,
    );
    assert.is(server.requests[0].verdict.scheme, 'partner');
  } finally {
    await server.close();
  }
});

test('send (attack): a wrong secret gets 401: exit 1, body still printed, nothing secret printed', async () => {
  const server = await startServer({ qredoSecrets: { k1: SECRET_BYTES } });
  try {
    const wrong = Buffer.alloc(32, 5).toString('base64');
    const run = await inProcess([
      'send',
      'api',
      '--api-key',
      'k1',
      '--secret',
      wrong,
      '--method',
      'GET',
      '--url',
      `${server.origin}/x`,
    ]);
    assert.is(run.code, 1);
    assert.equal(JSON.parse(run.out), { error: 'bad signature' });
    assert.not.ok(run.out.includes(wrong) || run.err.includes(wrong));
  } finally {
    await server.close();
  }
});

test('send --request DIR: partner-api-sign\'s uri file ("METHOD URL") and body', async () => {
  const server = await startServer({ partnerKeys: { p1: publicKey } });
  const dir = join(TMP, 'company_update');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'uri'), `PUT ${server.origin}/api/v1/p/company/1eJF\n`);
  writeFileSync(join(dir, 'body'), '{\n  "name": "ACME Corp17"\n}\n');
  try {
    const run = await inProcess([
      'send',
      'partner',
      '--api-key',
      'p1',
      '--private-key',
      KEY_FILE,
      '--request',
      dir,
    ]);
    assert.is(run.code, 0, run.err);
    assert.is(server.requests[0].method, 'PUT');
    assert.is(server.requests[0].url, `${server.origin}/api/v1/p/company/1eJF`);
    assert.is(server.requests[0].body.toString(), '{\n  "name": "ACME Corp17"\n}\n');
    assert.ok(server.requests[0].verdict.ok);
  } finally {
    await server.close();
  }
});

test('send --request DIR: method, uri and body files (body bytes unchanged)', async () => {
  const server = await startServer({ qredoSecrets: { k1: SECRET_BYTES } });
  const dir = join(TMP, 'req');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'method'), 'PUT\n');
  writeFileSync(join(dir, 'uri'), `${server.origin}/qapi/v1/thing\n`);
  writeFileSync(join(dir, 'body'), '{"x":"y"}\r\n');
  try {
    const run = await inProcess(['send', 'api', '--api-key', 'k1', '--request', dir], {
      QREDO_API_SECRET: SECRET,
    });
    assert.is(run.code, 0, run.err);
    assert.is(server.requests[0].method, 'PUT');
    assert.is(server.requests[0].body.toString(), '{"x":"y"}\r\n');
  } finally {
    await server.close();
  }
});

/** A forward proxy: absolute-form requests relayed, CONNECT tunnels piped; counts each kind. */
async function startProxy() {
  const seen = { forward: 0, connect: 0 };
  const proxy: Server = createServer((req, res) => {
    seen.forward++;
    const target = new URL(req.url!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  const tunnels = new Set<{ destroy(): void }>();
  proxy.on('connect', (req, socket, head) => {
    seen.connect++;
    tunnels.add(socket);
    const [host, port] = req.url!.split(':');
    const upstream = netConnect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close: () => {
      for (const socket of tunnels) socket.destroy();
      proxy.closeAllConnections();
      return new Promise((r) => proxy.close(r));
    },
  };
}

test('send: HTTP_PROXY relays an http request; NO_PROXY bypasses it', async () => {
  const server = await startServer({ qredoSecrets: { k1: SECRET_BYTES } });
  const proxy = await startProxy();
  try {
    const args = [
      'send',
      'api',
      '--api-key',
      'k1',
      '--method',
      'GET',
      '--url',
      `${server.origin}/via`,
    ];
    const via = await inProcess(args, { QREDO_API_SECRET: SECRET, HTTP_PROXY: proxy.url });
    assert.is(via.code, 0, via.err);
    assert.is(proxy.seen.forward, 1);
    const direct = await inProcess(args, {
      QREDO_API_SECRET: SECRET,
      HTTP_PROXY: proxy.url,
      NO_PROXY: 'localhost,127.0.0.1',
    });
    assert.is(direct.code, 0, direct.err);
    assert.is(proxy.seen.forward, 1, 'NO_PROXY was not honoured');
    assert.ok(server.requests.every((r) => r.verdict.ok));
  } finally {
    await proxy.close();
    await server.close();
  }
});

test('send: HTTPS_PROXY tunnels an https request with CONNECT; the proxy sees no signature', async () => {
  const cert = join(TMP, 'cert.pem');
  const key = join(TMP, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const verdicts: boolean[] = [];
  const https = createHttpsServer(
    { cert: readFileSync(cert), key: readFileSync(key) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = `https://${req.headers.host}${req.url}`;
        const verdict = checkSignature(
          req.method!,
          url,
          req.headers,
          Buffer.concat(chunks),
          { qredoSecrets: { k1: SECRET_BYTES } },
          new Map(),
        );
        verdicts.push(verdict.ok);
        res
          .writeHead(verdict.ok ? 200 : 401, { 'content-type': 'application/json' })
          .end('{"tls":true}');
      });
    },
  );
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const proxy = await startProxy();
  try {
    const port = (https.address() as AddressInfo).port;
    const run = await cli(
      [
        'send',
        'api',
        '--api-key',
        'k1',
        '--method',
        'POST',
        '--url',
        `https://127.0.0.1:${port}/tls`,
        '--body',
        '{}',
      ],
      { QREDO_API_SECRET: SECRET, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: cert },
    );
    assert.is(run.code, 0, run.err + run.out);
    assert.is(run.out, '{"tls":true}');
    assert.equal(verdicts, [true]);
    assert.equal(proxy.seen, { forward: 0, connect: 1 });
  } finally {
    await proxy.close();
    https.closeAllConnections();
    await new Promise((r) => https.close(r));
  }
});

test('send: --timeout gives up on a server that never answers (exit 1)', async () => {
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const port = (silent.address() as AddressInfo).port;
    const run = await inProcess(
      [
        'send',
        'api',
        '--api-key',
        'k1',
        '--method',
        'GET',
        '--url',
        `http://127.0.0.1:${port}/`,
        '--timeout',
        '0.5',
      ],
      { QREDO_API_SECRET: SECRET },
    );
    assert.is(run.code, 1);
    assert.match(run.err, /no response within 0\.5 s/);
  } finally {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  }
});

test('send --retries: a 503 then a 200, each attempt signed anew', async () => {
  let calls = 0;
  const server = await startServer({
    qredoSecrets: { k1: SECRET_BYTES },
    handle: (_req, res) => {
      if (++calls > 1) return false;
      res.writeHead(503, { 'retry-after': '1' }).end('{}');
      return true;
    },
  });
  try {
    const run = await inProcess(
      [
        'send',
        'api',
        '--api-key',
        'k1',
        '--method',
        'GET',
        '--url',
        `${server.origin}/r`,
        '--retries',
        '2',
      ],
      { QREDO_API_SECRET: SECRET },
    );
    assert.is(run.code, 0, run.err);
    assert.is(server.requests.length, 2);
    assert.ok(server.requests.every((r) => r.verdict.ok));
    // Retry-After: 1 s, so the second attempt carries a later timestamp and another signature.
    assert.is.not(
      server.requests[0].headers['qredo-api-sig'],
      server.requests[1].headers['qredo-api-sig'],
    );
  } finally {
    await server.close();
  }
});

test('send v2: token session against the mock; the token is never printed', async () => {
  const lines: string[] = [];
  const mock = await createMockServer({
    qredo: { apiKey: 'k2', secret: SECRET },
    workspace: 'w9',
    log: (l) => lines.push(l),
  });
  try {
    const run = await inProcess(
      [
        'send',
        'v2',
        '--api-key',
        'k2',
        '--workspace',
        'w9',
        '--base-url',
        `${mock.url}/api/v2`,
        '--url',
        '/workspaces/w9/wallets',
        '--include',
      ],
      { QREDO_API_SECRET: SECRET },
    );
    assert.is(run.code, 0, run.err + run.out);
    assert.match(run.out, /"scheme":"qredo-v2"/);
    assert.ok(lines.some((l) => /\/token 200/.test(l)));
    assert.not.ok(/eyJ/.test(run.out + run.err), 'a JWT was printed');
    const bad = await inProcess(
      [
        'send',
        'v2',
        '--api-key',
        'k2',
        '--workspace',
        'w9',
        '--base-url',
        `${mock.url}/api/v2`,
        '--url',
        '/x',
      ],
      { QREDO_API_SECRET: Buffer.alloc(32, 3).toString('base64') },
    );
    assert.is(bad.code, 1);
    assert.match(bad.err, /TOKEN_REQUEST_FAILED/);
  } finally {
    await mock.close();
  }
});

test('environments: only attested hosts built in; --env joins paths, refuses other hosts and schemes', async () => {
  assert.equal(Object.keys(QREDO_ENVIRONMENTS).sort(), [
    'partner',
    'partner-play',
    'partner-sandbox',
    'qredo-api',
  ]);
  for (const env of Object.values(QREDO_ENVIRONMENTS))
    assert.match(env.baseUrl, /^https:\/\/[a-z-]+\.qredo\.network\//);
  const api = resolveEnvironment('qredo-api');
  assert.is(environmentUrl(api, '/balance'), 'https://api.qredo.network/qapi/v1/balance');
  assert.throws(() => environmentUrl(api, 'https://evil.example/qapi/v1/balance'), /not under/);
  assert.throws(() => environmentUrl(api, 'https://api.qredo.network.evil.example/x'), /not under/);
  assert.throws(() => resolveEnvironment('staging'), /unknown environment; known: qredo-api/);
  assert.is(
    resolveEnvironment('mine', { mine: 'http://127.0.0.1:9/v2/' }).baseUrl,
    'http://127.0.0.1:9/v2',
  );
  const wrongScheme = await inProcess([
    'send',
    'partner',
    '--env',
    'qredo-api',
    '--api-key',
    'p',
    '--private-key',
    KEY_FILE,
    '--url',
    '/x',
  ]);
  assert.is(wrongScheme.code, 2);
  assert.match(wrongScheme.err, /takes api credentials/);
  const server = await startServer({ qredoSecrets: { k1: SECRET_BYTES } });
  try {
    const mine = await inProcess(
      [
        'send',
        'api',
        '--env',
        'local',
        '--api-key',
        'k1',
        '--method',
        'GET',
        '--url',
        '/qapi/v1/balance',
      ],
      {
        QREDO_API_SECRET: SECRET,
        QREDO_SIGN_ENVIRONMENTS: JSON.stringify({
          local: { baseUrl: server.origin, scheme: 'api' },
        }),
      },
    );
    assert.is(mine.code, 0, mine.err);
    assert.is(server.requests[0].url, `${server.origin}/qapi/v1/balance`);
  } finally {
    await server.close();
  }
});

test('send --help exits 0', async () => {
  const run = await inProcess(['send', '--help']);
  assert.is(run.code, 0);
  assert.match(run.out, /qredo-sign send/);
});

test.after(() => rmSync(TMP, { recursive: true, force: true }));
test.run();
