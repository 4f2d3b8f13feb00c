/**
 * The Qredo API scheme (contract §1.1): `qredo-api-sig` = base64url(HMAC-SHA256(secret,
 * timestamp + METHOD + url + body)), and the v2 header names of contract §1.3.
 */
import { fail } from '../lib/errors.js';
import { decodeSecret } from '../lib/encoding.js';
import {
  canonicalMethod,
  checkWebSocketMethod,
  canonicalTimestamp,
  canonicalUrl,
  bodyToSign,
  type BodyInit,
  type TimestampInit,
} from '../scheme/canonical.js';
import {
  isAuto,
  isLargeInput,
  prepareLargeRole,
  selectHmacBackends,
  withAutoFallback,
  type BackendChoice,
  type BackendSelection,
  type LargeKeyRole,
} from '../backends/registry.js';
import type { BackendName, HmacBackend, HmacKey } from '../backends/types.js';
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
import type { QredoHeadersOf, QredoProfile } from '../scheme/headers.js';

export type { QredoProfile } from '../scheme/headers.js';

// Literal keys keep the headers object in V8's fast-properties shape (computed keys do not); the
// return types make the compiler check each literal against scheme/headers.ts.
const v1Headers = (key: string, timestamp: string, signature: string): QredoHeadersOf<'v1'> => ({
  'qredo-api-key': key,
  'qredo-api-ts': timestamp,
  'qredo-api-sig': signature,
});
const v2Headers = (key: string, timestamp: string, signature: string): QredoHeadersOf<'v2'> => ({
  'qredo-api-key': key,
  'qredo-api-timestamp': timestamp,
  'qredo-api-signature': signature,
});

/**
 * Options of {@link createQredoSigner} (and, with the request, of {@link signQredoRequest}).
 *
 * @example
 * ```ts
 * const options: QredoSignerOptions = { apiKey, secret: process.env.QREDO_API_SECRET!, profile: 'v2' };
 * ```
 */
export interface QredoSignerOptions {
  /** The API key shown in the Qredo web app (sent in `qredo-api-key`). */
  apiKey: string;
  /**
   * The API secret: base64 text as shown in the web app, or the raw key bytes; or a provider
   * (rotation from a vault) called once at creation and again on each `refresh()`; providers
   * need a full entry (`qredo-sign`), not the minimal `qredo-sign/qredo-api`.
   */
  secret: string | Uint8Array | SecretProvider;
  /** Which backend computes the HMAC; `'auto'` (default) picks the fastest this runtime has. */
  backend?: BackendChoice;
  /** `'v1'` (default) or `'v2'` header names. */
  profile?: QredoProfile;
}

/**
 * Supplies the API secret (contract §3b): base64 text or raw bytes, e.g. read from a vault. Called at
 * creation and on each `refresh()`; what it returns is imported once, and the bytes it returns are
 * left as they are (a provider may hand out a cached copy).
 *
 * @example
 * ```ts
 * const secret: SecretProvider = async () => (await vault.read('qredo/api-secret')).value;
 * ```
 */
export type SecretProvider = () => Promise<string | Uint8Array> | string | Uint8Array;

/**
 * A request to sign with the Qredo API scheme (contract §1.1).
 *
 * @example
 * ```ts
 * const request: QredoRequest = { method: 'POST', url: 'https://api.qredo.network/qapi/v1/company', body: { name: 'ACME' } };
 * ```
 */
export interface QredoRequest {
  /**
   * The HTTP method, an HTTP token (`INVALID_METHOD` otherwise); signed upper-cased, so send the
   * `method` of the signed request rather than your own spelling.
   */
  method: string;
  /** Absolute http(s) URL (ws(s) for a WebSocket upgrade); signed as its WHATWG serialisation. */
  url: string | URL;
  /** The body to send; objects are serialised once with JSON.stringify (see {@link BodyInit}). */
  body?: BodyInit;
  /** Unix time; default: now, in whole seconds. Digit strings are sent as given. */
  timestamp?: TimestampInit;
}

/**
 * A Qredo API signer holding its prepared key; made by {@link createQredoSigner}.
 *
 * @example
 * ```ts
 * const signed = await signer.sign({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * signer.destroy(); // when done
 * ```
 */
export interface QredoSigner {
  /** The backend that signs request-sized bodies (see README "Choosing a backend"). */
  readonly backend: BackendName;
  /** The API key sent in `qredo-api-key` (not a secret). */
  readonly apiKey: string;
  /** Which header names the signed requests carry: `'v1'` (default) or `'v2'`. */
  readonly profile: QredoProfile;
  /** Signs on the fastest backend available; always asynchronous. */
  sign(request: QredoRequest): Promise<SignedRequest>;
  /** Signs synchronously; `ASYNC_ONLY_BACKEND` when the chosen backend is WebCrypto. */
  signSync(request: QredoRequest): SignedRequest;
  /**
   * With a secret provider: fetches the secret again and imports it; signatures made after it
   * resolves use the new key and the old key is destroyed. On failure the old key stays in use and
   * the promise rejects (`INVALID_SECRET`). Without a provider it resolves at once.
   */
  refresh(): Promise<void>;
  /** Wipes the prepared keys; the signer cannot sign afterwards. */
  destroy(): void;
}

/**
 * Chooses the backends for `choice` and imports the secret once into each (a backend serving
 * several roles gets one key), so the decoded copy is wiped at once. Kept outside
 * createQredoSigner so that no closure of the signer holds the options, and with them the secret.
 *
 * The `large` role ('auto' only) is the registry's (prepareLargeRole): where the sync key can lend
 * its block key, the signer imports the large key on the first large body, so a signer that never
 * sees one holds one key. A bundle with no whole backend registered (`qredo-sign/qredo-api`) has
 * no such role and carries none of its code.
 */
function importKeys(choice: BackendChoice | undefined, secret: unknown) {
  return withAutoFallback(choice, () => {
    const selection = selectHmacBackends(choice);
    const raw = decodeSecret(secret);
    const keys = new Map<HmacBackend | undefined, HmacKey>();
    let large: LargeKeyRole | undefined;
    try {
      large = prepareLargeRole(selection, raw, keys);
      for (const backend of [selection.async, selection.sync]) {
        if (backend && !keys.has(backend)) keys.set(backend, backend.importHmacKey(raw));
      }
      return { selection, keys, large };
    } catch (error) {
      large?.destroy();
      for (const key of keys.values()) key.destroy();
      throw error;
    } finally {
      if (raw !== secret) raw.fill(0);
    }
  });
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `refresh()` of a signer without a secret provider: nothing to fetch. */
const refreshNothing = async (): Promise<void> => {};

/**
 * The one class every Qredo API signer is an instance of: call sites that see many signers stay
 * monomorphic (issue 17: 10,000 signers round-robin ran 1.8-2.2x slower than one when each had a
 * hidden class of its own). The methods keep working detached (`const { signSync } = signer`,
 * `[].map(signer.sign)`), as they always have (see the getters below). The keys sit in
 * private fields, out of reach of util.inspect, JSON, String and Object.entries.
 */
class StaticQredoSigner implements QredoSigner {
  // `declare`: assigned in the constructor, in this order, so every instance has one shape.
  declare readonly backend: BackendName;
  declare readonly apiKey: string;
  declare readonly profile: QredoProfile;
  #asyncKey: HmacKey;
  #syncKey: HmacKey | undefined;
  /** 'auto' only: the key for large bodies (see prepareLargeRole). */
  #large: LargeKeyRole | undefined;
  #auto: boolean;
  #destroyed = false;

  constructor(
    apiKey: string,
    profile: QredoProfile,
    choice: BackendChoice | undefined,
    selection: BackendSelection<HmacBackend>,
    keys: Map<HmacBackend | undefined, HmacKey>,
    large: LargeKeyRole | undefined,
  ) {
    this.backend = (selection.sync ?? selection.async).name;
    this.apiKey = apiKey;
    this.profile = profile;
    // One key per role; `large` signs bodies the registry's 'auto' policy sends to node:crypto
    // (isLargeInput). No sync key when only WebCrypto is available.
    this.#asyncKey = keys.get(selection.async)!;
    this.#syncKey = keys.get(selection.sync);
    this.#large = large;
    this.#auto = isAuto(choice);
  }

  // Kept flat: this runs once per request and its cost is measured against a bare createHmac
  // call (bench/, api-sign). `key` is undefined only for signSync without a synchronous backend.
  #sign(
    request: QredoRequest,
    key: HmacKey | undefined,
  ): LazySignedRequest | Promise<LazySignedRequest> {
    if (this.#destroyed) throw usedAfterDestroy('signer');
    checkObject(request, 'request');
    const method = canonicalMethod(request.method);
    const url = canonicalUrl(request.url);
    checkWebSocketMethod(url, method);
    const body = bodyToSign(request.body, method);
    const timestamp =
      request.timestamp === undefined ? currentTimestamp() : canonicalTimestamp(request.timestamp);
    const prefix = timestamp + method + url;
    if (!key) {
      // Under 'auto' no backend here is synchronous; a named backend is asynchronous only.
      fail(
        this.#auto ? 'UNAVAILABLE_BACKEND' : 'ASYNC_ONLY_BACKEND',
        'backend',
        `synchronous for signSync(), not ${this.backend}: use sign()`,
      );
    }
    if (body !== undefined && isLargeInput(body.length) && this.#large) key = this.#large.key();
    const signature = key.macRequest(prefix, body);
    const apiKey = this.apiKey;
    const headers = this.profile === 'v1' ? v1Headers : v2Headers;
    const given = request.body;
    return typeof signature === 'string'
      ? new LazySignedRequest(
          method,
          url,
          body,
          labelJsonBody(headers(apiKey, timestamp, signature), given),
          prefix,
        )
      : signature.then(
          (value) =>
            new LazySignedRequest(
              method,
              url,
              body,
              labelJsonBody(headers(apiKey, timestamp, value), given),
              prefix,
            ),
        );
  }

  // The methods are getters that hand out a closure made on first use and kept: they work
  // detached (`const { signSync } = signer`), as when a signer was an object of closures, while
  // a signer holds only the closures it was asked for (four arrow fields measured ~1.3 KB a signer here).
  #signSyncFn?: (request: QredoRequest) => SignedRequest;
  #signFn?: (request: QredoRequest) => Promise<SignedRequest>;
  #destroyFn?: () => void;

  get signSync(): (request: QredoRequest) => SignedRequest {
    // A synchronous key returns a string, so this is never a Promise.
    return (this.#signSyncFn ??= (request) =>
      this.#sign(request, this.#syncKey) as LazySignedRequest);
  }

  get sign(): (request: QredoRequest) => Promise<SignedRequest> {
    return (this.#signFn ??= async (request) => this.#sign(request, this.#asyncKey));
  }

  get refresh(): () => Promise<void> {
    return refreshNothing;
  }

  get destroy(): () => void {
    return (this.#destroyFn ??= () => {
      if (this.#destroyed) return; // a second destroy() must not free a key twice
      this.#destroyed = true;
      for (const key of new Set([this.#asyncKey, this.#syncKey])) key?.destroy();
      this.#large?.destroy();
    });
  }

  /** What String(), JSON and util.inspect show: the public fields only. */
  toJSON(): { type: 'QredoSigner'; apiKey: string; backend: BackendName; profile: QredoProfile } {
    return {
      type: 'QredoSigner',
      apiKey: this.apiKey,
      backend: this.backend,
      profile: this.profile,
    };
  }

  toString(): string {
    const { apiKey, backend, profile } = this;
    return `QredoSigner ${JSON.stringify({ apiKey, backend, profile })}`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * Creates a Qredo API signer. The secret is decoded and imported once (a node `KeyObject`, a
 * non-extractable `CryptoKey`, or a WASM key slot with the HMAC pads precomputed); the decoded
 * copy is zeroed right after.
 *
 * @example
 * ```ts
 * const signer = createQredoSigner({ apiKey: process.env.QREDO_API_KEY!, secret: process.env.QREDO_API_SECRET! });
 * const req = signer.signSync({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * await fetch(req.url, { method: req.method, headers: req.headers });
 * ```
 */
export function createQredoSigner(options: QredoSignerOptions): QredoSigner {
  checkOptions(options, 'options');
  const apiKey = checkApiKey(options.apiKey);
  const profile = options.profile ?? 'v1';
  if (profile !== 'v1' && profile !== 'v2') fail('INVALID_OPTION', 'profile', 'v1 or v2');
  const choice = options.backend;
  const { selection, keys, large } = importKeys(choice, options.secret);
  return new StaticQredoSigner(apiKey, profile, choice, selection, keys, large);
}

/**
 * Signs one request without keeping a signer (imports the key, signs, wipes it).
 *
 * @example
 * ```ts
 * const req = await signQredoRequest({ apiKey, secret, method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * ```
 */
export async function signQredoRequest(
  request: QredoRequest & QredoSignerOptions,
): Promise<SignedRequest> {
  checkObject(request, 'request');
  return signOnce(createQredoSigner(request), request);
}
