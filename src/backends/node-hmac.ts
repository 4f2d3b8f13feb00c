/**
 * HMAC-SHA256 for the `node` backend. RFC 2104 §2 defines HMAC as two hashes,
 * H(K⊕opad ‖ H(K⊕ipad ‖ m)); the two 64-byte padded key blocks are computed once per key, and
 * each MAC is then two calls of node:crypto's one-shot `crypto.hash` (Node ≥ 20.12 and ≥ 21.7).
 *
 * Why not `createHmac`: with OpenSSL 3 each `createHmac` spends most of its time setting up the
 * HMAC context (fetching the digest for three internal contexts), whatever the key type. Measured
 * for a 150-byte request, Node 20.20, best of 7: `createHmac(…).update(…).digest('base64url')`
 * 1,656 ns; this path 1,037 ns. A Hash object per call (`createHash`, or `copy()` of one primed with
 * the pad) costs more than that setup, and asking `crypto.hash` for a Buffer rather than a string
 * (849 against 297 ns per call), so the inner digest comes back as a latin1 string and is written
 * into the outer block, one byte per character.
 *
 * Messages longer than the scratch buffer, and runtimes without `crypto.hash`, stream through
 * `createHmac` with a secret `KeyObject`: on those sizes its setup is a small share.
 *
 * Secrets: the padded blocks are key-equivalent. They live in buffers of their own (not Node's
 * shared pool), are zeroed by `destroy()` or, for a key dropped without it, when the key is
 * collected. The scratch buffer's copy of K⊕ipad is zeroed after every MAC.
 */
import * as nodeCrypto from 'node:crypto';
import type { HmacKey } from './types.js';
import { usedAfterDestroy } from './faults.js';

/** `'binary'` is Node's name for latin1: one character per byte. */
type Encoding = 'binary' | 'base64url';
type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: Encoding) => string;

/** `crypto.hash`, where this Node has it (looked up, not imported: older Nodes lack the export). */
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash;

const BLOCK = 64;
const DIGEST = 32;

/**
 * The scratch buffer: K⊕ipad, then the message. 16 KiB covers every request-sized body; above it a
 * copy of the body would cost more than createHmac's setup saves.
 */
const SCRATCH_SIZE = 16 * 1024;
let scratch: Buffer | undefined;

/** The two padded key blocks; `outer` has room after K⊕opad for the inner digest. */
interface PaddedKey {
  readonly inner: Buffer;
  readonly outer: Buffer;
}

function padKey(key: Uint8Array): PaddedKey {
  // RFC 2104 §2: a key longer than the block is hashed first; a shorter one is zero-padded.
  const k = key.length > BLOCK ? nodeCrypto.createHash('sha256').update(key).digest() : key;
  const inner = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
  outer.fill(0, BLOCK);
  for (let i = 0; i < k.length; i++) {
    inner[i] ^= k[i];
    outer[i] ^= k[i];
  }
  if (k !== key) k.fill(0);
  return { inner, outer };
}

/**
 * The MAC of `prefix` (ASCII) then `body` (well-formed text, signed as UTF-8, or bytes) in
 * `encoding`, or undefined when the message may not fit the scratch buffer.
 */
function oneShotMac(
  hash: OneShotHash,
  pads: PaddedKey,
  prefix: string,
  body: string | Uint8Array | undefined,
  encoding: Encoding,
): string | undefined {
  // An upper bound: UTF-8 takes at most three bytes per UTF-16 code unit.
  const most =
    BLOCK +
    prefix.length +
    (body === undefined ? 0 : typeof body === 'string' ? body.length * 3 : body.length);
  if (most > SCRATCH_SIZE) return undefined;
  const buffer = (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_SIZE));
  pads.inner.copy(buffer, 0);
  let innerDigest: string;
  try {
    let end = BLOCK + buffer.write(prefix, BLOCK, 'latin1');
    if (typeof body === 'string') {
      end += buffer.write(body, end, 'utf8');
    } else if (body !== undefined) {
      buffer.set(body, end);
      end += body.length;
    }
    innerDigest = hash('sha256', buffer.subarray(0, end), 'binary');
  } finally {
    buffer.fill(0, 0, BLOCK); // K⊕ipad leaves the shared scratch buffer whatever happens
  }
  pads.outer.write(innerDigest, BLOCK, 'latin1');
  return hash('sha256', pads.outer, encoding);
}

// Pads of keys dropped without destroy() are zeroed when the key is collected.
const padRegistry =
  typeof FinalizationRegistry === 'function'
    ? /* @__PURE__ */ new FinalizationRegistry<PaddedKey>(wipe)
    : undefined;

function wipe(pads: PaddedKey): void {
  pads.inner.fill(0);
  pads.outer.fill(0);
}

/** The bytes of a Buffer as a plain Uint8Array view (no copy); the node backend returns these. */
export function toUint8(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Prepares `key` for HMAC-SHA256 on node:crypto: padded blocks for the one-shot path and a secret
 * `KeyObject` for long messages (and for Nodes without `crypto.hash`).
 *
 * @example
 * ```ts
 * const key = importNodeHmacKey(secretBytes);
 * key.macRequest!('1647356399GEThttps://api.qredo.network/qapi/v1/balance', undefined);
 * key.destroy();
 * ```
 */
export function importNodeHmacKey(key: Uint8Array, useOneShot = true): HmacKey {
  const keyObject = nodeCrypto.createSecretKey(key);
  const hash = useOneShot ? oneShotHash : undefined;
  const pads = hash ? padKey(key) : undefined;
  let live = true;
  const streamed = () => {
    if (!live) throw usedAfterDestroy('HMAC key');
    return nodeCrypto.createHmac('sha256', keyObject);
  };
  // `live &&`: a destroyed key's pads are zero, so the fast path must not run on them.
  const fast = (prefix: string, body: string | Uint8Array | undefined, encoding: Encoding) =>
    live && pads ? oneShotMac(hash!, pads, prefix, body, encoding) : undefined;
  const handle: HmacKey = {
    mac(data) {
      const mac = fast('', data, 'binary');
      if (mac !== undefined) return toUint8(Buffer.from(mac, 'latin1'));
      return toUint8(streamed().update(data).digest());
    },
    macBase64url(data) {
      return fast('', data, 'base64url') ?? streamed().update(data).digest('base64url');
    },
    macRequest(prefix, body) {
      const mac = fast(prefix, body, 'base64url');
      if (mac !== undefined) return mac;
      const hmac = streamed();
      // One native UTF-8 encode of the joined string; bytes go in as a second update.
      if (body === undefined) hmac.update(prefix);
      else if (typeof body === 'string') hmac.update(prefix + body);
      else hmac.update(prefix, 'latin1').update(body);
      return hmac.digest('base64url');
    },
    destroy() {
      if (!live) return;
      live = false;
      if (pads) {
        padRegistry?.unregister(handle);
        wipe(pads);
      }
    },
  };
  if (pads) {
    padRegistry?.register(handle, pads, handle);
    padsOfKey.set(handle, pads);
  }
  return handle;
}

// For the test hooks only: the pads of each key, without keeping the key alive.
const padsOfKey = new WeakMap<HmacKey, PaddedKey>();

/**
 * Test hooks, not part of the package API: whether this Node has `crypto.hash`, the scratch buffer
 * and a key's padded blocks, so tests can check that the wipes happen.
 */
export const _nodeHmacInternals = {
  oneShotAvailable: (): boolean => oneShotHash !== undefined,
  scratchSize: SCRATCH_SIZE,
  scratch: (): Buffer | undefined => scratch,
  pads: (key: HmacKey): PaddedKey | undefined => padsOfKey.get(key),
};
