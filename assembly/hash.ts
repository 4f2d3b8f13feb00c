/**
 * Entry of the `hash` module: SHA-256, HMAC-SHA256 with precomputed key slots, and base64url of
 * the result, over the fixed buffers of `hash-layout.ts`. JS writes at INPUT, calls one export,
 * and reads OUT or B64. Built by scripts/build-wasm.mjs with no imports at all.
 */
import { INPUT_PTR, OUT_PTR, STATE_PTR } from './hash-layout';
import { compressBlocks, finishMessage, initState, writeDigest } from './sha256';
import { base64urlOut } from './base64';
import { hmac } from './hmac';

export {
  B64_PTR,
  INPUT_PTR,
  INPUT_SIZE,
  OUT_PTR,
  SLOT_SIZE,
  SLOTS_PTR,
  STATE_PTR,
} from './hash-layout';
export { hmac, hmacBegin, hmacEnd, hmacSetKey } from './hmac';
export { base64urlOut } from './base64';

/** SHA-256 of the `len` bytes at INPUT in one call. Digest at OUT. */
export function sha256(len: usize): void {
  initState(STATE_PTR);
  finishMessage(STATE_PTR, STATE_PTR, INPUT_PTR, len, <u64>len);
  writeDigest(STATE_PTR, OUT_PTR);
}

/** Starts a streamed SHA-256. */
export function sha256Begin(): void {
  initState(STATE_PTR);
}

/** Streams `len` bytes at INPUT (a multiple of 64) into the working state (SHA-256 or HMAC). */
export function update(len: usize): void {
  compressBlocks(STATE_PTR, STATE_PTR, INPUT_PTR, len >> 6);
}

/** Finishes a streamed SHA-256 of `total` bytes whose last `len` are at INPUT. Digest at OUT. */
export function sha256End(len: usize, total: f64): void {
  finishMessage(STATE_PTR, STATE_PTR, INPUT_PTR, len, <u64>total);
  writeDigest(STATE_PTR, OUT_PTR);
}

/** HMAC of the `len` bytes at INPUT, as base64url at B64: the whole request-signing kernel. */
export function hmacBase64url(slot: usize, len: usize): void {
  hmac(slot, len);
  base64urlOut();
}

/** End of the compiler's static data, for the layout test. */
export function staticDataEnd(): usize {
  return __heap_base;
}
