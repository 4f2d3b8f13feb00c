/**
 * The DER key structures (docs/contract.md §1.2): PKCS#1 (RFC 8017 Appendix A.1), PKCS#8 (RFC 5208,
 * RFC 5958) and SPKI (RFC 5280 §4.1.2.7) read into RSA integers, and the PKCS#8 and SPKI forms
 * written back for node:crypto and WebCrypto, which import only those (WebCrypto has no PKCS#1).
 */
import { SigningError } from '../lib/errors.js';
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
import { invalidKey as invalid } from './rsa-checks.js';
import type { ParsedKey, RsaPrivateComponents, RsaPublicComponents } from './material.js';

// 1.2.840.113549.1.1.1 rsaEncryption (RFC 8017 Appendix C).
const OID_RSA = new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
const RSA_ALGORITHM_ID = tlv(TAG.SEQUENCE, tlv(TAG.OID, OID_RSA), tlv(TAG.NULL));

/**
 * DER SubjectPublicKeyInfo of an RSA public key (RFC 5280 §4.1.2.7, RFC 8017 Appendix A.1.1).
 *
 * @example
 * ```ts
 * createPublicKey({ key: Buffer.from(spkiFromComponents({ n, e })), format: 'der', type: 'spki' });
 * ```
 */
export function spkiFromComponents(c: RsaPublicComponents): Uint8Array {
  const rsaPublicKey = tlv(TAG.SEQUENCE, unsignedInteger(c.n), unsignedInteger(c.e));
  return tlv(
    TAG.SEQUENCE,
    RSA_ALGORITHM_ID,
    tlv(TAG.BIT_STRING, new Uint8Array([0]), rsaPublicKey),
  );
}

/**
 * DER PrivateKeyInfo (PKCS#8, RFC 5208) of an RSA private key: what WebCrypto imports. The
 * intermediate encodings are zeroed; the caller owns (and wipes) the result.
 *
 * @example
 * ```ts
 * await crypto.subtle.importKey('pkcs8', pkcs8FromComponents(c), alg, false, ['sign']);
 * ```
 */
export function pkcs8FromComponents(c: RsaPrivateComponents): Uint8Array {
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

/** Recognises PKCS#8, encrypted PKCS#8, PKCS#1 private, SPKI and PKCS#1 public DER. */
function readDerKey(der: Uint8Array): ParsedKey {
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

/**
 * Reads PKCS#1, PKCS#8 or SPKI DER; malformed DER is `INVALID_KEY` naming the fault, encrypted
 * PKCS#8 is `ENCRYPTED_KEY`.
 *
 * @example
 * ```ts
 * const { kind, components } = parseDer(derBytes);
 * ```
 */
export function parseDer(der: Uint8Array): ParsedKey {
  try {
    return readDerKey(der);
  } catch (error) {
    if (error instanceof DerError) throw invalid(`malformed DER (${error.message})`);
    throw error;
  }
}
