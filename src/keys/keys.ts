/**
 * RSA key parsing (SPEC §1.2): PKCS#1 and PKCS#8 PEM and DER, JWK, and runtime key objects
 * (`CryptoKey`, node `KeyObject`) for private keys; SPKI, PKCS#1 public, DER and JWK for public
 * keys. Output is the backend-neutral material of `backends/types.ts`: the raw integers plus the
 * DER forms node:crypto and WebCrypto import (PKCS#1 is wrapped as PKCS#8 here because WebCrypto
 * only imports PKCS#8).
 *
 * Errors name what was wrong with the key, never any of its bytes.
 */
import { SigningError } from '../lib/errors.js';
import { bytesToBigInt, octetsBitLength } from '../lib/octets.js';
import { base64, base64url } from '../lib/encoding.js';
import { hasSmallPrimeFactor } from './small-factors.js';
import {
  DerError,
  TAG,
  expectTlv,
  isOid,
  readChildren,
  readUnsigned,
  tlv,
  unsignedInteger,
  type Tlv,
} from './der.js';
import type {
  RsaPrivateComponents,
  RsaPrivateKeyMaterial,
  RsaPublicComponents,
  RsaPublicKeyMaterial,
} from '../backends/types.js';

/**
 * Inputs accepted where a private key is needed: PKCS#1 or PKCS#8 PEM, their DER bytes, a private
 * JWK (object or text), a node `KeyObject`, a `CryptoKey` or a `CryptoKeyPair`.
 *
 * @example
 * ```ts
 * const key: PrivateKeyInput = readFileSync('private.pem', 'utf8');
 * ```
 */
export type PrivateKeyInput = string | Uint8Array | ArrayBuffer | JsonWebKey | object;
/**
 * Inputs accepted where a public key is needed: SPKI or PKCS#1 PEM, DER, JWK, `KeyObject`,
 * `CryptoKey`; a private key also works (its public half is used).
 *
 * @example
 * ```ts
 * const key: PublicKeyInput = readFileSync('public.pem', 'utf8');
 * ```
 */
export type PublicKeyInput = string | Uint8Array | ArrayBuffer | JsonWebKey | object;

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;

// 1.2.840.113549.1.1.1 rsaEncryption (RFC 8017 Appendix C).
const OID_RSA = new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
const RSA_ALGORITHM_ID = tlv(TAG.SEQUENCE, tlv(TAG.OID, OID_RSA), tlv(TAG.NULL));

const invalid = (message: string): SigningError => new SigningError('INVALID_KEY', message);

// ——— validation of the integers ———

function checkPublic(c: RsaPublicComponents): number {
  const bits = octetsBitLength(c.n);
  if (bits < MIN_RSA_BITS) {
    throw new SigningError(
      'WEAK_KEY',
      `RSA modulus of ${bits} bits; at least ${MIN_RSA_BITS} needed`,
    );
  }
  if (bits > MAX_RSA_BITS) {
    throw invalid(`RSA modulus of ${bits} bits; at most ${MAX_RSA_BITS} supported`);
  }
  if ((c.n[c.n.length - 1] & 1) === 0) throw invalid('RSA modulus is even');
  // Odd e with 3 <= e < 2^32 covers every real key (65537 in practice) and bounds verify cost.
  const eBits = octetsBitLength(c.e);
  if (eBits < 2 || eBits > 32 || (c.e[c.e.length - 1] & 1) === 0) {
    throw invalid('RSA public exponent must be odd, at least 3 and below 2^32');
  }
  if (hasSmallPrimeFactor(bytesToBigInt(c.n))) {
    throw new SigningError(
      'WEAK_KEY',
      'RSA modulus has a small prime factor (below 2^16): the key is broken; make a new one',
    );
  }
  return bits;
}

/**
 * The smallest accepted prime of a key whose modulus has `bits` bits: a quarter of it (512 bits
 * for 2048). Key generators (OpenSSL, FIPS 186-5 §A.1.3) make both primes half the size, but real
 * test keys are not all balanced (Wycheproof's 2048-bit signing keys split 1364 + 684 bits), and
 * what matters is that the smaller prime is far beyond ECM factoring (the record factor found by
 * ECM has 274 bits). A crafted key with a 256-bit prime in a 2048-bit modulus is refused.
 */
export const minPrimeBits = (bits: number): number => Math.floor(bits / 4);

/**
 * Checks that the integers belong together (RFC 8017 §3.2): n = p·q, each CRT value reduced, and
 * e·dP ≡ 1 (mod p−1), e·dQ ≡ 1 (mod q−1), q·qInv ≡ 1 (mod p), e·d ≡ 1 (mod p−1 and q−1). CRT
 * signers use dP, dQ and qInv, never d, so a key with one wrong CRT value would otherwise import
 * fine and only fail (SIGNATURE_FAULT) or, in OpenSSL, silently fall back to d at each signature;
 * a damaged d would go unnoticed. Refusing such a key here names the real problem. The d check
 * holds whether d was reduced mod φ(n) or mod λ(n), as both are multiples of p−1 and q−1.
 * BigInt arithmetic is not constant-time; it runs once per key import, not per signature.
 */
function checkPrivate(c: RsaPrivateComponents): void {
  // Every private integer is below n: a longer one is refused before any arithmetic on it, so
  // that a hostile key costs no more than a real one.
  for (const part of [c.d, c.p, c.q, c.dp, c.dq, c.qi]) {
    if (part.length > c.n.length) throw invalid('RSA key is inconsistent (an integer exceeds n)');
  }
  const n = bytesToBigInt(c.n);
  const p = bytesToBigInt(c.p);
  const q = bytesToBigInt(c.q);
  if (p < 3n || q < 3n || p * q !== n) throw invalid('RSA key is inconsistent (n ≠ p·q)');
  const least = minPrimeBits(octetsBitLength(c.n));
  if (octetsBitLength(c.p) < least || octetsBitLength(c.q) < least) {
    throw new SigningError(
      'WEAK_KEY',
      `RSA prime factors must each have at least ${least} bits (a quarter of the modulus); ` +
        'make a new key with openssl genrsa',
    );
  }
  const e = bytesToBigInt(c.e);
  const dp = bytesToBigInt(c.dp);
  const dq = bytesToBigInt(c.dq);
  const qi = bytesToBigInt(c.qi);
  const d = bytesToBigInt(c.d);
  if (dp === 0n || dp >= p || dq === 0n || dq >= q || qi === 0n || qi >= p || d === 0n || d >= n) {
    throw invalid('RSA key is inconsistent (CRT values out of range)');
  }
  const p1 = p - 1n;
  const q1 = q - 1n;
  if (
    (e * dp) % p1 !== 1n ||
    (e * dq) % q1 !== 1n ||
    (q * qi) % p !== 1n ||
    (e * d) % p1 !== 1n ||
    (e * d) % q1 !== 1n
  ) {
    throw invalid('RSA key is inconsistent (d, dP, dQ or qInv do not match n and e)');
  }
}

// ——— DER structures ———

function spkiFromComponents(c: RsaPublicComponents): Uint8Array {
  const rsaPublicKey = tlv(TAG.SEQUENCE, unsignedInteger(c.n), unsignedInteger(c.e));
  return tlv(
    TAG.SEQUENCE,
    RSA_ALGORITHM_ID,
    tlv(TAG.BIT_STRING, new Uint8Array([0]), rsaPublicKey),
  );
}

function pkcs8FromComponents(c: RsaPrivateComponents): Uint8Array {
  const ints = [c.n, c.e, c.d, c.p, c.q, c.dp, c.dq, c.qi].map(unsignedInteger);
  const rsaPrivateKey = tlv(TAG.SEQUENCE, unsignedInteger(new Uint8Array([0])), ...ints);
  const pkcs8 = tlv(
    TAG.SEQUENCE,
    unsignedInteger(new Uint8Array([0])),
    RSA_ALGORITHM_ID,
    tlv(TAG.OCTET_STRING, rsaPrivateKey),
  );
  rsaPrivateKey.fill(0);
  for (const i of ints) i.fill(0);
  return pkcs8;
}

/** RFC 8017 Appendix A.1.2 RSAPrivateKey (two-prime only). */
function readPkcs1Private(der: Uint8Array, outer: Tlv): RsaPrivateComponents {
  const f = readChildren(der, outer);
  if (f.length < 9 || f[0].tag !== TAG.INTEGER) throw invalid('not an RSA private key');
  const version = readUnsigned(der, f[0]);
  if (version.length !== 1 || version[0] !== 0)
    throw invalid('multi-prime RSA keys are not supported');
  // Version 0 has exactly these nine fields; only multi-prime keys (version 1) have a tenth.
  if (f.length !== 9) throw invalid('unexpected fields after the RSA private key');
  const [n, e, d, p, q, dp, dq, qi] = f.slice(1, 9).map((t) => readUnsigned(der, t));
  return { n, e, d, p, q, dp, dq, qi };
}

/** RFC 8017 Appendix A.1.1 RSAPublicKey. */
function readPkcs1Public(der: Uint8Array, outer: Tlv): RsaPublicComponents {
  const f = readChildren(der, outer);
  if (f.length !== 2) throw invalid('not an RSA public key');
  return { n: readUnsigned(der, f[0]), e: readUnsigned(der, f[1]) };
}

/** The algorithm OID of an AlgorithmIdentifier, refusing everything but rsaEncryption. */
function requireRsaAlgorithm(der: Uint8Array, algId: Tlv): void {
  const parts = readChildren(der, algId);
  if (parts.length === 0) throw invalid('malformed algorithm identifier');
  if (!isOid(der, parts[0], OID_RSA)) {
    throw invalid(
      'not an RSA key (EC, Ed25519, RSA-PSS-only and other keys cannot sign this scheme)',
    );
  }
}

type DerKey =
  | { kind: 'private'; components: RsaPrivateComponents }
  | { kind: 'public'; components: RsaPublicComponents };

/** Recognises PKCS#8, encrypted PKCS#8, PKCS#1 private, SPKI and PKCS#1 public DER. */
function readDerKey(der: Uint8Array): DerKey {
  const outer = expectTlv(der, 0, TAG.SEQUENCE);
  if (outer.next !== der.length) throw invalid('trailing bytes after the key');
  const f = readChildren(der, outer);
  if (f.length >= 9 && f.slice(0, 9).every((t) => t.tag === TAG.INTEGER)) {
    return { kind: 'private', components: readPkcs1Private(der, outer) };
  }
  if (f.length === 2 && f[0].tag === TAG.INTEGER && f[1].tag === TAG.INTEGER) {
    return { kind: 'public', components: readPkcs1Public(der, outer) };
  }
  if (f.length === 2 && f[0].tag === TAG.SEQUENCE && f[1].tag === TAG.OCTET_STRING) {
    // EncryptedPrivateKeyInfo (RFC 5958 §3): we never take passphrases.
    throw new SigningError('ENCRYPTED_KEY', 'the private key is encrypted; decrypt it first');
  }
  if (f.length === 2 && f[0].tag === TAG.SEQUENCE && f[1].tag === TAG.BIT_STRING) {
    requireRsaAlgorithm(der, f[0]);
    if (f[1].end - f[1].start < 1 || der[f[1].start] !== 0) throw invalid('malformed public key');
    const inner = expectTlv(der, f[1].start + 1, TAG.SEQUENCE, f[1].end);
    return { kind: 'public', components: readPkcs1Public(der, inner) };
  }
  if (
    f.length >= 3 &&
    f[0].tag === TAG.INTEGER &&
    f[1].tag === TAG.SEQUENCE &&
    f[2].tag === TAG.OCTET_STRING
  ) {
    // PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958 §2): version 0 or 1, and after the
    // key only the context-tagged [0] attributes and [1] publicKey.
    const version = readUnsigned(der, f[0]);
    if (version.length !== 1 || version[0] > 1) throw invalid('unknown private key info version');
    if (f.slice(3).some((t) => (t.tag & 0xc0) !== 0x80)) {
      throw invalid('unexpected fields after the private key');
    }
    requireRsaAlgorithm(der, f[1]);
    const inner = expectTlv(der, f[2].start, TAG.SEQUENCE, f[2].end);
    if (inner.next !== f[2].end) throw invalid('trailing bytes inside the key');
    return { kind: 'private', components: readPkcs1Private(der, inner) };
  }
  throw invalid('not a recognised RSA key structure');
}

function parseDer(der: Uint8Array): DerKey {
  try {
    return readDerKey(der);
  } catch (error) {
    if (error instanceof DerError) throw invalid(`malformed DER (${error.message})`);
    throw error;
  }
}

// ——— PEM ———

// RFC 7468 §3 encapsulation boundaries: a line of exactly "-----BEGIN label-----" or "-----END
// label-----" (the text is trimmed first). Requiring whole lines, as OpenSSL does, means both read
// the same block from the same text: with "------BEGIN" or "x-----BEGIN" accepted, a damaged first
// block that OpenSSL skips could be read here as another valid key. The label is bounded (real
// ones are at most 21 characters) so that a failed match backtracks a bounded distance.
const PEM_BOUNDARY = /(?<=^|[\r\n])-----(BEGIN|END) ([A-Z0-9 ]{1,64})-----(?=[\r\n]|$)/g;

interface PemBoundary {
  begin: boolean;
  label: string;
  start: number;
  end: number;
}

/**
 * The PEM blocks of `text` in order: each BEGIN is closed by the first later END with its label,
 * and the next block starts after that END. One pass over the boundaries and one forward pointer
 * per label keep this linear in the size of the text: a text of many unmatched BEGIN lines (which a
 * lazy `BEGIN …([\s\S]*?)… END` regex rescans to the end once per line, quadratic time: 660 KB of
 * them took 6.5 s) costs one scan.
 */
function* pemBlocks(text: string): Generator<{ label: string; body: string }> {
  const marks: PemBoundary[] = [];
  const endsByLabel = new Map<string, PemBoundary[]>();
  PEM_BOUNDARY.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = PEM_BOUNDARY.exec(text)) !== null) {
    const mark = {
      begin: match[1] === 'BEGIN',
      label: match[2],
      start: match.index,
      end: PEM_BOUNDARY.lastIndex,
    };
    marks.push(mark);
    if (!mark.begin) {
      const list = endsByLabel.get(mark.label);
      if (list) list.push(mark);
      else endsByLabel.set(mark.label, [mark]);
    }
  }
  const next = new Map<string, number>(); // per label: index of the first END not yet passed
  let cursor = 0;
  for (const mark of marks) {
    if (!mark.begin || mark.start < cursor) continue;
    const ends = endsByLabel.get(mark.label) ?? [];
    let i = next.get(mark.label) ?? 0;
    while (i < ends.length && ends[i].start < mark.end) i++;
    next.set(mark.label, i);
    if (i === ends.length) continue; // never closed
    yield { label: mark.label, body: text.slice(mark.end, ends[i].start) };
    cursor = ends[i].end;
  }
}

/** DER bytes of the first key block of a PEM text, refusing encrypted and non-RSA blocks. */
function pemToDer(text: string): Uint8Array {
  let sawBlock = false;
  for (const { label, body } of pemBlocks(text)) {
    sawBlock = true;
    if (!label.endsWith('KEY')) continue; // certificates, parameters: not keys
    if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(body)) {
      throw new SigningError('ENCRYPTED_KEY', 'the private key is encrypted; decrypt it first');
    }
    if (
      label !== 'RSA PRIVATE KEY' &&
      label !== 'PRIVATE KEY' &&
      label !== 'RSA PUBLIC KEY' &&
      label !== 'PUBLIC KEY'
    ) {
      throw invalid(`PEM "${label}" is not an RSA key`);
    }
    // RFC 7468 §2: ignore line breaks; headers only appear in the legacy encrypted form.
    const der = base64.decode(body.replace(/\s+/g, ''));
    if (der === undefined || der.length === 0) throw invalid('PEM body is not valid base64');
    return der;
  }
  if (text.includes('-----BEGIN')) {
    throw invalid(sawBlock ? 'PEM holds no key block' : 'PEM is truncated (no matching END line)');
  }
  throw invalid('not a PEM key');
}

// ——— JWK ———

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

function readJwk(jwk: Record<string, unknown>): DerKey {
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

function parseJwkText(text: string): DerKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('key text is neither PEM nor JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('JWK must be a JSON object');
  return readJwk(parsed as Record<string, unknown>);
}

// ——— runtime key objects ———

interface KeyObjectLike {
  type: 'private' | 'public' | 'secret';
  asymmetricKeyType?: string;
  export(options: { format: 'jwk' }): Record<string, unknown>;
}

function isKeyObject(input: object): input is KeyObjectLike {
  const k = input as Partial<KeyObjectLike>;
  return typeof k.export === 'function' && typeof k.type === 'string' && 'asymmetricKeyType' in k;
}

function isCryptoKey(input: object): input is CryptoKey {
  return typeof CryptoKey !== 'undefined' && input instanceof CryptoKey;
}

function checkCryptoKey(key: CryptoKey): number {
  const alg = key.algorithm as RsaHashedKeyAlgorithm;
  if (alg.name !== 'RSASSA-PKCS1-v1_5' || alg.hash?.name !== 'SHA-256') {
    throw invalid('CryptoKey must be an RSASSA-PKCS1-v1_5 key with hash SHA-256');
  }
  const bits = alg.modulusLength;
  if (bits < MIN_RSA_BITS) {
    throw new SigningError(
      'WEAK_KEY',
      `RSA modulus of ${bits} bits; at least ${MIN_RSA_BITS} needed`,
    );
  }
  if (bits > MAX_RSA_BITS)
    throw invalid(`RSA modulus of ${bits} bits; at most ${MAX_RSA_BITS} supported`);
  return bits;
}

// ——— public entry points ———

function readAny(input: unknown): { key: DerKey; native?: unknown } {
  if (typeof input === 'string') {
    const text = input.trim();
    return { key: text.startsWith('{') ? parseJwkText(text) : parseDer(pemToDer(text)) };
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (bytes.length === 0) throw invalid('key is empty');
    // PEM text passed as bytes (e.g. fs.readFileSync without an encoding) starts with '-----'.
    if (bytes[0] === 0x2d) return readAny(new TextDecoder().decode(bytes));
    return { key: parseDer(bytes) };
  }
  if (typeof input === 'object' && input !== null) {
    if (isKeyObject(input)) {
      if (input.asymmetricKeyType !== 'rsa') throw invalid('KeyObject is not an RSA key');
      return { key: readJwk(input.export({ format: 'jwk' })), native: input };
    }
    return { key: readJwk(input as Record<string, unknown>) };
  }
  throw invalid('key must be a PEM string, DER bytes, a JWK, a CryptoKey or a KeyObject');
}

function publicMaterial(components: RsaPublicComponents, native?: unknown): RsaPublicKeyMaterial {
  const bits = checkPublic(components);
  return { bits, components, spki: spkiFromComponents(components), native };
}

/**
 * Parses and validates an RSA private key for signing: 2048–4096 bits, two primes, consistent.
 * A `{ privateKey, publicKey }` CryptoKeyPair is accepted too, so that opaque keys can still be
 * checked before a signature is released.
 */
export function parseRsaPrivateKey(input: unknown): RsaPrivateKeyMaterial {
  if (typeof input === 'object' && input !== null) {
    const pair = input as { privateKey?: unknown; publicKey?: unknown };
    if (
      pair.privateKey !== undefined &&
      typeof pair.privateKey === 'object' &&
      pair.privateKey &&
      isCryptoKey(pair.privateKey)
    ) {
      const material = parseRsaPrivateKey(pair.privateKey);
      const publicKey =
        pair.publicKey === undefined ? undefined : parseRsaPublicKey(pair.publicKey);
      return { ...material, publicKey };
    }
    if (isCryptoKey(input)) {
      if (input.type !== 'private')
        throw invalid('a public key was given where a private key is needed');
      return { bits: checkCryptoKey(input), native: input };
    }
  }
  const { key, native } = readAny(input);
  if (key.kind !== 'private') throw invalid('a public key was given where a private key is needed');
  let publicKey: RsaPublicKeyMaterial;
  try {
    publicKey = publicMaterial({ n: key.components.n, e: key.components.e });
    checkPrivate(key.components);
  } catch (error) {
    wipeComponents(key.components); // a refused key is not left behind in memory either
    throw error;
  }
  return {
    bits: publicKey.bits,
    components: key.components,
    pkcs8: pkcs8FromComponents(key.components),
    publicKey,
    native,
  };
}

/** Parses and validates an RSA public key for verification (a private key's public half also works). */
export function parseRsaPublicKey(input: unknown): RsaPublicKeyMaterial {
  if (typeof input === 'object' && input !== null && isCryptoKey(input)) {
    if (input.type === 'private') throw invalid('give the public CryptoKey for verification');
    return { bits: checkCryptoKey(input), native: input };
  }
  const { key, native } = readAny(input);
  const components = { n: key.components.n, e: key.components.e };
  if (key.kind === 'private') wipeComponents(key.components);
  return publicMaterial(components, key.kind === 'public' ? native : undefined);
}

function wipeComponents(c: RsaPrivateComponents): void {
  // n and e are public; they may be shared with the public material, so they are left alone.
  for (const part of [c.d, c.p, c.q, c.dp, c.dq, c.qi]) part.fill(0);
}

/** Zeroes the private integers and the PKCS#8 copy of `material` (best effort; strings cannot be). */
export function wipePrivateKeyMaterial(material: RsaPrivateKeyMaterial): void {
  if (material.components) wipeComponents(material.components);
  material.pkcs8?.fill(0);
}
