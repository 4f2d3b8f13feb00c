/**
 * `secret` as a provider (contract §3b, rotation from a vault): fetched and imported once, fetched
 * again by `refresh()`, the old key destroyed after a successful swap and kept after a failed one.
 * Signatures are checked by the independent server (test/client/server.ts, node:crypto createHmac).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { api, errorOf, referenceQredoSignature } from '../support.js';
import { startServer, type TestServer } from '../client/server.js';
import { jsBackend } from '../../src/backends/js.js';
import { createQredoSigner as minimalQredoSigner } from '../../src/api/qredo-api.js';

const A = randomBytes(32);
const B = randomBytes(32);
const secrets: Record<string, Uint8Array> = { qk: A };
let server: TestServer;

const R = suite('secret rotation');
R.before(async () => {
  server = await startServer({ qredoSecrets: secrets });
});
R.after(async () => {
  await server.close();
});

async function send(req: api.SignedRequest) {
  const init = { method: req.method, headers: req.headers, body: req.body as BodyInit | undefined };
  const res = await fetch(req.url, init);
  await res.arrayBuffer();
  return server.requests[server.requests.length - 1];
}

/** A vault stand-in: answers with whatever `value` holds now, after a tick; counts its calls. */
function vault(initial: string | Uint8Array) {
  const state = { value: initial, calls: 0, fail: undefined as Error | undefined };
  const provider = async () => {
    state.calls++;
    await new Promise((r) => setTimeout(r, 5));
    if (state.fail) throw state.fail;
    return state.value;
  };
  return { state, provider };
}

R('sign() waits for the first fetch; signatures verify; the provider is called once', async () => {
  secrets.qk = A;
  const { state, provider } = vault(A.toString('base64'));
  const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider });
  const req = await signer.sign({ method: 'POST', url: `${server.origin}/r`, body: { a: 1 } });
  assert.is(req.headers['qredo-api-sig'], referenceQredoSignature(A, req.signingInput));
  const r = await send(req);
  assert.ok(r.verdict.ok, r.verdict.reason);
  await signer.sign({ method: 'GET', url: `${server.origin}/r2` });
  assert.is(state.calls, 1);
});

R('signSync before the first answer: a clear SigningError; afterwards it signs', async () => {
  secrets.qk = A;
  const { provider } = vault(new Uint8Array(A));
  const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider });
  const e = (await errorOf(() =>
    signer.signSync({ method: 'GET', url: server.origin }),
  )) as api.SigningError;
  assert.instance(e, api.SigningError);
  assert.is(e.code, 'ASYNC_ONLY_BACKEND');
  assert.match(e.message, /before the secret provider has answered: use sign\(\)/);
  await signer.refresh();
  const r = await send(signer.signSync({ method: 'GET', url: `${server.origin}/sync` }));
  assert.ok(r.verdict.ok, r.verdict.reason);
});

R(
  'rotation: refresh() swaps to the new secret, the old key is destroyed after the swap',
  async () => {
    const destroyed: string[] = [];
    const original = jsBackend.importHmacKey;
    jsBackend.importHmacKey = (raw: Uint8Array) => {
      const label = Buffer.from(raw).equals(A) ? 'A' : 'B';
      const key = original.call(jsBackend, raw);
      const destroy = key.destroy.bind(key);
      key.destroy = () => {
        destroyed.push(label);
        destroy();
      };
      return key;
    };
    try {
      secrets.qk = A;
      const { state, provider } = vault(A.toString('base64'));
      const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider, backend: 'js' });
      assert.ok(
        (await send(await signer.sign({ method: 'GET', url: `${server.origin}/1` }))).verdict.ok,
      );
      state.value = B.toString('base64url');
      const pending = signer.refresh();
      // Until the swap, the old key keeps signing.
      const during = signer.signSync({ method: 'GET', url: `${server.origin}/2` });
      assert.equal(destroyed, []);
      assert.ok((await send(during)).verdict.ok);
      await pending;
      assert.equal(destroyed, ['A']);
      secrets.qk = B;
      const req = signer.signSync({ method: 'GET', url: `${server.origin}/3` });
      assert.is(req.headers['qredo-api-sig'], referenceQredoSignature(B, req.signingInput));
      assert.ok((await send(req)).verdict.ok);
      // Attack control: the retired secret no longer verifies what the signer now sends.
      secrets.qk = A;
      assert.not.ok(
        (await send(signer.signSync({ method: 'GET', url: `${server.origin}/4` }))).verdict.ok,
      );
      signer.destroy();
      assert.equal(destroyed, ['A', 'B']);
    } finally {
      jsBackend.importHmacKey = original;
    }
  },
);

R(
  'a failed refresh rejects (INVALID_SECRET, cause kept) and the old key stays in use',
  async () => {
    secrets.qk = A;
    const { state, provider } = vault(A.toString('base64'));
    const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider });
    await signer.refresh();
    const outage = new Error('vault sealed');
    state.fail = outage;
    const e = (await errorOf(() => signer.refresh())) as api.SigningError;
    assert.is(e.code, 'INVALID_SECRET');
    assert.is(e.cause, outage);
    state.fail = undefined;
    state.value = 'not base64 !!';
    const bad = (await errorOf(() => signer.refresh())) as api.SigningError;
    assert.is(bad.code, 'INVALID_SECRET');
    assert.not.match(bad.message, /not base64/);
    const r = await send(await signer.sign({ method: 'GET', url: `${server.origin}/kept` }));
    assert.ok(r.verdict.ok, r.verdict.reason);
  },
);

R('a failed first fetch fails sign(); the next sign() fetches again', async () => {
  secrets.qk = A;
  const { state, provider } = vault(A.toString('base64'));
  state.fail = new Error('not yet');
  const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider });
  const e = (await errorOf(() =>
    signer.sign({ method: 'GET', url: server.origin }),
  )) as api.SigningError;
  assert.is(e.code, 'INVALID_SECRET');
  state.fail = undefined;
  const r = await send(await signer.sign({ method: 'GET', url: `${server.origin}/again` }));
  assert.ok(r.verdict.ok, r.verdict.reason);
});

R('destroy() during a fetch: nothing is kept, signing refuses', async () => {
  const { provider } = vault(A.toString('base64'));
  const signer = api.createQredoSigner({ apiKey: 'qk', secret: provider });
  signer.destroy();
  await new Promise((r) => setTimeout(r, 20));
  const e = (await errorOf(() =>
    signer.sign({ method: 'GET', url: server.origin }),
  )) as api.SigningError;
  assert.is(e.code, 'INVALID_OPTION');
});

R(
  'a static secret: refresh() resolves and changes nothing; one-shot signing takes a provider',
  async () => {
    secrets.qk = A;
    const signer = api.createQredoSigner({ apiKey: 'qk', secret: A.toString('base64') });
    await signer.refresh();
    assert.ok(
      (await send(signer.signSync({ method: 'GET', url: `${server.origin}/s` }))).verdict.ok,
    );
    const req = await api.signQredoRequest({
      apiKey: 'qk',
      secret: async () => A,
      method: 'GET',
      url: `${server.origin}/once`,
    });
    assert.ok((await send(req)).verdict.ok);
  },
);

R(
  'the minimal qredo-sign/qredo-api signer refuses a provider as INVALID_SECRET, never calls it',
  async () => {
    let calls = 0;
    const e = (await errorOf(() =>
      minimalQredoSigner({ apiKey: 'qk', secret: async () => (calls++, A) }),
    )) as api.SigningError;
    assert.is(e.code, 'INVALID_SECRET');
    assert.is(calls, 0);
  },
);

R.run();
