/**
 * `qredo-sign mock` (contract §6.1): runs {@link createMockServer} until SIGINT or SIGTERM, logging one
 * line per request on standard output, so that an SDK test suite in any language can start it as
 * a child process and read the URL from the first line.
 */
import { untilStopped } from './until-stopped.js';
import { readFileSync, statSync } from 'node:fs';
import { createMockServer, type MockServerOptions } from '../mock.js';
import {
  fromFlagOrEnv,
  optionalString,
  readFileArgument,
  readKeyFile,
  UsageError,
  type CliIo,
  type OptionSpec,
  type Values,
} from './args.js';

/**
 * Options of `qredo-sign mock`.
 *
 * @example
 * ```ts
 * const { values } = parse(['--port', '0', '--secret', s], MOCK_OPTIONS, 'mock');
 * ```
 */
export const MOCK_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'api-key': { type: 'string' },
  secret: { type: 'string' },
  'secret-file': { type: 'string' },
  'public-key': { type: 'string' },
  'partner-api-key': { type: 'string' },
  workspace: { type: 'string' },
  routes: { type: 'string' },
  'max-skew': { type: 'string' },
  'token-lifetime': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

function integer(values: Values, flag: string, fallback: number, max: number): number {
  const text = optionalString(values, flag);
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) > max) {
    throw new UsageError(`mock: --${flag} must be a whole number from 0 to ${max}`);
  }
  return Number(text);
}

/** The secret: --secret, --secret-file PATH|- (text, trimmed), or QREDO_API_SECRET. */
async function readSecret(values: Values, io: CliIo): Promise<string | undefined> {
  const file = optionalString(values, 'secret-file');
  if (file !== undefined && values.secret !== undefined) {
    throw new UsageError('mock: give --secret or --secret-file, not both');
  }
  const secret =
    file !== undefined
      ? new TextDecoder()
          .decode(file === '-' ? await io.readStdin() : readFileArgument(file, '--secret-file'))
          .trim()
      : fromFlagOrEnv(values, 'secret', io, 'QREDO_API_SECRET');
  if (secret !== undefined && secret.trim().length >= 4) io.secrets.add(secret.trim());
  return secret;
}

/**
 * Builds the server options from the command line (exported for tests).
 *
 * @example
 * ```ts
 * const options = await mockOptions({ secret: s, port: '0' }, io); // { qredo: { secret: s }, port: 0, … }
 * ```
 */
export async function mockOptions(values: Values, io: CliIo): Promise<MockServerOptions> {
  const apiKey = fromFlagOrEnv(values, 'api-key', io, 'QREDO_API_KEY');
  const secret = await readSecret(values, io);
  const publicKeyPath = optionalString(values, 'public-key');
  if (secret === undefined && publicKeyPath === undefined) {
    throw new UsageError(
      'mock: give --secret (or --secret-file, QREDO_API_SECRET) and/or --public-key',
    );
  }
  const options: MockServerOptions = {
    port: integer(values, 'port', 0, 65535),
    host: optionalString(values, 'host'),
    workspace: optionalString(values, 'workspace'),
    maxSkewSeconds: integer(values, 'max-skew', 30, 86_400),
    tokenLifetimeSeconds: integer(values, 'token-lifetime', 3600, 86_400 * 7),
  };
  if (secret !== undefined) options.qredo = { apiKey, secret };
  if (publicKeyPath !== undefined) {
    options.partner = {
      apiKey: optionalString(values, 'partner-api-key') ?? apiKey,
      publicKey: readKeyFile(publicKeyPath, '--public-key', io, false),
    };
  }
  const routes = optionalString(values, 'routes');
  if (routes !== undefined) {
    let isDir: boolean;
    try {
      isDir = statSync(routes).isDirectory();
    } catch {
      throw new UsageError(`mock: cannot read --routes ${JSON.stringify(routes)}`);
    }
    if (isDir) options.routesDir = routes;
    else {
      try {
        options.routes = JSON.parse(readFileSync(routes, 'utf8'));
      } catch {
        throw new UsageError(`mock: --routes ${JSON.stringify(routes)} is not a JSON object`);
      }
      if (typeof options.routes !== 'object' || options.routes === null) {
        throw new UsageError(`mock: --routes ${JSON.stringify(routes)} is not a JSON object`);
      }
    }
  }
  return options;
}

const keyOf = (k: { apiKey?: string } | readonly { apiKey?: string }[]) =>
  ('apiKey' in k ? k.apiKey : undefined) ?? 'any';

/**
 * Runs the mock until the process is asked to stop; resolves to exit status 0.
 *
 * @example
 * ```ts
 * await mockCommand(values, processIo()); // prints "qredo-sign mock listening on http://127.0.0.1:…"
 * ```
 */
export async function mockCommand(values: Values, io: CliIo): Promise<number> {
  const options = await mockOptions(values, io);
  options.log = (line) => io.out(`${line}\n`);
  const mock = await createMockServer(options);
  const accepts = [
    options.qredo ? `Qredo API v1/v2 (key ${keyOf(options.qredo)})` : undefined,
    options.partner ? `Partner API (key ${keyOf(options.partner)})` : undefined,
  ].filter(Boolean);
  io.out(`qredo-sign mock listening on ${mock.url}\n`);
  io.out(`accepting ${accepts.join(' and ')}; Ctrl-C stops it\n`);
  await untilStopped();
  await mock.close();
  return 0;
}
