/**
 * The URL scanner (src/scheme/canonical-url.ts) against the runtime's WHATWG parser: whatever the scanner
 * accepts must be exactly `new URL(u).href` without its fragment, and canonicalUrl must give the
 * parser's answer (or INVALID_URL) for every input, scanned or not. The generator mixes the plain
 * API-client shape the scanner exists for with every spelling the parser rewrites: case, default
 * ports, dot segments (also as %2e), userinfo, IPv4/IPv6 hosts, punycode, unicode, whitespace,
 * controls, backslashes, fragments and the characters each percent-encode set catches.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { fastCanonicalUrl } from '../../src/scheme/canonical-url.js';
import { canonicalUrl } from '../../src/scheme/canonical.js';

/** The reference: contract §1.4's definition, computed by the runtime's own URL parser. */
function reference(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!/^(http|ws)s?:$/.test(parsed.protocol) || parsed.username || parsed.password) {
    return undefined;
  }
  parsed.hash = '';
  return parsed.href;
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

// Characters that matter to some part of the parser, weighted towards the plain ones.
const TRICKY = [
  ...'%.:/?#@[]\\^|`{}"<> \'\t\n\r\f\0\x7f',
  'é',
  'ß',
  'Ⅸ',
  'Ａ', // fullwidth A: mapped to "a" by UTS #46
  '\u00ad', // soft hyphen: ignored by UTS #46
  '\u200b',
  '😀',
  '\ud800', // lone surrogate
  '%2e',
  '%2E',
  '%2f',
  '%zz',
  '%4',
  '%',
  'xn--',
  '0x',
];
const PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@'";

const plainChar = fc.constantFrom(...PLAIN);
const anyChar = fc.oneof(
  { weight: 6, arbitrary: plainChar },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const text = (max: number, unit = anyChar) => fc.string({ unit, maxLength: max });

const scheme = fc.oneof(
  { weight: 8, arbitrary: pick('https', 'http', 'wss', 'ws') },
  { weight: 2, arbitrary: pick('HTTPS', 'Http', 'WS', 'ftp', 'file', 'mailto', 'data', 'htt') },
);
const afterScheme = fc.oneof(
  { weight: 10, arbitrary: fc.constant('://') },
  { weight: 1, arbitrary: pick(':/', ':', ':///', ':\\\\', ':/\\', '://user@', '://u:p@', '://@') },
);
const hostLabel = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.string({ unit: fc.constantFrom(...'abcxyz019-'), minLength: 1, maxLength: 8 }),
  },
  {
    weight: 1,
    arbitrary: pick('API', 'Qredo', 'xn--nxasmq6b', 'xn--a', '0x7f', '127', '08', '1e3', ''),
  },
  { weight: 1, arbitrary: text(4) },
);
const host = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(hostLabel, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
  },
  {
    weight: 1,
    arbitrary: pick(
      '[::1]',
      '[2001:DB8::1]',
      '[::ffff:127.0.0.1]',
      '127.0.0.1',
      '1.2.3',
      '0x7f.1',
      '4294967295',
      'localhost',
      'a..b',
      'example.com.',
      'EXAMPLE.com',
      'exa mple.com',
      'ex%41mple.com',
      'bücher.de',
      'ＡＰＩ.com',
      'a\tb.com',
    ),
  },
);
const port = pick(
  '',
  '',
  '',
  ':80',
  ':443',
  ':8080',
  ':8443',
  ':0',
  ':',
  ':65535',
  ':65536',
  ':080',
  ':00443',
  ':99999',
  ':1a',
);
const segment = fc.oneof(
  { weight: 8, arbitrary: text(10, plainChar) },
  { weight: 3, arbitrary: text(6) },
  {
    weight: 1,
    arbitrary: pick('.', '..', '%2e', '%2E', '.%2e', '%2e.', '%2E%2e', '...', '.a', '%2e%2e%2e'),
  },
);
const path = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => s.map((x) => `/${x}`).join('')),
  },
  { weight: 1, arbitrary: pick('', '/', '//', '\\a', '/a\\b', '?', '#') },
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: text(12, plainChar).map((q) => `?${q}`) },
  { weight: 2, arbitrary: text(8).map((q) => `?${q}`) },
);
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: text(6).map((f) => `#${f}`) },
);
const edge = pick('', '', '', '', '', '', ' ', '\t', '\n', '\0', '\x1f');

/** Any combination of the parts above: mostly URLs the parser rewrites or refuses. */
const wildUrls = fc
  .tuple(edge, scheme, afterScheme, host, port, path, query, fragment, edge)
  .map((parts) => parts.join(''));

/** The plain shape the scanner exists for: each one must be accepted (and be right). */
const plainUrls = fc
  .tuple(
    pick('https://', 'http://', 'wss://', 'ws://'),
    fc.array(fc.string({ unit: fc.constantFrom(...'abcz09-'), minLength: 1, maxLength: 6 }), {
      minLength: 1,
      maxLength: 3,
    }),
    pick('a', 'com', 'network'),
    fc.array(text(8, fc.constantFrom(...PLAIN.replace('.', ''))), { minLength: 1, maxLength: 4 }),
    fc.option(
      text(
        10,
        plainChar.filter((c) => c !== "'"),
      ),
      { nil: undefined },
    ),
  )
  .map(
    ([s, labels, tld, segments, q]) =>
      `${s}${[...labels, tld].join('.')}/${segments.join('/')}${q === undefined ? '' : `?${q}`}`,
  );

/** A plain URL with one tricky token inserted or one character replaced: the near misses. */
const nearMisses = fc
  .tuple(
    plainUrls,
    fc.nat(),
    fc.constantFrom(...TRICKY, 'A', 'Z', '.', '/', ':443', ':80'),
    fc.boolean(),
  )
  .map(([url, at, token, replace]) => {
    const i = at % (url.length + 1);
    return url.slice(0, i) + token + url.slice(replace ? i + 1 : i);
  });

const urls = fc.oneof(
  { weight: 2, arbitrary: plainUrls },
  { weight: 4, arbitrary: nearMisses },
  { weight: 4, arbitrary: wildUrls },
);

function checkOne(url: string, counts: { fast: number }): void {
  const expected = reference(url);
  const fast = fastCanonicalUrl(url);
  if (fast !== undefined) {
    counts.fast++;
    assert.is(fast, expected, `fastCanonicalUrl accepted ${JSON.stringify(url)}`);
  }
  let actual: string | undefined;
  try {
    actual = canonicalUrl(url);
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INVALID_URL', JSON.stringify(url));
  }
  assert.is(actual, expected, `canonicalUrl(${JSON.stringify(url)})`);
}

test('scanner result === new URL(u).href minus fragment, over 20,000 generated URLs', () => {
  const counts = { fast: 0 };
  fc.assert(
    fc.property(urls, (url) => checkOne(url, counts)),
    { numRuns: 20_000 },
  );
  // The test is only as strong as what the scanner took: a large share must have been accepted.
  assert.ok(counts.fast > 2_000, `scanner accepted only ${counts.fast} of 20,000`);
});

test('every plain API-client URL is taken by the scanner, and right', () => {
  fc.assert(
    fc.property(plainUrls, (url) => {
      const fast = fastCanonicalUrl(url);
      assert.is.not(fast, undefined, `scanner refused ${url}`);
      assert.is(fast, reference(url));
    }),
    { numRuns: 5_000 },
  );
});

test('the spellings the parser rewrites are left to it, with its answer', () => {
  const rewritten: Array<[string, string]> = [
    ['HTTPS://api.qredo.network/x', 'https://api.qredo.network/x'],
    ['https://API.qredo.network/x', 'https://api.qredo.network/x'],
    ['https://api.qredo.network:443/x', 'https://api.qredo.network/x'],
    ['http://api.qredo.network:80/x', 'http://api.qredo.network/x'],
    ['wss://a.com:443/x', 'wss://a.com/x'],
    ['https://a.com:0443/x', 'https://a.com/x'],
    ['https://a.com/b/../c', 'https://a.com/c'],
    ['https://a.com/b/%2e%2E/c', 'https://a.com/c'],
    ['https://a.com/b/%2e', 'https://a.com/b/'],
    ['https://a.com/b/.?q', 'https://a.com/b/?q'],
    ['https://a.com/a b', 'https://a.com/a%20b'],
    ['https://a.com/é', 'https://a.com/%C3%A9'],
    ["https://a.com/?a'b", 'https://a.com/?a%27b'],
    ['https://a.com/^', new URL('https://a.com/^').href],
    ['https://a.com/{x}', 'https://a.com/%7Bx%7D'],
    ['https://a.com\\b\\c', 'https://a.com/b/c'],
    ['https://a.com/b\tc\n', 'https://a.com/bc'],
    ['  https://a.com/x  ', 'https://a.com/x'],
    ['https://a.com/x#frag', 'https://a.com/x'],
    ['https://a.com?x', 'https://a.com/?x'],
    ['https://127.1/x', 'https://127.0.0.1/x'],
    ['https://[2001:DB8::1]/x', 'https://[2001:db8::1]/x'],
    ['https://bücher.de/x', 'https://xn--bcher-kva.de/x'],
    ['https:\\\\a.com/x', 'https://a.com/x'],
    ['https:a.com/x', 'https://a.com/x'],
    // Canonical already, but only the parser can tell (ports, no path): left to it all the same.
    ['https://api.qredo.network', 'https://api.qredo.network/'],
    ['http://localhost:8080/x', 'http://localhost:8080/x'],
    ['https://a.com:8443/x', 'https://a.com:8443/x'],
  ];
  for (const [input, canonical] of rewritten) {
    assert.is(fastCanonicalUrl(input), undefined, `scanner must not take ${JSON.stringify(input)}`);
    assert.is(canonicalUrl(input), canonical, JSON.stringify(input));
  }
});

test('the scanner takes the plain shapes unchanged', () => {
  const taken: Array<[string, string]> = [
    ['https://api.qredo.network/qapi/v1/balance', 'https://api.qredo.network/qapi/v1/balance'],
    ['https://a.com/x?y=1&z=%2F&w=a/b?c', 'https://a.com/x?y=1&z=%2F&w=a/b?c'],
    ['wss://a.com/ws/v1/%7e?', 'wss://a.com/ws/v1/%7e?'],
    ['https://a-b.c0m/.../..a/a..', 'https://a-b.c0m/.../..a/a..'],
  ];
  for (const [input, canonical] of taken) {
    assert.is(fastCanonicalUrl(input), canonical, input);
    assert.is(new URL(input).href, canonical, `reference for ${input}`);
  }
});

test('URLs that are not signable are refused whichever path they take', () => {
  const refused = [
    'https://user@a.com/',
    'https://u:p@a.com/',
    'ftp://a.com/',
    'file:///etc/passwd',
    'https://',
    'https://a.com:65536/',
    '/relative',
    '',
  ];
  for (const url of refused) {
    assert.is(fastCanonicalUrl(url), undefined, url);
    assert.throws(
      () => canonicalUrl(url),
      (e: { code?: string }) => e.code === 'INVALID_URL',
      url,
    );
  }
  assert.throws(
    () => canonicalUrl(42),
    (e: { code?: string }) => e.code === 'INVALID_URL',
  );
});

test('unique URLs past the cache size keep the answers right (no wholesale clearing needed)', () => {
  // Uncanonical spellings go through new URL and the bounded cache: more of them than it holds.
  for (let i = 0; i < 2_000; i++) {
    const url = `https://A.COM:443/items/${i}/./x`;
    assert.is(canonicalUrl(url), `https://a.com/items/${i}/x`);
  }
  assert.is(canonicalUrl('https://A.COM:443/items/7/./x'), 'https://a.com/items/7/x');
  assert.is(canonicalUrl(new URL('https://a.com/u#f')), 'https://a.com/u');
});

test.run();
