/**
 * axios adapter (contract §3b, §3a.1). axios normally serialises the body in `transformRequest`,
 * after the request interceptors and after any point where a signature could be computed, and the
 * Node adapter appends `params` with its own encoder to a URL that was parsed separately; so what
 * it sends is not what an interceptor sees. Here the interceptor runs the request's transforms
 * once itself, signs those exact bytes and the URL as `getUri` builds it, and hands axios the
 * result with the transforms replaced by a guard that lets exactly those bytes through (and throws
 * if anything changed after signing). axios in Node follows redirects and keeps custom headers, so
 * redirects are off by default or, if asked for, confined to the signed origin and re-signed.
 */
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { SigningError } from '../lib/errors.js';
import type { SignedRequest } from '../scheme/signed-request.js';
import {
  SCHEME_HEADERS,
  setSignedHeaders,
  checkNonce,
  checkSigner,
  checkedNonce,
  crossOriginRedirect,
  signingErrorIn,
  type AdapterSigner,
} from './adapter-common.js';
import { serialiseAxiosBody } from './axios-body.js';

/**
 * Options of {@link signAxios}.
 *
 * @example
 * ```ts
 * signAxios(instance, partnerSigner, { nonce: 'auto', redirect: 'follow' });
 * ```
 */
export interface SignAxiosOptions {
  /** `'auto'`: Partner API requests carry `x-nonce` from the signer's increasing source. */
  nonce?: 'auto';
  /**
   * `'manual'` (default): no redirect is followed (`maxRedirects: 0`; the fetch adapter gets
   * `redirect: 'manual'`, or `'error'` in browsers, where a 3xx is opaque): a 3xx rejects as an
   * AxiosError carrying the response. `'follow'` (Node's http adapter): redirects within the signed
   * origin are followed and re-signed with `signSync`; one to another origin is refused with
   * `CROSS_ORIGIN_REDIRECT` before anything is sent there.
   */
  redirect?: 'manual' | 'follow';
}

const SIGNED = Symbol('qredo-sign axios guard');
const THEIRS = Symbol('qredo-sign caller beforeRedirect');
type Guard = ((this: InternalAxiosRequestConfig, data: unknown, headers?: unknown) => unknown) & {
  [SIGNED]?: true;
};

const inBrowser = () => typeof (globalThis as { document?: unknown }).document !== 'undefined';

/** The absolute URL axios will request: `getUri` joins baseURL, url and the serialised params. */
function fullUrl(instance: AxiosInstance, config: InternalAxiosRequestConfig): string {
  const uri = instance.getUri(config);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return base ? new URL(uri, base).href : uri;
}

/**
 * Throws when the request changed between signing and sending: a request interceptor added
 * before `signAxios` runs after it (axios runs the last-added first).
 */
function guard(signed: SignedRequest, sent: unknown): Guard {
  const fn: Guard = function (this: InternalAxiosRequestConfig, data: unknown) {
    const headers = this.headers;
    const same =
      data === sent &&
      this.url === signed.url &&
      (this.method ?? 'get').toUpperCase() === signed.method &&
      this.params === undefined &&
      this.baseURL === undefined &&
      Object.entries(signed.headers).every(([k, v]) => headers?.get(k) === v);
    if (!same) {
      throw new SigningError(
        'INVALID_REQUEST',
        'the request changed after signAxios signed it: add your own request interceptors after calling signAxios (axios runs the last-added first)',
      );
    }
    return data;
  };
  fn[SIGNED] = true;
  return fn;
}

function isGuard(transforms: unknown): boolean {
  return Array.isArray(transforms) && transforms.length === 1 && Boolean(transforms[0]?.[SIGNED]);
}

function setSchemeHeaders(config: InternalAxiosRequestConfig, signed: SignedRequest): void {
  for (const name of SCHEME_HEADERS) config.headers.delete(name);
  setSignedHeaders(config.headers, signed);
}

/** follow-redirects' options.headers is a plain record with the caller's spelling of names. */
function replaceHeaders(headers: Record<string, unknown>, signed?: SignedRequest): void {
  const ours = new Set<string>(SCHEME_HEADERS);
  for (const name of Object.keys(headers)) if (ours.has(name.toLowerCase())) delete headers[name];
  if (!signed) return;
  const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  for (const [name, value] of Object.entries(signed.headers)) {
    if (!(typed && name === 'content-type')) headers[name] = value;
  }
}

type RedirectHook = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

/** The beforeRedirect hook of `redirect: 'follow'`: same origin re-signed, any other refused. */
function redirectHook(
  signer: AdapterSigner,
  signed: SignedRequest,
  nonce: 'auto' | undefined,
  theirs: RedirectHook | undefined,
): RedirectHook {
  return (options, responseDetails, requestDetails) => {
    const target = String((options as { href?: unknown }).href);
    const headers = (options.headers ?? {}) as Record<string, unknown>;
    const refused = crossOriginRedirect(signed.url, target);
    if (refused) {
      replaceHeaders(headers); // nothing of ours survives, even if the throw were swallowed
      throw refused;
    }
    if (!signer.signSync) {
      replaceHeaders(headers);
      throw new SigningError(
        'ASYNC_ONLY_BACKEND',
        "redirect: 'follow' re-signs each redirect synchronously: use a signer with signSync(), or redirect: 'manual'",
      );
    }
    const method = String(options.method ?? 'GET').toUpperCase();
    // follow-redirects drops the body when it turns the request into a GET (RFC 9110 §15.4).
    const body = method === 'GET' || method === 'HEAD' ? undefined : (signed.body ?? undefined);
    const again = checkedNonce(
      signer.signSync({ method, url: target, body, ...(nonce && { nonce }) }),
      nonce,
    );
    const url = new URL(again.url);
    (options as { path?: string }).path = url.pathname + url.search;
    replaceHeaders(headers, again);
    theirs?.(options, responseDetails, requestDetails);
  };
}

/** The request interceptor: serialise once, sign, and make axios send exactly that. */
async function signConfig(
  instance: AxiosInstance,
  signer: AdapterSigner,
  config: InternalAxiosRequestConfig,
  nonce: 'auto' | undefined,
  redirect: 'manual' | 'follow',
): Promise<InternalAxiosRequestConfig> {
  // A retry (axios-retry calls the instance again with this config) finds it already serialised.
  const { body, sent, contentType } = await serialiseAxiosBody(
    config,
    isGuard(config.transformRequest),
  );
  const method = (config.method ?? 'get').toUpperCase();
  const url = fullUrl(instance, config);
  const signed = checkedNonce(
    await signer.sign({ method, url, body, ...(nonce && { nonce }) }),
    nonce,
  );
  setSchemeHeaders(config, signed);
  if (contentType) config.headers.set('Content-Type', contentType);
  config.url = signed.url;
  config.baseURL = undefined;
  config.params = undefined;
  config.data = sent;
  config.transformRequest = [guard(signed, sent)];
  config.fetchOptions = { ...config.fetchOptions, redirect: inBrowser() ? 'error' : 'manual' };
  if (redirect === 'manual') {
    config.maxRedirects = 0;
  } else {
    // On a retry the hook is ours from the first attempt: wrap the caller's own, not ours again.
    const previous = config.beforeRedirect as
      (RedirectHook & { [THEIRS]?: RedirectHook }) | undefined;
    const theirs = previous && THEIRS in previous ? previous[THEIRS] : previous;
    const hook: RedirectHook & { [THEIRS]?: RedirectHook } = redirectHook(
      signer,
      signed,
      nonce,
      theirs,
    );
    hook[THEIRS] = theirs;
    config.beforeRedirect = hook;
  }
  return config;
}

/**
 * Signs every request of an axios instance (contract §3b): the body is serialised once (by the
 * request's own `transformRequest`, so objects go out as JSON with `content-type:
 * application/json`), those exact bytes are signed and sent, and `params` are folded into the
 * signed URL as axios would send them. Retries that call the instance again are re-signed with the
 * current time (and a fresh nonce). Returns a function that removes the interceptors.
 *
 * Order matters: axios runs the request interceptor added last first, so add your own request
 * interceptors after calling `signAxios`; a request changed after signing is refused. In browsers
 * the XHR adapter follows redirects out of sight: use `adapter: 'fetch'` there.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { signAxios } from 'qredo-sign/axios';
 * const api = axios.create({ baseURL: 'https://play-api.qredo.network/api/v1/p' });
 * signAxios(api, createPartnerSigner({ apiKey, privateKey }));
 * await api.post('/company', { name: 'ACME' });
 * ```
 */
export function signAxios(
  instance: AxiosInstance,
  signer: AdapterSigner,
  options: SignAxiosOptions = {},
): () => void {
  if (typeof instance?.interceptors?.request?.use !== 'function') {
    throw new SigningError(
      'INVALID_ARGUMENT',
      'instance must be an axios instance (axios.create())',
    );
  }
  const s = checkSigner(signer);
  const nonce = checkNonce(options?.nonce);
  const redirect = options?.redirect ?? 'manual';
  if (redirect !== 'manual' && redirect !== 'follow') {
    throw new SigningError('INVALID_OPTION', "redirect must be 'manual' or 'follow'");
  }
  const request = instance.interceptors.request.use((config) =>
    signConfig(instance, s, config, nonce, redirect),
  );
  // A refused redirect reaches the caller as the SigningError, not wrapped twice by the client.
  const response = instance.interceptors.response.use(undefined, (error: unknown) =>
    Promise.reject(signingErrorIn(error) ?? error),
  );
  return () => {
    instance.interceptors.request.eject(request);
    instance.interceptors.response.eject(response);
  };
}
