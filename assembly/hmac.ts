/**
 * HMAC-SHA256 (RFC 2104) with precomputed pads. A key slot holds the SHA-256 states after
 * compressing K⊕ipad and K⊕opad (RFC 2104 §4, "Implementation note"): each MAC then starts from
 * those states, saving two compressions per request. The slot contents are as secret as the key;
 * JS zeroes a slot when its key is destroyed.
 */
import { INPUT_PTR, OUT_PTR, PAD_PTR, STATE_PTR } from './hash-layout';
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
  initState(slot + 32);
  compressBlocks(slot + 32, slot + 32, PAD_PTR, 1);
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
  finishMessage(slot, STATE_PTR, INPUT_PTR, len, <u64>len + 64);
  outer(slot);
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
  compressBlocks(slot + 32, STATE_PTR, PAD_PTR, 1);
  writeDigest(STATE_PTR, OUT_PTR);
}
