/**
 * The mock's canned answers: a map of routes and/or a directory of JSON files, looked up by the
 * request's method and path (the query is ignored). Without a match the mock answers 200 with a
 * small JSON echo of what it authenticated, so an SDK test suite works with no configuration.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * What a route handler sees: an authenticated request.
 *
 * @example
 * ```ts
 * const handler = (req: MockRouteRequest) => ({ body: { path: req.path, apiKey: req.apiKey } });
 * ```
 */
export interface MockRouteRequest {
  /** The request method, upper-case. */
  method: string;
  /** The path as received (percent-encoding kept), without the query. */
  path: string;
  /** The query string as received, without `?` ('' when none). */
  query: string;
  /** `qredo-v1`, `qredo-v2` (signed or with a token), or `partner`. */
  scheme: string;
  /** The API key the request was authenticated as. */
  apiKey: string;
  /** The request headers as node:http gives them (names lower-case). */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes (empty when none); parse JSON yourself when the route expects it. */
  body: Uint8Array;
}

/**
 * A full answer: status (default 200), extra headers, and a JSON body (or bytes, or a string).
 *
 * @example
 * ```ts
 * const answer: MockRouteResponse = { status: 201, headers: { 'x-request-id': 'r1' }, body: { id: 'c1' } };
 * ```
 */
export interface MockRouteResponse {
  /** HTTP status; default 200. */
  status?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** A JSON value (sent as `application/json`; absent: `{}`), a string, or bytes. */
  body?: unknown;
}

/**
 * A handler: returns the full answer (`{ body }` alone is a 200).
 *
 * @example
 * ```ts
 * const handler: MockRouteHandler = (req) => ({ body: { query: req.query } });
 * ```
 */
export type MockRouteHandler = (
  request: MockRouteRequest,
) => MockRouteResponse | Promise<MockRouteResponse>;

/**
 * Routes: keys `"METHOD /path"` or `"/path"` (any method); values a JSON body answered with 200,
 * a {@link MockRouteHandler}, or a full answer made with {@link mockResponse}.
 *
 * @example
 * ```ts
 * const routes: MockRoutes = {
 *   'GET /qapi/v1/balance': { total: 0 },
 *   'POST /api/v1/p/company': (req) => ({ status: 201, body: { company_id: 'c1' } }),
 * };
 * ```
 */
export type MockRoutes = Record<string, unknown>;

const RESPONSE = Symbol('mock response');

/**
 * Marks an object as a full response (status, headers, body) rather than a JSON body.
 *
 * @example
 * ```ts
 * const routes = { 'GET /missing': mockResponse({ status: 404, body: { code: 404, msg: 'Not Found' } }) };
 * ```
 */
export function mockResponse(response: MockRouteResponse): MockRouteResponse {
  return Object.assign({ [RESPONSE]: true }, response);
}

function isResponse(value: unknown): value is MockRouteResponse {
  return typeof value === 'object' && value !== null && RESPONSE in value;
}

/**
 * A path that may name a file under the routes directory: no dot segments in any encoding, no
 * backslash, no NUL, no encoded slash (so a request cannot read outside the directory).
 */
function safeSegments(path: string): string[] | undefined {
  if (/[\\\0]|%2f|%5c|%00/i.test(path)) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  for (const s of segments) if (/^(\.|%2e){1,2}$/i.test(s)) return undefined;
  return segments;
}

function readJsonFile(file: string, root: string): unknown {
  try {
    if (!statSync(file).isFile()) return undefined;
    // A symlink inside the directory must not lead outside it.
    const real = realpathSync(file);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    return JSON.parse(readFileSync(real, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    if (error instanceof SyntaxError) {
      return mockResponse({ status: 500, body: { code: 500, msg: `invalid JSON in ${file}` } });
    }
    return undefined;
  }
}

/**
 * The answer configured for `method path`: from `routes` first, then from `dir`
 * (`DIR/METHOD/path.json`, then `DIR/path.json`; `index.json` for a path ending in `/`).
 * Files are read at each request, so a test may change them while the mock runs.
 *
 * @example
 * ```ts
 * const answer = await findRoute(request, { 'GET /qapi/v1/balance': { total: 0 } }, undefined);
 * ```
 */
export async function findRoute(
  request: MockRouteRequest,
  routes: MockRoutes | undefined,
  dir: string | undefined,
): Promise<MockRouteResponse | undefined> {
  let value: unknown;
  const keys = [`${request.method} ${request.path}`, request.path];
  const key = routes ? keys.find((k) => Object.hasOwn(routes, k)) : undefined;
  if (key !== undefined) value = routes![key];
  else if (dir !== undefined) {
    const segments = safeSegments(request.path);
    if (segments !== undefined) {
      const root = realpathSync(resolve(dir));
      const name = request.path.endsWith('/') || segments.length === 0 ? ['index'] : [];
      const rel = [...segments, ...name];
      rel[rel.length - 1] += '.json';
      value = readJsonFile(join(root, request.method, ...rel), root);
      if (value === undefined) value = readJsonFile(join(root, ...rel), root);
    }
  }
  if (value === undefined) return undefined;
  if (typeof value === 'function') {
    const answer = await (value as MockRouteHandler)(request);
    return typeof answer === 'object' && answer !== null ? answer : { status: 200 };
  }
  return isResponse(value) ? value : { status: 200, body: value };
}
