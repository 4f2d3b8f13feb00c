/**
 * Redirects, and the credentials they would carry (contract §3a.1).
 *
 * A runtime `fetch` that follows a redirect keeps the request's custom headers, to any origin: the
 * Fetch standard strips only `Authorization` (and cookies) on a cross-origin hop, never
 * `qredo-api-*`, `x-sign`, `x-api-key`, `x-nonce` or `x-token`. So the runtime is never asked to
 * follow: every request goes out with `redirect: 'manual'` (or `'error'`), and a caller who wants
 * redirects followed (`redirect: 'follow'`) gets them followed here, same origin only, each hop
 * signed again for its own URL.
 *
 * Runtimes that hide redirects from scripts (browsers, service workers) answer a manual fetch with
 * an opaque response (`type: 'opaqueredirect'`, status 0, no `Location`), not the 3xx. That is how
 * such a runtime is detected: after the fact, from the response, never by sniffing globals. Nothing
 * reached the target (manual mode does not follow), but the target is unknown, so it cannot be
 * followed or checked; the library's default then behaves as `redirect: 'error'` (the call rejects),
 * and an explicit `redirect: 'manual'` returns the opaque response as fetch would.
 */
import { SigningError } from '../lib/errors.js';

/** The caller's choice: `'default'` when none was made. */
export type RedirectChoice = 'default' | 'manual' | 'follow' | 'error';

/** Default bound on followed hops; the Fetch standard allows 20, an API needs far fewer. */
export const DEFAULT_MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Fetch standard, "request-body-header name": dropped with the body when a hop turns into a GET.
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'];

/**
 * Reads the caller's `redirect`. A Request's own `'follow'` is its default and cannot be told from
 * a choice, so only `init.redirect: 'follow'` (or a Request with `'manual'`/`'error'`) counts.
 */
export function redirectChoice(
  initRedirect: unknown,
  requestRedirect: RequestRedirect | undefined,
): RedirectChoice {
  const value = initRedirect ?? (requestRedirect === 'follow' ? undefined : requestRedirect);
  if (value === undefined) return 'default';
  if (value === 'manual' || value === 'follow' || value === 'error') return value;
  throw new SigningError('INVALID_OPTION', "redirect must be 'manual', 'follow' or 'error'");
}

/** What the runtime is told: never `'follow'`, so it never carries credentials anywhere. */
export function wireRedirect(choice: RedirectChoice): RequestRedirect {
  return choice === 'error' ? 'error' : 'manual';
}

/** The hop bound option, checked. */
export function maxRedirectsOption(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_REDIRECTS;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 20) {
    return value;
  }
  throw new SigningError('INVALID_OPTION', 'maxRedirects must be an integer from 0 to 20');
}

/** The origin credentials belong to; `'null'` (opaque) origins own nothing. */
export function originOf(url: string): string {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new SigningError('INVALID_URL', 'the URL is not absolute');
  }
  if (origin === 'null') {
    throw new SigningError('INVALID_URL', 'credentials are only sent to http(s) origins');
  }
  return origin;
}

/**
 * True when `response` is known to come from `origin` itself: not from a hop some custom `fetch`
 * followed on its own. Clock-skew correction learns only from such responses (contract §3a.1).
 */
export function fromOrigin(response: Response, origin: string): boolean {
  if (response.redirected) return false;
  if (response.url === '') return true;
  try {
    return new URL(response.url).origin === origin;
  } catch {
    return false;
  }
}

/** Frees a response that will not be returned. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * The outcome of a response for the caller's choice, before any hop is followed: the response to
 * return, or a rejection for a redirect the runtime hid from us.
 */
export async function checkHidden(response: Response, choice: RedirectChoice): Promise<void> {
  if (response.type !== 'opaqueredirect' || choice === 'manual' || choice === 'error') return;
  await discard(response);
  throw new SigningError(
    'CROSS_ORIGIN_REDIRECT',
    'the server redirected and this runtime hides the target (an opaque redirect), so it could ' +
      "not be checked or followed; nothing was sent there. Call the final URL directly, or pass redirect: 'manual' to receive the opaque response",
  );
}

/** Where one followed hop goes, and how (Fetch standard, HTTP-redirect fetch, steps 11–12). */
export interface Hop {
  url: string;
  method: string;
  /** False when the hop becomes a GET without a body (303; 301/302 after POST). */
  keepBody: boolean;
}

/**
 * The next hop for a response, or undefined when it is not a redirect to follow (not a redirect
 * status, or no `Location`: returned to the caller as fetch would). A target on another origin is
 * refused with `CROSS_ORIGIN_REDIRECT` before anything is sent there.
 */
export function nextHop(
  response: Response,
  currentUrl: string,
  origin: string,
  method: string,
): Hop | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get('location');
  if (location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, currentUrl);
  } catch {
    throw new SigningError(
      'INVALID_URL',
      'the redirect Location is not a URL; it was not followed',
    );
  }
  if (target.origin !== origin) {
    throw new SigningError(
      'CROSS_ORIGIN_REDIRECT',
      `the server redirected to another origin (${target.origin}); the request was not re-sent ` +
        'there, since it would carry your credentials. Call that origin with its own signer',
    );
  }
  const status = response.status;
  const toGet =
    (status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST');
  return { url: target.href, method: toGet ? 'GET' : method, keepBody: !toGet };
}

/** Drops the body's headers when a hop turns the request into a GET without a body. */
export function dropBodyHeaders(headers: Headers): void {
  for (const name of BODY_HEADERS) headers.delete(name);
}

/** Rejection once the hop bound is spent. */
export function tooManyRedirects(max: number): SigningError {
  return new SigningError(
    'INVALID_REQUEST',
    `more than ${max} redirects (maxRedirects); the last one was not followed`,
  );
}
