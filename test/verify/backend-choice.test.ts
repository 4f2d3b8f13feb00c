/**
 * Verifiers resolve their `backend` option once (issue 17) but must still see the registry change:
 * a backend retired after use is refused by name at once, and usable again when registered.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import '../../src/index.node.js';
import { registerBackend, retireBackend } from '../../src/backends/registry.js';
import { jsBackend } from '../../src/backends/js.js';
import { SigningError } from '../../src/lib/errors.js';
import { verifyQredoRequest } from '../../src/verify/verifiers.js';

const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);
const URL_X = 'https://api.qredo.network/qapi/v1/balance';
const secret = randomBytes(32);
const sig = createHmac('sha256', secret)
  .update(TS + 'GET' + URL_X)
  .digest('base64url');
const request = {
  method: 'GET',
  url: URL_X,
  headers: { 'qredo-api-key': 'k', 'qredo-api-ts': TS, 'qredo-api-sig': sig },
};

const B = suite('verifier backend choice follows the registry');

B('a retired backend is refused at once; registered again, it serves again', async () => {
  const opts = { secretFor: () => new Uint8Array(secret), now: () => NOW, backend: 'js' as const };
  assert.is((await verifyQredoRequest(request, opts)).apiKey, 'k'); // memoised now
  try {
    assert.ok(retireBackend('js'));
    try {
      await verifyQredoRequest(request, opts);
      assert.unreachable('a retired backend must not serve');
    } catch (error) {
      assert.instance(error, SigningError);
      assert.is((error as SigningError).code, 'UNAVAILABLE_BACKEND');
    }
    // 'auto' moves on to what is left.
    const auto = { ...opts, backend: 'auto' as const };
    assert.is((await verifyQredoRequest(request, auto)).apiKey, 'k');
  } finally {
    registerBackend(jsBackend);
  }
  assert.is((await verifyQredoRequest(request, opts)).apiKey, 'k');
});

B.run();
