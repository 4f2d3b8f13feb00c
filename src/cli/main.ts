/**
 * `qredo-sign` command dispatch (contract §6) and the one place errors become exit statuses:
 * 0 success, 1 verification failure or mismatch, 2 bad usage or bad input — always one line on
 * stderr naming the problem (with the `SigningError` code), never a secret.
 */
import { isSigningError } from '../index.node.js';
import {
  UsageError,
  parse,
  optionalString,
  readFileArgument,
  refuseTwoStdinReaders,
  type CliIo,
} from './args.js';
import { HELP } from './help.js';
import { describeDifference, explainText } from './explain.js';
import { checkFormat, formatSigned } from './formats.js';
import { keygen, KEYGEN_OPTIONS } from './keygen.js';
import { packageInfo } from './package-root.js';
import { INPUT_OPTIONS, signFromOptions, type Scheme } from './sign.js';
import { verifyCommand, VERIFY_OPTIONS } from './verify.js';
import { vectorsCommand, VECTORS_OPTIONS } from './vectors.js';
import { agentCommand } from './agent.js';
import { mockCommand, MOCK_OPTIONS } from './mock.js';
import { sendCommand } from './send.js';
import { playgroundCommand, PLAYGROUND_OPTIONS } from './playground.js';

const OUTPUT_OPTIONS = {
  format: { type: 'string' },
  'content-type': { type: 'string' },
} as const;

const EXPLAIN_OPTIONS = {
  'expect-signature': { type: 'string' },
  'compare-input': { type: 'string' },
} as const;

const COMMANDS = 'api, partner, verify, keygen, explain or vectors';

/** The standard streams and environment of this process. */
export function processIo(): CliIo {
  // A reader that closed the pipe early (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    env: process.env,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      // Standard input may carry a secret (--secret-file -): the chunks and the pooled concat
      // are zeroed once copied out, so the caller's wipe reaches the only copy left.
      const joined = Buffer.concat(chunks);
      const bytes = new Uint8Array(joined);
      joined.fill(0);
      for (const chunk of chunks) chunk.fill(0);
      return bytes;
    },
    secrets: new Set(),
  };
}

function schemeOf(value: string | undefined, command: string): Scheme {
  if (value === 'api' || value === 'partner') return value;
  throw new UsageError(`${command}: say which scheme: qredo-sign ${command} api|partner …`);
}

function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      return usage(io, 'main');
    case '--help':
    case '-h':
    case 'help':
      return help(io, rest[0] !== undefined && Object.hasOwn(HELP, rest[0]) ? rest[0] : 'main');
    case '--version':
    case '-v':
      io.out(`${packageInfo()?.version ?? 'unknown'}\n`);
      return 0;
    case 'api':
    case 'partner': {
      const { values } = parse(rest, { ...INPUT_OPTIONS[command], ...OUTPUT_OPTIONS }, command);
      if (values.help) return help(io, command);
      const format = checkFormat(optionalString(values, 'format'), command);
      const result = await signFromOptions(command, values, command, io);
      io.out(formatSigned(result.signed, format, optionalString(values, 'content-type')));
      return 0;
    }
    case 'explain':
      return explain(rest, io);
    case 'verify': {
      if (rest.length === 0) return usage(io, 'verify');
      if (wantsHelp(rest.slice(0, 1))) return help(io, 'verify');
      const { values, positionals } = parse(rest, VERIFY_OPTIONS, 'verify', 1);
      if (values.help) return help(io, 'verify');
      const outcome = await verifyCommand(positionals[0], values, io);
      (outcome.exitCode === 0 ? io.out : io.err)(outcome.message);
      return outcome.exitCode;
    }
    case 'keygen': {
      const { values } = parse(rest, KEYGEN_OPTIONS, 'keygen');
      if (values.help) return help(io, 'keygen');
      const { stdout, stderr } = await keygen(values);
      io.err(stderr);
      io.out(stdout);
      return 0;
    }
    case 'vectors': {
      const { values } = parse(rest, VECTORS_OPTIONS, 'vectors');
      if (values.help) return help(io, 'vectors');
      const { exitCode, text } = await vectorsCommand(values);
      io.out(text);
      return exitCode;
    }
    case 'agent':
      return agentCommand(rest, io);
    case 'send':
      return sendCommand(rest, io, () => help(io, 'send'));
    case 'playground': {
      const { values } = parse(rest, PLAYGROUND_OPTIONS, 'playground');
      return values.help ? help(io, 'playground') : playgroundCommand(values, io);
    }
    case 'mock': {
      const { values } = parse(rest, MOCK_OPTIONS, 'mock');
      return values.help ? help(io, 'mock') : mockCommand(values, io);
    }
    default:
      // The word is not repeated: it might be a secret pasted in the wrong place.
      throw new UsageError(`unknown command; expected ${COMMANDS} (see qredo-sign --help)`);
  }
}

function help(io: CliIo, command: string): number {
  io.out(HELP[command]);
  return 0;
}

/** A command given nothing to do: its help, on stderr, as bad usage. */
function usage(io: CliIo, command: string): number {
  io.err(HELP[command]);
  return 2;
}

async function explain(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length === 0) return usage(io, 'explain');
  if (wantsHelp(args.slice(0, 1))) return help(io, 'explain');
  const scheme = schemeOf(args[0], 'explain');
  const command = `explain ${scheme}`;
  const { values } = parse(
    args.slice(1),
    { ...INPUT_OPTIONS[scheme], ...EXPLAIN_OPTIONS },
    command,
  );
  if (values.help) return help(io, 'explain');
  const compareWith = optionalString(values, 'compare-input');
  refuseTwoStdinReaders(values, command, ['body-file', 'secret-file', 'compare-input']);
  const result = await signFromOptions(scheme, values, command, io);
  const lines: string[] = [];
  let exitCode = 0;

  const expected = optionalString(values, 'expect-signature');
  if (expected !== undefined) {
    const actual = result.signed.headers[result.signatureHeader];
    if (actual === expected.trim()) lines.push('expected signature: match');
    else {
      exitCode = 1;
      lines.push(
        'expected signature: NO MATCH',
        `  this:     ${actual}`,
        `  expected: ${expected.trim()}`,
      );
    }
  }
  if (compareWith !== undefined) {
    const theirs =
      compareWith === '-' ? await io.readStdin() : readFileArgument(compareWith, '--compare-input');
    const difference = describeDifference(result.signed.signingInput, theirs);
    if (difference === undefined) lines.push(`signing input: identical to ${compareWith}`);
    else {
      exitCode = 1;
      lines.push(...difference);
    }
  }
  io.out(explainText(result) + (lines.length ? `\n${lines.join('\n')}\n` : ''));
  return exitCode;
}

/** One line, with every secret seen while parsing replaced (a second guard; see args.ts). */
function errorLine(error: unknown, secrets: ReadonlySet<string>): string {
  let text: string;
  if (error instanceof UsageError) text = error.message;
  else if (isSigningError(error)) text = `${error.code}: ${error.message}`;
  else if (error instanceof Error) text = `unexpected ${error.name}: ${error.message}`;
  else text = 'unexpected error';
  for (const secret of secrets) text = text.split(secret).join('<redacted>');
  return `qredo-sign: ${text.replace(/\s*\n\s*/g, ' ')}\n`;
}

/**
 * Runs one command line; resolves to the exit status.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['api', '--method', 'GET', '--url', url], processIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.err(errorLine(error, io.secrets));
    return 2;
  }
}
