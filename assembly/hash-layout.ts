/**
 * Fixed linear-memory layout of the hash module. Everything lives at constant addresses so loads
 * and stores fold their offsets; the stub runtime never allocates. The JS side reads these through
 * the exported globals, never from its own copy.
 *
 *   1024  K       256 B   the compiler's static data: SHA-256's round constants (sha256.ts)
 *   1536  STATE    32 B   working SHA-256 state (eight native-endian words)
 *   1568  OUT      32 B   digest / MAC, big-endian bytes
 *   1600  B64      48 B   base64url of OUT (43 bytes used)
 *   1664  PAD     128 B   scratch for the final one or two padded blocks, and key pads
 *   2048  INPUT    32 KiB message chunk written by JS
 *  34816  SLOTS           192-byte HMAC key slots; JS grows memory. A slot holds:
 *            +0    inner state: after K⊕ipad (32 B)
 *            +32   outer state: after K⊕opad (32 B)
 *            +64   first-block cache: the inner state after the last message's first block (32 B)
 *            +96   cache valid flag (u32; 0 = empty) and padding (32 B)
 *            +128  the last message's first 64-byte block (64 B)
 *
 * AssemblyScript lays its static data out from 1024; everything up to STATE is left to it (a test
 * checks `__heap_base` against STATE_PTR, so static data that outgrows the gap fails the build's
 * tests instead of being overwritten as scratch).
 */
export const STATE_PTR: usize = 1536;
export const OUT_PTR: usize = 1568;
export const B64_PTR: usize = 1600;
export const PAD_PTR: usize = 1664;
export const INPUT_PTR: usize = 2048;
/** A multiple of the 64-byte block so every chunk but the last feeds whole blocks. */
export const INPUT_SIZE: usize = 32768;
export const SLOTS_PTR: usize = INPUT_PTR + INPUT_SIZE;
export const SLOT_SIZE: usize = 192;
export const SLOT_OUTER: usize = 32;
export const SLOT_MIDSTATE: usize = 64;
export const SLOT_CACHE_VALID: usize = 96;
export const SLOT_FIRST_BLOCK: usize = 128;
