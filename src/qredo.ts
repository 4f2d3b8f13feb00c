/**
 * The Qredo API scheme (SPEC §1.1): `qredo-api-sig` = base64url(HMAC-SHA256(secret,
 * timestamp + METHOD + url + body)), and the v2 header names of SPEC §1.3.
 */
import { SigningError } from './errors.js';
import { base64url, decodeSecret } from './encoding.js';
import {
  canonicalMethod,
  checkWebSocketMethod,
  canonicalTimestamp,
  canonicalUrl,
  prepareBody,
  type BodyInit,
  type TimestampInit,
} from './canonical.js';
import {
  AUTO_HMAC_NATIVE_THRESHOLD,
  selectBackends,
  type BackendChoice,
  type BackendSelection,
} from './backends/registry.js';
import type { Backend, BackendName, HmacKey } from './backends/types.js';
import {
  LazySignedRequest,
  checkApiKey,
  checkObject,
  currentTimestamp,
  joinSigningInput,
  redacted,
  type SignedRequest,
} from './signed-request.js';

/**
 * Header names: `'v1'` is the Qredo API (`qredo-api-ts`, `qredo-api-sig`); `'v2'` the announced
 * Qredo API v2 (`qredo-api-timestamp`, `qredo-api-signature`, SPEC §1.3). The signed bytes are the same.
 *
 * @example
 * ```ts
 * createQredoSigner({ apiKey, secret, profile: 'v2' });
 * ```
 */
export type QredoProfile = 'v1' | 'v2';

// Literal keys keep the headers object in V8's fast-properties shape (computed keys do not).
const HEADERS = {
  v1: (key: string, timestamp: string, signature: string): Record<string, string> => ({
    'qredo-api-key': key,
    'qredo-api-ts': timestamp,
    'qredo-api-sig': signature,
  }),
  v2: (key: string, timestamp: string, signature: string): Record<string, string> => ({
    'qredo-api-key': key,
    'qredo-api-timestamp': timestamp,
    'qredo-api-signature': signature,
  }),
} as const;

/**
 * A Qredo API signer holding its prepared key; made by {@link createQredoSigner}.
 *
 * @example
 * ```ts
 * const signed = await signer.sign({ method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * signer.destroy(); // when done
 * ```
 */
export interface QredoSignerOptions {
  /** The API key shown in the Qredo web app (sent in `qredo-api-key`). */
  apiKey: string;
  /** The API secret: base64 text as shown in the web app, or the raw key bytes. */
  secret: string | Uint8Array;
  /** Which backend computes the HMAC; `'auto'` (default) picks the fastest this runtime has. */
  backend?: BackendChoice;
  /** `'v1'` (default) or `'v2'` header names. */
  profile?: QredoProfile;
}

/**
 * A request to sign with the Qredo API scheme (SPEC §1.1).
 *
 * @example
 * ```ts
 * const request: QredoRequest = { method: 'POST', url: 'https://api.qredo.network/qapi/v1/company', body: { name: 'ACME' } };
 * ```
 */
export interface QredoRequest {
  method: string;
  url: string | URL;
  body?: BodyInit;
  /** Unix time; default: now, in whole seconds. Digit strings are sent as given. */
  timestamp?: TimestampInit;
}

export interface QredoSigner {
  /** The backend that signs request-sized bodies (see README "Choosing a backend"). */
  readonly backend: BackendName;
  readonly apiKey: string;
  readonly profile: QredoProfile;
  /** Signs on the fastest backend available; always asynchronous. */
  sign(request: QredoRequest): Promise<SignedRequest>;
  /** Signs synchronously; `ASYNC_ONLY_BACKEND` when the chosen backend is WebCrypto. */
  signSync(request: QredoRequest): SignedRequest;
  /** Wipes the prepared keys; the signer cannot sign afterwards. */
  destroy(): void;
}

/** Decodes the secret option without ever quoting it. */
function secretBytes(secret: unknown): Uint8Array {
  if (typeof secret === 'string') return decodeSecret(secret);
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new SigningError('INVALID_SECRET', 'secret is empty');
    return secret;
  }
  throw new SigningError('INVALID_SECRET', 'secret must be base64 text or a Uint8Array');
}

function checkProfile(profile: unknown): QredoProfile {
  if (profile === undefined || profile === 'v1' || profile === 'v2') return profile ?? 'v1';
  throw new SigningError('INVALID_OPTION', 'profile must be "v1" or "v2"');
}

/** The MAC as the header value, through the fastest path the prepared key offers. */
function macHeader(
  key: HmacKey,
  prefix: string,
  signed: string | Uint8Array | undefined,
): string | Promise<string> {
  if (key.macRequest) return key.macRequest(prefix, signed);
  const input = joinSigningInput(prefix, signed);
  if (key.macBase64url) return key.macBase64url(input);
  const mac = key.mac(input);
  return mac instanceof Promise ? mac.then(base64url.encode) : base64url.encode(mac);
}

/** The prepared keys of one signer: one per backend it may use. */
interface SignerKeys {
  /** Signs request-sized bodies synchronously; absent when only WebCrypto is available. */
  readonly sync: HmacKey | undefined;
  readonly async: HmacKey;
  /** Bodies above AUTO_HMAC_NATIVE_THRESHOLD under 'auto', where node:crypto exists. */
  readonly large: HmacKey | undefined;
  readonly all: HmacKey[];
}

// Every backend a signer may use is imported at creation, so the decoded secret is wiped at once.
function importKeys(selection: BackendSelection, secret: unknown): SignerKeys {
  const raw = secretBytes(secret);
  const imported = new Map<Backend, HmacKey>();
  const importOnce = (backend: Backend | undefined) => {
    if (!backend) return undefined;
    let key = imported.get(backend);
    if (!key) imported.set(backend, (key = backend.importHmacKey(raw)));
    return key;
  };
  try {
    return {
      sync: importOnce(selection.sync),
      async: importOnce(selection.async)!,
      large: importOnce(selection.large),
      all: [...imported.values()],
    };
  } catch (error) {
    for (const key of imported.values()) key.destroy();
    throw error;
  } finally {
    if (raw !== secret) raw.fill(0);
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
  checkObject(options, 'options');
  const apiKey = checkApiKey(options.apiKey);
  const profile = checkProfile(options.profile);
  const selection = selectBackends(options.backend, 'hmac');
  const explicitAsyncOnly = options.backend !== undefined && options.backend !== 'auto';
  let keys: SignerKeys | undefined = importKeys(selection, options.secret);
  const backend = (selection.sync ?? selection.async).name;

  const makeHeaders = HEADERS[profile];
  const noSyncKey = () =>
    explicitAsyncOnly
      ? new SigningError(
          'ASYNC_ONLY_BACKEND',
          `the ${backend} backend is asynchronous only; use sign()`,
        )
      : new SigningError(
          'UNAVAILABLE_BACKEND',
          'no synchronous backend is available here; use sign()',
        );

  // Kept flat and closure-free: this runs once per request and its cost is measured against a
  // bare createHmac call (bench/, api-sign).
  function sign(
    request: QredoRequest,
    sync: boolean,
  ): LazySignedRequest | Promise<LazySignedRequest> {
    if (!keys) throw new SigningError('INVALID_OPTION', 'this signer has been destroyed');
    checkObject(request, 'request');
    const method = canonicalMethod(request.method);
    const url = canonicalUrl(request.url);
    checkWebSocketMethod(url, method);
    const body = prepareBody(request.body, method);
    const timestamp =
      request.timestamp === undefined ? currentTimestamp() : canonicalTimestamp(request.timestamp);
    const prefix = timestamp + method + url;
    const signed = body.signed;
    let key = sync ? keys.sync : keys.async;
    if (!key) throw noSyncKey();
    if (keys.large && signed !== undefined && signed.length > AUTO_HMAC_NATIVE_THRESHOLD) {
      key = keys.large;
    }
    const signature = macHeader(key, prefix, signed);
    if (typeof signature === 'string') {
      const headers = makeHeaders(apiKey, timestamp, signature);
      return new LazySignedRequest(method, url, body.send, headers, prefix, signed);
    }
    return signature.then((value) => {
      const headers = makeHeaders(apiKey, timestamp, value);
      return new LazySignedRequest(method, url, body.send, headers, prefix, signed);
    });
  }

  return Object.assign(
    Object.create(redacted('QredoSigner', { apiKey, backend, profile })) as object,
    {
      backend,
      apiKey,
      profile,
      signSync(request: QredoRequest): SignedRequest {
        const result = sign(request, true);
        if (result instanceof Promise) throw new Error('a synchronous backend returned a Promise');
        return result;
      },
      async sign(request: QredoRequest): Promise<SignedRequest> {
        return sign(request, false);
      },
      destroy() {
        for (const key of keys?.all ?? []) key.destroy();
        keys = undefined;
      },
    },
  );
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
  const signer = createQredoSigner(request);
  try {
    return await signer.sign(request);
  } finally {
    signer.destroy();
  }
}
