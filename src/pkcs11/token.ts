/**
 * Finding the token, logging in and finding the RSA private key on it (PKCS#11 v2.40 §5.5–§5.7):
 * the pieces `pkcs11Key` composes. Labels on a token are blank-padded to 32 characters (§3.2
 * CK_TOKEN_INFO), so they are compared trimmed.
 */
import type * as Pkcs11Js from 'pkcs11js';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SigningError } from '../lib/errors.js';
import { base64urlEncode } from '../lib/encoding.js';
import { ckr, tokenError, type SharedLibrary } from './library.js';
import type { RsaJwk } from '../keys/material.js';

type Handle = Pkcs11Js.Handle;

/** A CK_SLOT_ID handle (a native-endian CK_ULONG in a Buffer) as its decimal value. */
export function slotId(handle: Handle): string {
  return String(readUlong(handle));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A CK_ULONG as pkcs11js returns it: 4 or 8 bytes in the machine's byte order. */
function readUlong(bytes: Buffer): bigint {
  if (bytes.length === 8)
    return LITTLE_ENDIAN ? bytes.readBigUInt64LE(0) : bytes.readBigUInt64BE(0);
  if (bytes.length === 4)
    return BigInt(LITTLE_ENDIAN ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0));
  return -1n;
}

const PIN_KEY = randomBytes(32);
const pinDigest = (pin: string) => createHmac('sha256', PIN_KEY).update(pin, 'utf8').digest();

/** The slot holding the token labelled `token`, or the slot whose ID is `slot`. */
export function findSlot(
  lib: SharedLibrary,
  token: string | undefined,
  slot: number | bigint | undefined,
): Handle {
  let slots: Handle[];
  try {
    slots = lib.api.C_GetSlotList(true);
  } catch (error) {
    throw tokenError('UNAVAILABLE_BACKEND', 'the PKCS#11 library could not list its slots', error);
  }
  const labels: string[] = [];
  for (const handle of slots) {
    if (slot !== undefined) {
      if (slotId(handle) === String(slot)) return handle;
      continue;
    }
    const label = lib.api.C_GetTokenInfo(handle).label.trim();
    if (label === token) return handle;
    labels.push(JSON.stringify(label));
  }
  throw new SigningError(
    'INVALID_OPTION',
    slot !== undefined
      ? `no token is present in slot ${String(slot)} (slots with tokens: ${slots.map(slotId).join(', ') || 'none'})`
      : `no token is labelled ${JSON.stringify(token)} (tokens present: ${labels.join(', ') || 'none'})`,
  );
}

/**
 * Opens a read-only session and logs the user in. Login is per token and process (§5.6): while
 * another key of this process is logged in, C_Login answers CKR_USER_ALREADY_LOGGED_IN whatever
 * the PIN, so the PIN is then compared with the one that logged in (a keyed hash of it, kept for
 * exactly this) instead of being taken on trust.
 */
export function openSession(lib: SharedLibrary, slot: Handle, pin: string): Handle {
  const { api, js } = lib;
  const token = slotId(slot);
  const digest = pinDigest(pin);
  let session: Handle;
  try {
    session = api.C_OpenSession(slot, js.CKF_SERIAL_SESSION);
  } catch (error) {
    throw tokenError('UNAVAILABLE_BACKEND', 'the token would not open a session', error);
  }
  const refuse = (error: unknown) => {
    api.C_CloseSession(session);
    return tokenError('INVALID_OPTION', 'the token refused the login with this pin', error);
  };
  try {
    api.C_Login(session, js.CKU_USER, pin);
    lib.pins.set(token, digest);
  } catch (error) {
    if (ckr(error) !== 'CKR_USER_ALREADY_LOGGED_IN') throw refuse(error);
    const known = lib.pins.get(token);
    if (!known || !timingSafeEqual(known, digest)) {
      api.C_CloseSession(session);
      throw new SigningError(
        'INVALID_OPTION',
        'the pin is not the one this process is logged in to the token with',
      );
    }
  }
  return session;
}

/** The one RSA private key matching `label` and/or `id`: none or several is an INVALID_KEY. */
export function findPrivateKey(
  lib: SharedLibrary,
  session: Handle,
  label: string | undefined,
  id: Uint8Array | undefined,
): Handle {
  const { api, js } = lib;
  const template: Pkcs11Js.Template = [{ type: js.CKA_CLASS, value: js.CKO_PRIVATE_KEY }];
  if (label !== undefined) template.push({ type: js.CKA_LABEL, value: label });
  if (id !== undefined) template.push({ type: js.CKA_ID, value: Buffer.from(id) });
  let found: Handle[];
  try {
    api.C_FindObjectsInit(session, template);
    try {
      found = api.C_FindObjects(session, 2);
    } finally {
      api.C_FindObjectsFinal(session);
    }
  } catch (error) {
    throw tokenError('UNAVAILABLE_BACKEND', 'the token could not search its keys', error);
  }
  const which = [
    label !== undefined && `label ${JSON.stringify(label)}`,
    id !== undefined && `id ${Buffer.from(id).toString('hex')}`,
  ]
    .filter(Boolean)
    .join(' and ');
  if (found.length === 0) {
    throw new SigningError(
      'INVALID_KEY',
      `the token holds no private key with ${which} (softhsm2-util --import, or pkcs11-tool --list-objects --login, shows what it has)`,
    );
  }
  if (found.length > 1) {
    throw new SigningError(
      'INVALID_KEY',
      `the token holds several private keys with ${which}: give an id (or label) that names one`,
    );
  }
  return found[0];
}

/**
 * The key's public half as a JWK, read from the private key object itself: CKA_MODULUS and
 * CKA_PUBLIC_EXPONENT are readable on RSA private keys even when they are sensitive (§4.9, table
 * 10), so no public key object is needed on the token.
 */
export function readPublicKey(lib: SharedLibrary, session: Handle, key: Handle): RsaJwk {
  const { api, js } = lib;
  let attributes: Pkcs11Js.TemplateResult;
  try {
    attributes = api.C_GetAttributeValue(session, key, [
      { type: js.CKA_KEY_TYPE },
      { type: js.CKA_MODULUS },
      { type: js.CKA_PUBLIC_EXPONENT },
    ]);
  } catch (error) {
    throw tokenError('INVALID_KEY', 'the token would not show the key type and modulus', error);
  }
  const [type, n, e] = attributes.map((a) => a.value);
  if (readUlong(type) !== BigInt(js.CKK_RSA)) {
    throw new SigningError('INVALID_KEY', 'the private key on the token is not an RSA key');
  }
  // JWK integers have no leading zero octets (RFC 7518 §6.3.1.1); a token may return one.
  const unsigned = (v: Buffer) =>
    base64urlEncode(
      v.subarray(
        Math.max(
          0,
          v.findIndex((b) => b !== 0),
        ),
      ),
    );
  return { kty: 'RSA', n: unsigned(n), e: unsigned(e) };
}
