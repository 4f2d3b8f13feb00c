/**
 * Output formats of `qredo-sign api|partner` (contract §6): `headers` (one `name: value` line per
 * header), `json` (`{"method","url","headers","body"}`), and `curl`: a POSIX shell command that
 * sends exactly the signed method, URL and body bytes.
 */
import type { SignedRequest } from '../index.node.js';
import { UsageError } from './args.js';

export type OutputFormat = 'headers' | 'json' | 'curl';

export function checkFormat(value: string | undefined, command: string): OutputFormat {
  if (value === undefined) return 'headers';
  if (value === 'headers' || value === 'json' || value === 'curl') return value;
  throw new UsageError(`${command}: --format must be headers, json or curl`);
}

const encoder = new TextEncoder();

/** The body's bytes as they go on the wire; undefined when there is no body. */
export function bodyBytes(body: string | Uint8Array | undefined): Uint8Array | undefined {
  if (body === undefined) return undefined;
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return bytes.length === 0 ? undefined : bytes;
}

/** The body's bytes as text when they are valid UTF-8 (a leading BOM kept), else undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function formatHeaders(signed: SignedRequest): string {
  return Object.entries(signed.headers)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
}

/**
 * JSON for other tools: the body as a string when its bytes are valid UTF-8 (encoding that string
 * as UTF-8 gives the signed bytes back exactly), `{"base64": …}` otherwise, `null` for none.
 */
export function formatJson(signed: SignedRequest): string {
  const bytes = bodyBytes(signed.body);
  let body: string | { base64: string } | null = null;
  if (bytes) {
    const text = utf8Text(bytes);
    body = text ?? { base64: Buffer.from(bytes).toString('base64') };
  }
  const out = { method: signed.method, url: signed.url, headers: signed.headers, body };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** POSIX single quotes: nothing inside is special except `'` itself, written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A single-quoted `printf` format that writes exactly `bytes`. POSIX printf turns `\ddd` (octal,
 * one to three digits), `\\`, `\n`, `\r` and `\t` into bytes and `%%` into `%`; everything else
 * visible is literal. Octal escapes are always three digits so that a following digit is never
 * taken as part of one. Works in dash and bash, where printf is a builtin (no argument-size limit).
 */
export function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x25) out += '%%';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte >= 0x20 && byte <= 0x7e && byte !== 0x27) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

/** `application/json` when the body parses as JSON, else `application/octet-stream`. */
export function guessContentType(bytes: Uint8Array): string {
  const text = utf8Text(bytes);
  if (text !== undefined) {
    try {
      JSON.parse(text);
      return 'application/json';
    } catch {
      // not JSON
    }
  }
  return 'application/octet-stream';
}

/**
 * A curl command that reproduces the request byte for byte:
 * - `-sS`: no progress meter (it would mix with the response), but errors are still shown;
 * - `--globoff`: `[]{}` in the URL are sent, not expanded as curl globs;
 * - `--path-as-is`: curl does not re-resolve `.`/`..` segments (the URL is already canonical);
 * - `--data-binary @-` reads the body from the printf pipe unchanged (`-d` would strip CR/LF);
 * - `Expect:` stops curl from waiting for `100 Continue` on large bodies;
 * - HEAD uses `--head`, since `-X HEAD` makes curl wait for a body that never comes.
 * `contentType` is sent with a body (curl would otherwise claim a form); '' leaves curl's default.
 */
export function formatCurl(signed: SignedRequest, contentType?: string): string {
  const bytes = bodyBytes(signed.body);
  const args = ['curl', '-sS', '--globoff', '--path-as-is'];
  args.push(signed.method === 'HEAD' ? '--head' : `-X ${shellQuote(signed.method)}`);
  const lines = [args.join(' ')];
  for (const [name, value] of Object.entries(signed.headers)) {
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (bytes) {
    const type = contentType ?? guessContentType(bytes);
    if (type !== '') lines.push(`-H ${shellQuote(`Content-Type: ${type}`)}`);
    lines.push(`-H 'Expect:' --data-binary @-`);
  }
  lines.push(shellQuote(signed.url));
  const curl = lines.join(' \\\n    ');
  return bytes ? `printf ${printfFormat(bytes)} |\n  ${curl}\n` : `${curl}\n`;
}

/** The signed request in the chosen format. */
export function formatSigned(
  signed: SignedRequest,
  format: OutputFormat,
  contentType?: string,
): string {
  if (format === 'json') return formatJson(signed);
  if (format === 'curl') return formatCurl(signed, contentType);
  return formatHeaders(signed);
}
