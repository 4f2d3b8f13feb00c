/**
 * The v1 `x-api-zkp` header (docs/signing-agent.md, v1 x-api-zkp): Apache Milagro's M-Pin one-pass client
 * (`MPIN_BLS381_CLIENT` with SHA-256) over the identity and token the legacy "coreclient" API gave
 * the agent at registration. Informative: v1 endpoints are legacy; checked against the agent's
 * M-Pin vectors, not a live server.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fail } from '../lib/errors.js';
import { base64, toHex, utf8Unchecked } from '../lib/encoding.js';
import {
  FIELD_BYTES,
  R,
  bigIntToBytes,
  bytesToBigInt,
  decodeG1,
  encodeG1Uncompressed,
  type G1Point,
} from './encoding.js';
import { mapToG1 } from './hash-to-g1.js';

/** AMCL MAXPIN: the PIN is a number mod 10 000 (`include/mpin.h.in`). */
const MAX_PIN = 10_000;

/**
 * Inputs of {@link zkpHeader}.
 *
 * @example
 * ```ts
 * const input: ZkpHeaderInput = { zkpId, zkpToken, pin: 1234 };
 * ```
 */
export interface ZkpHeaderInput {
  /** The client identity (v1 `zkpid`: the hex-decoded `clientID`). */
  zkpId: Uint8Array;
  /** The stored token (v1 `zkptoken`): 97-byte uncompressed G1 point `04 || x || y`. Secret. */
  zkpToken: Uint8Array;
  /** The agent's configured PIN (taken mod 10 000). Secret. */
  pin: number;
  /** Unix time in seconds (default: now). */
  time?: number;
  /**
   * The per-request scalar x as 48 bytes big-endian; default fresh randomness. Only for
   * reproducing vectors: reusing x across requests reveals the token.
   */
  randomScalar?: Uint8Array;
}

function hashId(zkpId: Uint8Array): G1Point {
  // AMCL HASH_ID then mapit: the 32-byte digest right-aligned in a 48-byte BIG.
  const digest = new Uint8Array(FIELD_BYTES);
  digest.set(sha256(zkpId), FIELD_BYTES - 32);
  return mapToG1(digest);
}

function freshScalar(): bigint {
  // 64 bytes mod r: the bias (< 2^-256) is far below anything the server can observe (§8.1 step 1).
  const bytes = new Uint8Array(64);
  globalThis.crypto.getRandomValues(bytes);
  const x = bytesToBigInt(bytes) % R;
  bytes.fill(0);
  return x === 0n ? 1n : x;
}

/**
 * The M-Pin one-pass values: `U = [x]·HID`, `Y = SHA-256(BE32(ET) || U) mod r`,
 * `V = −[(x + y) mod r]·(TOKEN + [PIN]·HID)`.
 *
 * @example
 * ```ts
 * const { U, V, time } = zkpOnePass({ zkpId, zkpToken, pin });
 * ```
 */
export function zkpOnePass(input: ZkpHeaderInput): {
  /** `[x]·HID`, an uncompressed G1 point (97 bytes). */
  U: Uint8Array;
  /** `−[(x + y) mod r]·(TOKEN + [PIN]·HID)`, an uncompressed G1 point (97 bytes). */
  V: Uint8Array;
  /** The challenge `y`, reduced mod r, as 48 big-endian bytes. */
  Y: Uint8Array;
  /** The Unix seconds hashed into `Y` (the header's `ET`). */
  time: number;
} {
  const { zkpId, zkpToken, pin } = input;
  if (!(zkpId instanceof Uint8Array) || zkpId.length === 0) {
    fail('INVALID_ARGUMENT', 'zkpId', 'non-empty bytes (the hex-decoded clientID)');
  }
  if (!(zkpToken instanceof Uint8Array)) fail('INVALID_KEY', 'zkpToken', 'a Uint8Array');
  const token = decodeG1(zkpToken, true);
  if (!token || zkpToken[0] !== 0x04) {
    fail('INVALID_KEY', 'zkpToken', 'a 97-byte uncompressed G1 point (04 || x || y)');
  }
  if (!Number.isSafeInteger(pin) || pin < 0) fail('INVALID_KEY', 'pin', 'a non-negative integer');
  const time = input.time ?? Math.floor(Date.now() / 1000);
  // AMCL passes the time as a C int and hashes 4 bytes of it.
  if (!Number.isSafeInteger(time) || time < 0 || time > 0xffffffff) {
    fail('INVALID_TIMESTAMP', 'time', 'Unix seconds that fit in 32 bits');
  }
  let x: bigint;
  if (input.randomScalar !== undefined) {
    if (!(input.randomScalar instanceof Uint8Array) || input.randomScalar.length !== FIELD_BYTES) {
      fail('INVALID_ARGUMENT', 'randomScalar', `${FIELD_BYTES} bytes`);
    }
    x = bytesToBigInt(input.randomScalar) % R;
    if (x === 0n) fail('INVALID_ARGUMENT', 'randomScalar', 'non-zero mod r');
  } else {
    x = freshScalar();
  }
  const hid = hashId(zkpId);
  const U = encodeG1Uncompressed(hid.multiply(x));
  const preimage = new Uint8Array(4 + U.length);
  new DataView(preimage.buffer).setUint32(0, time);
  preimage.set(U, 4);
  const Y = new Uint8Array(FIELD_BYTES);
  Y.set(sha256(preimage), FIELD_BYTES - 32);
  const y = bytesToBigInt(Y) % R;
  const pinPart = pin % MAX_PIN === 0 ? token : token.add(hid.multiply(BigInt(pin % MAX_PIN)));
  const k = (x + y) % R;
  // k = 0 happens with probability 2^-255; the point at infinity has no encoding here.
  if (k === 0n) fail('INVALID_ARGUMENT', 'randomScalar', 'such that x + y is non-zero mod r');
  const V = encodeG1Uncompressed(pinPart.multiply(k).negate());
  return { U, V, Y: bigIntToBytes(y, FIELD_BYTES), time };
}

/**
 * The value of the v1 `x-api-zkp` header: hex of
 * `{"ID":"<b64 id>","ET":<time>,"U":"<b64 U>","V":"<b64 V>"}` (Go `json.Marshal` order, §8.1).
 * A fresh one for every request.
 *
 * @example
 * ```ts
 * headers['x-api-zkp'] = zkpHeader({ zkpId, zkpToken, pin });
 * ```
 */
export function zkpHeader(input: ZkpHeaderInput): string {
  const { U, V, time } = zkpOnePass(input);
  const json =
    `{"ID":"${base64.encode(input.zkpId)}","ET":${time},` +
    `"U":"${base64.encode(U)}","V":"${base64.encode(V)}"}`;
  return toHex(utf8Unchecked(json));
}
