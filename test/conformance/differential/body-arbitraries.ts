/**
 * Random bodies and API secrets for the differential tests (issue 6). Bodies: Unicode text
 * (astral, combining, joiner and control characters), binary, JSON objects and arrays, sized
 * around SHA-256 block boundaries and the backends' buffer sizes; a few of the wrong type or with
 * a lone surrogate. Secrets: random bytes as base64 in both alphabets, padded or not, with white
 * space around and unused trailing bits set, or raw. Only test code: no library imports.
 */
import fc from 'fast-check';

/** Text pieces of every UTF-8 length, with astral, combining, joiner and control characters. */
const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u007f',
  'é',
  'ß',
  'Ω',
  '\u0301',
  'e\u0301',
  '€',
  '中',
  '\uFEFF',
  '\u200D',
  '😀',
  '𝄞',
  '👨‍👩‍👧',
  '🇫🇷',
  'ﷺ',
  'שָׁלוֹם',
  '\u{10FFFF}',
];

/** Where the body's size comes from: random, or the signing input's length near a boundary. */
export type SizeSpec =
  | { mode: 'random'; bytes: number }
  | { mode: 'block'; blocks: number; delta: number }
  | { mode: 'total'; total: number };

// Total signing-input sizes around the backends' buffers: 256 bytes, js's 4 KiB encode buffer
// (1365 UTF-16 units × 3), node's 16 KiB one-shot scratch (text counts three bytes per unit), the
// WASM module's 32 KiB INPUT, a 64 KiB page. Bodies around the 160-byte 'auto' threshold come
// from the random sizes (0–300).
const LARGE_TOTALS = [
  255,
  256,
  257,
  1365 * 3,
  5440,
  16319,
  16320,
  16321,
  4095,
  4096,
  4097,
  32767,
  32768,
  32769,
  65535,
  65536,
  65537,
  100_003,
];

const sizeArb: fc.Arbitrary<SizeSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.nat(300).map((bytes) => ({ mode: 'random' as const, bytes })) },
  {
    weight: 6,
    arbitrary: fc.record({
      mode: fc.constant('block' as const),
      blocks: fc.integer({ min: 1, max: 6 }),
      delta: fc.constantFrom(-10, -9, -8, -2, -1, 0, 1, 2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...LARGE_TOTALS).map((total) => ({ mode: 'total' as const, total })),
  },
);

export type BodySpec =
  | { kind: 'none' | 'null' | 'empty-string' | 'empty-bytes' | 'empty-buffer' }
  | { kind: 'text'; size: SizeSpec; palette: string[]; loneSurrogate: boolean }
  | { kind: 'bytes' | 'arraybuffer'; size: SizeSpec; seed: Uint8Array }
  | { kind: 'json'; value: unknown }
  /** A body given as it is (hand-made cases). */
  | { kind: 'given'; value: string | Uint8Array }
  | { kind: 'wrong-type'; value: unknown };

const jsonObjectArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.dictionary(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 8 },
    ),
  },
  { weight: 2, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.object({ maxDepth: 2, maxKeys: 5 }) },
  // A few large ones: hundreds of entries.
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      { minKeys: 100, maxKeys: 400 },
    ),
  },
);

export const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom<BodySpec>(
      { kind: 'none' },
      { kind: 'null' },
      { kind: 'empty-string' },
      { kind: 'empty-bytes' },
      { kind: 'empty-buffer' },
    ),
  },
  {
    weight: 32,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      size: sizeArb,
      palette: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }),
      loneSurrogate: fc.nat(19).map((n) => n === 0),
    }),
  },
  {
    weight: 24,
    arbitrary: fc.record({
      kind: fc.constantFrom('bytes' as const, 'arraybuffer' as const),
      size: sizeArb,
      seed: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  },
  {
    weight: 16,
    arbitrary: fc.record({ kind: fc.constant('json' as const), value: jsonObjectArb }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<BodySpec>(
      { kind: 'wrong-type', value: 42 },
      { kind: 'wrong-type', value: new Date(0) },
      { kind: 'wrong-type', value: new Map() },
      { kind: 'wrong-type', value: new Uint16Array(2) },
      { kind: 'wrong-type', value: true },
    ),
  },
);

/** The body's target size in bytes, given the UTF-8 length of the prefix before it. */
function targetBytes(size: SizeSpec, prefixBytes: number): number {
  if (size.mode === 'random') return size.bytes;
  const total = size.mode === 'block' ? size.blocks * 64 + size.delta : size.total;
  return Math.max(0, total - prefixBytes);
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The body value to pass, built to its target size: text to exactly that many UTF-8 bytes (pieces
 * from the palette, then ASCII to fill), bytes by a seeded xorshift so that large bodies cost
 * nothing to describe.
 */
export function buildBody(spec: BodySpec, prefixBytes: number): unknown {
  switch (spec.kind) {
    case 'none':
      return undefined;
    case 'null':
      return null;
    case 'empty-string':
      return '';
    case 'empty-bytes':
      return new Uint8Array(0);
    case 'empty-buffer':
      return new ArrayBuffer(0);
    case 'json':
    case 'given':
    case 'wrong-type':
      return spec.value;
    case 'text': {
      const target = targetBytes(spec.size, prefixBytes);
      const parts: string[] = [];
      let bytes = 0;
      for (let i = 0; ; i++) {
        const piece = spec.palette[i % spec.palette.length];
        const n = utf8Length(piece);
        if (bytes + n > target) break;
        parts.push(piece);
        bytes += n;
      }
      let text = parts.join('') + 'x'.repeat(target - bytes);
      if (spec.loneSurrogate)
        text = text.slice(0, text.length >> 1) + '\uD800' + text.slice(text.length >> 1);
      return text;
    }
    default: {
      const target = targetBytes(spec.size, prefixBytes);
      const out = new Uint8Array(target);
      let x = spec.seed.reduce((h, b) => (h * 31 + b) | 0, 0x9e3779b9) | 1;
      for (let i = 0; i < target; i++) {
        if (i < spec.seed.length) out[i] = spec.seed[i];
        else {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          out[i] = x & 0xff;
        }
      }
      return spec.kind === 'arraybuffer' ? out.buffer : out;
    }
  }
}

export type SecretSpec =
  | { bytes: Uint8Array; encoding: number; space: string; trailingBits: boolean }
  | { invalid: string };

export const secretArb: fc.Arbitrary<SecretSpec> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      bytes: fc.uint8Array({ minLength: 1, maxLength: 130 }),
      encoding: fc.nat(4),
      space: fc.constantFrom('', '', '', ' ', '\n', '\t \r\n'),
      trailingBits: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('abc$', 'abcde', '', ' ', 'ab=cd', 'a===', 'Zm9v\u00e9')
      .map((invalid) => ({ invalid })),
  },
);

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The secret as a caller passes it, and the HMAC key bytes it stands for (undefined: invalid). */
export function buildSecret(spec: SecretSpec): { secret: string | Uint8Array; key?: Uint8Array } {
  if ('invalid' in spec) return { secret: spec.invalid };
  const { bytes } = spec;
  const encoding = spec.encoding % 5;
  if (encoding === 4) return { secret: bytes, key: bytes };
  let text = Buffer.from(bytes).toString('base64');
  // Unused low bits of the last symbol: Python's urlsafe_b64decode ignores them (contract §1.1).
  const unused = bytes.length % 3 === 1 ? 4 : bytes.length % 3 === 2 ? 2 : 0;
  if (spec.trailingBits && unused > 0) {
    const last = text.replace(/=+$/, '').length - 1;
    const flipped = STD[STD.indexOf(text[last]) ^ ((1 << unused) - 1)];
    text = text.slice(0, last) + flipped + text.slice(last + 1);
  }
  if (encoding >= 2) text = text.replace(/\+/g, '-').replace(/\//g, '_');
  if (encoding % 2 === 1) text = text.replace(/=+$/, '');
  return { secret: spec.space + text + spec.space, key: bytes };
}
