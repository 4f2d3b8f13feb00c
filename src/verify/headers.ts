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

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A header lookup prepared once per request: lower-cased names over a record, or a Headers. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Prepares lookups over `headers`. `name`s passed to the reader are lower-case. Returns undefined
 * for an absent or empty header; throws `MISSING_HEADER` when a record holds no single value.
 */
export function headerReader(headers: unknown): HeaderReader {
  if (typeof headers !== 'object' || headers === null) {
    throw new SigningError('MISSING_HEADER', 'headers must be a Headers object or a record');
  }
  if (isHeadersLike(headers)) {
    return (name) => {
      const value = headers.get(name);
      return value === null ? undefined : trimOws(value) || undefined;
    };
  }
  const byName = new Map<string, unknown>();
  const ambiguous = new Set<string>();
  for (const key of Object.keys(headers)) {
    const lower = key.toLowerCase();
    if (byName.has(lower)) ambiguous.add(lower);
    byName.set(lower, (headers as Record<string, unknown>)[key]);
  }
  return (name) => {
    if (ambiguous.has(name)) {
      throw new SigningError('MISSING_HEADER', `header ${name} is given more than once`);
    }
    let value = byName.get(name);
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
