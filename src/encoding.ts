/**
 * Byte encodings: UTF-8 (strict: lone surrogates are refused, never replaced), base64 and
 * base64url (RFC 4648 §4 and §5), hex. Pure and runtime-neutral: no `Buffer`, no `node:` imports.
 */
import { SigningError } from './errors.js';

const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/** True when `s` has no lone UTF-16 surrogate, i.e. encodes to UTF-8 without replacement. */
export const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as string & { isWellFormed(): boolean }).isWellFormed()
    : (s) => {
        // Older engines: encodeURIComponent throws URIError exactly on a lone surrogate.
        try {
          encodeURIComponent(s);
          return true;
        } catch {
          return false;
        }
      };

/**
 * UTF-8 bytes of `s`. TextEncoder would silently turn a lone surrogate into U+FFFD, which changes
 * the bytes the caller meant to sign, so such strings are a typed error instead.
 *
 * @example utf8('héllo') // Uint8Array(6) [104, 195, 169, 108, 108, 111]
 */
export function utf8(s: string, field = 'text'): Uint8Array {
  if (!isWellFormed(s)) {
    throw new SigningError('INVALID_BODY', `${field} contains a lone UTF-16 surrogate`);
  }
  return utf8Encoder.encode(s);
}

/** UTF-8 encoding without the surrogate check, for strings already checked (or known ASCII). */
export function utf8Unchecked(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

// RFC 4648: both alphabets share their first 62 symbols; §5 ends with - _, §4 with + /.
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_ALPHABET = ALPHANUMERIC + '-_';
const STD_ALPHABET = ALPHANUMERIC + '+/';

// 255 marks "not in the alphabet". Both alphabets decode through one table (SPEC §1.1 accepts both).
const DECODE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) {
    table[URL_ALPHABET.charCodeAt(i)] = i;
    table[STD_ALPHABET.charCodeAt(i)] = i;
  }
  return table;
})();

const URL_CODES = /* @__PURE__ */ codesOf(URL_ALPHABET);
const STD_CODES = /* @__PURE__ */ codesOf(STD_ALPHABET);

function codesOf(alphabet: string): Uint8Array {
  return Uint8Array.from(alphabet, (c) => c.charCodeAt(0));
}

// Character codes gathered in a reused array and turned into a string in one call: about 4× faster
// than concatenating one-character strings for a 32-byte MAC (measured for the js backend's
// signing path). Chunked so that String.fromCharCode never sees too many arguments; a chunk is a
// whole number of 3-byte groups so that no group straddles two chunks.
const CHUNK = 3 * 4096;
const scratch: number[] = [];

/** Base64 without padding in the alphabet whose character codes are `codes`. */
function encodeWith(bytes: Uint8Array, codes: Uint8Array): string {
  let out = '';
  const len = bytes.length;
  for (let start = 0; start < len; start += CHUNK) {
    const end = Math.min(len, start + CHUNK);
    let n = 0;
    let i = start;
    for (; i + 2 < end; i += 3) {
      const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      scratch[n++] = codes[v >> 18];
      scratch[n++] = codes[(v >> 12) & 63];
      scratch[n++] = codes[(v >> 6) & 63];
      scratch[n++] = codes[v & 63];
    }
    const rest = end - i; // 1 or 2 bytes left over, in the last chunk only
    if (rest) {
      const v = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
      scratch[n++] = codes[v >> 18];
      scratch[n++] = codes[(v >> 12) & 63];
      if (rest === 2) scratch[n++] = codes[(v >> 6) & 63];
    }
    scratch.length = n;
    out += String.fromCharCode.apply(null, scratch);
  }
  scratch.length = 0;
  return out;
}

/**
 * Decodes base64 in either alphabet, padded or not. Returns undefined (never throws) for any
 * character outside the alphabets, padding anywhere but the end, more than two `=`, or a length
 * no base64 text can have (4k+1 symbols). Trailing bits of the last symbol are ignored, as
 * Python's `base64.urlsafe_b64decode` ignores them (SPEC §1.1).
 */
function decodeLenient(text: string): Uint8Array | undefined {
  // Up to two `=` are dropped; a third, or one anywhere else, fails the table lookup below.
  let end = text.length;
  if (text[end - 1] === '=') end -= text[end - 2] === '=' ? 2 : 1;
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const v = DECODE[text.charCodeAt(i)]; // undefined past the table: not base64 either
    if (!(v < 64)) return undefined;
    // Symbol k of each group of four completes a byte for k = 1, 2, 3 (Uint8Array keeps the low 8 bits).
    const k = i & 3;
    acc = k ? (acc << 6) | v : v;
    if (k) out[o++] = acc >> (6 - 2 * k);
  }
  return out;
}

/**
 * Decodes an API secret as shown in the Qredo web app (SPEC §1.1): base64 in the standard or
 * URL-safe alphabet, padded or unpadded, surrounding white space trimmed.
 * The error never contains the secret, not even a fragment of it.
 */
export function decodeSecret(secret: string): Uint8Array {
  const key = decodeLenient(secret.trim());
  if (key === undefined) {
    throw new SigningError(
      'INVALID_SECRET',
      'secret is not base64 text (allowed: A-Z a-z 0-9 + / - _, up to two trailing =, and a valid length)',
    );
  }
  if (key.length === 0) throw new SigningError('INVALID_SECRET', 'secret is empty');
  return key;
}

/** base64url (RFC 4648 §5) without padding in plain JavaScript: the internal signing path. */
export function base64urlEncode(bytes: Uint8Array): string {
  return encodeWith(bytes, URL_CODES);
}

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*={0,2}$/;

function base64urlDecode(text: string): Uint8Array {
  const out = BASE64URL_TEXT.test(text) ? decodeLenient(text) : undefined;
  if (out === undefined) throw new SigningError('INVALID_OPTION', 'not base64url text');
  return out;
}

// Native codecs where the runtime has one (TC39 Uint8Array base64: Chromium, Firefox, Safari,
// Bun; Buffer: Node, Bun), found as globals, never by require(). The bench measured Buffer 20–30×
// faster than the JS loop for 1 KiB. Input is validated by us first, so the native decoder's
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
  encode(bytes: Uint8Array): string {
    return nativeBase64url ? nativeBase64url.encode(bytes) : base64urlEncode(bytes);
  },
  /** Strict: only the URL-safe alphabet; padding optional. Throws `INVALID_OPTION` otherwise. */
  decode(text: string): Uint8Array {
    if (!nativeBase64url) return base64urlDecode(text);
    if (!BASE64URL_TEXT.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
      throw new SigningError('INVALID_OPTION', 'not base64url text');
    }
    return nativeBase64url.decode(text);
  },
};

/** Standard base64 (RFC 4648 §4) with padding, for PEM bodies and the curl formatter. */
export const base64 = {
  encode(bytes: Uint8Array): string {
    const text = encodeWith(bytes, STD_CODES);
    return text + '='.repeat(-text.length & 3); // padded to a multiple of 4 (RFC 4648 §4)
  },
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
