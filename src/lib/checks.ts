/**
 * Type tests shared by every folder: runtime key objects and the plain JSON values the schemes
 * serialise. One definition each, so that the key reader, the backends and the fetch client agree
 * on what a `KeyObject`, a `CryptoKey` or a JSON body is.
 */

/**
 * The part of a node `KeyObject` the library uses, without importing `node:crypto` (lib/ runs in
 * every runtime).
 *
 * @example
 * ```ts
 * if (isKeyObject(key) && key.asymmetricKeyType === 'rsa') key.export({ format: 'jwk' });
 * ```
 */
export interface KeyObjectLike {
  readonly type: 'private' | 'public' | 'secret';
  readonly asymmetricKeyType?: string;
  export(options: { format: 'jwk' }): Record<string, unknown>;
}

/**
 * True for an asymmetric node `KeyObject` (or anything shaped like one), found by shape rather
 * than by `instanceof` so that a KeyObject from another copy of node:crypto (a second realm, a
 * bundled polyfill) is recognised too. Secret KeyObjects have no `asymmetricKeyType` and are not
 * matched: RSA keys are the only key objects read.
 *
 * @example
 * ```ts
 * isKeyObject(createPrivateKey(pem)) // true
 * ```
 */
export function isKeyObject(value: unknown): value is KeyObjectLike {
  if (typeof value !== 'object' || value === null) return false;
  const k = value as Partial<KeyObjectLike>;
  return typeof k.export === 'function' && typeof k.type === 'string' && 'asymmetricKeyType' in k;
}

/**
 * True for a WebCrypto `CryptoKey` of this realm; false where the runtime has no WebCrypto.
 *
 * @example
 * ```ts
 * isCryptoKey(await crypto.subtle.generateKey(...)) // true
 * ```
 */
export function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/**
 * Plain objects and arrays: the bodies serialised with `JSON.stringify` (docs/contract.md §1.4).
 * Class instances (a `Date`, a `Map`, a `Blob`) are not: their JSON is rarely what was meant.
 *
 * @example
 * ```ts
 * isPlainJson({ name: 'ACME' }) // true
 * isPlainJson(new Date())       // false
 * ```
 */
export function isPlainJson(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
