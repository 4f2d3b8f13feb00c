/**
 * The bundled package (scripts/build-bundles.mjs, issue 17): built into a scratch directory, then
 * loaded in a child process as users load it, ESM and CommonJS side by side. What must hold:
 * - a SigningError thrown by either build is `instanceof SigningError` of both (the Symbol.for
 *   brand), and nothing else is, however it is dressed up;
 * - two entries of one build share ONE backend registry, one SigningError class and one default
 *   nonce store (code splitting for ESM; the same split graph converted file by file for CJS);
 * - the default nonce store is also one across the two builds (a process-wide global).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (build/ is ignored by git) so that dependencies resolve from node_modules.
const out = join(repo, 'build', `test-bundles-${process.pid}`);

// Runs in a fresh Node (no tsx): `esm` and `cjs` are the two builds of `out`.
const CHILD = `
import { createRequire } from 'node:module';
const out = ${JSON.stringify(out)};
const require = createRequire(out + '/');
const esmNode = await import(out + '/esm/backend-node.js');
const esmJs = await import(out + '/esm/backend-js.js');
const esmHalf = await import(out + '/esm/index.qredo-api.js');
const cjsNode = require(out + '/cjs/backend-node.js');
const cjsJs = require(out + '/cjs/backend-js.js');
const thrown = (api) => {
  try { api.createQredoSigner({ apiKey: 'k', secret: 'not base64 !' }); } catch (e) { return e; }
  return undefined;
};
const esmError = thrown(esmNode);
const cjsError = thrown(cjsNode);
const forged = Object.assign(new Error('x'), { name: 'SigningError', code: 'INVALID_SECRET' });
class LookAlike extends Error { get name() { return 'SigningError'; } code = 'INVALID_SECRET'; }
class Sub extends esmNode.SigningError {}
const sub = new Sub('INVALID_KEY', 'k must be valid');
const is = (v, C) => v instanceof C;
console.log(JSON.stringify({
  codes: [esmError?.code, cjsError?.code],
  esmIsEsm: is(esmError, esmNode.SigningError),
  esmIsCjs: is(esmError, cjsNode.SigningError),
  cjsIsEsm: is(cjsError, esmNode.SigningError),
  cjsIsCjs: is(cjsError, cjsNode.SigningError),
  classesDiffer: esmNode.SigningError !== cjsNode.SigningError,
  forged: [is(forged, esmNode.SigningError), is(forged, cjsNode.SigningError)],
  lookAlike: [is(new LookAlike('x'), esmNode.SigningError), is(new LookAlike('x'), cjsNode.SigningError)],
  plain: [new TypeError('x'), null, undefined, 0, 'SigningError', {}].map((v) => is(v, esmNode.SigningError) || is(v, cjsNode.SigningError)),
  subIsBoth: [is(sub, esmNode.SigningError), is(sub, cjsNode.SigningError)],
  cjsErrorIsSub: is(cjsError, Sub),
  esmErrorIsSub: is(esmError, Sub),
  isSigningError: [esmNode.isSigningError(cjsError), cjsNode.isSigningError(esmError)],
  json: JSON.stringify(esmError),
  ownKeys: Reflect.ownKeys(esmError).map(String),
  esmBackends: [esmNode.availableBackends(), esmJs.availableBackends(), esmHalf.availableBackends()],
  cjsBackends: [cjsNode.availableBackends(), cjsJs.availableBackends()],
  esmOneClass: esmNode.SigningError === esmJs.SigningError && esmJs.SigningError === esmHalf.SigningError,
  cjsOneClass: cjsNode.SigningError === cjsJs.SigningError,
  nonceStore: [
    esmNode.defaultNonceStore() === esmJs.defaultNonceStore(),
    cjsNode.defaultNonceStore() === cjsJs.defaultNonceStore(),
    esmNode.defaultNonceStore() === cjsNode.defaultNonceStore(),
  ],
}));
`;

let result: Record<string, unknown>;

test.before(async () => {
  const { bundleEntries } = await import('../../scripts/build-bundles.mjs');
  await bundleEntries(out);
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
    cwd: repo,
  });
  assert.is(child.status, 0, child.stderr);
  result = JSON.parse(child.stdout.trim().split('\n').pop() as string);
});

test.after(() => {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
});

test('control: both builds throw their SigningError for a bad secret', () => {
  assert.equal(result.codes, ['INVALID_SECRET', 'INVALID_SECRET']);
  assert.ok(result.esmIsEsm);
  assert.ok(result.cjsIsCjs);
  assert.ok(result.classesDiffer, 'the ESM and CJS builds are two copies of the class');
});

test('SigningError: instanceof holds across the ESM and CJS copies (Symbol.for brand)', () => {
  assert.ok(result.esmIsCjs, 'ESM error instanceof CJS SigningError');
  assert.ok(result.cjsIsEsm, 'CJS error instanceof ESM SigningError');
  assert.equal(result.isSigningError, [true, true]);
});

test('attack: an Error dressed as a SigningError (name, code) is not instanceof', () => {
  assert.equal(result.forged, [false, false]);
  assert.equal(result.lookAlike, [false, false]);
  assert.equal(result.plain, [false, false, false, false, false, false]);
});

test('SigningError: a subclass keeps its own instanceof; the brand adds no own key', () => {
  assert.equal(result.subIsBoth, [true, true]);
  assert.is(result.cjsErrorIsSub, false, 'a plain SigningError is not a Sub');
  assert.is(result.esmErrorIsSub, false);
  assert.ok(!(result.ownKeys as string[]).some((k) => k.includes('qredo-sign')));
  assert.equal(JSON.parse(result.json as string), {
    name: 'SigningError',
    code: 'INVALID_SECRET',
    message: JSON.parse(result.json as string).message,
  });
});

test('two entries of one build share one registry and one SigningError class', () => {
  // Asked after all three ESM entries loaded: each registered into the same registry (qredo-api
  // adds webcrypto's HMAC half), so every entry answers the same.
  const all = ['node', 'js', 'webcrypto'];
  assert.equal(result.esmBackends, [all, all, all]);
  assert.equal(result.cjsBackends, [
    ['node', 'js'],
    ['node', 'js'],
  ]);
  assert.ok(result.esmOneClass);
  assert.ok(result.cjsOneClass);
});

test('one default nonce store per process: two entries, and ESM with CJS', () => {
  assert.equal(result.nonceStore, [true, true, true]);
});

test.run();
