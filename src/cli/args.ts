/**
 * Argument handling shared by every `qredo-sign` command: strict `node:util.parseArgs`, error
 * messages that never quote a value (a mistyped secret must not end up on stderr or in CI logs),
 * secrets from the environment with flags taking precedence (contract §6), and body input.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit status 2: bad usage or bad input (contract §6). */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}

/** What a command sees of the process: injected so that `main` can be driven in-process too. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input as bytes (binary-safe). */
  readStdin(): Promise<Uint8Array>;
  /** Values that must never appear in anything printed (secrets seen while parsing). */
  readonly secrets: Set<string>;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `argv` strictly. parseArgs' own messages sometimes quote an argument (an unexpected
 * positional argument, for instance, which may be a secret typed without its flag), so messages
 * are rebuilt from the error code and the option name only.
 */
export function parse(
  argv: readonly string[],
  options: OptionSpec,
  command: string,
  positionals = 0,
): { values: Values; positionals: string[] } {
  let result;
  try {
    result = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(`${command}: ${describeParseError(error)} (see --help)`);
  }
  const extra = result.tokens.filter((t) => t.kind === 'positional')[positionals];
  if (extra) {
    // Located by its neighbour, not quoted: it may be a secret that lost its flag.
    const before = result.tokens.filter((t) => t.index < extra.index).pop();
    const where =
      before === undefined
        ? `right after "${command}"`
        : before.kind === 'option'
          ? `after ${before.rawName}${before.value === undefined || before.inlineValue ? '' : ' and its value'}`
          : 'after another argument';
    throw new UsageError(
      `${command}: unexpected argument ${where}; options start with -- (see --help)`,
    );
  }
  return { values: result.values as Values, positionals: result.positionals };
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : '';
  // Only the option name is quoted: `--name` with any `=value` cut off.
  const option = /'(-{1,2}[A-Za-z0-9-]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(message) && /^--(private|public)-key$/.test(option ?? '')) {
        // `--private-key "$(cat key.pem)"`: the value is the key itself (contract §6.1).
        return `${option} takes the path of the key file: give a path, not the key`;
      }
      if (/ambiguous/.test(message)) {
        return `the value of ${option} starts with "-"; write it as ${option}=VALUE`;
      }
      if (/does not take an argument/.test(message)) return `${option} takes no value`;
      return `${option} needs a value`;
    default:
      return 'cannot read the arguments';
  }
}

/** A string option, or the environment variable named, or undefined. Flags win (contract §6). */
export function fromFlagOrEnv(
  values: Values,
  flag: string,
  io: CliIo,
  env: string,
): string | undefined {
  const value = values[flag];
  if (typeof value === 'string') return value;
  const fromEnv = io.env[env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** A required string option (or its environment variable). */
export function required(
  values: Values,
  flag: string,
  command: string,
  io?: CliIo,
  env?: string,
): string {
  const value = io && env ? fromFlagOrEnv(values, flag, io, env) : values[flag];
  if (typeof value === 'string') return value;
  const hint = env ? ` (or set ${env})` : '';
  throw new UsageError(`${command}: --${flag} is required${hint}`);
}

export function optionalString(values: Values, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

/** The options that carry the Qredo API secret: a value, or a file (or `-`, standard input). */
export const SECRET_OPTIONS = {
  secret: { type: 'string' },
  'secret-file': { type: 'string' },
} as const satisfies OptionSpec;

/**
 * Printed when `--secret` is given as an argument: every local user can read a process's argument
 * list (`ps`, `/proc/PID/cmdline`) and shells keep it in their history (contract §6.1).
 */
export const SECRET_ON_COMMAND_LINE_WARNING =
  'qredo-sign: warning: --secret on the command line is visible to other users (ps) and in shell ' +
  'history; use --secret-file PATH|- or QREDO_API_SECRET\n';

/**
 * The Qredo API secret from `--secret`, `--secret-file PATH|-` or `QREDO_API_SECRET` (flags win,
 * contract §6), remembered so that it is never printed. A file's trailing newline (what `echo` and
 * editors add) is not part of the secret.
 */
export async function secretInput(values: Values, command: string, io: CliIo): Promise<string> {
  const inline = optionalString(values, 'secret');
  const file = optionalString(values, 'secret-file');
  if (inline !== undefined && file !== undefined) {
    throw new UsageError(`${command}: give --secret or --secret-file, not both`);
  }
  let secret: string;
  if (file !== undefined) {
    const bytes =
      file === '-' ? await io.readStdin() : readSecretFile(file, '--secret-file', 'the secret');
    secret = new TextDecoder().decode(bytes).replace(/(?:\r?\n)+$/, '');
    bytes.fill(0);
    if (secret === '') throw new UsageError(`${command}: --secret-file holds no secret`);
  } else {
    if (inline !== undefined) io.err(SECRET_ON_COMMAND_LINE_WARNING);
    secret = required(values, 'secret', command, io, 'QREDO_API_SECRET');
  }
  if (secret.trim().length >= 4) io.secrets.add(secret.trim());
  return secret;
}

/** Whether two inputs both claim standard input (`-`); only one of them can have it. */
export function refuseTwoStdinReaders(values: Values, command: string, flags: string[]): void {
  const readers = flags.filter((flag) => values[flag] === '-');
  if (readers.length > 1) {
    throw new UsageError(
      `${command}: only one of ${readers.map((f) => `--${f}`).join(', ')} can read stdin (-)`,
    );
  }
}

/**
 * Reads a file that holds a secret (a private key, an API secret). The value given is never
 * quoted when it cannot be read: `--private-key "$(cat key.pem)"` and `QREDO_PRIVATE_KEY` set to
 * the PEM itself are common habits, and quoting the "path" would print the whole key on one line,
 * past CI log masking (contract §6.1).
 */
function readSecretFile(path: string, what: string, noun = 'the key'): Uint8Array {
  try {
    // readFileSync of a small file may hand back a slice of Node's shared Buffer pool: copy the
    // bytes out and zero that slice, so that the caller's wipe is the only copy left to wipe.
    const buffer = readFileSync(path);
    const bytes = new Uint8Array(buffer);
    buffer.fill(0);
    return bytes;
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'read error';
    throw new UsageError(
      `${what} is not a readable file (${code}): give a path, not ${noun} itself`,
    );
  }
}

/** Something a user would type as a path (so quoting it in an error helps and leaks nothing). */
function looksLikePath(value: string): boolean {
  return value.length <= 256 && !/[\r\n]|-----|^\s*\{/.test(value);
}

/** Reads a file named on the command line; the path is named in the error, never the content. */
export function readFileArgument(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'read error';
    throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${code}`);
  }
}

/** Options every command that takes a body accepts. */
export const BODY_OPTIONS = {
  body: { type: 'string' },
  'body-file': { type: 'string' },
} as const satisfies OptionSpec;

/**
 * The body: `--body TEXT` is signed as UTF-8 text; `--body-file PATH` or `-` (standard input) as
 * the bytes read, unchanged, so that binary bodies and CRLF line ends survive.
 */
export async function readBody(
  values: Values,
  command: string,
  io: CliIo,
): Promise<string | Uint8Array | undefined> {
  const text = optionalString(values, 'body');
  const file = optionalString(values, 'body-file');
  if (text !== undefined && file !== undefined) {
    throw new UsageError(`${command}: give --body or --body-file, not both`);
  }
  if (text !== undefined) return text;
  if (file === undefined) return undefined;
  return file === '-' ? io.readStdin() : readFileArgument(file, '--body-file');
}

/**
 * A key file for the library's key parser: PEM text, JWK text (JSON), or DER bytes. A private key's
 * text is remembered for redaction (the library never prints it; this is a second guard). `what`
 * names where the path came from (`--private-key` or `QREDO_PRIVATE_KEY`).
 */
export function readKeyFile(
  path: string,
  what: string,
  io: CliIo,
  secret: boolean,
): string | Uint8Array {
  const bytes =
    secret || !looksLikePath(path) ? readSecretFile(path, what) : readFileArgument(path, what);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x2d && first !== 0x7b) return bytes; // neither '-----BEGIN' nor '{': DER
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  if (secret && text.trim().length >= 16) io.secrets.add(text.trim());
  return text;
}

/** The flag or environment variable a value came from, for naming it in a message. */
export function sourceOf(values: Values, flag: string, env: string): string {
  return typeof values[flag] === 'string' ? `--${flag}` : env;
}
