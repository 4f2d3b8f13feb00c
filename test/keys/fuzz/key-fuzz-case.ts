/**
 * One key-fuzz case (issue 6): a possibly damaged key goes through every entry point that takes a
 * key (createPartnerSigner, rsaSign, rsaVerify, verifyPartnerRequest's publicKeyFor), and the
 * outcome must be one of:
 * - a SigningError with a key code (the same code from every entry point), whose text holds no
 *   16-character run of the private key in any encoding; or
 * - for a private key, the very same key: the parsed integers equal the original ones and the
 *   signature equals node:crypto's signature with the original key (PKCS#1 v1.5 is
 *   deterministic), so a key that parses but does not belong together can never sign; or
 * - for a public key, a verdict that is true exactly when the parsed (n, e) is the original one.
 * Anything else (another exception type, SIGNATURE_FAULT, a changed input) fails the case.
 * Where node:crypto parses the same input too, both parsers must read the same integers.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import * as api from '../../../src/index.node.js';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../../src/keys/keys.js';
import { isSigningError } from '../../../src/lib/errors.js';
import type { BackendName } from '../../../src/index.node.js';
import { KEY_TEXTS, PRIVATE_JWK, type Mutated } from './key-mutations.js';

const ORIGINAL = Object.fromEntries(
  Object.entries(PRIVATE_JWK)
    .filter(([k]) => k !== 'kty')
    .map(([k, v]) => [k, Buffer.from(v, 'base64url').toString('hex')]),
);
export const KEY_OBJECT = createPrivateKey({ key: PRIVATE_JWK as never, format: 'jwk' });

const NOW_MS = 1_700_000_000_000;
const URL = 'https://partner.example/api/v1/p/company';
const BODY = '{"name":"ACME"}';
const STAMP = String(NOW_MS / 1000);
export const DATA = new Uint8Array(Buffer.from(STAMP + URL + BODY));
const REFERENCE = new Uint8Array(nodeSign('sha256', DATA, KEY_OBJECT));
const REFERENCE_TEXT = Buffer.from(REFERENCE).toString('base64url');
const RECEIVED = {
  method: 'POST',
  url: URL,
  body: BODY,
  headers: { 'x-api-key': 'fuzz', 'x-timestamp': STAMP, 'x-sign': REFERENCE_TEXT },
};

const KEY_CODES = new Set(['INVALID_KEY', 'WEAK_KEY', 'ENCRYPTED_KEY']);
export const BACKEND_CHOICES: (BackendName | 'auto')[] = ['auto', ...api.availableBackends()];

// Every 16-character run of the private key's texts (PEM lines, base64url and hex integers).
const WINDOW = 16;
const LEAK_WINDOWS = new Set<string>();
for (const text of KEY_TEXTS) {
  for (const part of [...text.split(/\s+/), text.replace(/-----[^-]+-----|\s+/g, '')]) {
    for (let i = 0; i + WINDOW <= part.length; i++) LEAK_WINDOWS.add(part.slice(i, i + WINDOW));
  }
}

/** Counts of what happened, for the report. */
export interface KeyFuzzStats {
  cases: number;
  entryCalls: number;
  sameKeySigned: number;
  publicParsed: number;
  /** Where node:crypto parsed the input too: same integers (must be every time). */
  nodeAgreed: number;
  /** The library accepted what OpenSSL refused, or the reverse (not failures: noted for review). */
  onlyLibrary: number;
  onlyNode: number;
  onlyLibraryExamples: string[];
  codes: Record<string, number>;
  maxCaseMs: number;
}

export function newStats(): KeyFuzzStats {
  return {
    cases: 0,
    entryCalls: 0,
    sameKeySigned: 0,
    publicParsed: 0,
    nodeAgreed: 0,
    onlyLibrary: 0,
    onlyNode: 0,
    onlyLibraryExamples: [],
    codes: {},
    maxCaseMs: 0,
  };
}

class CaseFailure extends Error {}

function fail(description: string, what: string): never {
  throw new CaseFailure(`${what}\n  input: ${description}`);
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    const err = e as { message?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(e), String(err.message), String(err.stack));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      /* not serialisable: nothing more to check */
    }
    e = err.cause;
  }
  return parts.join('\n');
}

/** The code of an expected key error, after checking its type, code and text. */
function checkError(
  error: unknown,
  description: string,
  entry: string,
  extra: string[] = [],
): string {
  if (!isSigningError(error)) {
    fail(
      description,
      `${entry} threw ${String((error as Error)?.name)}: ${String((error as Error)?.message).slice(0, 200)}`,
    );
  }
  if (!KEY_CODES.has(error.code) && !extra.includes(error.code)) {
    fail(description, `${entry} threw code ${error.code}: ${error.message}`);
  }
  const text = errorText(error);
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (LEAK_WINDOWS.has(text.slice(i, i + WINDOW))) {
      fail(
        description,
        `${entry} error text contains key material: ${error.message.slice(0, 120)}`,
      );
    }
  }
  return error.code;
}

async function outcome<T>(run: () => T | Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function snapshot(input: unknown): string {
  if (input instanceof Uint8Array) return hex(input);
  if (input instanceof ArrayBuffer) return hex(new Uint8Array(input));
  try {
    return JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(input);
  } catch {
    return String(input);
  }
}

interface Reading {
  n: string;
  e: string;
  d?: string;
}

/**
 * node:crypto's reading of the same input (PEM, DER or JWK): `comparable` when it is a form
 * OpenSSL reads at all, `reading` when it accepted it.
 */
function nodeReading(
  input: unknown,
  isPrivate: boolean,
): { comparable: boolean; reading?: Reading } {
  const attempts: object[] = [];
  // A passphrase, so that OpenSSL never prompts on the terminal for an encrypted PEM.
  const passphrase = 'not-the-passphrase';
  if (typeof input === 'string' && input.includes('-----BEGIN'))
    attempts.push({ key: input, format: 'pem', passphrase });
  else if (input instanceof Uint8Array && input[0] === 0x2d)
    attempts.push({ key: Buffer.from(input), format: 'pem', passphrase });
  else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const key = Buffer.from(input instanceof ArrayBuffer ? new Uint8Array(input) : input);
    for (const type of isPrivate ? ['pkcs1', 'pkcs8'] : ['spki', 'pkcs1'])
      attempts.push({ key, format: 'der', type });
  } else if (
    typeof input === 'object' &&
    input !== null &&
    (input as { kty?: unknown }).kty !== undefined
  ) {
    attempts.push({ key: input, format: 'jwk' });
  }
  const comparable = attempts.length > 0;
  for (const options of attempts) {
    try {
      // createPublicKey takes no passphrase and OpenSSL would prompt on the terminal for an
      // encrypted PEM: such texts are read as private keys (which take one) or not at all.
      const encrypted =
        (options as { format: string }).format === 'pem' &&
        /ENCRYPTED/.test(String((options as { key: unknown }).key));
      const key = isPrivate
        ? createPrivateKey(options as never)
        : encrypted
          ? createPublicKey(createPrivateKey(options as never))
          : createPublicKey(options as never);
      if (key.asymmetricKeyType !== 'rsa') return { comparable };
      const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
      const read = (v?: string) =>
        v &&
        Buffer.from(v, 'base64url')
          .toString('hex')
          .replace(/^(00)+(?=.)/, '');
      return { comparable, reading: { n: read(jwk.n)!, e: read(jwk.e)!, d: read(jwk.d) } };
    } catch {
      /* try the next reading */
    }
  }
  return { comparable };
}

function sameAs(parsed: Reading, original = ORIGINAL): boolean {
  return (
    parsed.n === original.n &&
    parsed.e === original.e &&
    (parsed.d === undefined || parsed.d === original.d)
  );
}

/**
 * Runs one mutated input through every key entry point and checks the outcome (throws a
 * CaseFailure naming the input on any violation). `turn` rotates the backends used.
 */
export async function runKeyCase(m: Mutated, turn: number, stats: KeyFuzzStats): Promise<void> {
  const started = performance.now();
  const { input, description } = m;
  const before = snapshot(input);
  const backend = BACKEND_CHOICES[turn % BACKEND_CHOICES.length];
  const opaque = typeof CryptoKey !== 'undefined' && input instanceof CryptoKey;
  const opaqueCodes = opaque ? ['UNAVAILABLE_BACKEND'] : [];

  // The library's own readings decide which verdicts are right; each entry point must agree.
  const priv = await outcome(() => parseRsaPrivateKey(input));
  const pub = await outcome(() => parseRsaPublicKey(input));
  let privateCode: string | undefined;
  let publicCode: string | undefined;
  if (priv.error) privateCode = checkError(priv.error, description, 'parseRsaPrivateKey');
  else if (priv.value!.components) {
    const c = priv.value!.components;
    const parsed = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, hex(v as Uint8Array)]));
    for (const [k, v] of Object.entries(ORIGINAL)) {
      if (parsed[k] !== v) fail(description, `a private key with a different ${k} was accepted`);
    }
  }
  let publicIsOriginal = false;
  if (pub.error) publicCode = checkError(pub.error, description, 'parseRsaPublicKey');
  else {
    stats.publicParsed++;
    const c = pub.value!.components;
    publicIsOriginal = c ? sameAs({ n: hex(c.n), e: hex(c.e) }) : true;
  }

  const signer = await outcome(async () => {
    const s = api.createPartnerSigner({ apiKey: 'fuzz', privateKey: input as never, backend });
    try {
      return await s.sign({ url: URL, body: BODY, timestamp: STAMP });
    } finally {
      s.destroy();
    }
  });
  const signed = await outcome(() => api.rsaSign(input as never, DATA, { backend }));
  for (const [entry, result] of [
    ['createPartnerSigner', signer],
    ['rsaSign', signed],
  ] as const) {
    stats.entryCalls++;
    if (result.error) {
      const code = checkError(result.error, description, entry, opaqueCodes);
      if (code !== privateCode && code !== 'UNAVAILABLE_BACKEND') {
        fail(description, `${entry} threw ${code} where the parser says ${privateCode ?? 'valid'}`);
      }
      stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      continue;
    }
    if (privateCode)
      fail(description, `${entry} signed with a key the parser refuses (${privateCode})`);
    const value = result.value!;
    const signature =
      value instanceof Uint8Array
        ? hex(value)
        : hex(Buffer.from(value.headers['x-sign'], 'base64url'));
    if (signature !== hex(REFERENCE))
      fail(description, `${entry} released a signature by another key`);
    stats.sameKeySigned++;
  }

  const verified = await outcome(() => api.rsaVerify(input as never, DATA, REFERENCE, { backend }));
  const gateway = await outcome(() =>
    api.verifyPartnerRequest(RECEIVED, {
      // A list of one: publicKeyFor may return a list (contract §3.1 rotation), so an array input is
      // a list there; wrapped, every input is one key, as for the other entries.
      publicKeyFor: () => [input] as never,
      now: () => NOW_MS,
      backend,
    }),
  );
  stats.entryCalls += 2;
  if (verified.error) {
    const code = checkError(verified.error, description, 'rsaVerify', opaqueCodes);
    if (code !== publicCode && code !== 'UNAVAILABLE_BACKEND')
      fail(
        description,
        `rsaVerify threw ${code} (${(verified.error as Error).message}), parser ${publicCode}`,
      );
  } else if (publicCode)
    fail(description, `rsaVerify used a key the parser refuses (${publicCode})`);
  else if (verified.value !== publicIsOriginal)
    fail(
      description,
      `rsaVerify said ${verified.value} for ${publicIsOriginal ? 'the original' : 'another'} key`,
    );
  if (gateway.error) {
    const absent = input === undefined || input === null;
    const code = checkError(gateway.error, description, 'verifyPartnerRequest', [
      ...opaqueCodes,
      ...(absent ? ['UNKNOWN_KEY'] : []),
      ...(publicCode || publicIsOriginal ? [] : ['BAD_SIGNATURE']),
    ]);
    if (publicIsOriginal && !publicCode)
      fail(description, `verifyPartnerRequest refused the original key (${code})`);
  } else if (!publicIsOriginal)
    fail(description, 'verifyPartnerRequest accepted a request under another key');

  if (snapshot(input) !== before) fail(description, 'the caller’s key input was modified');

  // Differential: where OpenSSL reads the same input, it must read the same integers.
  const isPrivate = !priv.error || m.fromPrivate;
  const { comparable, reading: node } = nodeReading(input, isPrivate);
  const mine = isPrivate ? !priv.error : !pub.error;
  if (!comparable) {
    /* a runtime object or a non-key: nothing for OpenSSL to read */
  } else if (node && mine) {
    const c = isPrivate ? priv.value!.components : pub.value!.components;
    if (c) {
      const d = 'd' in c ? hex((c as { d: Uint8Array }).d) : undefined;
      if (node.n !== hex(c.n) || node.e !== hex(c.e) || (isPrivate && node.d !== d)) {
        fail(description, 'node:crypto reads other integers from the same input');
      }
    }
    stats.nodeAgreed++;
  } else if (mine) {
    stats.onlyLibrary++;
    if (stats.onlyLibraryExamples.length < 5) stats.onlyLibraryExamples.push(description);
  } else if (node && !mine) stats.onlyNode++;

  stats.cases++;
  stats.maxCaseMs = Math.max(stats.maxCaseMs, performance.now() - started);
}
