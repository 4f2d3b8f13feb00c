/**
 * The one conformance runner: checks a build of this package against the golden vectors of
 * `vectors/` (written by an independent Python/OpenSSL generator) and the public suites (RFC 4231,
 * RFC 4648, Wycheproof). Used by the test suite, the demo, `qredo-sign vectors` and the
 * cross-runtime launchers, so it imports no entry, no `node:` module and reads no files: callers
 * pass the package's API object and the parsed JSON documents.
 *
 * Suites and what they require, per backend:
 * - `qredo-api`, `partner-api`: every vector signed with `sign()` (mode `async`) and, on
 *   synchronous backends, `signSync()` (mode `sync`); method, URL, body, headers and signing input
 *   must equal the expected values. On an asynchronous-only backend the `sync` mode checks instead
 *   that `signSync()` refuses with `ASYNC_ONLY_BACKEND`.
 * - `secrets`: valid secret texts sign like their decoded bytes; invalid ones get `INVALID_SECRET`
 *   (mode `sync` on synchronous backends only).
 * - `primitives`: `hmacSha256`, `rsaSign` (+ `rsaVerify` of it and of a corrupted copy), `base64url`.
 * - `bad-keys`: each key gets exactly its code from `createPartnerSigner`, `rsaSign`, `rsaVerify`.
 * - `rfc4231`, `rfc4648`, `wycheproof-hmac`, `wycheproof-rsa-verify`, `wycheproof-rsa-sign`.
 *   Wycheproof "acceptable" verification cases (only `MissingNull`: a DigestInfo without its NULL
 *   parameters) must be REJECTED: node:crypto and WebCrypto reject them and cannot be changed, and
 *   every backend must answer alike; RFC 8017 §8.2.2 compares the one DER encoding. Acceptable
 *   signing cases (e = 3 keys) must reproduce the signature, since e = 3 keys are accepted.
 *   Signing-file keys below 2048 bits must get `WEAK_KEY`.
 */

/** The package surface the runner drives (an entry's namespace object satisfies it). */
export interface ConformanceApi {
  createQredoSigner(options: {
    apiKey: string;
    secret: string | Uint8Array;
    backend?: any;
  }): Signer;
  createPartnerSigner(options: { apiKey: string; privateKey: any; backend?: any }): Signer;
  hmacSha256(key: Uint8Array, data: Uint8Array, options?: { backend?: any }): Promise<Uint8Array>;
  rsaSign(key: any, data: Uint8Array, options?: { backend?: any }): Promise<Uint8Array>;
  rsaVerify(key: any, data: Uint8Array, sig: Uint8Array, o?: { backend?: any }): Promise<boolean>;
  base64url: { encode(bytes: Uint8Array): string; decode(text: string): Uint8Array };
  SigningError: abstract new (...args: any[]) => Error;
  availableBackends?(): readonly string[];
}

interface SignedLike {
  method: string;
  url: string;
  body: string | Uint8Array | undefined;
  headers: Record<string, string>;
  signingInput: Uint8Array;
}

interface Signer {
  sign(request: any): Promise<SignedLike>;
  signSync(request: any): SignedLike;
  destroy?(): void;
}

/** Parsed JSON documents; every one is optional, a missing one is not run. */
export interface GoldenFiles {
  qredoApi?: any;
  partnerApi?: any;
  primitives?: any;
  secrets?: any;
  /** vectors/keys.json: needed by partnerApi and primitives. */
  keys?: any;
  badKeys?: any;
  public?: {
    rfc4231?: any;
    rfc4648?: any;
    wycheproofHmac?: any;
    /** rsa_signature_{2048,3072,4096}_sha256_test.json */
    wycheproofRsaVerify?: any[];
    /** rsa_pkcs1_{1024,…,4096}_sig_gen_test.json (SHA-256 groups are used) */
    wycheproofRsaSign?: any[];
  };
}

export type ConformanceMode = 'async' | 'sync';

export interface ConformanceOptions {
  /** Backends to run; default: `api.availableBackends()`. Unavailable ones are reported skipped. */
  backends?: readonly string[];
  /** Backends with a synchronous path; default: every backend except `webcrypto`. */
  sync?: readonly string[];
  /** Modes to run; default both. */
  modes?: readonly ConformanceMode[];
  /** Suite names to run (see the module comment); default all whose files are given. */
  only?: readonly string[];
}

export interface ConformanceFailure {
  file: string;
  name: string;
  backend: string;
  mode: ConformanceMode;
  message: string;
}

export interface ConformanceGroup {
  file: string;
  backend: string;
  mode: ConformanceMode;
  total: number;
  passed: number;
}

export interface ConformanceReport {
  total: number;
  passed: number;
  failures: ConformanceFailure[];
  skipped: { backend: string; reason: string }[];
  groups: ConformanceGroup[];
}

// ——— small independent helpers (never the library's own encoders) ———

const hex = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
};
const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromB64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const short = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

function stamp(value: any): number | string | bigint {
  return typeof value === 'object' && value !== null ? BigInt(value.bigint) : value;
}

function requestOf(v: any): Record<string, unknown> {
  const r: Record<string, unknown> = { url: v.url };
  if (v.method !== undefined) r.method = v.method;
  if (v.timestamp !== undefined) r.timestamp = stamp(v.timestamp);
  if (v.nonce !== undefined) r.nonce = stamp(v.nonce);
  const b = v.body;
  if (b.kind === 'null') r.body = null;
  else if (b.kind === 'string') r.body = b.value;
  else if (b.kind === 'bytes') r.body = fromB64(b.base64);
  else if (b.kind === 'json') r.body = structuredClone(b.value);
  return r;
}

function privateKeyOf(keys: any, id: string, form: string): unknown {
  const k = keys.keys[id];
  if (form.endsWith('DerB64')) return fromB64(k[form]);
  return typeof k[form] === 'string' ? k[form] : structuredClone(k[form]);
}

function badKeyValue(entry: any): unknown {
  if (entry.form === 'derB64') return fromB64(entry.value);
  return entry.form === 'jwk' ? structuredClone(entry.value) : entry.value;
}

/** What is wrong with a signed request, or undefined when it matches. */
function compareSigned(got: SignedLike, want: any): string | undefined {
  if (got.method !== want.method) return `method ${got.method}, want ${want.method}`;
  if (got.url !== want.url) return `url ${short(got.url)}, want ${short(want.url)}`;
  const wantBody: Uint8Array | string | undefined =
    want.body === null
      ? undefined
      : typeof want.body === 'string'
        ? want.body
        : fromB64(want.body.base64);
  const empty = (b: unknown) =>
    b === undefined || b === null || (b as { length?: number }).length === 0;
  if (!(empty(got.body) && empty(wantBody))) {
    if (typeof wantBody === 'string') {
      if (got.body !== wantBody) return `body differs (${typeof got.body})`;
    } else if (!(got.body instanceof Uint8Array) || !sameBytes(got.body, wantBody as Uint8Array)) {
      return 'body bytes differ';
    }
  }
  const names = Object.keys(got.headers).sort().join();
  if (names !== Object.keys(want.headers).sort().join()) return `header names ${names}`;
  for (const [k, value] of Object.entries(want.headers)) {
    if (got.headers[k] !== value) return `${k}: ${short(String(got.headers[k]))}, want ${value}`;
  }
  if (!sameBytes(got.signingInput, fromB64(want.signingInputB64))) return 'signingInput differs';
  return undefined;
}

// ——— the runner ———

type Check = (
  name: string,
  run: () => Promise<string | undefined> | string | undefined,
) => Promise<void>;
type Suite = (
  api: ConformanceApi,
  files: GoldenFiles,
  backend: string,
  mode: ConformanceMode,
  check: Check,
  isSync: boolean,
) => Promise<void>;

/** A description of what went wrong unless `error` is a SigningError with `code`. */
function codeMismatch(api: ConformanceApi, error: unknown, code: string): string | undefined {
  if (error === undefined) return `accepted, want ${code}`;
  if (!(error instanceof api.SigningError))
    return `threw ${String(error).slice(0, 80)}, want ${code}`;
  const got = (error as Error & { code?: string }).code;
  return got === code ? undefined : `code ${got}, want ${code}`;
}

async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error ?? new Error('threw a nullish value');
  }
  return undefined;
}

function signingSuite(fileKey: 'qredoApi' | 'partnerApi'): Suite {
  return async (api, files, backend, mode, check, isSync) => {
    const signers = new Map<string, Signer>();
    const signerFor = (v: any): Signer => {
      const id = fileKey === 'qredoApi' ? `${v.apiKey}\n${v.secret}` : `${v.keyId}/${v.keyForm}`;
      let s = signers.get(id);
      if (!s) {
        s =
          fileKey === 'qredoApi'
            ? api.createQredoSigner({ apiKey: v.apiKey, secret: v.secret, backend })
            : api.createPartnerSigner({
                apiKey: v.apiKey,
                privateKey: privateKeyOf(files.keys, v.keyId, v.keyForm),
                backend,
              });
        signers.set(id, s);
      }
      return s;
    };
    const vectors: any[] = files[fileKey].vectors;
    try {
      if (mode === 'sync' && !isSync) {
        await check('signSync refuses', async () =>
          codeMismatch(
            api,
            await errorOf(() => signerFor(vectors[0]).signSync(requestOf(vectors[0]))),
            'ASYNC_ONLY_BACKEND',
          ),
        );
        return;
      }
      for (const v of vectors) {
        await check(v.name, async () => {
          const signer = signerFor(v);
          const got =
            mode === 'sync' ? signer.signSync(requestOf(v)) : await signer.sign(requestOf(v));
          return compareSigned(got, v.expected);
        });
      }
    } finally {
      for (const s of signers.values()) s.destroy?.();
    }
  };
}

const secretsSuite: Suite = async (api, files, backend, mode, check) => {
  const { request, valid, invalid } = files.secrets;
  const req = { ...request };
  const sign = async (secret: string | Uint8Array) => {
    const signer = api.createQredoSigner({ apiKey: 'k', secret, backend });
    try {
      const out = mode === 'sync' ? signer.signSync(req) : await signer.sign(req);
      return out.headers['qredo-api-sig'];
    } finally {
      signer.destroy?.();
    }
  };
  for (const v of valid) {
    await check(`valid ${JSON.stringify(v.text)}`, async () => {
      const fromText = await sign(v.text);
      if (fromText !== v.signature) return `text signs ${fromText}, want ${v.signature}`;
      const fromBytes = await sign(hex(v.keyHex));
      return fromBytes === v.signature ? undefined : `raw key signs ${fromBytes}`;
    });
  }
  for (const v of invalid) {
    await check(`invalid ${v.name}`, async () =>
      codeMismatch(api, await errorOf(() => sign(v.text)), v.code),
    );
  }
};

const primitivesSuite: Suite = async (api, files, backend, _mode, check) => {
  const { hmac, rsa, base64url } = files.primitives;
  const opts = { backend };
  for (const v of hmac) {
    await check(`hmac ${v.name}`, async () => {
      const mac = toHex(await api.hmacSha256(hex(v.keyHex), hex(v.dataHex), opts));
      return mac === v.macHex ? undefined : `mac ${mac}`;
    });
  }
  const privateForms = ['pkcs8Pem', 'pkcs1Pem', 'pkcs8DerB64', 'pkcs1DerB64', 'jwk'];
  const publicForms = ['spkiPem', 'pkcs1PublicPem', 'spkiDerB64', 'publicJwk'];
  for (const [i, v] of (rsa as any[]).entries()) {
    await check(`rsa ${v.name}`, async () => {
      const data = hex(v.dataHex);
      const priv = privateKeyOf(files.keys, v.keyId, privateForms[i % privateForms.length]);
      const sig = await api.rsaSign(priv, data, opts);
      if (toHex(sig) !== v.signatureHex) return 'rsaSign gives a different signature';
      const pub = privateKeyOf(files.keys, v.keyId, publicForms[i % publicForms.length]);
      if ((await api.rsaVerify(pub, data, sig, opts)) !== true) return 'rsaVerify rejects it';
      const bad = sig.slice();
      bad[bad.length >> 1] ^= 1;
      if ((await api.rsaVerify(pub, data, bad, opts)) !== false)
        return 'rsaVerify accepts a flipped bit';
      return undefined;
    });
  }
  for (const v of base64url) {
    await check(`base64url ${v.hex.slice(0, 16) || 'empty'}`, () => {
      const enc = api.base64url.encode(hex(v.hex));
      if (enc !== v.encoded) return `encode ${enc}`;
      return toHex(api.base64url.decode(v.encoded)) === v.hex ? undefined : 'decode differs';
    });
  }
};

const badKeysSuite: Suite = async (api, files, backend, _mode, check) => {
  const data = new Uint8Array([1, 2, 3]);
  const opts = { backend };
  // A PEM's first base64 line must never be echoed in an error (SPEC §2: no key material).
  const leaks = (error: unknown, entry: any) => {
    const line = typeof entry.value === 'string' ? entry.value.split('\n')[1] : undefined;
    const text =
      error instanceof Error ? `${error.message}\n${error.stack}\n${String(error.cause)}` : '';
    return line && line.length >= 16 && text.includes(line)
      ? 'the error quotes the key'
      : undefined;
  };
  for (const entry of files.badKeys.privateKeys) {
    await check(`private ${entry.name}`, async () => {
      const viaSigner = await errorOf(() => {
        const signer = api.createPartnerSigner({
          apiKey: 'k',
          privateKey: badKeyValue(entry),
          backend,
        });
        return signer.sign({ url: 'https://example.com/', nonce: '1' });
      });
      const a = codeMismatch(api, viaSigner, entry.code) ?? leaks(viaSigner, entry);
      if (a) return `createPartnerSigner: ${a}`;
      const viaPrimitive = await errorOf(() => api.rsaSign(badKeyValue(entry), data, opts));
      const b = codeMismatch(api, viaPrimitive, entry.code);
      return b && `rsaSign: ${b}`;
    });
  }
  for (const entry of files.badKeys.publicKeys) {
    await check(`public ${entry.name}`, async () => {
      const error = await errorOf(() =>
        api.rsaVerify(badKeyValue(entry), data, new Uint8Array(256), opts),
      );
      const a = codeMismatch(api, error, entry.code) ?? leaks(error, entry);
      return a && `rsaVerify: ${a}`;
    });
  }
};

const rfc4231Suite: Suite = async (api, files, backend, _mode, check) => {
  for (const t of files.public!.rfc4231.tests) {
    await check(`tc${t.tcId}`, async () => {
      const mac = await api.hmacSha256(hex(t.keyHex), hex(t.dataHex), { backend });
      const got = toHex(mac.subarray(0, t.macBits / 8));
      return got === t.macHex ? undefined : `mac ${got}`;
    });
  }
};

const rfc4648Suite: Suite = async (api, files, _backend, _mode, check) => {
  for (const v of files.public!.rfc4648.vectors) {
    await check(v.id, () => {
      const input = hex(v.inputHex);
      if (api.base64url.encode(input) !== v.base64urlNoPad) return 'encode differs';
      for (const text of [v.base64urlNoPad, v.base64url]) {
        if (toHex(api.base64url.decode(text)) !== v.inputHex) return `decode(${text}) differs`;
      }
      return undefined;
    });
  }
};

const wycheproofHmacSuite: Suite = async (api, files, backend, _mode, check) => {
  for (const group of files.public!.wycheproofHmac.testGroups) {
    for (const t of group.tests) {
      await check(`tc${t.tcId}`, async () => {
        const mac = await api.hmacSha256(hex(t.key), hex(t.msg), { backend });
        const match = toHex(mac.subarray(0, group.tagSize / 8)) === t.tag;
        return match === (t.result === 'valid')
          ? undefined
          : `tag match ${match} for a ${t.result} case`;
      });
    }
  }
};

const wycheproofVerifySuite: Suite = async (api, files, backend, _mode, check) => {
  for (const file of files.public!.wycheproofRsaVerify!) {
    for (const [g, group] of (file.testGroups as any[]).entries()) {
      // Rotate through the public key forms the library accepts.
      const forms = [
        group.publicKeyPem,
        hex(group.publicKeyDer),
        hex(group.publicKeyAsn),
        group.keyJwk,
      ];
      for (const t of group.tests) {
        await check(`${group.keySize} tc${t.tcId}`, async () => {
          const key = forms[(g + t.tcId) % forms.length];
          let ok: unknown;
          try {
            ok = await api.rsaVerify(key, hex(t.msg), hex(t.sig), { backend });
          } catch (error) {
            return `threw ${String(error).slice(0, 80)} (malformed signatures must give false)`;
          }
          const want = t.result === 'valid'; // 'acceptable' (MissingNull): rejected, see above
          return ok === want ? undefined : `${String(ok)} for a ${t.result} case (${t.comment})`;
        });
      }
    }
  }
};

const wycheproofSignSuite: Suite = async (api, files, backend, _mode, check) => {
  for (const file of files.public!.wycheproofRsaSign!) {
    for (const group of file.testGroups as any[]) {
      if (group.sha !== 'SHA-256') continue;
      for (const t of group.tests) {
        await check(`${group.keySize} tc${t.tcId}`, async () => {
          const key = t.tcId % 2 ? hex(group.privateKeyPkcs8) : group.privateKeyPem;
          if (group.keySize < 2048) {
            return codeMismatch(
              api,
              await errorOf(() => api.rsaSign(key, hex(t.msg), { backend })),
              'WEAK_KEY',
            );
          }
          const sig = toHex(await api.rsaSign(key, hex(t.msg), { backend }));
          return sig === t.sig ? undefined : 'signature differs';
        });
      }
    }
  }
};

/** Suite name → (runner, whether it has a sync mode, the files it needs). */
const SUITES: Record<
  string,
  { run: Suite; syncMode: boolean | 'sync-backends'; has: (f: GoldenFiles) => unknown }
> = {
  'qredo-api': { run: signingSuite('qredoApi'), syncMode: true, has: (f) => f.qredoApi },
  'partner-api': {
    run: signingSuite('partnerApi'),
    syncMode: true,
    has: (f) => f.partnerApi && f.keys,
  },
  secrets: { run: secretsSuite, syncMode: 'sync-backends', has: (f) => f.secrets },
  primitives: { run: primitivesSuite, syncMode: false, has: (f) => f.primitives && f.keys },
  'bad-keys': { run: badKeysSuite, syncMode: false, has: (f) => f.badKeys },
  rfc4231: { run: rfc4231Suite, syncMode: false, has: (f) => f.public?.rfc4231 },
  rfc4648: { run: rfc4648Suite, syncMode: false, has: (f) => f.public?.rfc4648 },
  'wycheproof-hmac': {
    run: wycheproofHmacSuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofHmac,
  },
  'wycheproof-rsa-verify': {
    run: wycheproofVerifySuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofRsaVerify?.length,
  },
  'wycheproof-rsa-sign': {
    run: wycheproofSignSuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofRsaSign?.length,
  },
};

/**
 * Names of every suite, in run order (values for `options.only`).
 *
 * @example
 * ```ts
 * await runGoldenVectors(api, files, { only: CONFORMANCE_SUITES.filter((s) => s.startsWith('wycheproof')) });
 * ```
 */
export const CONFORMANCE_SUITES: readonly string[] = Object.keys(SUITES);

/**
 * Runs every given golden and public vector on every requested backend and mode. Never throws
 * for a mismatch: each one is a failure in the report. Primitives are async-only, so their suites
 * run in mode `async` only.
 *
 * @example
 * ```ts
 * import * as api from 'qredo-sign';
 * const report = await runGoldenVectors(api, { qredoApi, partnerApi, keys, primitives, secrets, badKeys });
 * if (report.failures.length) console.error(report.failures);
 * ```
 */
export async function runGoldenVectors(
  api: ConformanceApi,
  files: GoldenFiles,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const available = api.availableBackends?.() ?? [];
  const requested = options.backends ?? available;
  const syncBackends = options.sync ?? requested.filter((b) => b !== 'webcrypto');
  const modes = options.modes ?? ['async', 'sync'];
  const report: ConformanceReport = { total: 0, passed: 0, failures: [], skipped: [], groups: [] };
  for (const backend of requested) {
    if (!available.includes(backend)) {
      report.skipped.push({ backend, reason: 'not available in this runtime or entry' });
      continue;
    }
    for (const [file, suite] of Object.entries(SUITES)) {
      if (options.only && !options.only.includes(file)) continue;
      if (!suite.has(files)) continue;
      for (const mode of modes) {
        if (mode === 'sync' && !suite.syncMode) continue;
        const isSync = syncBackends.includes(backend);
        if (mode === 'sync' && suite.syncMode === 'sync-backends' && !isSync) continue;
        const group: ConformanceGroup = { file, backend, mode, total: 0, passed: 0 };
        report.groups.push(group);
        const check: Check = async (name, run) => {
          group.total++;
          let message: string | undefined;
          try {
            message = await run();
          } catch (error) {
            message = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
          }
          if (message === undefined) group.passed++;
          else report.failures.push({ file, name, backend, mode, message });
        };
        await suite.run(api, files, backend, mode, check, isSync);
        report.total += group.total;
        report.passed += group.passed;
      }
    }
  }
  return report;
}
