/**
 * The playground page's script (issue 19, contract §6.1), bundled by scripts/build-playground.mjs from
 * the library's browser entry. It signs in the page on every input and shows what `explain`
 * shows; it never calls `fetch`, never touches storage, and the page's CSP (`connect-src 'none'`)
 * would refuse a request if it tried.
 */
import { createPartnerSigner, createQredoSigner, isSigningError } from '../index.js';
import type { SignedRequest } from '../index.js';
import { escapeForDisplay, escapeTokens, hexDump } from '../cli/explain.js';
import { formatCurl } from '../cli/formats.js';
import { PARTNER_HEADERS, QREDO_HEADERS } from '../scheme/headers.js';

type Field =
  | 'scheme'
  | 'profile'
  | 'api-key'
  | 'secret'
  | 'private-key'
  | 'method'
  | 'url'
  | 'body'
  | 'timestamp'
  | 'nonce'
  | 'received-headers'
  | 'received-input';

const field = (id: Field) =>
  document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const value = (id: Field) => field(id).value;
const show = (id: string, text: string) => {
  document.getElementById(id)!.textContent = text;
};
const encoder = new TextEncoder();

interface Result {
  signed: SignedRequest;
  signatureHeader: string;
}

/** Signs the form's request; `stamp` (from pasted headers) replaces the timestamp or nonce. */
async function sign(stamp?: { timestamp?: string; nonce?: string }): Promise<Result> {
  const method = value('method').trim() || 'GET';
  const url = value('url').trim();
  // The body is the textarea's text exactly (CR LF typed in a browser arrive as LF).
  const body = value('body') === '' ? undefined : value('body');
  const given = stamp ?? {
    timestamp: value('timestamp').trim() || undefined,
    nonce: value('nonce').trim() || undefined,
  };
  if (value('scheme') === 'partner') {
    const signer = createPartnerSigner({
      apiKey: value('api-key'),
      privateKey: value('private-key'),
    });
    try {
      const request =
        given.nonce !== undefined
          ? { url, method, body, nonce: given.nonce }
          : { url, method, body, timestamp: given.timestamp };
      return { signed: await signer.sign(request), signatureHeader: PARTNER_HEADERS.signature };
    } finally {
      signer.destroy();
    }
  }
  const profile = value('profile') === 'v2' ? 'v2' : 'v1';
  const signer = createQredoSigner({ apiKey: value('api-key'), secret: value('secret'), profile });
  try {
    const signed = await signer.sign({ method, url, body, timestamp: given.timestamp });
    return { signed, signatureHeader: QREDO_HEADERS[profile].signature };
  } finally {
    signer.destroy();
  }
}

/** One line per token of `bytes`, the tokens whose bytes differ from `other` wrapped in <mark>. */
function markedTokens(bytes: Uint8Array, other: Uint8Array): HTMLElement {
  const pre = document.createElement('pre');
  const tokens = escapeTokens(bytes);
  tokens.forEach(({ token, start }, i) => {
    const end = i + 1 < tokens.length ? tokens[i + 1].start : bytes.length;
    let differs = end > other.length;
    for (let k = start; k < end && !differs; k++) differs = bytes[k] !== other[k];
    const text = token + (token === '\\n' ? '\n' : '');
    if (differs) {
      const mark = document.createElement('mark');
      mark.textContent = text;
      pre.append(mark);
    } else pre.append(text);
  });
  if (bytes.length < other.length) {
    const mark = document.createElement('mark');
    mark.textContent = '(ends here)';
    pre.append(mark);
  }
  return pre;
}

function diffBlock(title: string, ours: Uint8Array, theirs: Uint8Array): HTMLElement {
  const div = document.createElement('div');
  const label = document.createElement('div');
  label.className = 'diff-label';
  let at = 0;
  while (at < ours.length && at < theirs.length && ours[at] === theirs[at]) at++;
  const same = at === ours.length && at === theirs.length;
  label.textContent = same
    ? `${title}: identical (${ours.length} bytes)`
    : `${title}: differ from byte ${at} (computed ${ours.length} bytes, received ${theirs.length})`;
  div.append(label);
  if (!same) {
    const computed = document.createElement('div');
    computed.textContent = 'computed:';
    const received = document.createElement('div');
    received.textContent = 'received:';
    div.append(computed, markedTokens(ours, theirs), received, markedTokens(theirs, ours));
  }
  return div;
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

async function verify(): Promise<void> {
  const result = document.getElementById('verify-result')!;
  const detail = document.getElementById('verify-detail')!;
  detail.replaceChildren();
  result.className = '';
  const received = parseHeaders(value('received-headers'));
  const receivedInput = value('received-input');
  if (received.size === 0 && receivedInput === '') {
    result.textContent = '';
    return;
  }
  const partner = value('scheme') === 'partner';
  const stamp = partner
    ? received.has(PARTNER_HEADERS.nonce)
      ? { nonce: received.get(PARTNER_HEADERS.nonce) }
      : { timestamp: received.get(PARTNER_HEADERS.timestamp) }
    : {
        timestamp:
          received.get(QREDO_HEADERS.v1.timestamp) ?? received.get(QREDO_HEADERS.v2.timestamp),
      };
  const { signed } = await sign(
    stamp.timestamp === undefined && stamp.nonce === undefined ? undefined : stamp,
  );
  let allSame = true;
  for (const [name, ours] of Object.entries(signed.headers)) {
    if (!received.has(name)) {
      if (received.size > 0) {
        allSame = false;
        const missing = document.createElement('div');
        missing.className = 'diff-label';
        missing.textContent = `${name}: missing from the received headers`;
        detail.append(missing);
      }
      continue;
    }
    const a = encoder.encode(ours);
    const b = encoder.encode(received.get(name)!);
    allSame &&= a.length === b.length && a.every((x, i) => x === b[i]);
    detail.append(diffBlock(name, a, b));
  }
  if (receivedInput !== '') {
    const theirs = encoder.encode(receivedInput);
    const ours = signed.signingInput;
    allSame &&= ours.length === theirs.length && ours.every((x, i) => x === theirs[i]);
    detail.append(diffBlock('signing input', ours, theirs));
  }
  result.textContent = allSame
    ? 'match: the received values are what these fields sign'
    : 'MISMATCH: see the marked bytes';
  result.className = allSame ? 'ok' : 'bad';
}

let generation = 0;

async function recompute(): Promise<void> {
  const mine = ++generation;
  document.body.dataset.scheme = value('scheme');
  try {
    const { signed, signatureHeader } = await sign();
    if (mine !== generation) return; // a later input is being computed
    show('error', '');
    show('signing-input', escapeForDisplay(signed.signingInput).join('\n'));
    show('signing-input-hex', hexDump(signed.signingInput).join('\n'));
    show('signature', signed.headers[signatureHeader]);
    show(
      'headers',
      Object.entries(signed.headers)
        .map(([n, v]) => `${n}: ${v}`)
        .join('\n'),
    );
    show('curl', formatCurl(signed));
    await verify();
  } catch (error) {
    if (mine !== generation) return;
    for (const id of ['signing-input', 'signing-input-hex', 'signature', 'headers', 'curl'])
      show(id, '');
    // Library errors never carry key material (contract §2); anything else is reported by name only.
    show(
      'error',
      isSigningError(error)
        ? `${error.code}: ${error.message}`
        : `error: ${(error as Error)?.name ?? 'unknown'}`,
    );
    show('verify-result', '');
  } finally {
    if (mine === generation) document.body.dataset.ready = String(mine);
  }
}

document.addEventListener('input', () => void recompute());
document.addEventListener('change', () => void recompute());
void recompute();
