/**
 * Random requests for the differential tests (issue 6), as fast-check arbitraries: methods
 * (common, lower/mixed case, custom tokens, a few invalid), URLs (random paths, queries,
 * percent-encoding, dot segments, Unicode and IP hosts, ports, fragments, a few invalid),
 * timestamps (numbers, bigints,
 * digit strings; mostly within a verifier's window of NOW_MS), nonces, and where a round trip's
 * single-byte changes land. Bodies and secrets: _body-arbitraries.ts. No library imports.
 */
import fc from 'fast-check';

/** The fixed clock of the round trips: 2023-11-14T22:13:20Z. */
export const NOW_MS = 1_700_000_000_000;

const STANDARD_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
const TCHARS =
  "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');

const mixedCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((c, i) => (flags[i] ? c.toLowerCase() : c)).join(''));

export const methodArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 18, arbitrary: fc.constantFrom(...STANDARD_METHODS) },
  { weight: 9, arbitrary: fc.constantFrom(...STANDARD_METHODS).chain(mixedCase) },
  {
    weight: 6,
    arbitrary: fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'GE T', 'GET\n', 'PÖST', 'a(b)', 'x:y', '"Q"', 7, null),
  },
);

// ——— URLs ———

const HOST_LABELS = [
  'bücher',
  'münchen',
  '例え',
  'пример',
  'ελλάδα',
  '日本',
  'مثال',
  'xn--bcher-kva',
  'ÅNGSTRÖM',
  'straße',
  'ﬁle',
  'ǅemal',
  'api',
  'QREDO',
  'play-api',
  'ex%41mple',
  'a_b',
];

const hostArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.domain() },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.array(fc.constantFrom(...HOST_LABELS), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('com', 'network', 'test', 'рф', 'XN--P1AI'),
      )
      .map(([labels, tld]) => [...labels, tld].join('.')),
  },
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 2, arbitrary: fc.ipV6().map((ip) => `[${ip}]`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'localhost',
      'LOCALHOST',
      '127.1',
      '0x7f.1',
      'exa mple.com',
      '[::1',
      'a%00b.com',
      'xn--.com',
    ),
  },
);

const PERCENT = fc
  .tuple(
    fc.constantFrom(...'0123456789abcdefABCDEFzg%'.split('')),
    fc.constantFrom(...'0123456789abcdefABCDEF'.split('')),
  )
  .map(([a, b]) => `%${a}${b}`);

const segmentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(PERCENT, fc.string({ unit: 'grapheme-ascii', maxLength: 3 })), {
        maxLength: 5,
      })
      .map((p) => p.join('')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '.',
      '..',
      '%2e',
      '%2E%2e',
      '',
      ' ',
      'a b',
      'ä',
      '%F0%9F%98%80',
      '\\',
      '?',
      ';x=1',
    ),
  },
);

const queryArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc
    .array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 })), {
      maxLength: 4,
    })
    .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.array(PERCENT, { maxLength: 6 }).map((p) => p.join('+')),
);

/** A URL string (sometimes a URL object), mostly valid; the reference decides which. */
export const urlArb: fc.Arbitrary<string | { url: string }> = fc
  .record({
    // Rare faults (ws(s) with another method than GET, ftp, credentials) keep most cases valid.
    scheme: fc.oneof(
      { weight: 40, arbitrary: fc.constantFrom('https', 'http', 'HTTPS', 'Http') },
      { weight: 2, arbitrary: fc.constantFrom('wss', 'ws') },
      { weight: 1, arbitrary: fc.constant('ftp') },
    ),
    credentials: fc.oneof(
      { weight: 40, arbitrary: fc.constant('') },
      { weight: 2, arbitrary: fc.constant('@') },
      { weight: 1, arbitrary: fc.constantFrom('user@', 'u:p@') },
    ),
    host: hostArb,
    port: fc.option(fc.oneof(fc.constantFrom(80, 443, 8080, 0, 65535, 65536), fc.nat(65535)), {
      freq: 4,
    }),
    path: fc.array(segmentArb, { maxLength: 5 }),
    query: fc.option(queryArb, { freq: 2 }),
    fragment: fc.option(fc.string({ unit: 'grapheme', maxLength: 8 }), { freq: 4 }),
    around: fc.constantFrom('', '', '', '', ' ', '\t', '\n', ' \u0000'),
    asObject: fc.boolean(),
  })
  .map((u) => {
    const text = `${u.around}${u.scheme}://${u.credentials}${u.host}${u.port === null ? '' : `:${u.port}`}/${u.path.join('/')}${u.query === null ? '' : `?${u.query}`}${u.fragment === null ? '' : `#${u.fragment}`}${u.around}`;
    return u.asObject ? { url: text } : text; // { url } asks the property to pass a URL object
  });

// ——— timestamps ———

/** Mostly fresh (within 20 s of NOW_MS, in s/ms/µs/ns), in every accepted form; some arbitrary or invalid. */
export const timestampArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc
      .record({
        offsetMs: fc.integer({ min: -20_000, max: 20_000 }),
        unit: fc.nat(3),
        form: fc.nat(2),
      })
      .map(({ offsetMs, unit, form }) => {
        const ns = BigInt(NOW_MS + offsetMs) * 1_000_000n + BigInt(offsetMs & 0xffff) * 7n;
        const value = ns / [1_000_000_000n, 1_000_000n, 1_000n, 1n][unit];
        return form === 0
          ? value
          : form === 1
            ? String(value)
            : value <= BigInt(Number.MAX_SAFE_INTEGER)
              ? Number(value)
              : String(value);
      }),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.maxSafeNat(),
      fc.constantFrom(0, Number.MAX_SAFE_INTEGER),
      fc.bigInt({ min: 0n, max: 10n ** 40n }),
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9]{1,32}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      -1,
      1.5,
      NaN,
      2 ** 53,
      '12a',
      '',
      ' 1',
      '1e3',
      '١٢٣',
      '1'.repeat(33),
      -1n,
      new Date(0),
      '+1',
    ),
  },
);

// ——— one round trip's single-byte changes ———

/** Where each single-byte change of a round trip lands (read modulo the field's length). */
export interface Tamper {
  body: number;
  bodyMask: number;
  signature: number;
  signatureChar: number;
  timestamp: number;
  timestampDigit: number;
  url: number;
  urlChar: number;
  backend: number;
}

export const tamperArb: fc.Arbitrary<Tamper> = fc.record({
  body: fc.nat(),
  bodyMask: fc.integer({ min: 1, max: 255 }),
  signature: fc.nat(),
  signatureChar: fc.nat(63),
  timestamp: fc.nat(),
  timestampDigit: fc.integer({ min: 1, max: 9 }),
  url: fc.nat(),
  urlChar: fc.integer({ min: 0x20, max: 0x7e }),
  backend: fc.nat(),
});

/** Nonces of the Partner API: visible ASCII up to 256 characters, or non-negative integers. */
export const nonceArb: fc.Arbitrary<string | number | bigint> = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 256,
  }),
  fc.maxSafeNat(),
  fc.bigInt({ min: 0n, max: 10n ** 30n }),
);

export { bodyArb, buildBody, buildSecret, secretArb } from './body-arbitraries.js';
export type { BodySpec, SecretSpec, SizeSpec } from './body-arbitraries.js';
