/**
 * `qredo-sign/pkcs11` (contract §3b): a Partner API key that stays in a PKCS#11 token (an HSM, a
 * smart card, SoftHSM2), used as an external signer. The token computes RSASSA-PKCS1-v1_5 with
 * SHA-256 itself (`CKM_SHA256_RSA_PKCS`, PKCS#11 v2.40 §2.1.13), so the signing input goes in whole
 * and the DigestInfo is the token's business. Needs `pkcs11js` (an optional peer dependency).
 */
import { SigningError } from './lib/errors.js';
import { openLibrary, releaseLibrary, tokenError, type SharedLibrary } from './pkcs11/library.js';
import { findPrivateKey, findSlot, openSession, readPublicKey, slotId } from './pkcs11/token.js';
import type { RsaJwk } from './keys/material.js';

/**
 * Where the key is: the library, the token (by label or slot ID), the user PIN, the key (by
 * CKA_LABEL and/or CKA_ID).
 *
 * @example
 * ```ts
 * const options: Pkcs11KeyOptions = { library: '/usr/lib/softhsm/libsofthsm2.so', token: 'qredo', pin: process.env.HSM_PIN!, label: 'partner' };
 * ```
 */
export interface Pkcs11KeyOptions {
  /** Path of the PKCS#11 module (e.g. `/usr/lib/softhsm/libsofthsm2.so`). */
  library: string;
  /** The token's label (as `softhsm2-util --show-slots` prints it). Give this or `slot`. */
  token?: string;
  /** The slot ID (RFC 7512 `slot-id`), for tokens without a unique label. */
  slot?: number | bigint;
  /** The user PIN. Never written into an error message. */
  pin: string;
  /** The private key's CKA_LABEL. Give this, `id`, or both. */
  label?: string;
  /** The private key's CKA_ID: bytes, or hex text (`softhsm2-util --id a1b2`). */
  id?: Uint8Array | string;
}

/**
 * A key in a token, ready to be a Partner signer's `privateKey`. `sign` is synchronous (the call
 * blocks while the token signs), so `signSync()` works too. `close()` logs out, closes the session
 * and, with the last key of the library, finalises it.
 *
 * @example
 * ```ts
 * const key: Pkcs11Key = await pkcs11Key(options);
 * try { createPartnerSigner({ apiKey, privateKey: key }); } finally { key.close(); }
 * ```
 */
export interface Pkcs11Key {
  /** RSASSA-PKCS1-v1_5 SHA-256 of `data`, computed by the token. */
  sign(data: Uint8Array): Uint8Array;
  /** The key's public half, read from the token: every signature is checked before release. */
  readonly publicKey: RsaJwk;
  /** The slot ID the token is in. */
  readonly slot: string;
  /** Ends this key's use of the token; idempotent. */
  close(): void;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function checkOptions(options: Pkcs11KeyOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new SigningError('INVALID_OPTION', 'pkcs11Key options must be an object');
  }
  const { library, token, slot, pin, label, id } = options;
  const bad = (rule: string) => new SigningError('INVALID_OPTION', rule);
  if (typeof library !== 'string' || library === '') throw bad('library must be a path');
  if ((token === undefined) === (slot === undefined)) throw bad('give token (a label) or slot');
  if (token !== undefined && typeof token !== 'string') throw bad('token must be a string');
  if (slot !== undefined && !(typeof slot === 'bigint' || Number.isSafeInteger(slot)))
    throw bad('slot must be an integer slot ID');
  if (typeof pin !== 'string' || pin === '') throw bad('pin must be a non-empty string');
  if (label === undefined && id === undefined) throw bad('give the key label, id, or both');
  if (label !== undefined && typeof label !== 'string') throw bad('label must be a string');
  let idBytes: Uint8Array | undefined;
  if (typeof id === 'string') {
    if (!HEX.test(id)) throw bad('id must be hex text (e.g. a1b2) or bytes');
    idBytes = Buffer.from(id, 'hex');
  } else if (id instanceof Uint8Array) idBytes = id;
  else if (id !== undefined) throw bad('id must be hex text (e.g. a1b2) or bytes');
  return { library, token, slot, pin, label, id: idBytes };
}

/**
 * Opens the token, logs in and finds the RSA private key; returns an external signer for
 * `createPartnerSigner`. Every failure is a `SigningError` (a wrong PIN is `INVALID_OPTION`, a
 * missing key `INVALID_KEY`, a missing pkcs11js or library `UNAVAILABLE_BACKEND`).
 *
 * @example
 * ```ts
 * import { createPartnerSigner } from 'qredo-sign';
 * import { pkcs11Key } from 'qredo-sign/pkcs11';
 * const key = await pkcs11Key({ library: '/usr/lib/softhsm/libsofthsm2.so', token: 'qredo', pin: process.env.HSM_PIN!, label: 'partner' });
 * const signer = createPartnerSigner({ apiKey: process.env.PARTNER_API_KEY!, privateKey: key });
 * const req = await signer.sign({ url: 'https://play-api.qredo.network/api/v1/p/company' });
 * key.close(); // at shutdown
 * ```
 */
export async function pkcs11Key(options: Pkcs11KeyOptions): Promise<Pkcs11Key> {
  const { library, token, slot, pin, label, id } = checkOptions(options);
  const lib = await openLibrary(library);
  let session: Buffer | undefined;
  let tokenId = '';
  try {
    const slotHandle = findSlot(lib, token, slot);
    tokenId = slotId(slotHandle);
    session = openSession(lib, slotHandle, pin);
    lib.logins.set(tokenId, (lib.logins.get(tokenId) ?? 0) + 1);
    const key = findPrivateKey(lib, session, label, id);
    const publicKey = readPublicKey(lib, session, key);
    const size = Buffer.from(publicKey.n!, 'base64url').length;
    const open = session;
    let closed = false;

    return {
      publicKey,
      slot: tokenId,
      sign(data: Uint8Array): Uint8Array {
        if (closed)
          throw new SigningError('INVALID_OPTION', 'the PKCS#11 key was used after close()');
        try {
          lib.api.C_SignInit(open, { mechanism: lib.js.CKM_SHA256_RSA_PKCS }, key);
          return new Uint8Array(lib.api.C_Sign(open, Buffer.from(data), Buffer.alloc(size)));
        } catch (error) {
          throw tokenError('UNAVAILABLE_BACKEND', 'the token failed to sign', error);
        }
      },
      close() {
        if (closed) return;
        closed = true;
        endSession(lib, open, tokenId);
      },
    };
  } catch (error) {
    if (session !== undefined) endSession(lib, session, tokenId);
    else releaseLibrary(lib);
    throw error;
  }
}

/** Logs out with the last key of the token, closes the session and releases the library. */
function endSession(lib: SharedLibrary, session: Buffer, token: string) {
  const left = (lib.logins.get(token) ?? 1) - 1;
  try {
    if (left === 0) {
      lib.logins.delete(token);
      lib.pins.delete(token);
      try {
        lib.api.C_Logout(session);
      } catch {
        // CKR_USER_NOT_LOGGED_IN and the like: the session is closed next either way.
      }
    } else lib.logins.set(token, left);
    lib.api.C_CloseSession(session);
  } catch {
    // A session the token already dropped (it was removed, or finalised elsewhere) is closed.
  } finally {
    releaseLibrary(lib);
  }
}
