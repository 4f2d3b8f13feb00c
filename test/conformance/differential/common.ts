/**
 * What the differential tests (issue 6) share: the references computed straight from contract §1
 * with node:crypto, WHATWG URL, Buffer and JSON.stringify (never through the library), a
 * comparable view of a signed request, the single-byte changes of a round trip, and the counts.
 */
import fc from 'fast-check';
import * as api from '../../../src/index.node.js';
import type { BackendName, SignedRequest } from '../../../src/index.node.js';
import { NOW_MS, type BodySpec, type Tamper } from './request-arbitraries.js';

export const BACKENDS: BackendName[] = api.availableBackends();
export const SYNC = new Set<BackendName>(BACKENDS.filter((b) => b !== 'webcrypto'));
export const API_KEY = 'differential-key';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** What a run did, per backend and in total, for the report. */
export interface DifferentialStats {
  requests: number;
  signatures: Record<string, number>;
  refused: Record<string, number>;
  /** Refusals of the node backend (sync) by code: every other backend gave the same. */
  refusalCodes: Record<string, number>;
  roundTrips: number;
  rejectedChanges: Record<string, number>;
  /** URL changes that canonicalise back to the signed URL, rightly accepted. */
  equivalentUrlChanges: number;
  staleChecked: number;
}

export function newDifferentialStats(): DifferentialStats {
  return {
    requests: 0,
    signatures: {},
    refused: {},
    refusalCodes: {},
    roundTrips: 0,
    rejectedChanges: {},
    equivalentUrlChanges: 0,
    staleChecked: 0,
  };
}
export const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

// ——— references (contract §1, computed without the library) ———

/** contract §1.4: the WHATWG serialisation without its fragment; http(s)/ws(s) without credentials. */
export function referenceUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (
    !['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) ||
    parsed.username ||
    parsed.password
  )
    return undefined;
  const href = parsed.href;
  const hash = href.indexOf('#');
  return hash < 0 ? href : href.slice(0, hash);
}

export function referenceTimestamp(t: unknown): string | undefined {
  if (typeof t === 'number') return Number.isSafeInteger(t) && t >= 0 ? String(t) : undefined;
  // At most 32 digits in every form, so whatever a signer accepts its verifier can read.
  if (typeof t === 'bigint') return t >= 0n && t < 10n ** 32n ? t.toString() : undefined;
  if (typeof t === 'string') return /^[0-9]{1,32}$/.test(t) ? t : undefined;
  return undefined;
}

export function referenceNonce(n: unknown): string | undefined {
  if (typeof n === 'string') return /^[\x21-\x7e]{1,256}$/.test(n) ? n : undefined;
  if (typeof n === 'number') return Number.isSafeInteger(n) && n >= 0 ? String(n) : undefined;
  if (typeof n === 'bigint') return n >= 0n ? n.toString() : undefined;
  return undefined;
}

/** The body to send and its bytes (contract §1.4), or the reason it is refused. */
/** Contract §3a.1: a body given as a plain object or array is sent labelled as JSON. */
export const jsonLabel = (spec: BodySpec): Record<string, string> =>
  spec.kind === 'json' ? { 'content-type': 'application/json' } : {};

export function referenceBody(
  spec: BodySpec,
  body: unknown,
): { send?: string | Uint8Array; bytes: Buffer } | 'INVALID_BODY' {
  if (spec.kind === 'wrong-type') return 'INVALID_BODY';
  if (body === undefined || body === null) return { bytes: Buffer.alloc(0) };
  if (typeof body === 'string') {
    if (spec.kind === 'text' && spec.loneSurrogate) return 'INVALID_BODY';
    return body.length
      ? { send: body, bytes: Buffer.from(body, 'utf8') }
      : { bytes: Buffer.alloc(0) };
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const bytes = Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body);
    return bytes.length ? { send: new Uint8Array(bytes), bytes } : { bytes };
  }
  const json = JSON.stringify(body);
  return { send: json, bytes: Buffer.from(json, 'utf8') };
}

/** A comparable picture of a signed request: every field, bytes as hex. */
export function view(r: {
  method: string;
  url: string;
  body?: string | Uint8Array;
  headers: Record<string, string>;
  signingInput: Uint8Array;
}) {
  return {
    method: r.method,
    url: r.url,
    body:
      r.body === undefined
        ? '(none)'
        : typeof r.body === 'string'
          ? `text:${r.body}`
          : `bytes:${hex(r.body)}`,
    headers: Object.entries(r.headers).sort(([a], [b]) => (a < b ? -1 : 1)),
    signingInput: hex(r.signingInput),
  };
}

export type Outcome = { codes: string[] } | { view: ReturnType<typeof view> };

/** The refusal a SigningError stands for; any other exception fails the case. */
export function refusal(error: unknown): Outcome {
  if (!api.isSigningError(error))
    throw new Error(`not a SigningError: ${String(error)}`, { cause: error });
  return { codes: [error.code] };
}

export async function attempt(run: () => SignedRequest | Promise<SignedRequest>): Promise<Outcome> {
  try {
    return { view: view(await run()) };
  } catch (error) {
    return refusal(error);
  }
}

export function assertSame(actual: Outcome, expected: Outcome, what: string): void {
  if ('codes' in expected) {
    if (!('codes' in actual) || !expected.codes.includes(actual.codes[0])) {
      throw new Error(
        `${what}: expected ${expected.codes.join(' or ')}, got ${JSON.stringify(actual).slice(0, 300)}`,
      );
    }
    return;
  }
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e)
    throw new Error(
      `${what}: differs\n  got      ${a.slice(0, 600)}\n  expected ${e.slice(0, 600)}`,
    );
}

/** Where the timestamp sits in time: its unit (by digit count, as generated) and distance to NOW_MS. */
export function freshness(stamp: string): {
  unitDigits: number;
  fresh: boolean;
  farFromEveryUnit: boolean;
} {
  // Never longer than 32 digits since signers refuse longer bigints; kept as a guard.
  if (stamp.length > 32) return { unitDigits: 0, fresh: false, farFromEveryUnit: false };
  const value = BigInt(stamp);
  const now = BigInt(NOW_MS) * 1_000_000n;
  const scales = [1_000_000_000n, 1_000_000n, 1_000n, 1n];
  const distance = (s: bigint) => (value * s > now ? value * s - now : now - value * s);
  const unit = [10, 13, 16, 19].indexOf(stamp.length);
  const fresh = unit >= 0 && distance(scales[unit]) <= 21_000_000_000n;
  const farFromEveryUnit = scales.every((s) => distance(s) > 120_000_000_000n);
  return { unitDigits: unit < 0 ? 0 : [1, 4, 7, 10][unit], fresh, farFromEveryUnit };
}

// ——— single-byte changes ———

/** Another base64url character at one position of the signature header. */
export function changeSignature(value: string, t: Tamper): string {
  const i = t.signature % value.length;
  const next = B64URL[(B64URL.indexOf(value[i]) + 1 + (t.signatureChar % 63)) % 64];
  return value.slice(0, i) + next + value.slice(i + 1);
}

/** One body byte XORed with a non-zero mask; an empty body gains one byte. */
export function changeBody(body: string | Uint8Array | undefined, t: Tamper): Uint8Array {
  const bytes =
    body === undefined
      ? new Uint8Array(0)
      : typeof body === 'string'
        ? new Uint8Array(Buffer.from(body))
        : new Uint8Array(body);
  if (bytes.length === 0) return new Uint8Array([t.bodyMask]);
  bytes[t.body % bytes.length] ^= t.bodyMask;
  return bytes;
}

/** A digit change that keeps a fresh timestamp inside a 30 s window (at most 9 s away). */
export function changeTimestamp(stamp: string, unitDigits: number, t: Tamper): string {
  const i = stamp.length - 1 - (t.timestamp % unitDigits);
  const digit = String((Number(stamp[i]) + t.timestampDigit) % 10);
  return stamp.slice(0, i) + digit + stamp.slice(i + 1);
}

/** Another visible ASCII character at one position (7–63 steps round the 94 of them: never the same). */
export function changeNonce(nonce: string, t: Tamper): string {
  const i = t.timestamp % nonce.length;
  const code = 0x21 + ((nonce.charCodeAt(i) - 0x21 + t.timestampDigit * 7) % 94);
  return nonce.slice(0, i) + String.fromCharCode(code) + nonce.slice(i + 1);
}

/** Another printable ASCII character at one position of the URL. */
export function changeUrl(url: string, t: Tamper): string {
  const i = t.url % url.length;
  let c = String.fromCharCode(t.urlChar);
  if (c === url[i]) c = c === 'x' ? 'y' : 'x';
  return url.slice(0, i) + c + url.slice(i + 1);
}

export async function expectRejected(
  verify: () => Promise<unknown>,
  code: string,
  what: string,
  stats: DifferentialStats,
): Promise<void> {
  try {
    await verify();
  } catch (error) {
    if ((error as { code?: string }).code === code) return void bump(stats.rejectedChanges, what);
    throw new Error(`${what}: expected ${code}, got ${String(error)}`);
  }
  throw new Error(`${what}: the changed request was accepted`);
}

/** A received request as both verifiers take it, and a verify call with some of it changed. */
export type Received = Pick<SignedRequest, 'method' | 'url' | 'headers' | 'body'>;
export type VerifyChanged = (over: Partial<Received>) => Promise<unknown>;

/** The request as received: exactly what was signed, nothing more. */
export function receivedOf(signed: SignedRequest): Received {
  return { method: signed.method, url: signed.url, headers: signed.headers, body: signed.body };
}

/**
 * Whether a timestamp round trip stops here: a stale timestamp (outside every unit's window) must
 * be STALE_TIMESTAMP; one near a window's edge is not judged. A fresh one goes on.
 */
export async function stopsAsStale(
  stamp: string,
  verify: VerifyChanged,
  stats: DifferentialStats,
): Promise<boolean> {
  const { fresh, farFromEveryUnit } = freshness(stamp);
  if (fresh) return false;
  if (farFromEveryUnit) {
    await expectRejected(() => verify({}), 'STALE_TIMESTAMP', 'stale timestamp', stats);
    stats.staleChecked++;
  }
  return true;
}

/** A changed body byte and a changed character of the signature header are each BAD_SIGNATURE. */
export async function expectBodyAndSignatureBound(
  verify: VerifyChanged,
  signed: SignedRequest,
  signatureHeader: string,
  t: Tamper,
  stats: DifferentialStats,
): Promise<void> {
  await expectRejected(
    () => verify({ body: changeBody(signed.body, t) as Uint8Array<ArrayBuffer> }),
    'BAD_SIGNATURE',
    'body byte',
    stats,
  );
  const changed = changeSignature(signed.headers[signatureHeader], t);
  await expectRejected(
    () => verify({ headers: { ...signed.headers, [signatureHeader]: changed } }),
    'BAD_SIGNATURE',
    'signature character',
    stats,
  );
}

export const urlText = (u: string | { url: string }) => (typeof u === 'string' ? u : u.url);
/** The URL as the caller passes it: a URL object when asked for and parseable. */
export function urlInput(u: string | { url: string }): string | URL {
  if (typeof u === 'string') return u;
  try {
    return new URL(u.url);
  } catch {
    return u.url;
  }
}

/** A changed URL byte: refused as a URL, accepted when it canonicalises back, else BAD_SIGNATURE. */
export async function checkChangedUrl(
  url: string,
  t: Tamper,
  verify: (url: string) => Promise<unknown>,
  stats: DifferentialStats,
) {
  const changed = changeUrl(url, t);
  if (changed === url) {
    await verify(changed);
    stats.equivalentUrlChanges++;
    return;
  }
  // contract §3.1 (issue 14): the target is authenticated exactly as received, so every other byte
  // string is refused, even one that canonicalises back to the signed URL. A string that is not a
  // well-formed target as received (non-ASCII, a fragment, a dot segment, a backslash, …) is
  // INVALID_URL; any other is BAD_SIGNATURE.
  const canonical = referenceUrl(changed);
  const code = canonical === undefined || !receivedForm(changed) ? 'INVALID_URL' : 'BAD_SIGNATURE';
  await expectRejected(() => verify(changed), code, 'URL byte', stats);
}

/** The reference for "a target as received" (contract §3.1), written apart from src/verify/target.ts. */
function receivedForm(url: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(url) || url.includes('#')) return false;
  const m = /^[a-z]+s?:\/\/[^/?#\\]+(\/[^?]*)/i.exec(url);
  if (!m) return false;
  if (m[1].includes('\\')) return false;
  return m[1].split(/\/|%2f|%5c/i).every((seg) => !/^(\.|%2e){1,2}$/i.test(seg));
}

/**
 * fc.assert, with the property's own error (fast-check keeps it in `cause`) in the message, so
 * that the runner prints what differed and not only the counterexample.
 */
export async function assertProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  options: { seed: number; numRuns: number },
): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, check), options);
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    throw new Error(`${cause?.message ?? ''}\n${(error as Error).message}`);
  }
}
