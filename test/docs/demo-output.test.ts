/**
 * `npm run demo` output in logs (issue 16): no ANSI escapes when NO_COLOR is set or standard
 * output is not a terminal; bold headings on a terminal otherwise. The demo's only styling is its
 * headings, so checking `headingLine` and that demo.ts prints nothing else styled covers it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { headingLine } from '../../scripts/demo-vectors.js';

const ESC = '\x1b';

test('not a terminal: plain text', () => {
  assert.is(headingLine('Golden vectors', { isTTY: false }, {}), '\nGolden vectors');
  assert.is(headingLine('Golden vectors', {}, {}), '\nGolden vectors');
});

test('NO_COLOR set (any non-empty value) on a terminal: plain text', () => {
  assert.is(headingLine('x', { isTTY: true }, { NO_COLOR: '1' }), '\nx');
  assert.is(headingLine('x', { isTTY: true }, { NO_COLOR: 'false' }), '\nx');
});

test('control: a terminal without NO_COLOR gets bold', () => {
  assert.ok(headingLine('x', { isTTY: true }, {}).includes(`${ESC}[1m`));
  assert.ok(headingLine('x', { isTTY: true }, { NO_COLOR: '' }).includes(`${ESC}[1m`));
});

test('demo.ts and demo-vectors.ts write no escape sequence except through headingLine', () => {
  const demo = readFileSync(new URL('../../scripts/demo.ts', import.meta.url), 'utf8');
  assert.not.match(demo, /\\x1b|\\u001b|\\033|\x1b/);
  const vectors = readFileSync(new URL('../../scripts/demo-vectors.ts', import.meta.url), 'utf8');
  assert.is(vectors.match(/\\x1b/g)?.length, 2, 'only headingLine styles');
});

test.run();
