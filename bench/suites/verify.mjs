// Qredo API request verification (contract §3) as a server does it: every received request has its own
// URL (an id in the path), all within the timestamp window. qredo-sign's verifyQredoRequest on each
// backend against the check a user writes with node:crypto: read the three headers, look the secret
// up, check the timestamp window, recompute the HMAC, compare with timingSafeEqual.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CHECK_TIMESTAMP, SMALL_REQUEST } from '../fixtures.mjs';
import { backendSubjects, qredoSign } from './common.mjs';

const RING = 1024;
const URL_BASE = 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer/';

/** The clock verifiers are given: the moment the requests were signed. */
const signedAt = () => Number(CHECK_TIMESTAMP) * 1000;

/** RING received requests with distinct URLs, signed by node:crypto; and one with a flipped bit. */
function receivedRequests(fx) {
  const key = Buffer.from(fx.secret, 'base64');
  const { method, body } = SMALL_REQUEST;
  const bytes = new Uint8Array(Buffer.from(body));
  const make = (url, flip) => {
    const mac = createHmac('sha256', key)
      .update(CHECK_TIMESTAMP + method + url)
      .update(bytes)
      .digest();
    if (flip) mac[7] ^= 1;
    return {
      method,
      url,
      headers: {
        'qredo-api-key': fx.apiKey,
        'qredo-api-ts': CHECK_TIMESTAMP,
        'qredo-api-sig': mac.toString('base64url'),
      },
      body: bytes,
    };
  };
  const good = Array.from({ length: RING }, (_, i) => make(URL_BASE + i, false));
  return { good, bad: make(URL_BASE + 0, true) };
}

/** A subject cycling through the good requests; check() shows "accepts good/accepts bad". */
function cycling(verify, requests, isAsync) {
  let i = 0;
  return {
    async: isAsync,
    run: () => {
      const req = requests.good[i];
      i = (i + 1) % RING;
      return verify(req);
    },
    check: async () => `${await verify(requests.good[0])}/${await verify(requests.bad)}`,
  };
}

function handWritten(fx) {
  const secrets = new Map([[fx.apiKey, Buffer.from(fx.secret, 'base64')]]);
  return (req) => {
    const h = req.headers;
    const apiKey = h['qredo-api-key'];
    const ts = h['qredo-api-ts'];
    const sig = h['qredo-api-sig'];
    if (typeof apiKey !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') {
      return false;
    }
    const key = secrets.get(apiKey);
    if (key === undefined) return false;
    if (!/^\d{1,32}$/.test(ts) || Math.abs(Number(ts) - signedAt() / 1000) > 30) return false;
    const mac = createHmac('sha256', key)
      .update(ts + req.method + req.url)
      .update(req.body)
      .digest();
    const given = Buffer.from(sig, 'base64url');
    return given.length === mac.length && timingSafeEqual(mac, given);
  };
}

function verifyQredoSuite(fx) {
  const requests = receivedRequests(fx);
  const qredo = backendSubjects((backend) => {
    const secrets = new Map([[fx.apiKey, fx.secret]]);
    const options = { secretFor: (apiKey) => secrets.get(apiKey), now: signedAt, backend };
    const verify = (req) =>
      qredoSign.verifyQredoRequest(req, options).then(
        () => true,
        (error) => {
          if (error?.code === 'BAD_SIGNATURE') return false;
          throw error;
        },
      );
    return cycling(verify, requests, true);
  });
  return {
    name: 'verify-qredo',
    description:
      'Qredo API request verification, a new URL each time: headers, key lookup, timestamp window, HMAC, constant-time compare',
    expected: 'true/false',
    subjects: [
      ...qredo,
      { name: 'node:crypto', setup: async () => cycling(handWritten(fx), requests, false) },
    ],
  };
}

export function verifySuites(fx) {
  return [verifyQredoSuite(fx)];
}
