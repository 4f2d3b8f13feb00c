/**
 * `qredo-sign explain`: everything a user needs when the server answers 401 — the exact signing
 * input with invisible characters made visible, a hex dump, its length and SHA-256, the signature,
 * and optionally a comparison with the signature or signing input the user expected.
 */
import { createHash } from 'node:crypto';
import type { SignedResult } from './sign.js';

/** Length of a well-formed UTF-8 sequence starting at `i` (RFC 3629 §4), or 0 if there is none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i];
  let length: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, min] = [2, 0x80];
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, min] = [3, 0x800];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (i + length > bytes.length) return 0;
  let cp = b0 & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k];
    if ((b & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
  if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0;
  return length;
}

function codePointAt(bytes: Uint8Array, i: number, length: number): number {
  let cp = bytes[i] & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
  return cp;
}

/**
 * One escaped token per byte or UTF-8 sequence: visible ASCII as itself (`\` doubled), `\r` `\n`
 * `\t`, other control bytes and bytes that are not UTF-8 as `\xNN`, and every non-ASCII character
 * as `\u{…}` (so a no-break space or a look-alike letter cannot hide).
 */
export function escapeTokens(bytes: Uint8Array): { token: string; start: number }[] {
  const tokens: { token: string; start: number }[] = [];
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let token: string;
    let size = 1;
    if (b === 0x5c) token = '\\\\';
    else if (b === 0x0a) token = '\\n';
    else if (b === 0x0d) token = '\\r';
    else if (b === 0x09) token = '\\t';
    else if (b >= 0x20 && b <= 0x7e) token = String.fromCharCode(b);
    else if ((size = utf8SequenceLength(bytes, i)) > 0) {
      token = `\\u{${codePointAt(bytes, i, size).toString(16).toUpperCase().padStart(4, '0')}}`;
    } else {
      size = 1;
      token = `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    tokens.push({ token, start: i });
    i += size;
  }
  return tokens;
}

/**
 * The escaped text, broken into lines after each `\n` so that bodies stay readable; a space at
 * the very end is written `\x20` since a terminal would not show it.
 */
export function escapeForDisplay(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let line = '';
  for (const { token } of escapeTokens(bytes)) {
    line += token;
    if (token === '\\n') {
      lines.push(line);
      line = '';
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  const last = lines.length - 1;
  lines[last] = lines[last].replace(/ +$/, (spaces) => '\\x20'.repeat(spaces.length));
  return lines;
}

/** `offset  16 bytes in hex  |ASCII|`, the classic layout of `hexdump -C`. */
export function hexDump(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.'));
    lines.push(
      `${offset.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii.join('')}|`,
    );
  }
  return lines;
}

/**
 * Where two signing inputs first differ, shown as two escaped windows with a caret under the
 * first differing character. Undefined when they are identical.
 */
export function describeDifference(ours: Uint8Array, theirs: Uint8Array): string[] | undefined {
  const shorter = Math.min(ours.length, theirs.length);
  let at = 0;
  while (at < shorter && ours[at] === theirs[at]) at++;
  if (at === shorter && ours.length === theirs.length) return undefined;
  // Start the window up to 12 characters earlier, at a token boundary both sides share.
  const startTokens = escapeTokens(ours.subarray(0, at));
  const from = startTokens.length > 12 ? startTokens[startTokens.length - 12].start : 0;
  const common = startTokens
    .filter((t) => t.start >= from)
    .map((t) => t.token)
    .join('');
  const window = (bytes: Uint8Array) => {
    const rest = escapeTokens(bytes.subarray(at, at + 24))
      .map((t) => t.token)
      .join('');
    const more = bytes.length > at + 24 ? '…' : '';
    return `${from > 0 ? '…' : ''}${common}${rest || '(end)'}${more}`;
  };
  const caret = ' '.repeat((from > 0 ? 1 : 0) + common.length);
  return [
    `signing inputs differ at byte ${at} (this: ${ours.length} bytes, expected: ${theirs.length} bytes)`,
    `  this:     ${window(ours)}`,
    `  expected: ${window(theirs)}`,
    `            ${caret}^`,
  ];
}

const SCHEME_RULE = {
  api: 'Qredo API: HMAC-SHA256 over timestamp + METHOD + url + body bytes (docs/contract.md §1.1)',
  partner:
    'Partner API: RSASSA-PKCS1-v1_5 SHA-256 over timestampOrNonce + url + body bytes (docs/contract.md §1.2)',
} as const;

/** The full explanation printed by `explain`. */
export function explainText(result: SignedResult): string {
  const { signed, signatureHeader } = result;
  const input = signed.signingInput;
  const out = [
    SCHEME_RULE[result.scheme],
    `backend:   ${result.backend}`,
    `method:    ${signed.method}${result.scheme === 'partner' ? ' (not signed)' : ''}`,
    `url:       ${signed.url}`,
    '',
    `signing input, ${input.length} bytes, escaped (\\r \\n \\t \\\\ \\xNN \\u{…}; a line break follows each \\n):`,
    ...escapeForDisplay(input).map((line) => `  ${line}`),
    '',
    'hex:',
    ...hexDump(input).map((line) => `  ${line}`),
    '',
    `sha256(signing input): ${createHash('sha256').update(input).digest('hex')}`,
    `signature (${signatureHeader}): ${signed.headers[signatureHeader]}`,
    '',
    'headers:',
    ...Object.entries(signed.headers).map(([name, value]) => `  ${name}: ${value}`),
  ];
  return `${out.join('\n')}\n`;
}
