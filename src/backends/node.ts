/**
 * The `node` backend: node:crypto (OpenSSL). Synchronous. Keys become `KeyObject`s once, so no
 * request re-parses key bytes. Only the Node entry imports this file; browser and workerd bundles
 * never see a `node:` import.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  KeyObject,
} from 'node:crypto';
import { SigningError } from '../lib/errors.js';
import { importNodeHmacKey, toUint8 } from './node-hmac.js';
import type {
  Backend,
  HmacKey,
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
  RsaSigningKey,
  RsaVerifyingKey,
} from './types.js';
import { signatureWithheld } from './faults.js';
import { isCryptoKey, isKeyObject as isKeyObjectLike } from '../lib/checks.js';

/** node:crypto's own KeyObject (the shared check is structural; this backend hands it to node). */
const isKeyObject = (value: unknown): value is KeyObject => isKeyObjectLike(value);

function unavailable(what: string): SigningError {
  return new SigningError('UNAVAILABLE_BACKEND', `the node backend cannot use ${what}`);
}

/** A Buffer over the same memory as `bytes` (no copy, so nothing lands in Node's Buffer pool). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function publicKeyObject(material: RsaPublicKeyMaterial): KeyObject {
  if (isKeyObject(material.native)) return material.native;
  if (isCryptoKey(material.native)) return KeyObject.from(material.native);
  if (!material.spki) throw unavailable('an opaque CryptoKey');
  return createPublicKey({ key: view(material.spki), format: 'der', type: 'spki' });
}

export const nodeBackend: Backend = {
  name: 'node',
  sync: true,

  importHmacKey(key: Uint8Array): HmacKey {
    return importNodeHmacKey(key);
  },

  importRsaPrivateKey(material: RsaPrivateKeyMaterial): RsaSigningKey {
    let privateKey: KeyObject;
    if (isKeyObject(material.native)) privateKey = material.native;
    // Node wraps even a non-extractable CryptoKey synchronously, without exporting its bytes.
    else if (isCryptoKey(material.native)) privateKey = KeyObject.from(material.native);
    else if (material.pkcs8) {
      // A view, not a copy: `Buffer.from(u8)` of less than 4 KiB copies into Node's shared
      // allocation pool, where nothing zeroes the key and it outlives destroy() (issue 14 item
      // 10). The caller wipes `material.pkcs8` after the import.
      privateKey = createPrivateKey({ key: view(material.pkcs8), format: 'der', type: 'pkcs8' });
    } else throw unavailable('an opaque CryptoKey');
    const publicKey = material.publicKey
      ? publicKeyObject(material.publicKey)
      : createPublicKey(privateKey);
    return {
      sign(data) {
        const signature = cryptoSign('sha256', data, privateKey);
        // Verify before release (RFC 8017 §5.1.2 note on CRT faults): a faulty signature would leak
        // a prime. With e = 65537 this costs about 3% of a signature.
        if (!cryptoVerify('sha256', data, publicKey, signature)) {
          throw signatureWithheld();
        }
        return toUint8(signature);
      },
      destroy() {},
    };
  },

  importRsaPublicKey(material: RsaPublicKeyMaterial): RsaVerifyingKey {
    const publicKey = publicKeyObject(material);
    return {
      verify(data, signature) {
        try {
          return cryptoVerify('sha256', data, publicKey, signature);
        } catch {
          return false;
        }
      },
    };
  },
};
