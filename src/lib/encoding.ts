/**
 * Byte encodings: UTF-8 (strict: lone surrogates are refused, never replaced), base64 and
 * base64url (RFC 4648 §4 and §5), hex. Pure and runtime-neutral: no `Buffer`, no `node:` imports.
 */
import { fail } from './errors.js';

const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/**
 * True when `s` has no lone UTF-16 surrogate, i.e. encodes to UTF-8 without replacement.
 * `String.prototype.isWellFormed` (ES2024) is in every engine since 2023. Before it: a /u regex
 * reads `s` by code points, so a pair is one supplementary code point and `\p{Cs}` (General
 * Category Surrogate) matches exactly the lone halves (ES2018, older than this build's ES2022).
 */
export const isWellFormed = (s: string): boolean =>
  (s as { isWellFormed?(): boolean }).isWellFormed?.() ?? !/\p{Cs}/u.test(s);

/**
 * UTF-8 bytes of `s`. TextEncoder would silently turn a lone surrogate into U+FFFD, which changes
 * the bytes the caller meant to sign, so such strings are a typed error instead.
 *
 * @example utf8('héllo') // Uint8Array(6) [104, 195, 169, 108, 108, 111]
 */
export function utf8(s: string, field = 'text'): Uint8Array {
  if (!isWellFormed(s)) fail('INVALID_BODY', field, 'free of lone surrogates');
  return utf8Encoder.encode(s);
}

/** UTF-8 encoding without the surrogate check, for strings already checked (or known ASCII). */
export function utf8Unchecked(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

// RFC 4648 §4/§5 decoding table; 255 marks "not in the alphabet". Both alphabets decode through
// one table (contract §1.1 accepts both): A–Z a–z 0–9 are 0–61, then 62 is + or -, 63 is / or _.
const DECODE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < 26; i++) {
    table[65 + i] = i; // A–Z
    table[97 + i] = 26 + i; // a–z
    if (i < 10) table[48 + i] = 52 + i; // 0–9
  }
  table[43] = table[45] = 62; // + -
  table[47] = table[95] = 63; // / _
  return table;
})();

// btoa takes a "binary string" (one character per byte). String.fromCharCode gets at most CHUNK
// arguments at a time, well under every engine's limit on the number of arguments.
const CHUNK = 0x8000;

/**
 * Standard base64 (RFC 4648 §4) with padding, by the runtime's `btoa` (every runtime this package
 * supports has it, and it is native code where no faster codec exists).
 */
function encodeStd(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/**
 * Decodes base64 in either alphabet, padded or not. Returns undefined (never throws) for any
 * character outside the alphabets, padding anywhere but the end, more than two `=`, or a length
 * no base64 text can have (4k+1 symbols). Trailing bits of the last symbol are ignored, as
 * Python's `base64.urlsafe_b64decode` ignores them (contract §1.1).
 */
function decodeLenient(text: string): Uint8Array | undefined {
  // Up to two `=` are dropped; a third, or one anywhere else, fails the table lookup below.
  let end = text.length;
  if (text[end - 1] === '=') end -= text[end - 2] === '=' ? 2 : 1;
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array((end * 3) >> 2);
  for (let i = 0, acc = 0; i < end; i++) {
    const v = DECODE[text.charCodeAt(i)]; // undefined past the table: not base64 either
    if (!(v < 64)) return undefined;
    // Symbol k = i % 4 of a group completes byte ⌊3i/4⌋ for k = 1, 2, 3 from the low bits of
    // `acc` (older bits shift out of the 32-bit value; Uint8Array keeps the low 8 bits).
    acc = (acc << 6) | v;
    if (i & 3) out[(i * 3) >> 2] = acc >> (6 - 2 * (i & 3));
  }
  return out;
}

// base64 text in either alphabet with its padding, perhaps in lines (RFC 4648 §3.3 leaves line
// breaks to the application), perhaps with white space around it (a text file ends with a line
// break); the group is that text, trimmed. No space or tab inside: that is a phrase, not a file.
const BASE64_FILE = /^[ \t\r\n]*([\w+/=-]+(?:[\r\n]+[\w+/=-]+)*)[ \t\r\n]*$/;

/**
 * True when `bytes` are what `readFileSync` gives for a file holding base64 text: base64 in either
 * alphabet, decodable, perhaps wrapped in lines, perhaps with white space around it. Inner spaces
 * or tabs make it a phrase rather than a file, so an ASCII passphrase used as a raw key still
 * works; random 32-byte keys are never all base64 characters (the chance is below 10⁻¹⁸).
 * Texts under 16 characters are taken as raw keys: they decode to under 12 bytes, far from the
 * 32-byte secrets the web app issues, and short ASCII raw keys ("AB" in the vectors) stay usable.
 */
function looksLikeBase64File(bytes: Uint8Array): boolean {
  if (bytes.length > 8192) return false; // no secret file is this long; bounds the spread below
  // Bytes above 0x7f become characters no class above holds: not base64 text either.
  const text = BASE64_FILE.exec(String.fromCharCode(...bytes))?.[1];
  return (
    text !== undefined &&
    text.length >= 16 &&
    decodeLenient(text.replace(/[\r\n]+/g, '')) !== undefined
  );
}

/** `secret must be <why>` (INVALID_SECRET), through the one helper every check's message takes. */
const badSecret = (why: string): never => fail('INVALID_SECRET', 'secret', why);

/**
 * Why `text` (already trimmed, non-empty, and not decodable) is not a secret: the mistakes people
 * make get their own message (docs/contract.md §1.1), none quoting the secret.
 */
function secretTextFault(text: string): string {
  if (/^(["'`]).*\1$/s.test(text)) {
    return 'base64 text without quotes (it is wrapped in quotes, as .env or JSON values can be: remove them)';
  }
  if (/\s/.test(text)) return 'one base64 word (it has white space inside: paste it in one piece)';
  if (/^[\w+/-]*={0,2}$/.test(text)) {
    return 'base64 text of a possible length (it has 4k+1 characters: one was lost or added in copying)';
  }
  if (/^[\w+/=-]*$/.test(text)) return "base64 text with '=' padding only at its end, at most two";
  return 'base64 or base64url text (it has a character of neither: give the text the web app shows)';
}

/**
 * An API secret as key bytes: base64 text as shown in the Qredo web app (docs/contract.md §1.1:
 * the standard or URL-safe alphabet, padded or unpadded, surrounding white space trimmed), or the
 * raw bytes (returned as they are). Bytes that are only base64 text and white space are refused:
 * they are a secret file read with `readFileSync` and never decoded, and signing with them would
 * sign with the wrong key. The error never contains the secret, not even a fragment of it.
 *
 * @example
 * ```ts
 * decodeSecret('c2VjcmV0'); // Uint8Array of 'secret'
 * ```
 */
export function decodeSecret(secret: unknown): Uint8Array {
  if (typeof secret === 'string') {
    const text = secret.trim();
    if (text.length === 0) {
      badSecret(
        `base64 text (it is ${secret.length === 0 ? 'an empty string' : 'only white space'})`,
      );
    }
    const key = decodeLenient(text);
    if (key?.length) return key;
    return badSecret(secretTextFault(text));
  }
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) badSecret('non-empty bytes (it has 0 bytes)');
    if (looksLikeBase64File(secret)) {
      badSecret(
        "the key bytes or the base64 text (these bytes are base64 text, as readFileSync gives: pass readFileSync(path, 'utf8'))",
      );
    }
    return secret;
  }
  if (secret === undefined)
    return badSecret('given (it is undefined: is the environment variable set?)');
  return badSecret(`base64 text or bytes, not ${secret === null ? 'null' : typeof secret}`);
}

/** base64url (RFC 4648 §5) without padding, where the runtime has no faster codec. */
export function base64urlEncode(bytes: Uint8Array): string {
  // RFC 4648 §5: the same symbols as §4 except 62 and 63; no padding.
  return encodeStd(bytes).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));
}

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*={0,2}$/;

function base64urlDecode(text: string): Uint8Array {
  const out = BASE64URL_TEXT.test(text) ? decodeLenient(text) : undefined;
  if (out === undefined) fail('INVALID_OPTION', 'text', 'base64url');
  return out;
}

// Native codecs where the runtime has one (TC39 Uint8Array base64: Chromium, Firefox, Safari,
// Bun; Buffer: Node, Bun), found as globals, never by require(). The bench measured Buffer 20–30×
// faster than a JS encoding loop for 1 KiB. Input is validated by us first, so the native decoder's
// leniency never widens what is accepted.
interface NativeBase64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}
const nativeBase64url: NativeBase64 | undefined = /* @__PURE__ */ (() => {
  const U8 = Uint8Array as unknown as {
    prototype: { toBase64?: unknown };
    fromBase64?: (text: string, options: object) => Uint8Array;
  };
  if (typeof U8.prototype.toBase64 === 'function' && typeof U8.fromBase64 === 'function') {
    const fromBase64 = U8.fromBase64;
    return {
      encode: (bytes) =>
        (bytes as Uint8Array & { toBase64(o: object): string }).toBase64({
          alphabet: 'base64url',
          omitPadding: true,
        }),
      decode: (text) => fromBase64(text, { alphabet: 'base64url' }),
    };
  }
  type NodeBuffer = {
    from(b: ArrayBufferLike, offset: number, length: number): { toString(e: string): string };
    from(text: string, encoding: string): Uint8Array;
  };
  const Buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (typeof Buffer?.from !== 'function') return undefined;
  return {
    encode: (bytes) =>
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
    decode: (text) => {
      const b = Buffer.from(text, 'base64url');
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
  };
})();

/**
 * URL-safe base64 (RFC 4648 §5) without padding: the encoding of `qredo-api-sig` and `x-sign`.
 * Uses the runtime's native codec where there is one; the results are the same everywhere.
 *
 * @example
 * ```ts
 * base64url.encode(new Uint8Array([0xfb, 0xff])) // '-_8'
 * base64url.decode('-_8')                        // Uint8Array [251, 255]
 * ```
 */
export const base64url = {
  /** Any bytes to URL-safe base64 text, unpadded (RFC 4648 §5). */
  encode(bytes: Uint8Array): string {
    return nativeBase64url ? nativeBase64url.encode(bytes) : base64urlEncode(bytes);
  },
  /** Strict: only the URL-safe alphabet; padding optional. Throws `INVALID_OPTION` otherwise. */
  decode(text: string): Uint8Array {
    if (!nativeBase64url) return base64urlDecode(text);
    if (!BASE64URL_TEXT.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
      fail('INVALID_OPTION', 'text', 'base64url');
    }
    return nativeBase64url.decode(text);
  },
};

/** Standard base64 (RFC 4648 §4) with padding, for PEM bodies and the curl formatter. */
export const base64 = {
  encode: encodeStd,
  /** Strict standard alphabet; white space (as in PEM line breaks) must be removed by the caller. */
  decode(text: string): Uint8Array | undefined {
    return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? decodeLenient(text) : undefined;
  },
};

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ
 * (verification must not tell an attacker how many leading bytes of a forged MAC were right).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
