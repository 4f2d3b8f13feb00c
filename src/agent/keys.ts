/**
 * The Signing Agent's key set (docs/signing-agent.md, Keys): a BLS12-381 key pair derived from a 48-byte
 * seed through AMCL's generator, and a secp256k1 key `SHA-256(seed)` that is only ever registered.
 * Secret parts stay inside the object: hidden from `inspect`, JSON and `String()`, wiped by
 * `destroy()`.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SigningError, fail } from '../lib/errors.js';
import { base64 } from '../lib/encoding.js';
import {
  BLS_SECRET_KEY_BYTES,
  blsPublicKey,
  blsSecretKeyFromSeed,
  blsSign,
  secretScalar,
} from './bls.js';

/** Length of the seed the agent draws (v1 `bls_seed`, v2 `GenerateKeys`). */
export const AGENT_SEED_BYTES = 48;
const EC_PRIVATE_KEY_BYTES = 32;

/**
 * The agent's keys. `blsPublicKey` and `ecPublicKey` are public; `blsSecretKey` and
 * `ecPrivateKey` are readable (to store them) but never enumerated, serialised or printed.
 *
 * @example
 * ```ts
 * const keys = generateAgentKeys();
 * const record = keys.exportSecretRecord(); // store it encrypted; then keys.destroy()
 * ```
 */
export interface AgentKeys {
  /** 48 bytes, big-endian, < r. Throws once destroyed. */
  readonly blsSecretKey: Uint8Array;
  /** 192 bytes: AMCL's G2 encoding (§3.2). */
  readonly blsPublicKey: Uint8Array;
  /** 32 bytes: SHA-256 of the seed (§3.3). Throws once destroyed. */
  readonly ecPrivateKey: Uint8Array;
  /** 65 bytes: uncompressed SEC1 secp256k1 point. */
  readonly ecPublicKey: Uint8Array;
  /** True after {@link AgentKeys.destroy}. */
  readonly destroyed: boolean;
  /** Signs raw message bytes with the BLS key (§5): 49 bytes. */
  sign(message: Uint8Array): Uint8Array;
  /** The v2 record (`BLSPrivateKey`, `ECPrivateKey`, standard base64): secret, store it safely. */
  exportSecretRecord(): {
    /** The 48-byte BLS secret key, standard base64. */
    blsPrivateKey: string;
    /** The 32-byte secp256k1 private key, standard base64. */
    ecPrivateKey: string;
  };
  /** Zeroes the secret bytes; the keys cannot sign afterwards. */
  destroy(): void;
  /** The public keys only (standard base64): what `JSON.stringify` shows. */
  toJSON(): {
    /** Always `'AgentKeys'`. */
    type: string;
    /** The 192-byte BLS public key, standard base64. */
    blsPublicKey: string;
    /** The 65-byte secp256k1 public key, standard base64. */
    ecPublicKey: string;
  };
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const DENO_INSPECT = Symbol.for('Deno.customInspect');

class Keys implements AgentKeys {
  readonly #blsSecretKey: Uint8Array;
  readonly #ecPrivateKey: Uint8Array;
  readonly #blsPublicKey: Uint8Array;
  readonly #ecPublicKey: Uint8Array;
  #destroyed = false;

  constructor(blsSecretKey: Uint8Array, ecPrivateKey: Uint8Array) {
    this.#blsSecretKey = blsSecretKey;
    this.#ecPrivateKey = ecPrivateKey;
    this.#blsPublicKey = blsPublicKey(blsSecretKey);
    this.#ecPublicKey = secp256k1.getPublicKey(ecPrivateKey, false);
  }

  #live(): void {
    if (this.#destroyed) {
      throw new SigningError(
        'INVALID_KEY',
        'these agent keys have been destroyed: import them again',
      );
    }
  }

  get blsSecretKey(): Uint8Array {
    this.#live();
    return this.#blsSecretKey;
  }
  get ecPrivateKey(): Uint8Array {
    this.#live();
    return this.#ecPrivateKey;
  }
  get blsPublicKey(): Uint8Array {
    return this.#blsPublicKey.slice();
  }
  get ecPublicKey(): Uint8Array {
    return this.#ecPublicKey.slice();
  }
  get destroyed(): boolean {
    return this.#destroyed;
  }

  sign(message: Uint8Array): Uint8Array {
    this.#live();
    return blsSign(this.#blsSecretKey, message);
  }

  exportSecretRecord(): { blsPrivateKey: string; ecPrivateKey: string } {
    this.#live();
    return {
      blsPrivateKey: base64.encode(this.#blsSecretKey),
      ecPrivateKey: base64.encode(this.#ecPrivateKey),
    };
  }

  destroy(): void {
    this.#blsSecretKey.fill(0);
    this.#ecPrivateKey.fill(0);
    this.#destroyed = true;
  }

  /** The public parts only. */
  toJSON(): { type: string; blsPublicKey: string; ecPublicKey: string } {
    return {
      type: 'AgentKeys',
      blsPublicKey: base64.encode(this.#blsPublicKey),
      ecPublicKey: base64.encode(this.#ecPublicKey),
    };
  }
  toString(): string {
    return `AgentKeys ${JSON.stringify(this.toJSON())}`;
  }
  [INSPECT](): string {
    return this.toString();
  }
  [DENO_INSPECT](): string {
    return this.toString();
  }
}

/**
 * Options of {@link agentKeysFromSeed}.
 *
 * @example
 * ```ts
 * agentKeysFromSeed(oddSeed, { anySeedLength: true });
 * ```
 */
export interface AgentSeedOptions {
  /**
   * Accept a seed of any non-zero length, as AMCL does (default: exactly 48 bytes, what the agent
   * draws). Only to reproduce keys of a Go agent whose stored seed has another length.
   */
  anySeedLength?: boolean;
}

/**
 * Derives the agent's keys from its seed exactly as the Go agent does (§2, §3): the same seed gives
 * the same keys, byte for byte. The caller keeps (and should wipe) the seed.
 *
 * @example
 * ```ts
 * const keys = agentKeysFromSeed(seed48);
 * keys.blsPublicKey.length; // 192
 * ```
 */
export function agentKeysFromSeed(seed: Uint8Array, options: AgentSeedOptions = {}): AgentKeys {
  if (!(seed instanceof Uint8Array)) fail('INVALID_KEY', 'seed', 'a Uint8Array');
  if (options.anySeedLength === true ? seed.length === 0 : seed.length !== AGENT_SEED_BYTES) {
    // An empty seed leaves AMCL's generator unseeded: every such agent would share one key.
    fail(
      'INVALID_KEY',
      'seed',
      `${options.anySeedLength ? 'non-empty' : `${AGENT_SEED_BYTES} bytes`}`,
    );
  }
  return new Keys(blsSecretKeyFromSeed(seed), sha256(seed));
}

/**
 * Fresh agent keys from 48 bytes of `crypto.getRandomValues` (§7.2 step 1).
 *
 * @example
 * ```ts
 * const keys = generateAgentKeys();
 * ```
 */
export function generateAgentKeys(): AgentKeys {
  const seed = new Uint8Array(AGENT_SEED_BYTES);
  if (typeof globalThis.crypto?.getRandomValues !== 'function') {
    throw new SigningError('UNSUPPORTED_RUNTIME', 'no crypto.getRandomValues here to draw a seed');
  }
  globalThis.crypto.getRandomValues(seed);
  try {
    return agentKeysFromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/**
 * What {@link importAgentKeys} reads: a v2 record or a v1 seed, base64 text or bytes. A field of
 * the wrong length or encoding is `INVALID_KEY`, naming the field.
 *
 * @example
 * ```ts
 * const record: AgentKeyRecord = JSON.parse(await readFile('agent-keys.json', 'utf8'));
 * ```
 */
export type AgentKeyRecord =
  | {
      /** The 48-byte BLS secret key (v2 `BLSPrivateKey`). */
      blsPrivateKey: string | Uint8Array;
      /** The 32-byte secp256k1 private key (v2 `ECPrivateKey`). */
      ecPrivateKey: string | Uint8Array;
    }
  | {
      /** A v1 agent's 48-byte seed; both keys are derived from it (§3). */
      blsSeed: string | Uint8Array;
    };

function decodeField(value: unknown, field: string, length: number): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (value instanceof Uint8Array) bytes = value.slice();
  else if (typeof value === 'string') bytes = base64.decode(value.trim());
  if (bytes === undefined) fail('INVALID_KEY', field, 'standard base64 text or a Uint8Array');
  if (bytes.length !== length) {
    bytes.fill(0);
    fail('INVALID_KEY', field, `${length} bytes once decoded`);
  }
  return bytes;
}

/**
 * Imports stored agent keys: a v2 record (`BLSPrivateKey` 48 bytes, `ECPrivateKey` 32 bytes,
 * §3.4) or a v1 `bls_seed` (48 bytes, keys re-derived). Inputs are checked: lengths, a BLS key that
 * is 0 mod r (`WEAK_KEY`), an EC key outside [1, n). Strings are standard base64, as Go stores them.
 *
 * @example
 * ```ts
 * const keys = importAgentKeys({ blsPrivateKey: record.BLSPrivateKey, ecPrivateKey: record.ECPrivateKey });
 * ```
 */
export function importAgentKeys(record: AgentKeyRecord): AgentKeys {
  if (typeof record !== 'object' || record === null) {
    fail('INVALID_KEY', 'record', 'an object with blsPrivateKey and ecPrivateKey, or blsSeed');
  }
  if ('blsSeed' in record) {
    const seed = decodeField(record.blsSeed, 'blsSeed', AGENT_SEED_BYTES);
    try {
      return agentKeysFromSeed(seed);
    } finally {
      seed.fill(0);
    }
  }
  const bls = decodeField(record.blsPrivateKey, 'blsPrivateKey', BLS_SECRET_KEY_BYTES);
  let ec: Uint8Array | undefined;
  try {
    secretScalar(bls);
    ec = decodeField(record.ecPrivateKey, 'ecPrivateKey', EC_PRIVATE_KEY_BYTES);
    if (!secp256k1.utils.isValidSecretKey(ec)) {
      fail('INVALID_KEY', 'ecPrivateKey', 'a secp256k1 scalar in [1, n)');
    }
    return new Keys(bls, ec);
  } catch (error) {
    bls.fill(0);
    ec?.fill(0);
    throw error;
  }
}
