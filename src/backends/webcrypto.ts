/**
 * The `webcrypto` backend: `globalThis.crypto.subtle`, asynchronous only. Keys are imported once as
 * non-extractable `CryptoKey`s; the import starts when the key is prepared and each operation awaits
 * it, so signers can still be created synchronously.
 */
import { isCryptoKey } from '../lib/checks.js';
import { base64urlEncode } from '../lib/encoding.js';
import { SigningError } from '../lib/errors.js';
import { joinSigningInput } from '../scheme/canonical.js';
import type {
  Backend,
  HmacBackend,
  HmacKey,
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
  RsaSigningKey,
  RsaVerifyingKey,
} from './types.js';
import { signatureWithheld } from './faults.js';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

/**
 * The runtime's SubtleCrypto, or undefined (e.g. insecure browser contexts, old runtimes). Every
 * entry registers this backend only where it exists, so the keys below use it without checking.
 */
export function subtleCrypto(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: Crypto }).crypto?.subtle;
}

/**
 * A key import whose failure becomes a SigningError without the runtime's message, which on some
 * engines quotes parts of the input. It is never an unhandled rejection: the error surfaces where
 * the key is first used.
 */
function importOrFail(importing: Promise<CryptoKey>): Promise<CryptoKey> {
  const key = importing.catch(() => {
    throw new SigningError('INVALID_KEY', 'WebCrypto refused the key');
  });
  key.catch(() => {});
  return key;
}

// A view whose buffer is exactly its bytes: some engines reject views into larger buffers.
// SharedArrayBuffer-backed views are copied too: WebCrypto accepts only ArrayBuffer sources.
function exact(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole =
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
}

function importPublic(material: RsaPublicKeyMaterial): Promise<CryptoKey> {
  if (isCryptoKey(material.native)) return Promise.resolve(material.native);
  const spki = material.spki;
  if (!spki) throw new SigningError('UNAVAILABLE_BACKEND', 'no usable public key for WebCrypto');
  return importOrFail(subtleCrypto()!.importKey('spki', exact(spki), RSA, false, ['verify']));
}

/**
 * The HMAC half alone: what the Qredo API entry registers, so that its bundle carries no RSA code.
 *
 * @example
 * ```ts
 * if (subtleCrypto()) registerHmacBackend(webcryptoHmacBackend);
 * ```
 */
export const webcryptoHmacBackend: HmacBackend = {
  name: 'webcrypto',
  sync: false,
  importHmacKey,
};

function importHmacKey(key: Uint8Array): HmacKey {
  const s = subtleCrypto()!;
  // WebCrypto refuses an empty HMAC key; HMAC zero-pads keys to the block size (RFC 2104 §2),
  // so 64 zero bytes is the same key.
  const material = key.length === 0 ? new Uint8Array(64) : exact(key);
  const cryptoKey = importOrFail(s.importKey('raw', material, HMAC, false, ['sign']));
  const mac = async (data: Uint8Array) =>
    new Uint8Array(await s.sign('HMAC', await cryptoKey, exact(data)));
  return {
    mac,
    // The joined input is a new array of its own, so exact() passes it through as it is.
    macRequest: (prefix, body) => mac(joinSigningInput(prefix, body)).then(base64urlEncode),
    destroy() {},
  };
}

/**
 * The whole `webcrypto` backend (HMAC and RSA), registered by the general entries.
 *
 * @example
 * ```ts
 * if (subtleCrypto()) registerBackend(webcryptoBackend);
 * ```
 */
export const webcryptoBackend: Backend = {
  name: 'webcrypto',
  sync: false,
  importHmacKey,

  importRsaPrivateKey(material: RsaPrivateKeyMaterial): RsaSigningKey {
    const s = subtleCrypto()!;
    let privateKey: Promise<CryptoKey>;
    if (isCryptoKey(material.native)) privateKey = Promise.resolve(material.native);
    else if (material.pkcs8) {
      const pkcs8 = material.pkcs8;
      privateKey = importOrFail(s.importKey('pkcs8', exact(pkcs8), RSA, false, ['sign']));
    } else throw new SigningError('UNAVAILABLE_BACKEND', 'no usable private key for WebCrypto');
    const publicKey = material.publicKey ? importPublic(material.publicKey) : undefined;
    return {
      async sign(data) {
        const message = exact(data);
        const signature = await s.sign(RSA, await privateKey, message);
        // Verify before release. Without a public key (a lone opaque CryptoKey) we rely on the
        // engine's own CRT check, as documented in the README's security notes.
        if (publicKey && !(await s.verify(RSA, await publicKey, signature, message))) {
          throw signatureWithheld();
        }
        return new Uint8Array(signature);
      },
      destroy() {},
    };
  },

  importRsaPublicKey(material: RsaPublicKeyMaterial): RsaVerifyingKey {
    const s = subtleCrypto()!;
    const publicKey = importPublic(material);
    return {
      async verify(data, signature) {
        const key = await publicKey; // an unusable key is the caller's error, not a "false"
        try {
          return await s.verify(RSA, key, exact(signature), exact(data));
        } catch {
          return false;
        }
      },
    };
  },
};
