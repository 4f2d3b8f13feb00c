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
 * The glue around the two hashes is a fifth of the time, so it uses the cheapest call for each
 * step (issue 17; 150-byte request, Node 20.20, 80 alternating rounds, median): the joined text in
 * one `utf8Write` rather than prefix and body in two `write`s, `latin1Write` rather than
 * `write(…, 'latin1')` (no encoding dispatch), a plain Uint8Array view of the scratch rather than
 * a Buffer `subarray` (no FastBuffer construction), and TypedArray `set`/`fill` rather than
 * Buffer's `copy`/`fill`: 1,053 ns against 1,328 ns, level with ten hand-written lines (1,065).
 * The K⊕opad view is kept per key (one per MAC cost another ~100 ns).
 *
 * Messages longer than the scratch buffer, and runtimes without `crypto.hash`, stream through
 * `createHmac` with a secret `KeyObject` (made on first need): on those sizes its setup is a small
 * share.
 *
 * Secrets: the padded blocks are key-equivalent. They live in buffers of their own (not Node's
 * shared pool), are zeroed by `destroy()` or, for a key dropped without it, when the key is
 * collected. The scratch buffer's copy of K⊕ipad is zeroed after every MAC.
 */
import * as nodeCrypto from 'node:crypto';
import type { HmacKey } from './types.js';
import { usedAfterDestroy } from './faults.js';

/** latin1: one character per byte. */
type Encoding = 'latin1' | 'base64url';
type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: Encoding) => string;

/** `crypto.hash`, where this Node has it (looked up, not imported: older Nodes lack the export). */
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash;

/**
 * Buffer's per-encoding writers (Node's own; Bun and Deno have them too), called as methods: the
 * bundler turns module-level `const`s into `var`s, and a call through a function held in a `var`
 * (`fill.call(…)`, a wrapper) is not inlined; a method call is (~80 ns per MAC, issue 17).
 */
interface DirectWriters {
  utf8Write(text: string, offset: number): number;
  latin1Write(text: string, offset: number): number;
}
const direct =
  typeof (Buffer.prototype as Partial<DirectWriters>).utf8Write === 'function' &&
  typeof (Buffer.prototype as Partial<DirectWriters>).latin1Write === 'function';

function writeUtf8(buffer: Buffer, text: string, offset: number): number {
  return direct
    ? (buffer as unknown as DirectWriters).utf8Write(text, offset)
    : buffer.write(text, offset, 'utf8');
}

function writeLatin1(buffer: Buffer, text: string, offset: number): number {
  return direct
    ? (buffer as unknown as DirectWriters).latin1Write(text, offset)
    : buffer.write(text, offset, 'latin1');
}

const BLOCK = 64;
const DIGEST = 32;

/**
 * The scratch buffer: K⊕ipad, then the message. 16 KiB covers every request-sized body; above it a
 * copy of the body would cost more than createHmac's setup saves.
 */
const SCRATCH_SIZE = 16 * 1024;
let scratch: Buffer | undefined;
/** A plain view of the scratch's first PADDED bytes, wiped with TypedArray `fill` (Buffer's own is slower). */
let scratchHead: Uint8Array | undefined;

/**
 * The two padded key blocks in one buffer: K⊕ipad at [0, 64), K⊕opad at [64, 128), then room for
 * the inner digest. One Buffer, one view (of K⊕opad, hashed every MAC), no object around them: a
 * key held by each of 10,000 signers costs its objects more than its bytes (issue 17).
 */
type PaddedKey = Buffer;
const OUTER = BLOCK;
const PADDED = 2 * BLOCK + DIGEST;

function padKey(key: Uint8Array): PaddedKey {
  // RFC 2104 §2: a key longer than the block is hashed first; a shorter one is zero-padded.
  const k = key.length > BLOCK ? nodeCrypto.createHash('sha256').update(key).digest() : key;
  const pads = Buffer.alloc(PADDED, 0x36); // its own memory, not Node's shared pool
  pads.fill(0x5c, OUTER, OUTER + BLOCK).fill(0, OUTER + BLOCK);
  for (let i = 0; i < k.length; i++) {
    pads[i] ^= k[i];
    pads[OUTER + i] ^= k[i];
  }
  if (k !== key) k.fill(0);
  return pads;
}

/**
 * The MAC of `prefix` (ASCII) then `body` (well-formed text, signed as UTF-8, or bytes) in
 * `encoding`, or undefined when the message may not fit the scratch buffer.
 */
function oneShotMac(
  hash: OneShotHash,
  pads: PaddedKey,
  outer: Uint8Array,
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
  if (!scratch) {
    scratch = Buffer.allocUnsafeSlow(SCRATCH_SIZE);
    scratchHead = new Uint8Array(scratch.buffer, scratch.byteOffset, PADDED);
  }
  const buffer = scratch;
  const head = scratchHead!;
  // Both pads go in (one copy, no view of the first half); the message overwrites K⊕opad from
  // byte 64, and what is left of it is wiped with K⊕ipad below.
  buffer.set(pads, 0);
  let end = BLOCK;
  let innerDigest: string;
  try {
    if (typeof body === 'string') {
      end += writeUtf8(buffer, prefix + body, BLOCK); // one native encode of the joined text
    } else {
      end += writeLatin1(buffer, prefix, BLOCK);
      if (body !== undefined) {
        buffer.set(body, end);
        end += body.length;
      }
    }
    innerDigest = hash('sha256', new Uint8Array(buffer.buffer, buffer.byteOffset, end), 'latin1');
  } finally {
    // The pads leave the shared scratch buffer whatever happens; the message is not secret.
    head.fill(0, 0, BLOCK);
    if (end < PADDED) head.fill(0, end);
  }
  writeLatin1(pads, innerDigest, OUTER + BLOCK);
  return hash('sha256', outer, encoding);
}

// Pads of keys dropped without destroy() are zeroed when the key is collected.
const padRegistry =
  typeof FinalizationRegistry === 'function'
    ? /* @__PURE__ */ new FinalizationRegistry<PaddedKey>(wipe)
    : undefined;

function wipe(pads: PaddedKey): void {
  pads.fill(0);
}

/** The bytes of a Buffer as a plain Uint8Array view (no copy); the node backend returns these. */
export function toUint8(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * HMAC key for the streamed path, rebuilt from the inner pad: K ⊕ ipad ⊕ ipad is K zero-padded to
 * the block (or SHA-256(K) padded, for a longer K), which RFC 2104 §2 makes the same HMAC key.
 * Made only when a message does not fit the scratch buffer, so most keys never hold a KeyObject.
 */
function keyFromPads(pads: PaddedKey): nodeCrypto.KeyObject {
  // Over an ArrayBuffer of its own: V8 keeps typed arrays of 64 bytes or fewer in the JS heap,
  // where a collection during createSecretKey could move it and leave an unwiped copy.
  const k = Buffer.from(new ArrayBuffer(BLOCK));
  for (let i = 0; i < BLOCK; i++) k[i] = pads[i] ^ 0x36;
  try {
    return nodeCrypto.createSecretKey(k);
  } finally {
    k.fill(0);
  }
}

/**
 * One class for every node HMAC key (one hidden class at the signers' call sites), holding its
 * secrets in private fields: about 400 bytes each where a closure-based key took about 1.5 KB
 * (issue 17, measured over 10,000 keys).
 */
class NodeHmacKey implements HmacKey {
  #pads: PaddedKey | undefined;
  /**
   * K⊕opad and the inner digest: a view of `#pads` kept per key, because making it per MAC cost
   * ~100 ns (about a tenth of the MAC; a view is ~70 B per key).
   */
  #outer: Uint8Array | undefined;
  #keyObject: nodeCrypto.KeyObject | undefined;
  #live = true;

  constructor(key: Uint8Array, useOneShot: boolean) {
    if (useOneShot && oneShotHash) {
      this.#pads = padKey(key);
      this.#outer = this.#pads.subarray(OUTER);
      padRegistry?.register(this, this.#pads, this);
    } else {
      this.#keyObject = nodeCrypto.createSecretKey(key);
    }
  }

  /** The padded blocks, for the test hooks only. */
  static padsOf(key: HmacKey): PaddedKey | undefined {
    return key instanceof NodeHmacKey ? key.#pads : undefined;
  }

  #streamed(): nodeCrypto.Hmac {
    if (!this.#live) throw usedAfterDestroy('HMAC key');
    return nodeCrypto.createHmac('sha256', (this.#keyObject ??= keyFromPads(this.#pads!)));
  }

  // `#live &&`: a destroyed key's pads are zero, so the fast path must not run on them.
  #fast(prefix: string, body: string | Uint8Array | undefined, encoding: Encoding) {
    const pads = this.#pads;
    return this.#live && pads
      ? oneShotMac(oneShotHash!, pads, this.#outer!, prefix, body, encoding)
      : undefined;
  }

  mac(data: Uint8Array): Uint8Array {
    const mac = this.#fast('', data, 'latin1');
    if (mac !== undefined) return toUint8(Buffer.from(mac, 'latin1'));
    return toUint8(this.#streamed().update(data).digest());
  }

  macBase64url(data: Uint8Array): string {
    return this.#fast('', data, 'base64url') ?? this.#streamed().update(data).digest('base64url');
  }

  macRequest(prefix: string, body: string | Uint8Array | undefined): string {
    const mac = this.#fast(prefix, body, 'base64url');
    if (mac !== undefined) return mac;
    const hmac = this.#streamed();
    // One native UTF-8 encode of the joined string; bytes go in as a second update.
    if (body === undefined) hmac.update(prefix);
    else if (typeof body === 'string') hmac.update(prefix + body);
    else hmac.update(prefix, 'latin1').update(body);
    return hmac.digest('base64url');
  }

  destroy(): void {
    if (!this.#live) return;
    this.#live = false;
    this.#keyObject = undefined;
    if (this.#pads) {
      padRegistry?.unregister(this);
      wipe(this.#pads);
    }
  }
}

/**
 * Prepares `key` for HMAC-SHA256 on node:crypto: padded blocks for the one-shot path (a secret
 * `KeyObject`, made from them, serves long messages), or a `KeyObject` alone on Nodes without
 * `crypto.hash` or when `useOneShot` is false.
 *
 * @example
 * ```ts
 * const key = importNodeHmacKey(secretBytes);
 * key.macRequest!('1647356399GEThttps://api.qredo.network/qapi/v1/balance', undefined);
 * key.destroy();
 * ```
 */
export function importNodeHmacKey(key: Uint8Array, useOneShot = true): HmacKey {
  return new NodeHmacKey(key, useOneShot);
}

/**
 * Test hooks, not part of the package API: whether this Node has `crypto.hash`, the scratch buffer
 * and a key's padded blocks, so tests can check that the wipes happen.
 */
export const _nodeHmacInternals = {
  oneShotAvailable: (): boolean => oneShotHash !== undefined,
  scratchSize: SCRATCH_SIZE,
  scratch: (): Buffer | undefined => scratch,
  pads: (key: HmacKey): { inner: Buffer; outer: Buffer } | undefined => {
    const pads = NodeHmacKey.padsOf(key);
    return pads && { inner: pads.subarray(0, OUTER), outer: pads.subarray(OUTER) };
  },
};
