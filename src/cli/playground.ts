/**
 * `qredo-sign playground` (contract §6.1): serves the built page (dist/playground/index.html, made by
 * scripts/build-playground.mjs) on 127.0.0.1. The server only hands out that one file; signing
 * happens in the browser. The page's CSP is sent as a header too (a header can also forbid
 * framing, which a meta tag cannot), with no caching and no referrer.
 */
import { untilStopped } from './until-stopped.js';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { optionalString, UsageError, type CliIo, type OptionSpec, type Values } from './args.js';
import { packageInfo } from './package-root.js';

/**
 * Options of `qredo-sign playground`.
 *
 * @example
 * ```ts
 * const { values } = parse(['--port', '8080'], PLAYGROUND_OPTIONS, 'playground');
 * ```
 */
export const PLAYGROUND_OPTIONS = {
  port: { type: 'string' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/**
 * A running playground server.
 *
 * @example
 * ```ts
 * const playground: Playground = await startPlayground({}); await playground.close();
 * ```
 */
export interface Playground {
  readonly url: string;
  close(): Promise<void>;
}

/** The page and its CSP (read from the page's own meta tag, so the two cannot disagree). */
function loadPage(dir: string | undefined): { html: Buffer; csp: string } {
  const root = dir ?? join(packageInfo()?.root ?? '.', 'dist', 'playground');
  let html: Buffer;
  try {
    html = readFileSync(join(root, 'index.html'));
  } catch {
    throw new UsageError(
      `playground: no page in ${JSON.stringify(root)}; build it with npm run build (or node scripts/build-playground.mjs)`,
    );
  }
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html.toString())?.[1];
  if (!csp) throw new UsageError('playground: the page has no Content-Security-Policy; rebuild it');
  return { html, csp };
}

/**
 * Serves the playground page on 127.0.0.1.
 *
 * @example
 * ```ts
 * const { url, close } = await startPlayground({ port: 0 });
 * ```
 */
export async function startPlayground(options: {
  port?: number;
  dir?: string;
}): Promise<Playground> {
  const { html, csp } = loadPage(options.dir);
  const server = createServer((req, res) => {
    const common = {
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
    };
    const path = (req.url ?? '/').split('?')[0];
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      (path === '/' || path === '/index.html')
    ) {
      res.writeHead(200, {
        ...common,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `${csp}; frame-ancestors 'none'`,
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    } else {
      // Browsers ask for /favicon.ico on their own: answered here, on the page's origin.
      res.writeHead(path === '/favicon.ico' ? 204 : 404, common).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs the playground until SIGINT or SIGTERM.
 *
 * @example
 * ```ts
 * process.exitCode = await playgroundCommand({ port: '8080' }, processIo());
 * ```
 */
export async function playgroundCommand(values: Values, io: CliIo): Promise<number> {
  const portText = optionalString(values, 'port') ?? '0';
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError('playground: --port must be a whole number from 0 to 65535');
  }
  const playground = await startPlayground({
    port: Number(portText),
    dir: optionalString(values, 'dir'),
  });
  io.out(
    `qredo-sign playground on ${playground.url} (signing happens in the page; Ctrl-C stops it)\n`,
  );
  await untilStopped();
  await playground.close();
  return 0;
}
