/**
 * The Partner API scheme (contract §1.2): `x-sign` = base64url(RSASSA-PKCS1-v1_5-SHA256(privateKey,
 * timestampOrNonce + url + body)). The method is not signed.
 */
import { fail } from '../lib/errors.js';
import { base64url } from '../lib/encoding.js';
import {
  canonicalNonce,
  canonicalPartnerRequest,
  canonicalTimestamp,
  joinSigningInput,
  type BodyInit,
  type NonceInit,
  type TimestampInit,
} from '../scheme/canonical.js';
import { parseRsaPrivateKey, wipePrivateKeyMaterial, type PrivateKeyInput } from '../keys/keys.js';
import type { RsaPrivateKeyMaterial } from '../backends/types.js';
import {
  isAuto,
  selectBackends,
  withAutoFallback,
  type BackendChoice,
} from '../backends/registry.js';
import type { Backend, BackendName, RsaSigningKey } from '../backends/types.js';
import { deferredExportKeys, isExtractableCryptoKey } from './exported-key.js';
import { createNonceSource, type NonceSource, type NonceSourceOptions } from './nonce.js';
import {
  importExternalSigner,
  isExternalSigner,
  type ExternalSigner,
  type ExternalSigningKeys,
} from './external-key.js';
import {
  LazySignedRequest,
  labelJsonBody,
  checkApiKey,
  checkObject,
  currentTimestamp,
  signOnce,
  type SignedRequest,
} from '../scheme/signed-request.js';
import { usedAfterDestroy } from '../backends/faults.js';
import { checkOptions } from './options.js';
import { PARTNER_HEADERS } from '../scheme/headers.js';

/**
 * What {@link createPartnerSigner} needs: the Partner API key, the RSA private key (2048–4096
 * bits) and, optionally, the backend and the `nonce: 'auto'` source's settings. A key it cannot
 * use is refused at creation with `INVALID_KEY`, `WEAK_KEY` or `ENCRYPTED_KEY` (docs/errors.md),
 * not at the first request.
 *
 * @example
 * ```ts
 * const options: PartnerSignerOptions = { apiKey, privateKey: readFileSync('private.pem', 'utf8') };
 * const signer = createPartnerSigner(options);
 * ```
 */
export interface PartnerSignerOptions {
  /** The Partner API key (sent in `x-api-key`). */
  apiKey: string;
  /**
   * PKCS#1 or PKCS#8 PEM, their DER bytes, a private JWK, a `CryptoKey` or a node `KeyObject`; or
   * an {@link ExternalSigner} (a KMS, an HSM, a vault: contract §3b).
   */
  privateKey: PrivateKeyInput | ExternalSigner;
  /** `'auto'` (default): node:crypto in Node; WebCrypto (async) or WASM (sync) elsewhere. */
  backend?: BackendChoice;
  /** The `nonce: 'auto'` generator's start and persistence hook (see {@link createNonceSource}). */
  nonce?: NonceSourceOptions;
}

/**
 * A request to sign with the Partner API scheme (contract §1.2).
 *
 * @example
 * ```ts
 * const request: PartnerRequest = { url: 'https://play-api.qredo.network/api/v1/p/company', body: { name: 'ACME' }, nonce: 'auto' };
 * ```
 */
export interface PartnerRequest {
  /** Absolute http(s) URL, or ws(s) for a WebSocket upgrade; signed as its WHATWG serialisation. */
  url: string | URL;
  /** Not signed; default GET, or POST when there is a body. */
  method?: string;
  /** The body to send; objects are serialised once with JSON.stringify (see {@link BodyInit}). */
  body?: BodyInit;
  /** Give at most one of timestamp and nonce; with neither, the current time in seconds is used. */
  timestamp?: TimestampInit;
  /** A nonce, or `'auto'`: the signer's strictly increasing source (sent in `x-nonce`). */
  nonce?: NonceInit | 'auto';
}

/**
 * A Partner API signer holding its prepared key; made by {@link createPartnerSigner}. Import the
 * key once and keep the signer: each request then costs one RSA signature (plus its check). Call
 * `destroy()` when the key must leave memory.
 *
 * @example
 * ```ts
 * const signed = signer.signSync({ url: 'https://play-api.qredo.network/api/v1/p/company' });
 * ```
 */
export interface PartnerSigner {
  /** The backend that signs `sign()` calls (under `'auto'`: node, else webcrypto, else wasm). */
  readonly backend: BackendName;
  /** The Partner API key sent in `x-api-key` (not a secret). */
  readonly apiKey: string;
  /** Signs on the chosen backend; always asynchronous. */
  sign(request: PartnerRequest): Promise<SignedRequest>;
  /** Signs synchronously; `ASYNC_ONLY_BACKEND` on WebCrypto. */
  signSync(request: PartnerRequest): SignedRequest;
  /** Releases the prepared keys (WASM key memory is zeroed); the signer cannot sign afterwards. */
  destroy(): void;
}

/**
 * Creates a Partner API signer. The key is parsed and checked once (2048–4096 bits, n = p·q),
 * imported into the backends that will use it, and the parsed copy is wiped. Every signature is
 * verified before it is returned.
 *
 * @example
 * ```ts
 * const signer = createPartnerSigner({ apiKey, privateKey: readFileSync('private.pem', 'utf8') });
 * const req = await signer.sign({ url: 'https://play-api.qredo.network/api/v1/p/company', body: { name: 'ACME' } });
 * await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * ```
 */
export function createPartnerSigner(options: PartnerSignerOptions): PartnerSigner {
  checkOptions(options, 'options');
  const apiKey = checkApiKey(options.apiKey);
  const choice = options.backend;
  const nonces = createNonceSource(
    options.nonce === undefined ? {} : checkOptions(options.nonce, 'nonce'),
  );
  const keys = isExternalSigner(options.privateKey)
    ? externalKeys(importExternalSigner(options.privateKey, choice))
    : importSigningKeys(choice, options.privateKey);
  return new RsaPartnerSigner(apiKey, isAuto(choice), nonces, keys);
}

interface SigningKeys {
  readonly asyncKey: RsaSigningKey;
  readonly backend: BackendName;
  readonly whyNoSync: string | undefined;
  syncKey(): RsaSigningKey | undefined;
  destroy(): void;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The one class every Partner API signer is an instance of (one hidden class at the call sites
 * that see many signers: issue 17); its methods work detached (getters below), and
 * its keys and nonce source sit in private fields, out of reach of util.inspect, JSON, String and
 * Object.entries.
 */
class RsaPartnerSigner implements PartnerSigner {
  declare readonly backend: BackendName;
  declare readonly apiKey: string;
  #auto: boolean;
  #nonces: NonceSource;
  #keys: SigningKeys;
  #destroyed = false;

  constructor(apiKey: string, auto: boolean, nonces: NonceSource, keys: SigningKeys) {
    this.backend = keys.backend;
    this.apiKey = apiKey;
    this.#auto = auto;
    this.#nonces = nonces;
    this.#keys = keys;
  }

  #prepare(request: PartnerRequest) {
    if (this.#destroyed) throw usedAfterDestroy('signer');
    checkObject(request, 'request');
    if (request.timestamp !== undefined && request.nonce !== undefined) {
      fail('INVALID_OPTION', 'timestamp or nonce', 'given, not both');
    }
    // The scheme's one canonicalisation, shared with partnerSigningInput and the verifier.
    const { method, url, body } = canonicalPartnerRequest(request);
    let stampHeader: string;
    let stamp: string;
    if (request.nonce !== undefined) {
      stampHeader = PARTNER_HEADERS.nonce;
      stamp = request.nonce === 'auto' ? this.#nonces.next() : canonicalNonce(request.nonce);
    } else {
      stampHeader = PARTNER_HEADERS.timestamp;
      stamp =
        request.timestamp === undefined
          ? currentTimestamp()
          : canonicalTimestamp(request.timestamp);
    }
    const prefix = stamp + url;
    const input = joinSigningInput(prefix, body);
    const apiKey = this.apiKey;
    const finish = (signature: Uint8Array) =>
      new LazySignedRequest(
        method,
        url,
        body,
        labelJsonBody(
          {
            [PARTNER_HEADERS.apiKey]: apiKey,
            [PARTNER_HEADERS.signature]: base64url.encode(signature),
            [stampHeader]: stamp,
          },
          request.body,
        ),
        prefix,
      ).withSigningInput(input);
    return { input, finish };
  }

  #signSync(request: PartnerRequest): SignedRequest {
    if (this.#destroyed) throw usedAfterDestroy('signer');
    const syncKey = this.#keys.syncKey();
    if (!syncKey && this.#keys.whyNoSync) {
      fail('ASYNC_ONLY_BACKEND', 'privateKey', this.#keys.whyNoSync);
    }
    if (!syncKey) {
      // A named backend is asynchronous only; under 'auto' no constant-time synchronous backend
      // is usable here (js is never chosen for RSA beside another backend: registry.ts).
      if (!this.#auto) {
        fail(
          'ASYNC_ONLY_BACKEND',
          'backend',
          `synchronous for signSync(), not ${this.backend}: use sign()`,
        );
      }
      fail(
        'UNAVAILABLE_BACKEND',
        'backend',
        `a constant-time synchronous RSA backend (node or wasm) for signSync(), and none is ` +
          `usable here: use sign() (${this.backend}), or choose backend: 'js' explicitly ` +
          `(BigInt arithmetic, not constant-time)`,
      );
    }
    const { input, finish } = this.#prepare(request);
    const signature = syncKey.sign(input);
    if (signature instanceof Promise) throw new Error('a synchronous backend returned a Promise');
    return finish(signature);
  }

  async #signAsync(request: PartnerRequest): Promise<SignedRequest> {
    const { input, finish } = this.#prepare(request);
    return finish(await this.#keys.asyncKey.sign(input));
  }

  #destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#keys.destroy();
  }

  // Getters handing out a closure made on first use and kept, as in qredo-signer.ts: methods
  // work detached, and an unused signer holds none.
  #signSyncFn?: (request: PartnerRequest) => SignedRequest;
  #signFn?: (request: PartnerRequest) => Promise<SignedRequest>;
  #destroyFn?: () => void;

  get signSync(): (request: PartnerRequest) => SignedRequest {
    return (this.#signSyncFn ??= (request) => this.#signSync(request));
  }

  get sign(): (request: PartnerRequest) => Promise<SignedRequest> {
    return (this.#signFn ??= (request) => this.#signAsync(request));
  }

  get destroy(): () => void {
    return (this.#destroyFn ??= () => this.#destroy());
  }

  /** What String(), JSON and util.inspect show: the public fields only. */
  toJSON(): { type: 'PartnerSigner'; apiKey: string; backend: BackendName } {
    return { type: 'PartnerSigner', apiKey: this.apiKey, backend: this.backend };
  }

  toString(): string {
    return `PartnerSigner ${JSON.stringify({ apiKey: this.apiKey, backend: this.backend })}`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** An external signer's keys in the shape importSigningKeys gives (nothing to import lazily). */
function externalKeys({ asyncKey, syncKey, backend }: ExternalSigningKeys) {
  return {
    asyncKey,
    backend,
    whyNoSync: undefined as string | undefined,
    syncKey: (): RsaSigningKey | undefined => syncKey,
    destroy(): void {
      asyncKey.destroy();
      if (syncKey !== asyncKey) syncKey.destroy();
    },
  };
}

/**
 * Parses the private key, chooses the backends for `choice` and imports the key into the one that
 * serves `sign()`. The synchronous backend, when it is another one (WebCrypto signs, WASM would
 * sign synchronously), gets its key only when `signSync()` is first called: a signer that never
 * signs synchronously never compiles WASM nor holds a second copy of the key (issue 14 item 9).
 * Until then the parsed key is kept here, and wiped after that import or on destroy(); otherwise it
 * is wiped at once (every backend copied what it needs: OpenSSL, WebCrypto's importKey, WASM
 * memory, BigInts). Kept outside createPartnerSigner so that no closure of the signer holds the
 * options, and with them the caller's private key.
 */
function importSigningKeys(choice: BackendChoice | undefined, privateKey: unknown) {
  let material: RsaPrivateKeyMaterial | undefined = parseRsaPrivateKey(privateKey);
  const parsed = material;
  const opaque = material.components === undefined;
  if (opaque && (choice === 'wasm' || choice === 'js') && isExtractableCryptoKey(parsed.native)) {
    return deferredExportKeys(selectBackends(choice, 'rsa').async, parsed.native);
  }
  let asyncBackend: Backend;
  let asyncKey: RsaSigningKey;
  let syncKey: RsaSigningKey | undefined;
  let pending = false;
  try {
    ({ asyncBackend, asyncKey, pending, syncKey } = withAutoFallback(choice, () => {
      const selection = selectBackends(choice, 'rsa', opaque);
      const key = selection.async.importRsaPrivateKey(parsed);
      const same = selection.sync === selection.async;
      return {
        asyncBackend: selection.async,
        asyncKey: key,
        syncKey: same ? key : undefined,
        pending: !same && selection.sync !== undefined,
      };
    }));
  } finally {
    if (!pending) {
      wipePrivateKeyMaterial(material);
      material = undefined;
    }
  }
  let syncFailure: unknown;
  return {
    asyncKey,
    backend: asyncBackend.name,
    /** Set when no backend can sign this key synchronously (an opaque CryptoKey), and why. */
    whyNoSync:
      opaque && isAuto(choice)
        ? 'PEM, DER or JWK for signSync(): a CryptoKey signs only asynchronously here (webcrypto), so use sign()'
        : undefined,
    /** The key for signSync(), imported on first use; undefined when no backend here can. */
    syncKey(): RsaSigningKey | undefined {
      if (syncFailure !== undefined) throw syncFailure;
      if (!material) return syncKey;
      const held = material;
      try {
        syncKey = withAutoFallback(choice, () => {
          const selection = selectBackends(choice, 'rsa', opaque);
          if (!selection.sync) return undefined;
          return selection.sync === asyncBackend
            ? asyncKey
            : selection.sync.importRsaPrivateKey(held);
        });
      } catch (error) {
        syncFailure = error;
        throw error;
      } finally {
        wipePrivateKeyMaterial(held);
        material = undefined;
      }
      return syncKey;
    },
    destroy(): void {
      if (material) wipePrivateKeyMaterial(material);
      material = undefined;
      if (syncKey !== asyncKey) syncKey?.destroy();
      asyncKey.destroy();
    },
  };
}

/**
 * Signs one Partner API request without keeping a signer.
 *
 * @example
 * ```ts
 * const req = await signPartnerRequest({ apiKey, privateKey: pem, url: 'https://play-api.qredo.network/api/v1/p/company' });
 * ```
 */
export async function signPartnerRequest(
  request: PartnerRequest & PartnerSignerOptions,
): Promise<SignedRequest> {
  checkObject(request, 'request');
  // Only the signer's options: the request's `nonce` (a value or 'auto') is not the signer's
  // `nonce` option (the generator's settings), which gave "nonce must be an object" before.
  const { apiKey, privateKey, backend } = request;
  return signOnce(createPartnerSigner({ apiKey, privateKey, backend }), request);
}
