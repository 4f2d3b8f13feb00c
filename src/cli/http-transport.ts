/**
 * How `qredo-sign send` puts a signed request on the wire: node:http / node:https with the exact
 * method, target and body bytes that were signed, an overall timeout, and the proxy the
 * environment names (`HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, as curl reads them). Node 20's
 * global `fetch` ignores these variables and its bundled undici's proxy agents are not reachable
 * without a dependency, so the proxying is done here:
 * - an `http:` target through an `http:` proxy: the request in absolute form (RFC 9112 §3.2.2);
 * - an `https:` target: a `CONNECT host:port` tunnel (RFC 9110 §9.3.6), then TLS to the target
 *   through it, so the proxy never sees the signature or the body.
 * A proxy URL with `https:` (TLS to the proxy itself) is refused with a message, not ignored.
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { UsageError } from './args.js';

/**
 * A signed request, ready for the wire.
 *
 * @example
 * ```ts
 * const request: WireRequest = { method: signed.method, url: signed.url, headers: signed.headers };
 * ```
 */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/**
 * A whole response.
 *
 * @example
 * ```ts
 * const { status, body } = await sendOnWire(request, { env: process.env, timeoutMs: 30_000 });
 * ```
 */
export interface WireResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  /** Raw header pairs in arrival order. */
  headers: [string, string][];
  body: Uint8Array;
}

/**
 * See the module comment.
 *
 * @example
 * ```ts
 * const options: TransportOptions = { env: process.env, timeoutMs: 30_000 };
 * ```
 */
export interface TransportOptions {
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
}

/**
 * A request that did not get a response (timeout, refused connection, proxy failure).
 *
 * @example
 * ```ts
 * if (error instanceof TransportError) io.err(error.message); // e.g. 'no response within 30 s'
 * ```
 */
export class TransportError extends Error {
  override get name(): string {
    return 'TransportError';
  }
}

const envOf = (env: TransportOptions['env'], name: string) =>
  env[name] ?? env[name.toLowerCase()] ?? env[name.toUpperCase()];

/**
 * Whether `NO_PROXY` (curl's rules: `*`, host names matching as suffixes, optional port) names the target.
 *
 * @example
 * ```ts
 * bypassesProxy(new URL('https://api.example.com/'), '.example.com') // true
 * ```
 */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry);
    const name = (m?.[1] ?? entry).replace(/^\*?\./, '');
    if (m?.[2] !== undefined && m[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * The proxy the environment names for `target`, or undefined for a direct connection.
 *
 * @example
 * ```ts
 * proxyFor(new URL('https://api.qredo.network/'), { HTTPS_PROXY: 'http://proxy:3128' })?.host // 'proxy:3128'
 * ```
 */
export function proxyFor(target: URL, env: TransportOptions['env']): URL | undefined {
  const value = target.protocol === 'https:' ? envOf(env, 'HTTPS_PROXY') : envOf(env, 'HTTP_PROXY');
  if (!value || bypassesProxy(target, envOf(env, 'NO_PROXY'))) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new UsageError('send: the proxy in HTTPS_PROXY / HTTP_PROXY is not a URL');
  }
  if (proxy.protocol !== 'http:') {
    throw new UsageError('send: only http:// proxies are supported (TLS to the proxy is not)');
  }
  return proxy;
}

function proxyAuthorization(proxy: URL): OutgoingHttpHeaders {
  if (!proxy.username) return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { 'proxy-authorization': `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

function collect(res: IncomingMessage): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      }
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        httpVersion: res.httpVersion,
        headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      });
    });
  });
}

/** Opens a CONNECT tunnel to `target` through `proxy`; resolves to the raw socket. */
function tunnel(proxy: URL, target: URL, signal: AbortSignal): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || 443}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      signal,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new TransportError(`the proxy refused the tunnel (${res.statusCode})`));
      }
    });
    req.on('error', (e) => reject(new TransportError(`cannot reach the proxy: ${e.message}`)));
    req.end();
  });
}

/**
 * Sends one request and reads the whole response. Rejects with a `TransportError` when no
 * response arrives within `timeoutMs` (the whole exchange, proxy included).
 *
 * @example
 * ```ts
 * const response = await sendOnWire({ method: 'GET', url, headers }, { env: process.env, timeoutMs: 30_000 });
 * ```
 */
export async function sendOnWire(
  request: WireRequest,
  options: TransportOptions,
): Promise<WireResponse> {
  const target = new URL(request.url);
  const proxy = proxyFor(target, options.env);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const headers: OutgoingHttpHeaders = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(request.body.length);
  // The signed URL (WHATWG form) is the request target: path and query exactly as signed.
  const path = target.pathname + target.search;
  let tunnelled: Socket | undefined;
  try {
    // The tunnel is opened first, so that the TLS socket can be handed over synchronously.
    const tunnelled =
      target.protocol === 'https:' && proxy
        ? await tunnel(proxy, target, controller.signal)
        : undefined;
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      // One request per run: no keep-alive agent, so the process can exit as soon as it is done.
      const common = { method: request.method, signal: controller.signal, agent: false as const };
      let req;
      if (target.protocol === 'http:' && proxy) {
        req = httpRequest(
          {
            ...common,
            host: proxy.hostname.replace(/^\[|\]$/g, ''),
            port: proxy.port || 80,
            path: target.href,
            headers: { host: target.host, ...headers, ...proxyAuthorization(proxy) },
          },
          resolve,
        );
      } else if (tunnelled) {
        req = httpsRequest(
          {
            ...common,
            host: target.hostname,
            port: target.port || 443,
            path,
            headers: { host: target.host, ...headers },
            createConnection: () => tlsConnect({ socket: tunnelled, servername: target.hostname }),
          },
          resolve,
        );
      } else {
        const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
        req = send(target, { ...common, headers }, resolve);
      }
      req.on('error', reject);
      req.end(request.body === undefined ? undefined : Buffer.from(request.body));
    });
    const res = await response;
    try {
      return await collect(res);
    } finally {
      // The whole body is read: the connection (and a tunnel under it) has nothing more to carry.
      res.socket?.destroy();
      tunnelled?.destroy();
    }
  } catch (error) {
    if (controller.signal.aborted) {
      throw new TransportError(`no response within ${options.timeoutMs / 1000} s`);
    }
    if (error instanceof TransportError || error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    throw new TransportError(`the request failed: ${code ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
    tunnelled?.destroy();
  }
}

/**
 * A `fetch` over {@link sendOnWire}, for the v2 token session: it hands over method, URL, headers
 * and body (a string or bytes) and gets a `Response` back.
 *
 * @example
 * ```ts
 * const session = createQredoTokenSession({ ...options, fetch: wireFetch({ env: process.env, timeoutMs: 30_000 }) });
 * ```
 */
export function wireFetch(options: TransportOptions) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : String(input);
    const method = init?.method ?? request?.method ?? 'GET';
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? request?.headers).forEach(
      (value, name) => (headers[name] = value),
    );
    let body: Uint8Array | undefined;
    const given =
      init?.body ?? (request?.body ? new Uint8Array(await request.arrayBuffer()) : undefined);
    if (typeof given === 'string') body = new TextEncoder().encode(given);
    else if (given instanceof Uint8Array) body = given;
    else if (given instanceof ArrayBuffer) body = new Uint8Array(given);
    else if (given !== undefined && given !== null) {
      body = new Uint8Array(await new Response(given).arrayBuffer());
    }
    const wire = await sendOnWire({ method, url, headers, body }, options);
    const nullBody = wire.status === 204 || wire.status === 304 || method === 'HEAD';
    return new Response(nullBody ? null : (wire.body as Uint8Array<ArrayBuffer>), {
      status: wire.status,
      statusText: wire.statusText,
      headers: wire.headers,
    });
  };
}
