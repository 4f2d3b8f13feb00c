/**
 * `qredo-sign send api|partner|v2` (contract §6.1): signs with exactly the inputs of `api` / `partner`
 * (sign.ts reads them), sends the signed bytes (http-transport.ts), prints the response body, and
 * exits 0 on 2xx and 1 otherwise. Nothing printed carries the secret, the signature or a token:
 * only the response is printed, and any secret seen while parsing is redacted from it too.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createQredoTokenSession, isSigningError, type BackendChoice } from '../index.node.js';
import {
  environmentUrl,
  resolveEnvironment,
  type QredoEnvironment,
} from '../client/environments.js';
import {
  optionalString,
  parse,
  readBody,
  readFileArgument,
  required,
  secretInput,
  UsageError,
  type CliIo,
  type OptionSpec,
  type Values,
} from './args.js';
import { bodyBytes, guessContentType, utf8Text } from './formats.js';
import { INPUT_OPTIONS, signFromOptions, type Scheme } from './sign.js';
import { sendOnWire, TransportError, wireFetch, type WireResponse } from './http-transport.js';

/**
 * Options `send` adds to those of `api` / `partner`.
 *
 * @example
 * ```ts
 * parse(args, { ...INPUT_OPTIONS.api, ...SEND_OPTIONS }, 'send api');
 * ```
 */
export const SEND_OPTIONS = {
  env: { type: 'string' },
  include: { type: 'boolean', short: 'i' },
  request: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  'fix-skew': { type: 'boolean' },
  'content-type': { type: 'string' },
  pretty: { type: 'boolean' },
  raw: { type: 'boolean' },
} as const satisfies OptionSpec;

const V2_OPTIONS = {
  workspace: { type: 'string' },
  'base-url': { type: 'string' },
} as const satisfies OptionSpec;

type SendScheme = Scheme | 'v2';

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const SKEW_TOLERANCE_MS = 5_000;

function seconds(values: Values, flag: string, fallback: number, max: number): number {
  const text = optionalString(values, flag);
  if (text === undefined) return fallback;
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || Number(text) > max || Number(text) <= 0) {
    throw new UsageError(`send: --${flag} must be a number above 0 and at most ${max}`);
  }
  return Number(text);
}

/**
 * `--request DIR`: a request kept as files, the way Qredo's partner-api-sign tool keeps them
 * (github.com/fusionlaboratories/partner-api-sign, README "Sending requests"): `uri` holds
 * `METHOD URL` on one line (or just the URL), `body` the body; a `method` file and `url` (for
 * `uri`) are accepted too. Each fills only what no flag gave. The body is sent byte for byte (that
 * tool compacts JSON before signing; here what is in the file is what is signed and sent).
 */
function readRequestDir(values: Values, dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UsageError(`send: cannot read --request directory ${JSON.stringify(dir)}`);
  }
  const text = (name: string) =>
    new TextDecoder().decode(readFileArgument(join(dir, name), '--request file')).trim();
  let method = names.includes('method') ? text('method') : undefined;
  let url: string | undefined;
  const target = names.includes('uri') ? 'uri' : names.includes('url') ? 'url' : undefined;
  if (target) {
    const line = text(target);
    const split = /^([A-Za-z]+)[ \t]+(\S+)$/.exec(line);
    if (split) [method, url] = [method ?? split[1], split[2]];
    else url = line;
  }
  if (method !== undefined && values.method === undefined) values.method = method;
  if (url !== undefined && values.url === undefined) values.url = url;
  if (names.includes('body') && values.body === undefined && values['body-file'] === undefined) {
    values['body-file'] = join(dir, 'body');
  }
}

/** User environments: `QREDO_SIGN_ENVIRONMENTS` holds JSON `{ "name": "https://…" | {baseUrl, scheme} }`. */
function userEnvironments(io: CliIo) {
  const text = io.env.QREDO_SIGN_ENVIRONMENTS;
  if (!text) return {};
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new UsageError('send: QREDO_SIGN_ENVIRONMENTS must be a JSON object of name → base URL');
}

function environmentOf(
  values: Values,
  scheme: SendScheme,
  io: CliIo,
): QredoEnvironment | undefined {
  const name = optionalString(values, 'env');
  if (name === undefined) return undefined;
  const environment = resolveEnvironment(name, userEnvironments(io));
  if (environment.scheme !== undefined && environment.scheme !== scheme) {
    throw new UsageError(
      `send ${scheme}: environment ${name} takes ${environment.scheme} credentials, not ${scheme}`,
    );
  }
  return environment;
}

interface Printed {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: [string, string][];
  body: Uint8Array;
}

function isJson(headers: [string, string][]): boolean {
  const type = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(type);
}

/** The response as printed: status line and headers with --include, then the body. */
function printResponse(response: Printed, values: Values, io: CliIo): void {
  let text = '';
  if (values.include) {
    text += `HTTP/${response.httpVersion} ${response.status} ${response.statusText}\n`;
    for (const [name, value] of response.headers) text += `${name}: ${value}\n`;
    text += '\n';
  }
  const pretty = values.raw ? false : values.pretty ? true : process.stdout.isTTY === true;
  let body = utf8Text(response.body) ?? new TextDecoder().decode(response.body);
  if (pretty && isJson(response.headers)) {
    try {
      body = `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
    } catch {
      // not JSON after all: printed as received
    }
  }
  text += body;
  for (const secret of io.secrets) text = text.split(secret).join('<redacted>');
  io.out(text);
}

function retryDelayMs(attempt: number, retryAfter: string | undefined): number {
  if (retryAfter !== undefined && /^[0-9]{1,6}$/.test(retryAfter.trim())) {
    return Math.min(Number(retryAfter) * 1000, 30_000);
  }
  // Full jitter (issue 20): uniform in [0, min(cap, base · 2^attempt)).
  return Math.random() * Math.min(5_000, 250 * 2 ** attempt);
}

const header = (r: WireResponse, name: string) =>
  r.headers.find(([n]) => n.toLowerCase() === name)?.[1];

/** api / partner: sign (again for each attempt), send, print. */
async function sendSigned(
  scheme: Scheme,
  values: Values,
  command: string,
  io: CliIo,
): Promise<number> {
  const timeoutMs = seconds(values, 'timeout', 30, 3600) * 1000;
  const retriesText = optionalString(values, 'retries') ?? '0';
  if (!/^(10|[0-9])$/.test(retriesText)) {
    throw new UsageError(`${command}: --retries must be a whole number from 0 to 10`);
  }
  const retries = Number(retriesText);
  const fixedStamp = values.timestamp !== undefined || values.nonce !== undefined;
  if (retries > 0 && values.nonce !== undefined) {
    throw new UsageError(`${command}: --retries re-signs each attempt; drop --nonce (a replay)`);
  }
  if (retries > 0 && values['body-file'] === '-') {
    throw new UsageError(`${command}: --retries cannot re-read a body from standard input`);
  }
  let skewFixed = false;
  for (let attempt = 0; ; attempt++) {
    const { signed } = await signFromOptions(scheme, values, command, io);
    const body = bodyBytes(signed.body);
    const headers: Record<string, string> = { accept: 'application/json', ...signed.headers };
    if (body) {
      const type = optionalString(values, 'content-type') ?? guessContentType(body);
      if (type !== '') headers['content-type'] = type;
    }
    let response: WireResponse;
    try {
      response = await sendOnWire(
        { method: signed.method, url: signed.url, headers, body },
        { env: io.env, timeoutMs },
      );
    } catch (error) {
      if (!(error instanceof TransportError) || attempt >= retries) throw error;
      await new Promise((r) => setTimeout(r, retryDelayMs(attempt, undefined)));
      continue;
    }
    const date = header(response, 'date');
    const offset = date === undefined ? NaN : Date.parse(date) - Date.now();
    if (
      response.status === 401 &&
      values['fix-skew'] &&
      !skewFixed &&
      !fixedStamp &&
      Math.abs(offset) > SKEW_TOLERANCE_MS
    ) {
      // The server's clock (its Date header, whole seconds) differs: sign once more by it.
      skewFixed = true;
      io.err(
        `qredo-sign: ${command}: the clock is ${Math.round(offset / 1000)} s off the server's; signed again by the server's time\n`,
      );
      values.timestamp = String(Math.floor((Date.now() + offset) / 1000));
      attempt--;
      continue;
    }
    if (RETRY_STATUSES.has(response.status) && attempt < retries) {
      await new Promise((r) =>
        setTimeout(r, retryDelayMs(attempt, header(response, 'retry-after'))),
      );
      continue;
    }
    printResponse(response, values, io);
    return response.status >= 200 && response.status < 300 ? 0 : 1;
  }
}

/** v2: a token session (contract §1.3) over the same transport; the token is never printed. */
async function sendV2(values: Values, environment: QredoEnvironment | undefined, io: CliIo) {
  const command = 'send v2';
  const apiKey = required(values, 'api-key', command, io, 'QREDO_API_KEY');
  const secret = await secretInput(values, command, io);
  const workspaceId = required(values, 'workspace', command);
  const baseUrl = optionalString(values, 'base-url') ?? environment?.baseUrl;
  if (baseUrl === undefined) {
    throw new UsageError(
      `${command}: give --base-url or --env (Qredo API v2 hosts are your configuration)`,
    );
  }
  const url = environmentUrl(
    { baseUrl: baseUrl.replace(/\/+$/, ''), source: '' },
    required(values, 'url', command),
  );
  const method = (optionalString(values, 'method') ?? 'GET').toUpperCase();
  const body = await readBody(values, command, io);
  const transport = { env: io.env, timeoutMs: seconds(values, 'timeout', 30, 3600) * 1000 };
  const session = createQredoTokenSession({
    apiKey,
    secret,
    baseUrl,
    workspaceId,
    fetch: wireFetch(transport),
    backend: optionalString(values, 'backend') as BackendChoice | undefined,
  });
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    const bytes = bodyBytes(body);
    if (bytes)
      headers['content-type'] = optionalString(values, 'content-type') ?? guessContentType(bytes);
    const res = await session.fetch(url, { method, headers, body: bytes as BodyInit | undefined });
    const responseHeaders: [string, string][] = [];
    res.headers.forEach((value, name) => responseHeaders.push([name, value]));
    printResponse(
      {
        status: res.status,
        statusText: res.statusText,
        httpVersion: '1.1',
        headers: responseHeaders,
        body: new Uint8Array(await res.arrayBuffer()),
      },
      values,
      io,
    );
    return res.ok ? 0 : 1;
  } finally {
    session.destroy();
  }
}

/**
 * Runs `send`; resolves to the exit status (0 on 2xx, 1 on any other status or no response).
 *
 * @example
 * ```ts
 * process.exitCode = await sendCommand(['api', '--env', 'qredo-api', '--method', 'GET', '--url', '/balance'], processIo());
 * ```
 */
export async function sendCommand(
  args: readonly string[],
  io: CliIo,
  showHelp: () => number,
): Promise<number> {
  const word = args[0];
  if (word === undefined || word === '--help' || word === '-h') return showHelp();
  if (word !== 'api' && word !== 'partner' && word !== 'v2') {
    throw new UsageError('send: say which scheme: qredo-sign send api|partner|v2 …');
  }
  const command = `send ${word}`;
  const inputs = word === 'v2' ? { ...INPUT_OPTIONS.api, ...V2_OPTIONS } : INPUT_OPTIONS[word];
  const { values } = parse(args.slice(1), { ...inputs, ...SEND_OPTIONS }, command);
  if (values.help) return showHelp();
  if (word === 'v2' && values.profile !== undefined) {
    throw new UsageError(`${command}: the v2 token request always uses the v2 header names`);
  }
  const dir = optionalString(values, 'request');
  if (dir !== undefined) readRequestDir(values, dir);
  const environment = environmentOf(values, word, io);
  try {
    if (word === 'v2') return await sendV2(values, environment, io);
    if (environment) values.url = environmentUrl(environment, required(values, 'url', command));
    return await sendSigned(word, values, command, io);
  } catch (error) {
    if (error instanceof TransportError) {
      io.err(`qredo-sign: ${command}: ${error.message}\n`);
      return 1;
    }
    if (isSigningError(error) && error.code === 'TOKEN_REQUEST_FAILED') {
      io.err(`qredo-sign: ${command}: TOKEN_REQUEST_FAILED: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
