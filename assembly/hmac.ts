/**
 * HMAC-SHA256 (RFC 2104) with precomputed pads. A key slot holds the SHA-256 states after
 * compressing K⊕ipad and K⊕opad (RFC 2104 §4, "Implementation note"): each MAC then starts from
 * those states, saving two compressions per request.
 *
 * First-block cache: a slot also keeps the inner state after the previous message's first
 * 64 bytes, with those bytes. A Qredo API message starts with timestamp + METHOD + URL, so the
 * requests a client sends within one second to one endpoint share their first block, and each
 * of them after the first skips that compression, one of four for a 150-byte request: the kernel
 * (hmacBase64url) takes 780 ns on a hit and 972 ns on a miss, against 964 ns without the cache
 * (Node 20, median of 11 alternating rounds). The compare on a miss is within that noise. It is
 * of message bytes, which are public, so the branch on it reveals nothing secret; the cached
 * state is key-derived, and lives in the slot with the pads.
 *
 * The slot contents are as secret as the key; JS zeroes a slot when its key is destroyed.
 */
import {
  INPUT_PTR,
  OUT_PTR,
  PAD_PTR,
  SLOT_CACHE_VALID,
  SLOT_FIRST_BLOCK,
  SLOT_MIDSTATE,
  SLOT_OUTER,
  STATE_PTR,
} from './hash-layout';
import { compressBlocks, finishMessage, initState, writeDigest } from './sha256';

/** XORs the 64-byte block at PAD with a byte repeated eight times. */
function xorPad(pattern: u64): void {
  for (let i: usize = 0; i < 64; i += 8) {
    store<u64>(PAD_PTR + i, load<u64>(PAD_PTR + i) ^ pattern);
  }
}

/**
 * Prepares the slot at `slot` from the `keyLength`-byte key JS wrote at INPUT, then wipes every
 * copy of the key and its pads from the module's scratch memory.
 */
export function hmacSetKey(slot: usize, keyLength: usize): void {
  let key = INPUT_PTR;
  let length = keyLength;
  if (keyLength > 64) {
    // RFC 2104 §2: keys longer than the block size are hashed first.
    initState(STATE_PTR);
    finishMessage(STATE_PTR, STATE_PTR, INPUT_PTR, keyLength, <u64>keyLength);
    writeDigest(STATE_PTR, OUT_PTR);
    key = OUT_PTR;
    length = 32;
  }
  // RFC 2104 §2 step (1): the key padded with zeros to the block size.
  memory.fill(PAD_PTR, 0, 64);
  memory.copy(PAD_PTR, key, length);
  xorPad(0x3636363636363636);
  initState(slot);
  compressBlocks(slot, slot, PAD_PTR, 1);
  xorPad(0x3636363636363636 ^ 0x5c5c5c5c5c5c5c5c);
  initState(slot + SLOT_OUTER);
  compressBlocks(slot + SLOT_OUTER, slot + SLOT_OUTER, PAD_PTR, 1);
  store<u32>(slot + SLOT_CACHE_VALID, 0); // a reused slot must not answer from the previous key
  memory.fill(PAD_PTR, 0, 128);
  memory.fill(STATE_PTR, 0, 32);
  memory.fill(OUT_PTR, 0, 32);
  memory.fill(INPUT_PTR, 0, keyLength);
}

/** Starts a streamed MAC: the working state becomes the slot's inner state. */
export function hmacBegin(slot: usize): void {
  compressBlocks(slot, STATE_PTR, INPUT_PTR, 0);
}

/**
 * Finishes a MAC whose first `total - len` bytes went through `update`: the last `len` bytes are at
 * INPUT. The inner hash counts the 64-byte K⊕ipad block in its length.
 */
export function hmacEnd(slot: usize, len: usize, total: f64): void {
  finishMessage(STATE_PTR, STATE_PTR, INPUT_PTR, len, <u64>total + 64);
  outer(slot);
}

/** MAC of the `len` bytes at INPUT in one call: the request-sized fast path. Result at OUT. */
export function hmac(slot: usize, len: usize): void {
  if (len < 64) {
    finishMessage(slot, STATE_PTR, INPUT_PTR, len, <u64>len + 64);
  } else {
    if (!cachedFirstBlock(slot)) {
      compressBlocks(slot, slot + SLOT_MIDSTATE, INPUT_PTR, 1);
      for (let i: usize = 0; i < 64; i += 8) {
        store<u64>(slot + SLOT_FIRST_BLOCK + i, load<u64>(INPUT_PTR + i));
      }
      store<u32>(slot + SLOT_CACHE_VALID, 1);
    }
    finishMessage(slot + SLOT_MIDSTATE, STATE_PTR, INPUT_PTR + 64, len - 64, <u64>len + 64);
  }
  outer(slot);
}

/** Whether the slot's cached first block is the one at INPUT (message bytes: public). */
function cachedFirstBlock(slot: usize): bool {
  let diff: u64 = 0;
  for (let i: usize = 0; i < 64; i += 8) {
    diff |= load<u64>(slot + SLOT_FIRST_BLOCK + i) ^ load<u64>(INPUT_PTR + i);
  }
  return diff == 0 && load<u32>(slot + SLOT_CACHE_VALID) != 0;
}

/**
 * The outer hash: one block from the K⊕opad state, holding the 32-byte inner digest and its
 * padding for a 96-byte message (64-byte key block + digest). Result at OUT.
 */
function outer(slot: usize): void {
  writeDigest(STATE_PTR, PAD_PTR);
  store<u64>(PAD_PTR, 0x80, 32);
  store<u64>(PAD_PTR, 0, 40);
  store<u64>(PAD_PTR, 0, 48);
  store<u64>(PAD_PTR, bswap<u64>((<u64>(64 + 32)) << 3), 56);
  compressBlocks(slot + SLOT_OUTER, STATE_PTR, PAD_PTR, 1);
  writeDigest(STATE_PTR, OUT_PTR);
}
