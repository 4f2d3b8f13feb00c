/**
 * The `js` backend: pure JavaScript, synchronous, for runtimes with neither WebAssembly nor
 * WebCrypto (React Native with Hermes, locked-down sandboxes). It uses only standard ECMAScript,
 * `TextEncoder`, `crypto.getRandomValues` (RSA blinding only), `@noble/hashes` and
 * `@noble/curves`' modular helpers.
 *
 * HMAC-SHA256 (RFC 2104) absorbs the key's inner and outer pads once per key; each MAC clones
 * those two prepared SHA-256 states into a reusable working instance, so a request costs the
 * message's compressions only (4 + 2 for a ~150-byte Qredo signing input, instead of 4 + 2 + 2).
 * `macRequest` encodes the request-sized signing input into a buffer kept per key
 * (`TextEncoder#encodeInto`) rather than allocating one per request.
 *
 * RSA (js-rsa.ts) uses native BigInt, which is NOT CONSTANT-TIME: the registry's `'auto'` picks
 * `js` for RSA only when the runtime has no other backend. Choose it explicitly only where that
 * trade-off is acceptable. RSA signing also needs `crypto.getRandomValues` for blinding and is
 * refused (`UNAVAILABLE_BACKEND`) without it.
 */
import { hmac, type HMAC } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url } from '../lib/encoding.js';
import { SigningError } from '../lib/errors.js';
import { createJsRsaSigningKey, createJsRsaVerifyingKey } from './js-rsa.js';
import type {
  Backend,
  HmacKey,
  RsaPrivateKeyMaterial,
  RsaPublicKeyMaterial,
  RsaSigningKey,
  RsaVerifyingKey,
} from './types.js';
import { usedAfterDestroy } from './faults.js';

const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/** Signing inputs up to this many bytes are encoded into the key's reusable buffer. */
const INPUT_BUFFER_BYTES = 4096;

function opaqueKey(): SigningError {
  return new SigningError(
    'UNAVAILABLE_BACKEND',
    'the js backend needs the RSA key itself; an opaque CryptoKey only works with the webcrypto backend',
  );
}

/**
 * The pure-JavaScript backend. Registered by both package entries; `'auto'` uses it for HMAC
 * only after `wasm` and `node`, and for RSA only when nothing else exists.
 *
 * @example
 * ```ts
 * import { registerBackend } from './registry.js';
 * registerBackend(jsBackend);
 * const key = jsBackend.importHmacKey(secretBytes);
 * key.macBase64url!(new TextEncoder().encode('1647356399GEThttps://…')); // 43 characters
 * ```
 */
export const jsBackend: Backend = {
  name: 'js',
  sync: true,

  importHmacKey(key: Uint8Array): HmacKey {
    // hmac.create hashes a long key, XORs the pads and absorbs one block into each state; the
    // pads are wiped and the caller's key is not retained.
    const prepared: HMAC<any> = hmac.create(sha256, key);
    // One working instance per key, reused: calls are synchronous, so they cannot interleave.
    // digestInto() wipes its states after each MAC.
    let work: HMAC<any> = prepared.clone();
    const scratch = new Uint8Array(32);
    let input: Uint8Array | undefined; // allocated on the first macRequest
    let destroyed = false;
    const begin = (): HMAC<any> => {
      if (destroyed) throw usedAfterDestroy('HMAC key');
      return (work = prepared._cloneInto(work));
    };
    const run = (data: Uint8Array, out: Uint8Array): void => {
      begin().update(data);
      work.digestInto(out);
    };
    /** Feeds UTF-8 of `text` (well-formed, per the interface) without a per-request allocation. */
    const feed = (h: HMAC<any>, text: string): void => {
      // UTF-8 needs at most 3 bytes per UTF-16 code unit.
      if (text.length * 3 > INPUT_BUFFER_BYTES) {
        h.update(utf8Encoder.encode(text));
        return;
      }
      input ??= new Uint8Array(INPUT_BUFFER_BYTES);
      h.update(input.subarray(0, utf8Encoder.encodeInto(text, input).written));
    };
    return {
      mac(data: Uint8Array): Uint8Array {
        const out = new Uint8Array(32);
        run(data, out);
        return out;
      },
      macBase64url(data: Uint8Array): string {
        run(data, scratch);
        return base64url.encode(scratch);
      },
      macRequest(prefix: string, body: string | Uint8Array | undefined): string {
        const h = begin();
        if (body === undefined || typeof body === 'string') {
          // One joined string, one encode: measured faster than two encodes of the parts.
          feed(h, body === undefined ? prefix : prefix + body);
        } else {
          feed(h, prefix);
          h.update(body);
        }
        h.digestInto(scratch);
        return base64url.encode(scratch);
      },
      destroy(): void {
        destroyed = true;
        prepared.destroy();
        work.destroy();
        scratch.fill(0);
        input?.fill(0);
      },
    };
  },

  importRsaPrivateKey(material: RsaPrivateKeyMaterial): RsaSigningKey {
    if (!material.components) throw opaqueKey();
    return createJsRsaSigningKey(material.components);
  },

  importRsaPublicKey(material: RsaPublicKeyMaterial): RsaVerifyingKey {
    if (!material.components) throw opaqueKey();
    return createJsRsaVerifyingKey(material.components);
  },
};
