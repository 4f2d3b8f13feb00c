/**
 * The request target a verifier authenticates (contract §3.1 "Targets as received"): exactly the string
 * that arrived, never a normalised form. Normalising (`new URL(raw).href`) resolves `/BETA/%2e%2e/`
 * to `/`, so a signature for `/v1/company/ACME/wallets` would also verify for
 * `/v1/company/BETA/%2e%2e/ACME/wallets`, which a router that does not normalise sends to BETA.
 * Refusing dot segments (in any encoding) and backslashes (which WHATWG URL parsing treats as `/`)
 * leaves no spelling whose meaning differs between this verifier and the application behind it.
 *
 * Two inputs: `url`, an absolute URL string as received; or `path`, the raw request target (Node's
 * `req.url`), appended to an `origin` the deployment configures, so a `Host` header the client
 * chose never decides which host a signature stands for.
 */
import { SigningError } from '../lib/errors.js';

const INVALID = (why: string): never => {
  throw new SigningError('INVALID_URL', why);
};

// Bytes a request target can carry as received: visible ASCII (RFC 9112 §3.2; anything else would
// have been percent-encoded by a conforming client).
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const AUTHORITY = /^(?:http|ws)s?:\/\/[^/?#\\]+(?=\/)/i;
const SUSPECT = /[.%\\]/;

/**
 * `scheme://authority` prefixes already parsed and found acceptable. Whether the WHATWG parser
 * accepts an http(s)/ws(s) URL, and whether it has credentials, depends only on its scheme and
 * authority (a path, query or fragment is percent-encoded, never refused), and a server receives
 * requests on a few origins: parsing each once takes `new URL` off the per-request path.
 */
const goodAuthorities = new Set<string>();
const AUTHORITY_CACHE_LIMIT = 64;

function isGoodUrl(text: string): boolean {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    return false;
  }
  return /^(http|ws)s?:$/.test(parsed.protocol) && !parsed.username && !parsed.password;
}

/**
 * Refuses a path (up to `?`) with a dot segment or a backslash. `%5C` is left alone: WHATWG URL
 * signers send it as data, and refusing it would refuse honest requests.
 */
function checkPath(path: string): void {
  const end = path.indexOf('?');
  const pathOnly = end === -1 ? path : path.slice(0, end);
  // Without '.', '%' or a backslash no segment below can be refused: most API paths end here.
  if (!SUSPECT.test(pathOnly)) return;
  // In the query a backslash is data (WHATWG URL leaves it there); in the path it is a separator.
  if (pathOnly.includes('\\')) INVALID('the request path must not contain a backslash');
  // Split on encoded slashes too: a server that decodes %2F or %5C before resolving dot segments
  // would otherwise turn "..%2F" into a step up that this check never saw as a segment.
  for (const segment of pathOnly.split(/\/|%2f|%5c/i)) {
    if (DOT_SEGMENT.test(segment)) {
      INVALID('the request path must not contain "." or ".." segments, in any encoding');
    }
  }
}

let lastGoodOrigin: string | undefined;

/**
 * Checks a configured origin: `scheme://host[:port]` in the form `new URL().origin` gives.
 *
 * @example
 * ```ts
 * checkOrigin('https://api.example.com'); // ok; 'https://api.example.com/' throws INVALID_OPTION
 * ```
 */
export function checkOrigin(origin: unknown): string {
  // A deployment passes the same origin on every request: parse it once.
  if (origin === lastGoodOrigin) return origin as string;
  let parsed: URL | undefined;
  if (typeof origin === 'string') {
    try {
      parsed = new URL(origin);
    } catch {
      // refused below
    }
  }
  if (!parsed || !/^(http|ws)s?:$/.test(parsed.protocol) || parsed.origin !== origin) {
    throw new SigningError(
      'INVALID_OPTION',
      'origin must be an http(s)/ws(s) origin such as https://api.example.com (no path, no slash)',
    );
  }
  lastGoodOrigin = origin;
  return origin;
}

/**
 * The target string to authenticate, from `url` (absolute, as received) or `origin` + `path`.
 * A `URL` object is taken as its `href`: it was parsed already, so pass strings where possible.
 *
 * @example
 * ```ts
 * receivedTarget({ path: '/v1/a?b=1' }, 'https://api.example.com'); // 'https://api.example.com/v1/a?b=1'
 * receivedTarget({ path: '/v1/%2e%2e/a' }, 'https://api.example.com'); // throws INVALID_URL
 * ```
 */
export function receivedTarget(
  request: { url?: unknown; path?: unknown },
  origin: string | undefined,
): string {
  const { url, path } = request;
  if (path !== undefined) {
    if (url !== undefined) INVALID('give url or path, not both');
    if (origin === undefined)
      INVALID('path needs the origin option (e.g. https://api.example.com)');
    if (typeof path !== 'string' || !path.startsWith('/') || !VISIBLE_ASCII.test(path)) {
      INVALID('path must be the raw request target, starting with "/" (e.g. req.url)');
    }
    checkPath(path as string);
    return (origin as string) + (path as string);
  }
  const text = url instanceof URL ? url.href : url;
  if (typeof text !== 'string' || !VISIBLE_ASCII.test(text)) {
    return INVALID('url must be the absolute URL the request arrived at, as received');
  }
  const authority = AUTHORITY.exec(text);
  const known = authority !== null && goodAuthorities.has(authority[0]);
  if (!known && !isGoodUrl(text)) {
    INVALID('url must be an absolute http(s)/ws(s) URL without credentials');
  }
  if (text.includes('#')) INVALID('url must not contain a fragment (none is ever sent)');
  if (!authority) INVALID('url must be scheme://host[:port] followed by a path starting with "/"');
  const receivedOrigin = (authority as RegExpExecArray)[0];
  if (!known) {
    if (goodAuthorities.size >= AUTHORITY_CACHE_LIMIT) goodAuthorities.clear();
    goodAuthorities.add(receivedOrigin);
  }
  const authorityEnd = receivedOrigin.length;
  if (origin !== undefined && receivedOrigin !== origin) {
    INVALID('url is not on the configured origin');
  }
  checkPath(text.slice(authorityEnd));
  return text;
}
