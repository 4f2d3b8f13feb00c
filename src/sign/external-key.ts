/**
 * Partner API keys held elsewhere (contract §3b): a KMS, an HSM or a vault signs, this library only
 * builds the signing input, checks what comes back and releases it. The private key never enters
 * this process, so the checks that a local key gets for free (length, a fault in a CRT half) are
 * redone here on the returned bytes: a signature that does not verify under the known public key is
 * never put on the wire (RFC 8017 §8.2.1 step 2 may fault; a faulty RSA-CRT signature leaks a prime).
 */
import { SigningError } from '../lib/errors.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  parseRsaPublicKey,
  MAX_RSA_BITS,
  MIN_RSA_BITS,
  type PublicKeyInput,
} from '../keys/keys.js';
import { selectBackends, type BackendChoice } from '../backends/registry.js';
import type { BackendName, RsaSigningKey, RsaVerifyingKey } from '../backends/types.js';
import { signatureWithheld, usedAfterDestroy } from '../backends/faults.js';

/**
 * A signer that computes RSASSA-PKCS1-v1_5 with SHA-256 over the whole message itself (an HSM's
 * `CKM_SHA256_RSA_PKCS`, a vault's sign endpoint). Synchronous `sign` also serves `signSync()`.
 *
 * @example
 * ```ts
 * const privateKey: ExternalMessageSigner = { sign: (data) => hsm.sign(data), publicKey: publicPem };
 * ```
 */
export interface ExternalMessageSigner {
  /** RSASSA-PKCS1-v1_5 SHA-256 signature of `data` (the Partner signing input), modulus-sized. */
  sign(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The key's public half: when given, every signature is checked before it is released. */
  publicKey?: PublicKeyInput;
}

/**
 * A signer of a precomputed SHA-256 digest (a cloud KMS in digest mode, whose raw messages are
 * size-limited). `signDigest` gets the 32-byte digest and must return the PKCS#1 v1.5 signature
 * with the SHA-256 DigestInfo (RFC 8017 §9.2) inside, exactly as `openssl dgst -sha256 -sign`
 * gives: AWS KMS `Sign` with `SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256'` and
 * `MessageType: 'DIGEST'` adds the DigestInfo itself; a raw RSA operation over the bare digest
 * does not verify and is refused with `SIGNATURE_FAULT` when `publicKey` is known.
 *
 * @example
 * ```ts
 * const privateKey: ExternalDigestSigner = { signDigest: (digest) => kmsSignDigest(digest), publicKey: spkiDer };
 * ```
 */
export interface ExternalDigestSigner {
  /** The PKCS#1 v1.5 SHA-256 signature for this SHA-256 digest (32 bytes). */
  signDigest(sha256: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The key's public half: when given, every signature is checked before it is released. */
  publicKey?: PublicKeyInput;
}

/**
 * Either form of a signer held outside this process; pass it as `privateKey`.
 *
 * @example
 * ```ts
 * createPartnerSigner({ apiKey, privateKey: { sign: (data) => hsm.sign(data), publicKey } });
 * ```
 */
export type ExternalSigner = ExternalMessageSigner | ExternalDigestSigner;

/**
 * True for an object with a `sign` or `signDigest` function: no key format the parser reads (PEM,
 * DER, JWK, `KeyObject`, `CryptoKey`) has either, so the test cannot misread a real key.
 *
 * @example
 * ```ts
 * if (isExternalSigner(options.privateKey)) console.log('signing in the KMS');
 * ```
 */
export function isExternalSigner(value: unknown): value is ExternalSigner {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { sign?: unknown; signDigest?: unknown };
  return typeof v.sign === 'function' || typeof v.signDigest === 'function';
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

const isAsyncFunction = (fn: unknown): boolean =>
  typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';

function fault(why: string): SigningError {
  return signatureWithheld(`the external signer ${why}; its signature`);
}

/** The prepared keys the Partner signer uses, as for an imported key (see partner.ts). */
export interface ExternalSigningKeys {
  asyncKey: RsaSigningKey;
  syncKey: RsaSigningKey;
  backend: BackendName;
}

/**
 * Wraps an external signer in the Partner signer's key interface. `choice` picks the backend that
 * checks signatures against `publicKey` (and names `signer.backend`).
 */
export function importExternalSigner(
  external: ExternalSigner,
  choice: BackendChoice | undefined,
): ExternalSigningKeys {
  const hasSign = typeof (external as ExternalMessageSigner).sign === 'function';
  const hasDigest = typeof (external as ExternalDigestSigner).signDigest === 'function';
  if (hasSign && hasDigest) {
    throw new SigningError(
      'INVALID_KEY',
      'an external signer must have sign() or signDigest(), not both: keep the one that matches what your KMS/HSM signs',
    );
  }
  // Bound to the caller's object so that methods using `this` work; the options object is not kept.
  const call: (bytes: Uint8Array) => unknown = hasSign
    ? (data) => (external as ExternalMessageSigner).sign(data)
    : (data) => (external as ExternalDigestSigner).signDigest(sha256(data));
  const declaredAsync = isAsyncFunction(
    hasSign
      ? (external as ExternalMessageSigner).sign
      : (external as ExternalDigestSigner).signDigest,
  );
  const method = hasSign ? 'sign()' : 'signDigest()';

  const publicInput = external.publicKey;
  const material = publicInput === undefined ? undefined : parseRsaPublicKey(publicInput);
  const selection = selectBackends(choice, 'rsa', material !== undefined && !material.components);
  const asyncVerifier: RsaVerifyingKey | undefined =
    material && selection.async.importRsaPublicKey(material);
  const syncVerifier: RsaVerifyingKey | undefined =
    material && selection.sync?.importRsaPublicKey(material);
  const expectedLength = material && Math.ceil(material.bits / 8);
  let destroyed = false;

  /** Copies the returned bytes (the caller's buffer could change after the check) and sizes them. */
  function received(value: unknown): Uint8Array {
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value.slice();
    else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value.slice(0));
    else
      throw fault(`${method} returned ${value === null ? 'null' : typeof value}, not a Uint8Array`);
    if (expectedLength !== undefined) {
      if (bytes.length !== expectedLength) {
        throw fault(
          `${method} returned ${bytes.length} bytes; the ${material!.bits}-bit publicKey needs ${expectedLength}`,
        );
      }
    } else if (bytes.length < MIN_RSA_BITS / 8 || bytes.length > MAX_RSA_BITS / 8) {
      throw fault(
        `${method} returned ${bytes.length} bytes, not the size of a ${MIN_RSA_BITS}-${MAX_RSA_BITS}-bit RSA signature`,
      );
    }
    return bytes;
  }

  function invoke(data: Uint8Array): unknown {
    if (destroyed) throw usedAfterDestroy('signer');
    try {
      // A copy: the external code cannot alter the signing input this signer goes on to verify.
      return call(data.slice());
    } catch (error) {
      throw wrapFailure(error, method);
    }
  }

  function checked(signature: Uint8Array, ok: boolean): Uint8Array {
    if (!ok) {
      signature.fill(0);
      throw fault(
        `${method} returned a signature that does not verify under its publicKey (wrong key, a signature without the SHA-256 DigestInfo, or a hardware fault)`,
      );
    }
    return signature;
  }

  const asyncKey: RsaSigningKey = {
    async sign(data) {
      let value: unknown;
      try {
        value = await invoke(data);
      } catch (error) {
        throw wrapFailure(error, method);
      }
      const signature = received(value);
      return asyncVerifier
        ? checked(signature, await asyncVerifier.verify(data, signature))
        : signature;
    },
    destroy() {
      destroyed = true;
    },
  };

  const syncKey: RsaSigningKey = {
    sign(data) {
      if (declaredAsync) throw asyncOnly(`${method} is an async function`);
      if (material && !syncVerifier) {
        throw asyncOnly(
          `checking its signatures needs a synchronous backend, and ${selection.async.name} is not`,
        );
      }
      const value = invoke(data);
      if (isThenable(value)) {
        // Already started: keep its outcome from surfacing as an unhandled rejection.
        Promise.resolve(value).catch(() => undefined);
        throw asyncOnly(`${method} returned a Promise`);
      }
      const signature = received(value);
      if (!syncVerifier) return signature;
      const ok = syncVerifier.verify(data, signature);
      if (typeof ok !== 'boolean') throw asyncOnly('its verifying backend is asynchronous');
      return checked(signature, ok);
    },
    destroy() {
      destroyed = true;
    },
  };

  return { asyncKey, syncKey, backend: (syncVerifier ? selection.sync! : selection.async).name };
}

function asyncOnly(why: string): SigningError {
  return new SigningError(
    'ASYNC_ONLY_BACKEND',
    `signSync() needs an external signer that answers synchronously, but ${why}: use sign()`,
  );
}

/**
 * The external code's own failure (a KMS timeout, an HSM error) as a SigningError whose cause is
 * that error: it is the caller's object, about the caller's service, and holds no key bytes of ours.
 */
function wrapFailure(error: unknown, method: string): SigningError {
  if (error instanceof SigningError) return error;
  return new SigningError(
    'UNAVAILABLE_BACKEND',
    `the external signer's ${method} failed (see cause); nothing was signed: check the KMS/HSM and retry`,
    { cause: error },
  );
}
