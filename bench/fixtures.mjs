// Inputs shared by every suite: one API secret, one request of about 150 bytes, 1 MiB bodies and
// throwaway RSA keys generated for this run. Everything a subject signs is fixed here, so every
// subject of a suite signs the same bytes and its output can be checked against node:crypto's.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** The fixed timestamp used to check outputs (measuring uses the current time, as users do). */
export const CHECK_TIMESTAMP = '1647356399';

/** A Qredo API request of about 150 bytes of signing input (timestamp + method + URL + body). */
export const SMALL_REQUEST = {
  method: 'POST',
  url: 'https://api.qredo.network/qapi/v1/company/1x2y3z/transfer',
  body: '{"to":"0xA1b2C3d4E5f60718293a4B5c6D7e8F9012345678","amount":1000,"asset":"ETH"}',
};

const MIB = 1 << 20;

/** A 1 MiB JSON-like ASCII body: what a large Qredo API request body looks like as text. */
function largeTextBody() {
  const item = '{"id":"0123456789abcdef","amount":"1000.000001","note":"bench"},';
  const text = '['.padEnd(MIB - 1, item) + ']';
  return text;
}

/** The API secret as the web app shows it (standard base64 of 32 random bytes). */
function apiSecret() {
  return randomBytes(32).toString('base64');
}

function rsaKeys(bits) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    bits,
    // `openssl genrsa` output (PKCS#1 PEM), what the Partner API documentation shows.
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }),
    pkcs8Der: privateKey.export({ type: 'pkcs8', format: 'der' }),
    spkiPem: publicKey.export({ type: 'spki', format: 'pem' }),
    spkiDer: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

/**
 * Builds the fixtures of one run. RSA-4096 generation takes a second or so; it is done only when a
 * suite needs it.
 */
export function makeFixtures({ rsa4096 = true } = {}) {
  const largeText = largeTextBody();
  return {
    apiKey: 'bench-api-key',
    secret: apiSecret(),
    small: SMALL_REQUEST,
    largeText: { ...SMALL_REQUEST, body: largeText },
    largeBytes: { ...SMALL_REQUEST, body: new Uint8Array(Buffer.from(largeText)) },
    rsa2048: rsaKeys(2048),
    rsa4096: rsa4096 ? rsaKeys(4096) : undefined,
    base64Input: new Uint8Array(randomBytes(1024)),
  };
}

/** Bytes of a Qredo API signing input (for MB/s). */
export function qredoInputBytes(request, timestamp = CHECK_TIMESTAMP) {
  const prefix = Buffer.byteLength(timestamp + request.method + request.url);
  const body = request.body;
  return prefix + (typeof body === 'string' ? Buffer.byteLength(body) : (body?.length ?? 0));
}
