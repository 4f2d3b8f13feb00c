/**
 * A small, strict DER (X.690 §10) reader and writer: just what RSA keys need (SEQUENCE, INTEGER,
 * OCTET STRING, BIT STRING, NULL, OBJECT IDENTIFIER). The reader bounds-checks every length and
 * refuses indefinite or non-minimal lengths, so truncated or hostile input fails cleanly with
 * `DerError`, never with an out-of-range read or a hang.
 */

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Thrown by the reader; keys.ts turns it into a SigningError without any key bytes. */
export class DerError extends Error {}

/** One decoded TLV: `bytes.subarray(start, end)` is its content; `next` the offset after it. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/** Reads the TLV at `offset`, which must end at or before `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used by RSA keys');
  let len = bytes[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes cannot describe a key here.
    if (count === 0 || count > 4) throw new DerError('bad length');
    if (pos + count > limit) throw new DerError('truncated');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + bytes[pos + i];
    pos += count;
    // DER §10.1: the shortest length form is mandatory.
    if (len < 0x80 || (count > 1 && bytes[pos - count] === 0))
      throw new DerError('non-minimal length');
  }
  const end = pos + len;
  if (end > limit) throw new DerError('truncated');
  return { tag, start: pos, end, next: end };
}

/** Reads a TLV and checks its tag. */
export function expectTlv(bytes: Uint8Array, offset: number, tag: number, limit?: number): Tlv {
  const tlv = readTlv(bytes, offset, limit);
  if (tlv.tag !== tag) throw new DerError(`expected tag ${tag}, found ${tlv.tag}`);
  return tlv;
}

/** Children of a constructed TLV, all of which must fit exactly. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.start;
  while (pos < parent.end) {
    const child = readTlv(bytes, pos, parent.end);
    out.push(child);
    pos = child.next;
  }
  return out;
}

/**
 * An INTEGER's content as an unsigned big-endian magnitude without leading zeros (a copy).
 * Negative integers and non-minimal encodings are refused.
 */
export function readUnsigned(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  if (tlv.tag !== TAG.INTEGER) throw new DerError('expected INTEGER');
  let start = tlv.start;
  const len = tlv.end - start;
  if (len === 0) throw new DerError('empty INTEGER');
  if (bytes[start] & 0x80) throw new DerError('negative INTEGER');
  if (len > 1 && bytes[start] === 0 && !(bytes[start + 1] & 0x80)) {
    throw new DerError('non-minimal INTEGER');
  }
  while (start < tlv.end - 1 && bytes[start] === 0) start++;
  // A real copy even when `bytes` is a node Buffer, whose slice() is a view: keys.ts wipes these
  // integers after import, which must never zero the caller's key buffer.
  return Uint8Array.prototype.slice.call(bytes, start, tlv.end);
}

/** True when `tlv` is an OBJECT IDENTIFIER whose content equals `oid`. */
export function isOid(bytes: Uint8Array, tlv: Tlv, oid: Uint8Array): boolean {
  if (tlv.tag !== TAG.OID || tlv.end - tlv.start !== oid.length) return false;
  for (let i = 0; i < oid.length; i++) if (bytes[tlv.start + i] !== oid[i]) return false;
  return true;
}

// ——— writer ———

function encodeLength(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV around already-encoded content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of content) len += c.length;
  const head = encodeLength(len);
  const out = new Uint8Array(1 + head.length + len);
  out[0] = tag;
  out.set(head, 1);
  let pos = 1 + head.length;
  for (const c of content) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** An unsigned big-endian magnitude as a DER INTEGER (a 0x00 is prepended when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const m = magnitude.subarray(start);
  if (m.length === 0) return tlv(TAG.INTEGER, new Uint8Array([0]));
  return m[0] & 0x80 ? tlv(TAG.INTEGER, new Uint8Array([0]), m) : tlv(TAG.INTEGER, m);
}
