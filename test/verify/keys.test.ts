/**
 * Verifier keys (contract §3.1; issue 14 items 10 and 11): several keys during a rotation, and public
 * keys cached by their material, never by object identity.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { registerBackend } from '../../src/backends/registry.js';
import { nodeBackend } from '../../src/backends/node.js';
import { _backendChoiceInternals } from '../../src/verify/backend-choice.js';
import type { Backend } from '../../src/backends/types.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyPartnerRequest, verifyQredoRequest } from '../../src/verify/verifiers.js';

registerBackend(nodeBackend);

const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);
const URL_X = 'https://play-api.qredo.network/api/v1/p/company';
const k1 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const k2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const k3 = generateKeyPairSync('rsa', { modulusLength: 3072 });

function partner(key: KeyObject, ts = TS) {
  const sig = nodeSign('sha256', Buffer.from(ts + URL_X), key).toString('base64url');
  return { url: URL_X, headers: { 'x-api-key': 'p1', 'x-timestamp': ts, 'x-sign': sig } };
}
function qredo(secret: Uint8Array) {
  const sig = createHmac('sha256', secret)
    .update(TS + 'GET' + URL_X)
    .digest('base64url');
  return {
    method: 'GET',
    url: URL_X,
    headers: { 'qredo-api-key': 'k1', 'qredo-api-ts': TS, 'qredo-api-sig': sig },
  };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    assert.instance(e, SigningError);
    return (e as SigningError).code;
  }
  return 'ACCEPTED';
}

const now = () => NOW;

const C = suite('attack: public keys cached by object identity');

C(
  'attack: a JWK object changed in place after first use verifies with the new key only',
  async () => {
    const jwk = k1.publicKey.export({ format: 'jwk' });
    const opts = { publicKeyFor: () => jwk, now, backend: 'node' as const };
    assert.is((await verifyPartnerRequest(partner(k1.privateKey), opts)).apiKey, 'p1'); // control
    Object.assign(jwk, k2.publicKey.export({ format: 'jwk' })); // the key holder rotates in place
    assert.is((await verifyPartnerRequest(partner(k2.privateKey), opts)).apiKey, 'p1');
    assert.is(await code(verifyPartnerRequest(partner(k1.privateKey), opts)), 'BAD_SIGNATURE');
  },
);

C('attack: DER bytes overwritten in the same buffer after a rotation', async () => {
  const der = new Uint8Array(k1.publicKey.export({ type: 'spki', format: 'der' }));
  const next = new Uint8Array(k2.publicKey.export({ type: 'spki', format: 'der' }));
  assert.is(der.length, next.length);
  const opts = { publicKeyFor: () => der, now, backend: 'node' as const };
  assert.is((await verifyPartnerRequest(partner(k1.privateKey), opts)).apiKey, 'p1');
  der.set(next);
  assert.is((await verifyPartnerRequest(partner(k2.privateKey), opts)).apiKey, 'p1');
  assert.is(await code(verifyPartnerRequest(partner(k1.privateKey), opts)), 'BAD_SIGNATURE');
});

C('control: one key in many objects and forms is imported once', async () => {
  let imports = 0;
  const counting: Backend = {
    ...nodeBackend,
    importRsaPublicKey(material) {
      imports++;
      return nodeBackend.importRsaPublicKey(material);
    },
  };
  registerBackend(counting);
  _backendChoiceInternals.forget(); // the same name, another object: see backend-choice.ts
  try {
    const forms = () => [
      k3.publicKey.export({ format: 'jwk' }),
      new Uint8Array(k3.publicKey.export({ type: 'spki', format: 'der' })),
      k3.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      k3.publicKey,
    ];
    for (let round = 0; round < 3; round++) {
      for (const key of forms()) {
        const opts = { publicKeyFor: () => key, now, backend: 'node' as const };
        assert.is((await verifyPartnerRequest(partner(k3.privateKey), opts)).apiKey, 'p1');
      }
    }
    assert.is(imports, 1);
  } finally {
    registerBackend(nodeBackend);
    _backendChoiceInternals.forget();
  }
});

C.run();

const R = suite('rotation: several keys per API key (contract §3.1)');

R(
  'Partner: each of the returned public keys verifies (also of different sizes); others do not',
  async () => {
    const opts = {
      publicKeyFor: () => [k1.publicKey, k3.publicKey],
      now,
      backend: 'node' as const,
    };
    assert.is((await verifyPartnerRequest(partner(k1.privateKey), opts)).apiKey, 'p1');
    assert.is((await verifyPartnerRequest(partner(k3.privateKey), opts)).apiKey, 'p1');
    assert.is(await code(verifyPartnerRequest(partner(k2.privateKey), opts)), 'BAD_SIGNATURE');
    assert.is(
      await code(verifyPartnerRequest(partner(k1.privateKey), { ...opts, publicKeyFor: () => [] })),
      'UNKNOWN_KEY',
    );
    assert.is(
      await code(
        verifyPartnerRequest(partner(k1.privateKey), {
          ...opts,
          publicKeyFor: () => [k2.publicKey, 'nonsense'],
        }),
      ),
      'INVALID_KEY',
    );
  },
);

R(
  'Qredo API: old and new secret both verify, every secret is tried, a third does not',
  async () => {
    const [oldSecret, newSecret, stranger] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    let imports = 0;
    const counting: Backend = {
      ...nodeBackend,
      importHmacKey(key) {
        imports++;
        return nodeBackend.importHmacKey(key);
      },
    };
    registerBackend(counting);
    try {
      const opts = {
        secretFor: () => [oldSecret, newSecret.toString('base64')],
        now,
        backend: 'node' as const,
      };
      assert.is((await verifyQredoRequest(qredo(oldSecret), opts)).apiKey, 'k1');
      assert.is(imports, 2, 'the second secret is tried even after the first matched');
      assert.is((await verifyQredoRequest(qredo(newSecret), opts)).apiKey, 'k1');
      assert.is(await code(verifyQredoRequest(qredo(stranger), opts)), 'BAD_SIGNATURE');
      assert.is(
        await code(verifyQredoRequest(qredo(oldSecret), { ...opts, secretFor: () => [] })),
        'UNKNOWN_KEY',
      );
    } finally {
      registerBackend(nodeBackend);
    }
    assert.equal(
      [...oldSecret].some((b) => b !== 0),
      true,
      "the caller's bytes are left alone",
    );
  },
);

R.run();
