/**
 * RSA keys as JSON Web Keys (RFC 7517, RFC 7518 §6.3), as objects or as JSON text.
 */
import { base64url } from '../lib/encoding.js';
import { invalidKey as invalid } from './rsa-checks.js';
import type { ParsedKey } from './material.js';

// The longest integer of an accepted key is a 4096-bit modulus: 512 bytes, 683 base64url
// characters. A longer field is refused before it is decoded (a 4 MB one took 0.8 s to decode and
// convert), so that a hostile JWK costs no more than a real one.
const MAX_JWK_FIELD_CHARS = 1024;

function jwkField(jwk: Record<string, unknown>, name: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`JWK is missing "${name}"`);
  if (value.length > MAX_JWK_FIELD_CHARS) throw invalid(`JWK "${name}" is too long for an RSA key`);
  try {
    const decoded = base64url.decode(value);
    let start = 0;
    while (start < decoded.length - 1 && decoded[start] === 0) start++;
    // An array of our own, and the decoded one zeroed: Node's native decoder returns a view of its
    // shared allocation pool, which a later wipe of a copy would never reach (issue 14 item 10).
    const bytes = decoded.slice(start);
    decoded.fill(0);
    return bytes;
  } catch {
    throw invalid(`JWK "${name}" is not base64url`);
  }
}

/**
 * Reads an RSA JWK (RFC 7518 §6.3): public when it has no `d`, else a two-prime private key.
 *
 * @example
 * ```ts
 * const { kind } = readJwk(keyObject.export({ format: 'jwk' })); // 'private'
 * ```
 */
export function readJwk(jwk: Record<string, unknown>): ParsedKey {
  if (jwk.kty !== 'RSA') throw invalid('JWK is not an RSA key (kty must be "RSA")');
  if (jwk.alg !== undefined && jwk.alg !== 'RS256')
    throw invalid('JWK alg must be RS256 when given');
  if (jwk.oth !== undefined) throw invalid('multi-prime RSA keys are not supported');
  const n = jwkField(jwk, 'n');
  const e = jwkField(jwk, 'e');
  if (jwk.d === undefined) return { kind: 'public', components: { n, e } };
  const [d, p, q, dp, dq, qi] = ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((f) => jwkField(jwk, f));
  return { kind: 'private', components: { n, e, d, p, q, dp, dq, qi } };
}

/**
 * Reads a JWK given as JSON text (e.g. from an environment variable).
 *
 * @example
 * ```ts
 * parseJwkText(process.env.PARTNER_JWK!);
 * ```
 */
export function parseJwkText(text: string): ParsedKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('key text is neither PEM nor JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('JWK must be a JSON object');
  return readJwk(parsed as Record<string, unknown>);
}
