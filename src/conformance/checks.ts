/**
 * Small independent helpers of the conformance suites: decoding the vectors' hex and base64 and
 * comparing results. Never the library's own encoders, so a bug there cannot hide itself.
 */
import type {
  ConformanceApi,
  ConformanceRequest,
  ExpectedSigned,
  KeysFile,
  SignedLike,
  SigningVector,
  VectorStamp,
} from './types.js';

/** Bytes of a hex string. */
export const hex = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
};

/** Lower-case hex of bytes. */
export const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Bytes of standard base64 text. */
export const fromB64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const short = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

function stamp(value: VectorStamp): number | string | bigint {
  return typeof value === 'object' ? BigInt(value.bigint) : value;
}

/** The request a vector describes, as the signers take it. */
export function requestOf(v: SigningVector): ConformanceRequest {
  const r: ConformanceRequest = { url: v.url };
  if (v.method !== undefined) r.method = v.method;
  if (v.timestamp !== undefined) r.timestamp = stamp(v.timestamp);
  if (v.nonce !== undefined) r.nonce = stamp(v.nonce);
  const b = v.body;
  if (b.kind === 'null') r.body = null;
  else if (b.kind === 'string') r.body = b.value;
  else if (b.kind === 'bytes') r.body = fromB64(b.base64);
  else if (b.kind === 'json') r.body = structuredClone(b.value);
  return r;
}

/** Key `id` of keys.json in `form` (DER forms decoded, JWKs copied so no run can alter them). */
export function keyOf(keys: KeysFile | undefined, id: string, form: string): unknown {
  const k = keys?.keys[id];
  if (!k) throw new Error(`keys.json has no key ${id}`);
  const value = k[form];
  if (form.endsWith('DerB64')) return fromB64(value as string);
  return typeof value === 'string' ? value : structuredClone(value);
}

/** A bad-keys.json value in the form it is given in. */
export function badKeyValue(entry: { form: string; value: unknown }): unknown {
  if (entry.form === 'derB64') return fromB64(entry.value as string);
  return entry.form === 'jwk' ? structuredClone(entry.value) : entry.value;
}

/** What is wrong with a signed request, or undefined when it matches. */
export function compareSigned(got: SignedLike, want: ExpectedSigned): string | undefined {
  if (got.method !== want.method) return `method ${got.method}, want ${want.method}`;
  if (got.url !== want.url) return `url ${short(got.url)}, want ${short(want.url)}`;
  const wantBody =
    want.body === null
      ? undefined
      : typeof want.body === 'string'
        ? want.body
        : fromB64(want.body.base64);
  const empty = (b: string | Uint8Array | undefined) => b === undefined || b.length === 0;
  if (!(empty(got.body) && empty(wantBody))) {
    if (typeof wantBody === 'string') {
      if (got.body !== wantBody) return `body differs (${typeof got.body})`;
    } else if (!(got.body instanceof Uint8Array) || !sameBytes(got.body, wantBody!)) {
      return 'body bytes differ';
    }
  }
  const names = Object.keys(got.headers).sort().join();
  if (names !== Object.keys(want.headers).sort().join()) return `header names ${names}`;
  for (const [k, value] of Object.entries(want.headers)) {
    if (got.headers[k] !== value) return `${k}: ${short(String(got.headers[k]))}, want ${value}`;
  }
  if (!sameBytes(got.signingInput, fromB64(want.signingInputB64))) return 'signingInput differs';
  return undefined;
}

/** A description of what went wrong unless `error` is a SigningError with `code`. */
export function codeMismatch(
  api: ConformanceApi,
  error: unknown,
  code: string,
): string | undefined {
  if (error === undefined) return `accepted, want ${code}`;
  if (!(error instanceof api.SigningError)) {
    return `threw ${String(error).slice(0, 80)}, want ${code}`;
  }
  const got = (error as Error & { code?: string }).code;
  return got === code ? undefined : `code ${got}, want ${code}`;
}

/** The error `run` throws or rejects with, or undefined when it succeeds. */
export async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error ?? new Error('threw a nullish value');
  }
  return undefined;
}
