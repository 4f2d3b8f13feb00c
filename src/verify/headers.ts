/**
 * Reading request headers for verification: a Fetch `Headers` object or a plain record (as
 * node:http, Express or a mock server hands them over), names in any case (RFC 9110 §5.1: field
 * names are case-insensitive).
 *
 * Ambiguity is refused rather than resolved, because picking one of two values would let a
 * proxy and this verifier disagree about which one was authenticated:
 * - a record with two names that differ only in case, or an array value with other than exactly
 *   one element, is `MISSING_HEADER` ("no single value");
 * - a `Headers` object joins repeated fields with ", " (Fetch standard), and that joined value
 *   then fails the format check of its header (a signature becomes `BAD_SIGNATURE`, a timestamp or
 *   nonce `MISSING_HEADER`).
 * Values are trimmed of surrounding spaces and tabs (RFC 9110 §5.5); an empty value is absent.
 */
import { SigningError } from '../lib/errors.js';

/** Headers as a verifier receives them. */
export type HeadersInput =
  Headers | Record<string, string | readonly string[] | number | null | undefined>;

interface HeadersLike {
  get(name: string): string | null;
  append(name: string, value: string): void;
}

function isHeadersLike(value: object): value is HeadersLike {
  // Duck-typed so that any Fetch implementation's Headers works (undici, a polyfill, workerd).
  // `append` tells it apart from a Map, whose `get` is case-sensitive.
  const h = value as Partial<HeadersLike>;
  return typeof h.get === 'function' && typeof h.append === 'function';
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function trimOws(value: string): string {
  // Most values have nothing to trim: two comparisons instead of a regex replace.
  if (
    value.length === 0 ||
    (!isOws(value.charCodeAt(0)) && !isOws(value.charCodeAt(value.length - 1)))
  ) {
    return value;
  }
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A header lookup prepared once per request: lower-cased names over a record, or a Headers. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Prepares lookups over `headers`. `name`s passed to the reader are lower-case, and with a record
 * they must be among `wanted` (the names a verifier reads: only those are collected, so a request
 * with many other headers costs no more). Returns undefined for an absent or empty header; throws
 * `MISSING_HEADER` when a record holds no single value.
 */
export function headerReader(headers: unknown, wanted: readonly string[]): HeaderReader {
  if (typeof headers !== 'object' || headers === null) {
    throw new SigningError('MISSING_HEADER', 'headers must be a Headers object or a record');
  }
  if (isHeadersLike(headers)) {
    return (name) => {
      const value = headers.get(name);
      return value === null ? undefined : trimOws(value) || undefined;
    };
  }
  // values[i] is the value of wanted[i]; `seen` counts the spellings of each name (RFC 9110 §5.1:
  // names are case-insensitive, so two spellings are two fields and ambiguous).
  const values: unknown[] = [];
  let ambiguous = 0;
  for (const key of Object.keys(headers)) {
    // node:http hands names over lower-cased already: compare as is first.
    let index = wanted.indexOf(key);
    if (index < 0) index = wanted.indexOf(key.toLowerCase());
    if (index < 0) continue;
    if (index in values) ambiguous |= 1 << index;
    values[index] = (headers as Record<string, unknown>)[key];
  }
  return (name) => {
    const index = wanted.indexOf(name);
    if (index < 0) throw new TypeError(`header ${name} was not prepared`); // a bug here, not input
    if (ambiguous & (1 << index)) {
      throw new SigningError('MISSING_HEADER', `header ${name} is given more than once`);
    }
    let value = values[index];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) {
      if (value.length !== 1) {
        throw new SigningError('MISSING_HEADER', `header ${name} must have exactly one value`);
      }
      value = value[0];
    }
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') {
      throw new SigningError('MISSING_HEADER', `header ${name} must be a string`);
    }
    return trimOws(value) || undefined;
  };
}

/** The value of a required header, or `MISSING_HEADER` naming it. */
export function requireHeader(read: HeaderReader, name: string): string {
  const value = read(name);
  if (value === undefined) throw new SigningError('MISSING_HEADER', `header ${name} is missing`);
  return value;
}
