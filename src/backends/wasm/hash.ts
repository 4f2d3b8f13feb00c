/**
 * SHA-256 and HMAC-SHA256 on the `hash` WebAssembly module (assembly/hash.ts). One instance per
 * process (per worker) serves every key: its linear memory holds a 32 KiB input buffer and the
 * HMAC key slots, each the two SHA-256 states after K⊕ipad and K⊕opad (RFC 2104 §4) and a cache
 * of the inner state after the last message's first block (assembly/hmac.ts), followed by the
 * block key K0 itself, which only JS reads (withBlockKey). K0 is no more secret than the pad
 * states beside it (either signs any message), and is zeroed with them.
 *
 * Hot path (`macRequest`, `macBase64url`): one copy of the message into INPUT (or a UTF-8 encode
 * straight into it), one call into the module that returns the MAC already as base64url, and one
 * `String.fromCharCode` of those 43 bytes. Measured for a 150-byte message in Node 20, best of 15
 * (a scratch comparison; bench/wasm-hash-quick.mjs tracks the chosen path): encoding in the module and
 * `fromCharCode` with 43 arguments 969 ns; the MAC bytes encoded in JS with the same arithmetic
 * 1076 ns, or with the table in `encoding.ts` 1224 ns; encoded in the module but read with
 * `TextDecoder` 1195 ns or `fromCharCode.apply` 1308 ns; node:crypto `createHmac` 1672 ns.
 *
 * Bodies larger than INPUT stream through it in whole blocks, so the module never sees more than
 * 32 KiB at once and its memory does not grow with the message.
 */
import type { HmacKey } from '../types.js';
import type { BlockKeySource } from '../registry.js';
import { instantiateWasm } from './load.js';
import { usedAfterDestroy } from '../faults.js';

/** The exports of assembly/hash.ts. */
interface HashExports {
  readonly memory: WebAssembly.Memory;
  readonly INPUT_PTR: WebAssembly.Global;
  readonly INPUT_SIZE: WebAssembly.Global;
  readonly OUT_PTR: WebAssembly.Global;
  readonly B64_PTR: WebAssembly.Global;
  readonly STATE_PTR: WebAssembly.Global;
  readonly SLOTS_PTR: WebAssembly.Global;
  readonly SLOT_SIZE: WebAssembly.Global;
  sha256(len: number): void;
  sha256Begin(): void;
  update(len: number): void;
  sha256End(len: number, total: number): void;
  hmacSetKey(slot: number, keyLength: number): void;
  hmac(slot: number, len: number): void;
  hmacBase64url(slot: number, len: number): void;
  hmacBegin(slot: number): void;
  hmacEnd(slot: number, len: number, total: number): void;
  base64urlOut(): void;
  staticDataEnd(): number;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/** The SHA-256 block: RFC 2104's B. */
const BLOCK = 64;

/** The instance, its layout, and the key-slot allocator. */
class HashKernel {
  readonly exports: HashExports;
  readonly inputPtr: number;
  readonly inputSize: number;
  readonly outPtr: number;
  readonly b64Ptr: number;
  readonly statePtr: number;
  /** The module's slot; a lending key's slot has the 64-byte block key K0 after it. */
  readonly slotSize: number;
  /** Views of the memory; replaced when the memory grows (growth detaches the old buffer). */
  bytes!: Uint8Array;
  input!: Uint8Array;
  private nextSlot: number;
  private readonly freeSlots: number[] = [];
  private readonly freeLendingSlots: number[] = [];

  constructor(exports: HashExports) {
    this.exports = exports;
    this.inputPtr = exports.INPUT_PTR.value as number;
    this.inputSize = exports.INPUT_SIZE.value as number;
    this.outPtr = exports.OUT_PTR.value as number;
    this.b64Ptr = exports.B64_PTR.value as number;
    this.statePtr = exports.STATE_PTR.value as number;
    this.slotSize = exports.SLOT_SIZE.value as number;
    this.nextSlot = exports.SLOTS_PTR.value as number;
    this.refreshViews();
  }

  private refreshViews(): void {
    this.bytes = new Uint8Array(this.exports.memory.buffer);
    this.input = this.bytes.subarray(this.inputPtr, this.inputPtr + this.inputSize);
  }

  /** A slot, with room for the block key after it when `lending`. */
  allocateSlot(lending: boolean): number {
    const reused = (lending ? this.freeLendingSlots : this.freeSlots).pop();
    if (reused !== undefined) return reused;
    const slot = this.nextSlot;
    const slotSize = this.slotSize + (lending ? BLOCK : 0);
    const size = this.exports.memory.buffer.byteLength;
    if (slot + slotSize > size) {
      // Geometric growth (double, at most 16 MiB a step): page by page, a process holding many
      // keys grew memory thousands of times, and past ~64 MB each grow cost a full GC (issue 17).
      this.exports.memory.grow(Math.min(Math.max(size >>> 16, 1), 256));
      this.refreshViews();
    }
    this.nextSlot += slotSize;
    return slot;
  }

  /** Zeroes the slot (its states are as secret as the key) and makes it available again. */
  releaseSlot(slot: number, lending: boolean): void {
    this.bytes.fill(0, slot, slot + this.slotSize + (lending ? BLOCK : 0));
    (lending ? this.freeLendingSlots : this.freeSlots).push(slot);
  }

  /**
   * Feeds the message parts, in order, through INPUT into the running hash (after `sha256Begin`
   * or `hmacBegin`): whenever INPUT fills, its whole blocks are compressed (`update`) and the 0–63
   * bytes after them move to its start. Text is UTF-8-encoded straight into INPUT and bytes are
   * copied once, so a large body is never joined with its prefix first. Returns the bytes left at
   * INPUT, for the caller's finishing call, and the message's total length.
   */
  streamParts(parts: readonly (string | Uint8Array)[]): { left: number; total: number } {
    const size = this.inputSize;
    let filled = 0;
    let compressed = 0;
    const flush = () => {
      const whole = filled & ~63;
      this.exports.update(whole);
      this.input.copyWithin(0, whole, filled);
      compressed += whole;
      filled -= whole;
    };
    for (const part of parts) {
      if (typeof part === 'string') {
        // encodeInto stops only at the end of the text or when the next code point (up to four
        // bytes) does not fit; it never splits a surrogate pair, so `read` resumes on a boundary.
        for (let read = 0; read < part.length;) {
          if (size - filled < 4) flush();
          const result = encoder.encodeInto(
            read === 0 ? part : part.substring(read),
            this.input.subarray(filled),
          );
          read += result.read;
          filled += result.written;
        }
      } else {
        for (let offset = 0; offset < part.length;) {
          if (filled === size) flush();
          const n = Math.min(size - filled, part.length - offset);
          this.input.set(part.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
        }
      }
    }
    return { left: filled, total: compressed + filled };
  }

  /** The 32-byte result at OUT, as a new array. */
  out(): Uint8Array {
    return this.bytes.slice(this.outPtr, this.outPtr + 32);
  }

  /** The 43 base64url bytes at B64 as a string. */
  b64(): string {
    const b = this.bytes;
    const o = this.b64Ptr;
    // Explicit arguments: 340 ns faster than fromCharCode.apply on a subarray (see the header).
    // prettier-ignore
    return String.fromCharCode(
      b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7], b[o + 8],
      b[o + 9], b[o + 10], b[o + 11], b[o + 12], b[o + 13], b[o + 14], b[o + 15], b[o + 16],
      b[o + 17], b[o + 18], b[o + 19], b[o + 20], b[o + 21], b[o + 22], b[o + 23], b[o + 24],
      b[o + 25], b[o + 26], b[o + 27], b[o + 28], b[o + 29], b[o + 30], b[o + 31], b[o + 32],
      b[o + 33], b[o + 34], b[o + 35], b[o + 36], b[o + 37], b[o + 38], b[o + 39], b[o + 40],
      b[o + 41], b[o + 42],
    );
  }

  /**
   * Zeroes all scratch memory below INPUT (STATE, OUT, B64, PAD: assembly/hash-layout.ts) after a
   * key import. The kernel already wipes what it used; this also covers the digest of a key too
   * long for INPUT, which JS hashed through `sha256`.
   */
  wipeScratch(): void {
    this.bytes.fill(0, this.statePtr, this.inputPtr);
  }
}

let kernel: HashKernel | undefined;

function hashKernel(): HashKernel {
  return (kernel ??= new HashKernel(instantiateWasm('hash') as unknown as HashExports));
}

/** SHA-256 of `data` into OUT, one-shot or streamed. */
function sha256Into(k: HashKernel, data: Uint8Array): void {
  if (data.length <= k.inputSize) {
    k.input.set(data);
    k.exports.sha256(data.length);
    return;
  }
  k.exports.sha256Begin();
  const { left, total } = k.streamParts([data]);
  k.exports.sha256End(left, total);
}

/**
 * SHA-256 of `data` (FIPS 180-4) on the WASM kernel.
 *
 * @example
 * ```ts
 * toHex(wasmSha256(new TextEncoder().encode('abc'))) // 'ba7816bf…f20015ad'
 * ```
 */
export function wasmSha256(data: Uint8Array): Uint8Array {
  const k = hashKernel();
  sha256Into(k, data);
  return k.out();
}

// Keys dropped without destroy() still get their slot zeroed and freed when collected.
// (A lending key's slot is registered negated.)
const slotRegistry =
  typeof FinalizationRegistry === 'function'
    ? /* @__PURE__ */ new FinalizationRegistry<number>((held) =>
        kernel?.releaseSlot(Math.abs(held), held < 0),
      )
    : undefined;

class WasmHmacKey implements HmacKey, BlockKeySource {
  private slot: number;
  private readonly kernel: HashKernel;

  /** Whether the slot holds the block key after the module's part (withBlockKey). */
  private readonly lending: boolean;

  constructor(k: HashKernel, slot: number, lending: boolean) {
    this.kernel = k;
    this.slot = slot;
    this.lending = lending;
    slotRegistry?.register(this, lending ? -slot : slot, this);
  }

  private liveSlot(): number {
    if (this.slot < 0) throw usedAfterDestroy('HMAC key');
    return this.slot;
  }

  /** MAC of `data` into OUT (and base64url into B64 when `b64`). */
  private run(data: Uint8Array, b64: boolean): void {
    const k = this.kernel;
    const slot = this.liveSlot();
    if (data.length <= k.inputSize) {
      k.input.set(data);
      if (b64) k.exports.hmacBase64url(slot, data.length);
      else k.exports.hmac(slot, data.length);
      return;
    }
    this.streamed(slot, [data]);
    if (b64) k.exports.base64urlOut();
  }

  mac(data: Uint8Array): Uint8Array {
    this.run(data, false);
    return this.kernel.out();
  }

  macBase64url(data: Uint8Array): string {
    this.run(data, true);
    return this.kernel.b64();
  }

  /** MAC of a message larger than INPUT, streamed through it part by part. Result at OUT. */
  private streamed(slot: number, parts: readonly (string | Uint8Array)[]): void {
    const k = this.kernel;
    k.exports.hmacBegin(slot);
    const { left, total } = k.streamParts(parts);
    k.exports.hmacEnd(slot, left, total);
  }

  macRequest(prefix: string, body: string | Uint8Array | undefined): string {
    const k = this.kernel;
    const slot = this.liveSlot();
    // UTF-8 takes at least one byte per UTF-16 unit: beyond INPUT in units, beyond it in bytes.
    if (prefix.length + (body?.length ?? 0) <= k.inputSize) {
      // One UTF-8 encode of the joined text straight into INPUT. For a 150-byte request (Node 20,
      // best of 15): 1096 ns, against 1115 ns encoding prefix and body separately and 1195 ns
      // copying ASCII with a charCodeAt loop; bytes already encoded cost 964 ns.
      const text = typeof body === 'string' ? prefix + body : prefix;
      const { read, written } = encoder.encodeInto(text, k.input);
      if (read === text.length) {
        if (typeof body !== 'object') {
          k.exports.hmacBase64url(slot, written);
          return k.b64();
        }
        if (written + body.length <= k.inputSize) {
          k.input.set(body, written);
          k.exports.hmacBase64url(slot, written + body.length);
          return k.b64();
        }
      }
    }
    this.streamed(slot, body === undefined ? [prefix] : [prefix, body]);
    k.exports.base64urlOut();
    return k.b64();
  }

  /**
   * Calls `use` with a copy of the key's RFC 2104 block key K0 (64 bytes), wiped when `use`
   * returns: how `'auto'` imports a second backend's key for large bodies only when one comes
   * (backends/registry.ts), instead of holding two keys per signer from the start. Only keys
   * imported with {@link importWasmHmacKeyLending} have it.
   */
  withBlockKey<T>(use: (blockKey: Uint8Array) => T): T {
    if (!this.lending) throw new TypeError('this wasm key keeps no block key');
    const start = this.liveSlot() + this.kernel.slotSize;
    // Over an ArrayBuffer of its own: V8 keeps a typed array of 64 bytes or fewer in the JS heap,
    // where the collector may move it and leave an unwiped copy behind.
    const copy = new Uint8Array(new ArrayBuffer(BLOCK));
    copy.set(this.kernel.bytes.subarray(start, start + BLOCK));
    try {
      return use(copy);
    } finally {
      copy.fill(0);
    }
  }

  destroy(): void {
    if (this.slot < 0) return;
    slotRegistry?.unregister(this);
    this.kernel.releaseSlot(this.slot, this.lending);
    this.slot = -1;
  }
}

/**
 * Prepares an HMAC-SHA256 key in a WASM key slot: the pads are compressed once here (keys longer
 * than the 64-byte block are hashed first, RFC 2104 §2) and every copy of the key in the module's
 * scratch memory is wiped. `destroy()` zeroes the slot; a key that is garbage-collected without
 * it is zeroed then. Synchronous; throws `SigningError('UNAVAILABLE_BACKEND')` when WebAssembly
 * is missing or refused.
 *
 * @example
 * ```ts
 * const key = importWasmHmacKey(secretBytes);
 * key.macBase64url!(new TextEncoder().encode('1647356399GEThttps://api.qredo.network/qapi/v1/balance'));
 * key.destroy();
 * ```
 */
export function importWasmHmacKey(key: Uint8Array): HmacKey {
  return importKey(key, false);
}

/**
 * {@link importWasmHmacKey}, keeping the key's block key K0 in the slot (64 bytes more, zeroed
 * with it) so that `withBlockKey` can lend it: what `'auto'` imports when a second backend may
 * need the key later (backends/registry.ts, BlockKeyImporter).
 *
 * @example
 * ```ts
 * const key = importWasmHmacKeyLending(secretBytes);
 * const nodeKey = key.withBlockKey((k0) => nodeBackend.importHmacKey(k0));
 * ```
 */
export function importWasmHmacKeyLending(key: Uint8Array): HmacKey & BlockKeySource {
  return importKey(key, true);
}

function importKey(key: Uint8Array, lending: boolean): WasmHmacKey {
  const k = hashKernel();
  const slot = k.allocateSlot(lending);
  // RFC 2104 §2: K0 is the key zero-padded to the block, or its SHA-256 digest padded when it is
  // longer; HMAC with K0 is HMAC with K. It is written at INPUT, copied after the slot when
  // lending, and keys the module's pads.
  if (key.length > BLOCK) {
    sha256Into(k, key);
    k.input.fill(0, 0, Math.min(key.length, k.inputSize)); // the key passed through INPUT
    k.bytes.copyWithin(k.inputPtr, k.outPtr, k.outPtr + 32);
    k.input.fill(0, 32, BLOCK);
  } else {
    k.input.set(key);
    k.input.fill(0, key.length, BLOCK);
  }
  if (lending) k.bytes.copyWithin(slot + k.slotSize, k.inputPtr, k.inputPtr + BLOCK);
  k.exports.hmacSetKey(slot, BLOCK); // wipes INPUT[0, 64) and the pads
  k.wipeScratch();
  return new WasmHmacKey(k, slot, lending);
}

/**
 * Test hooks, not part of the package API: the module's memory and the slot address of a key, so
 * tests can check that destroy() zeroes the slot in linear memory.
 */
export const _wasmHashInternals = {
  memory: (): WebAssembly.Memory => hashKernel().exports.memory,
  slotOf: (key: HmacKey): number => (key as unknown as { slot: number }).slot,
  staticDataEnd: (): number => hashKernel().exports.staticDataEnd(),
  statePtr: (): number => hashKernel().statePtr,
  inputPtr: (): number => hashKernel().inputPtr,
  inputSize: (): number => hashKernel().inputSize,
  slotSize: (): number => hashKernel().slotSize,
};
