/**
 * RSA key reading (docs/contract.md §1.2): one entry for private keys, one for public keys, over
 * the formats of pem.ts, openssh.ts, pkcs.ts and jwk.ts and the runtime key objects (`CryptoKey`,
 * node `KeyObject`). Output is the backend-neutral material of material.ts, validated by
 * rsa-checks.ts. Errors name what was wrong with the key, never any of its bytes.
 */
import { isCryptoKey, isKeyObject } from '../lib/checks.js';
import { checkCryptoKey, checkPrivate, checkPublic, invalidKey as invalid } from './rsa-checks.js';
import { parseDer, pkcs8FromComponents, spkiFromComponents } from './pkcs.js';
import { pemKeyBlock } from './pem.js';
import { readOpenSshPrivateKey } from './openssh.js';
import { parseJwkText, readJwk } from './jwk.js';
import type {
  ParsedKey,
  RsaPrivateComponents,
  RsaPrivateKeyMaterial,
  RsaPublicComponents,
  RsaPublicKeyMaterial,
} from './material.js';

// The names other folders import from here (issue 15 moved their definitions beside them).
export { MIN_RSA_BITS, MAX_RSA_BITS, minPrimeBits } from './rsa-checks.js';
export type {
  PrivateKeyInput,
  PublicKeyInput,
  RsaJwk,
  RsaPrivateComponents,
  RsaPrivateKeyMaterial,
  RsaPublicComponents,
  RsaPublicKeyMaterial,
} from './material.js';

/** A PEM text: its first key block, PKCS (DER inside) or OpenSSH. */
function readPem(text: string): ParsedKey {
  const { label, der } = pemKeyBlock(text);
  try {
    return label === 'OPENSSH PRIVATE KEY'
      ? { kind: 'private', components: readOpenSshPrivateKey(der) }
      : parseDer(der);
  } finally {
    der.fill(0); // decoded here, so ours to wipe: the integers were copied out
  }
}

function readAny(input: unknown): { key: ParsedKey; native?: unknown } {
  if (typeof input === 'string') {
    const text = input.trim();
    return { key: text.startsWith('{') ? parseJwkText(text) : readPem(text) };
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (bytes.length === 0) throw invalid('key is empty');
    // Every DER key is a SEQUENCE (0x30); anything else is read as text: a PEM or a JWK read
    // with fs.readFileSync and no encoding, perhaps indented or quoted.
    if (bytes[0] !== 0x30) return readAny(new TextDecoder().decode(bytes));
    return { key: parseDer(bytes) };
  }
  if (typeof input === 'object' && input !== null) {
    if (isKeyObject(input)) {
      if (input.asymmetricKeyType !== 'rsa') throw invalid('KeyObject is not an RSA key');
      return { key: readJwk(input.export({ format: 'jwk' })), native: input };
    }
    return { key: readJwk(input as Record<string, unknown>) };
  }
  if (input === undefined) {
    throw invalid('key is undefined: is the environment variable or file it comes from set?');
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
 *
 * @example
 * ```ts
 * const material = parseRsaPrivateKey(readFileSync('private.pem', 'utf8'));
 * material.bits; // 2048
 * ```
 */
export function parseRsaPrivateKey(input: unknown): RsaPrivateKeyMaterial {
  if (typeof input === 'object' && input !== null) {
    const pair = input as { privateKey?: unknown; publicKey?: unknown };
    if (isCryptoKey(pair.privateKey)) {
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

/**
 * Parses and validates an RSA public key for verification (a private key's public half also works).
 *
 * @example
 * ```ts
 * const material = parseRsaPublicKey(readFileSync('public.pem', 'utf8'));
 * ```
 */
export function parseRsaPublicKey(input: unknown): RsaPublicKeyMaterial {
  if (isCryptoKey(input)) {
    if (input.type === 'private') throw invalid('give the public CryptoKey for verification');
    return { bits: checkCryptoKey(input), native: input };
  }
  const { key, native } = readAny(input);
  const components = { n: key.components.n, e: key.components.e };
  if (key.kind === 'private') wipeComponents(key.components);
  return publicMaterial(components, key.kind === 'public' ? native : undefined);
}

function wipeComponents(c: RsaPrivateComponents | RsaPublicComponents): void {
  // n and e are public; they may be shared with the public material, so they are left alone.
  if (!('d' in c)) return;
  for (const part of [c.d, c.p, c.q, c.dp, c.dq, c.qi]) part.fill(0);
}

/**
 * Zeroes the private integers and the PKCS#8 copy of `material` (best effort; strings cannot be).
 *
 * @example
 * ```ts
 * wipePrivateKeyMaterial(material); // after the backend imported it
 * ```
 */
export function wipePrivateKeyMaterial(material: RsaPrivateKeyMaterial): void {
  if (material.components) wipeComponents(material.components);
  material.pkcs8?.fill(0);
}
