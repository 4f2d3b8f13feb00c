/**
 * The Partner API scheme (SPEC §1.2): `x-sign` = base64url(RSASSA-PKCS1-v1_5-SHA256(privateKey,
 * timestampOrNonce + url + body)). The method is not signed.
 */
import { fail } from './errors.js';
import { base64url } from './encoding.js';
import {
  canonicalMethod,
  canonicalNonce,
  canonicalTimestamp,
  canonicalUrl,
  checkWebSocketMethod,
  defaultPartnerMethod,
  bodyToSign,
  joinSigningInput,
  type BodyInit,
  type NonceInit,
  type TimestampInit,
} from './canonical.js';
import { parseRsaPrivateKey, wipePrivateKeyMaterial, type PrivateKeyInput } from './keys.js';
import {
  isAuto,
  selectBackends,
  withAutoFallback,
  type BackendChoice,
} from './backends/registry.js';
import type { Backend, BackendName, RsaSigningKey } from './backends/types.js';
import { createNonceSource, type NonceSourceOptions } from './nonce.js';
import { importExternalSigner, isExternalSigner, type ExternalSigner } from './external-key.js';
import {
  LazySignedRequest,
  checkApiKey,
  checkObject,
  currentTimestamp,
  redacted,
  signOnce,
  type SignedRequest,
} from './signed-request.js';

/**
 * A Partner API signer holding its prepared key; made by {@link createPartnerSigner}.
 *
 * @example
 * ```ts
 * const signed = signer.signSync({ url: 'https://play-api.qredo.network/api/v1/p/company' });
 * ```
 */
export interface PartnerSignerOptions {
  /** The Partner API key (sent in `x-api-key`). */
  apiKey: string;
  /**
   * PKCS#1 or PKCS#8 PEM, their DER bytes, a private JWK, a `CryptoKey` or a node `KeyObject`; or
   * an {@link ExternalSigner} (a KMS, an HSM, a vault: SPEC §3b).
   */
  privateKey: PrivateKeyInput | ExternalSigner;
  /** `'auto'` (default): node:crypto in Node; WebCrypto (async) or WASM (sync) elsewhere. */
  backend?: BackendChoice;
  /** The `nonce: 'auto'` generator's start and persistence hook (see {@link createNonceSource}). */
  nonce?: NonceSourceOptions;
}

/**
 * A request to sign with the Partner API scheme (SPEC §1.2).
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
  checkObject(options, 'options');
  const apiKey = checkApiKey(options.apiKey);
  const choice = options.backend;
  const nonces = createNonceSource(
    options.nonce === undefined ? {} : checkObject(options.nonce, 'nonce'),
  );
  const { asyncKey, syncKey, backend } = isExternalSigner(options.privateKey)
    ? importExternalSigner(options.privateKey, choice)
    : importSigningKeys(choice, options.privateKey);
  let destroyed = false;

  function prepare(request: PartnerRequest) {
    if (destroyed) fail('INVALID_OPTION', 'signer', 'used before destroy()');
    checkObject(request, 'request');
    if (request.timestamp !== undefined && request.nonce !== undefined) {
      fail('INVALID_OPTION', 'timestamp or nonce', 'given, not both');
    }
    const method =
      request.method === undefined
        ? defaultPartnerMethod(request.body)
        : canonicalMethod(request.method);
    const url = canonicalUrl(request.url);
    checkWebSocketMethod(url, method);
    const body = bodyToSign(request.body, method);
    let stampHeader: string;
    let stamp: string;
    if (request.nonce !== undefined) {
      stampHeader = 'x-nonce';
      stamp = request.nonce === 'auto' ? nonces.next() : canonicalNonce(request.nonce);
    } else {
      stampHeader = 'x-timestamp';
      stamp =
        request.timestamp === undefined
          ? currentTimestamp()
          : canonicalTimestamp(request.timestamp);
    }
    const prefix = stamp + url;
    const input = joinSigningInput(prefix, body);
    const finish = (signature: Uint8Array) =>
      new LazySignedRequest(
        method,
        url,
        body,
        { 'x-api-key': apiKey, 'x-sign': base64url.encode(signature), [stampHeader]: stamp },
        prefix,
      ).withSigningInput(input);
    return { input, finish };
  }

  const signer = {
    backend,
    apiKey,
    signSync(request: PartnerRequest): SignedRequest {
      if (!syncKey) {
        // Under 'auto' no backend here is synchronous; a named backend is asynchronous only.
        fail(
          isAuto(choice) ? 'UNAVAILABLE_BACKEND' : 'ASYNC_ONLY_BACKEND',
          'backend',
          `synchronous for signSync(), not ${backend}: use sign()`,
        );
      }
      const { input, finish } = prepare(request);
      const signature = syncKey.sign(input);
      if (signature instanceof Promise) throw new Error('a synchronous backend returned a Promise');
      return finish(signature);
    },
    async sign(request: PartnerRequest): Promise<SignedRequest> {
      const { input, finish } = prepare(request);
      return finish(await asyncKey.sign(input));
    },
    destroy() {
      destroyed = true;
      syncKey?.destroy();
      asyncKey.destroy(); // the same key when one backend serves both: destroy() is idempotent
    },
  };
  return Object.assign(
    Object.create(redacted('PartnerSigner', { apiKey, backend })) as object,
    signer,
  );
}

/**
 * Parses the private key, chooses the backends for `choice` and imports the key into each, then
 * wipes the parsed integers (every backend copied what it needs: OpenSSL, WebCrypto's importKey,
 * WASM memory, BigInts). Kept outside createPartnerSigner so that no closure of the signer holds
 * the options, and with them the caller's private key.
 */
function importSigningKeys(choice: BackendChoice | undefined, privateKey: unknown) {
  const material = parseRsaPrivateKey(privateKey);
  try {
    return withAutoFallback(choice, () => {
      const selection = selectBackends(choice, 'rsa', material.components === undefined);
      const imported = new Map<Backend, RsaSigningKey>();
      const importOnce = (b: Backend) => {
        let key = imported.get(b);
        if (!key) imported.set(b, (key = b.importRsaPrivateKey(material)));
        return key;
      };
      try {
        const asyncKey = importOnce(selection.async);
        const syncKey = selection.sync && importOnce(selection.sync);
        return { asyncKey, syncKey, backend: selection.async.name };
      } catch (error) {
        for (const key of imported.values()) key.destroy();
        throw error;
      }
    });
  } finally {
    wipePrivateKeyMaterial(material);
  }
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
  return signOnce(createPartnerSigner(request), request);
}
