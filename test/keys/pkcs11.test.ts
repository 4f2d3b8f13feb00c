/**
 * `qredo-sign/pkcs11` against a real SoftHSM2 token (Debian `softhsm2`): the test initialises a
 * token in a temporary directory, imports a PKCS#8 key made by `openssl genpkey` with
 * `softhsm2-util --import`, signs Partner API requests with the token and checks that each
 * signature is byte-equal to `openssl dgst -sha256 -sign` over the same signing input, verifies with
 * `openssl dgst -verify`, and verifies at the independent server (test/client/server.ts).
 * Skipped with a message when SoftHSM2 is absent, unless REQUIRE_SOFTHSM=1 (CI).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, errorOf } from '../support.js';
import { startServer, type TestServer } from '../client/server.js';
import { pkcs11Key, type Pkcs11Key } from '../../src/pkcs11.js';

const LIBRARY = process.env.SOFTHSM2_LIBRARY ?? '/usr/lib/softhsm/libsofthsm2.so';
const UTIL = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
const BINDING = await import('pkcs11js').then(
  () => true,
  () => false,
);
const AVAILABLE = UTIL.status === 0 && existsSync(LIBRARY) && BINDING;
const PIN = '60417329';
const TOKEN = 'qredo-sign-test';

const P = suite('pkcs11Key (SoftHSM2)');

if (!AVAILABLE) {
  const why = BINDING
    ? `SoftHSM2 not found (softhsm2-util on PATH and ${LIBRARY}); apt-get install softhsm2`
    : 'pkcs11js is not built (npm rebuild pkcs11js needs python3, make and a C++ compiler)';
  if (process.env.REQUIRE_SOFTHSM === '1') {
    P('SoftHSM2 is installed (REQUIRE_SOFTHSM=1)', () => assert.unreachable(why));
  } else {
    console.warn(`pkcs11.test.ts skipped: ${why}`);
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), 'qredo-sign-softhsm-'));
  const keyFile = join(dir, 'key.p8');
  const pubFile = join(dir, 'pub.pem');
  let server: TestServer;
  const opened: Pkcs11Key[] = [];
  const open = async (options: Parameters<typeof pkcs11Key>[0]) => {
    const key = await pkcs11Key(options);
    opened.push(key);
    return key;
  };

  const run = (cmd: string, args: string[], input?: Buffer) =>
    execFileSync(cmd, args, { input, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });

  /** OpenSSL's signature of `input` with the same PKCS#8 key: the expected bytes. */
  const opensslSign = (input: Uint8Array) => {
    const file = join(dir, 'input.bin');
    writeFileSync(file, input);
    return run('openssl', ['dgst', '-sha256', '-sign', keyFile, file]);
  };
  const opensslVerifies = (input: Uint8Array, signature: Uint8Array) => {
    writeFileSync(join(dir, 'input.bin'), input);
    writeFileSync(join(dir, 'sig.bin'), signature);
    const r = spawnSync(
      'openssl',
      [
        'dgst',
        '-sha256',
        '-verify',
        pubFile,
        '-signature',
        join(dir, 'sig.bin'),
        join(dir, 'input.bin'),
      ],
      { encoding: 'utf8' },
    );
    return r.status === 0 && r.stdout.includes('Verified OK');
  };

  P.before(async () => {
    mkdirSync(join(dir, 'tokens'));
    writeFileSync(
      join(dir, 'softhsm2.conf'),
      `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    );
    // SoftHSM reads its configuration when the library initialises, which happens later.
    process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
    run('softhsm2-util', [
      '--init-token',
      '--free',
      '--label',
      TOKEN,
      '--so-pin',
      '12345678',
      '--pin',
      PIN,
    ]);
    run('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-out',
      keyFile,
    ]);
    run('openssl', ['pkey', '-in', keyFile, '-pubout', '-out', pubFile]);
    run('softhsm2-util', [
      '--import',
      keyFile,
      '--token',
      TOKEN,
      '--label',
      'partner',
      '--id',
      'a1b2',
      '--pin',
      PIN,
    ]);
    server = await startServer({ partnerKeys: { pk: readFileSync(pubFile, 'utf8') } });
  });
  P.after(async () => {
    for (const key of opened) key.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(req: api.SignedRequest) {
    const init = {
      method: req.method,
      headers: req.headers,
      body: req.body as BodyInit | undefined,
    };
    const res = await fetch(req.url, init);
    await res.arrayBuffer();
    return server.requests[server.requests.length - 1];
  }

  P('token + label: requests signed in the token verify; bytes equal OpenSSL’s', async () => {
    const key = await open({ library: LIBRARY, token: TOKEN, pin: PIN, label: 'partner' });
    const signer = api.createPartnerSigner({ apiKey: 'pk', privateKey: key });
    const requests = [
      await signer.sign({ url: `${server.origin}/api/v1/p/company`, body: { name: 'ACME', n: 1 } }),
      await signer.sign({ url: `${server.origin}/api/v1/p/company?x=é`, nonce: 'auto' }),
      signer.signSync({ url: `${server.origin}/sync`, method: 'PUT', body: 'raw body' }),
    ];
    for (const req of requests) {
      const signature = Buffer.from(req.headers['x-sign'], 'base64url');
      assert.is(signature.length, 256);
      assert.ok(
        signature.equals(opensslSign(req.signingInput)),
        'byte-equal to openssl dgst -sign',
      );
      assert.ok(opensslVerifies(req.signingInput, signature), 'openssl dgst -verify');
      const r = await send(req);
      assert.ok(r.verdict.ok, r.verdict.reason);
    }
  });

  P('the public key read from the token is the key OpenSSL derives', async () => {
    const key = await open({ library: LIBRARY, token: TOKEN, pin: PIN, id: 'a1b2' });
    const { createPublicKey } = await import('node:crypto');
    const fromToken = createPublicKey({ key: key.publicKey as never, format: 'jwk' });
    const fromOpenssl = createPublicKey(readFileSync(pubFile, 'utf8'));
    assert.ok(
      fromToken
        .export({ type: 'spki', format: 'der' })
        .equals(fromOpenssl.export({ type: 'spki', format: 'der' })),
    );
  });

  P(
    'slot ID + id bytes find the same key; two keys share the library, closing one keeps the other',
    async () => {
      const first = await open({ library: LIBRARY, token: TOKEN, pin: PIN, label: 'partner' });
      const second = await open({
        library: LIBRARY,
        slot: BigInt(first.slot),
        pin: PIN,
        id: new Uint8Array([0xa1, 0xb2]),
      });
      first.close();
      first.close(); // idempotent
      const signer = api.createPartnerSigner({ apiKey: 'pk', privateKey: second });
      const r = await send(await signer.sign({ url: `${server.origin}/second` }));
      assert.ok(r.verdict.ok, r.verdict.reason);
      const e = (await errorOf(() => first.sign(new Uint8Array(3)))) as api.SigningError;
      assert.is(e.code, 'INVALID_OPTION');
    },
  );

  P(
    'attack: a wrong PIN is refused, also while another key of this process is logged in',
    async () => {
      for (const key of opened.splice(0)) key.close(); // no login left: C_Login checks the PIN
      const wrong = '99999999';
      const cold = (await errorOf(() =>
        pkcs11Key({ library: LIBRARY, token: TOKEN, pin: wrong, label: 'partner' }),
      )) as api.SigningError;
      assert.instance(cold, api.SigningError);
      assert.is(cold.code, 'INVALID_OPTION');
      assert.match(cold.message, /CKR_PIN_INCORRECT/);
      assert.not.ok(JSON.stringify([cold.message, String(cold), cold.toJSON()]).includes(wrong));
      // Control: the right PIN opens the key; with it logged in, C_Login no longer checks PINs.
      const honest = await open({ library: LIBRARY, token: TOKEN, pin: PIN, label: 'partner' });
      const warm = (await errorOf(() =>
        pkcs11Key({ library: LIBRARY, token: TOKEN, pin: wrong, label: 'partner' }),
      )) as api.SigningError;
      assert.instance(warm, api.SigningError);
      assert.is(warm.code, 'INVALID_OPTION');
      assert.match(warm.message, /not the one this process is logged in/);
      assert.not.ok(warm.message.includes(wrong));
      assert.is(honest.sign(new Uint8Array([1])).length, 256);
    },
  );

  P('refusals: unknown token, unknown key, bad options, missing library', async () => {
    const code = async (options: unknown) =>
      ((await errorOf(() => pkcs11Key(options as never))) as api.SigningError).code;
    assert.is(
      await code({ library: LIBRARY, token: 'nope', pin: PIN, label: 'partner' }),
      'INVALID_OPTION',
    );
    assert.is(
      await code({ library: LIBRARY, token: TOKEN, pin: PIN, label: 'other' }),
      'INVALID_KEY',
    );
    assert.is(await code({ library: LIBRARY, token: TOKEN, pin: PIN }), 'INVALID_OPTION');
    assert.is(
      await code({ library: LIBRARY, token: TOKEN, slot: 1, pin: PIN, label: 'x' }),
      'INVALID_OPTION',
    );
    assert.is(
      await code({ library: LIBRARY, token: TOKEN, pin: PIN, id: 'xyz' }),
      'INVALID_OPTION',
    );
    assert.is(
      await code({ library: join(dir, 'missing.so'), token: TOKEN, pin: PIN, label: 'p' }),
      'UNAVAILABLE_BACKEND',
    );
    // The library is still usable after all these refusals.
    const key = await open({ library: LIBRARY, token: TOKEN, pin: PIN, label: 'partner' });
    assert.is(key.sign(new Uint8Array([2])).length, 256);
  });
}

P.run();
