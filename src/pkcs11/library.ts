/**
 * Loading a PKCS#11 module through `pkcs11js` (an optional peer dependency), shared per library
 * path. Cryptoki state is per process and per module: a second `C_Initialize` fails with
 * CKR_CRYPTOKI_ALREADY_INITIALIZED and `C_Finalize` ends every session of the module (PKCS#11 v2.40
 * §5.4), so keys opened on the same library share one initialisation, counted, and the last
 * `close()` finalises it. Likewise login is per token, not per session (§5.6): the last key closed
 * on a token logs out.
 */
import type * as Pkcs11Js from 'pkcs11js';
import { SigningError } from '../lib/errors.js';

type Pkcs11Module = typeof Pkcs11Js;

/** One loaded library, shared by every key opened on it. */
export interface SharedLibrary {
  readonly js: Pkcs11Module;
  readonly api: Pkcs11Js.PKCS11;
  readonly path: string;
  /** Open keys per token (slot ID as text), for logging out with the last one. */
  readonly logins: Map<string, number>;
  /** Per token: a keyed hash of the PIN that logged in (see openSession). */
  readonly pins: Map<string, Uint8Array>;
  refs: number;
  /** False when something else in the process had initialised the module: not ours to finalise. */
  ownsInit: boolean;
}

const libraries = new Map<string, SharedLibrary>();

/** The Cryptoki return value's name (`CKR_PIN_INCORRECT`), or undefined for other errors. */
export function ckr(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /^CKR_[A-Z0-9_]+$/.test(message) ? message : undefined;
}

/**
 * A SigningError for a failed Cryptoki call: the CKR name says what the token refused. The cause
 * is pkcs11js's error, which carries only the CKR name and the native call site, never arguments
 * (so never the PIN).
 */
export function tokenError(
  code: 'INVALID_OPTION' | 'INVALID_KEY' | 'UNAVAILABLE_BACKEND',
  what: string,
  error: unknown,
): SigningError {
  const name = ckr(error);
  return new SigningError(
    code,
    `${what}${name ? ` (${name})` : ''}`,
    name ? { cause: error } : undefined,
  );
}

async function importPkcs11js(): Promise<Pkcs11Module> {
  try {
    const loaded = (await import('pkcs11js')) as Pkcs11Module & { default?: Pkcs11Module };
    return loaded.default ?? loaded;
  } catch (error) {
    throw new SigningError(
      'UNAVAILABLE_BACKEND',
      'qredo-sign/pkcs11 needs the optional peer dependency pkcs11js: npm install pkcs11js',
      { cause: error },
    );
  }
}

/** Loads and initialises `path` once per process, or takes another reference to it. */
export async function openLibrary(path: string): Promise<SharedLibrary> {
  const known = libraries.get(path);
  if (known) {
    known.refs++;
    return known;
  }
  const js = await importPkcs11js();
  const again = libraries.get(path); // another call may have loaded it while we awaited
  if (again) {
    again.refs++;
    return again;
  }
  const api = new js.PKCS11();
  try {
    api.load(path);
  } catch (error) {
    throw new SigningError(
      'UNAVAILABLE_BACKEND',
      `the PKCS#11 library ${JSON.stringify(path)} could not be loaded: check the path (e.g. /usr/lib/softhsm/libsofthsm2.so)`,
      { cause: error },
    );
  }
  let ownsInit = true;
  try {
    api.C_Initialize();
  } catch (error) {
    if (ckr(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      api.close();
      throw tokenError('UNAVAILABLE_BACKEND', 'the PKCS#11 library failed to initialise', error);
    }
    ownsInit = false;
  }
  const shared: SharedLibrary = {
    js,
    api,
    path,
    logins: new Map(),
    pins: new Map(),
    refs: 1,
    ownsInit,
  };
  libraries.set(path, shared);
  return shared;
}

/** Drops one reference; the last one finalises (if this code initialised) and unloads. */
export function releaseLibrary(shared: SharedLibrary): void {
  if (--shared.refs > 0) return;
  libraries.delete(shared.path);
  try {
    if (shared.ownsInit) shared.api.C_Finalize();
  } finally {
    shared.api.close();
  }
}
