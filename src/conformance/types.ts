/**
 * The shapes the conformance runner works with: the package surface it drives (an entry's
 * namespace satisfies it) and the JSON documents of `vectors/` (written by the independent
 * Python/OpenSSL generator; vectors/README.md describes each field).
 */

/** A request as the signers take it; the runner builds these from vector fields. */
export type ConformanceRequest = Record<string, unknown>;

/** What the runner reads back from a signature. */
export interface SignedLike {
  readonly method: string;
  readonly url: string;
  readonly body: string | Uint8Array | undefined;
  readonly headers: Record<string, string>;
  readonly signingInput: Uint8Array;
}

/** A signer as the runner drives it. */
export interface ConformanceSigner {
  sign(request: never): Promise<SignedLike>;
  signSync(request: never): SignedLike;
  destroy?(): void;
}

/** The options object of every call the runner makes, with a backend name. */
export interface BackendOption {
  backend?: never;
}

/**
 * The package surface the runner drives (an entry's namespace object satisfies it). Arguments are
 * typed loosely on purpose: vectors also feed keys in every accepted form and malformed ones.
 *
 * @example
 * ```ts
 * import * as api from 'qredo-sign';
 * const surface: ConformanceApi = api;
 * ```
 */
export interface ConformanceApi {
  createQredoSigner(options: never): ConformanceSigner;
  createPartnerSigner(options: never): ConformanceSigner;
  hmacSha256(key: Uint8Array, data: Uint8Array, options?: never): Promise<Uint8Array>;
  rsaSign(key: never, data: Uint8Array, options?: never): Promise<Uint8Array>;
  rsaVerify(key: never, data: Uint8Array, signature: Uint8Array, options?: never): Promise<boolean>;
  base64url: { encode(bytes: Uint8Array): string; decode(text: string): Uint8Array };
  SigningError: abstract new (...args: never[]) => Error;
  availableBackends?(): readonly string[];
}

/** A timestamp or nonce as the vectors write it: a number, digits, or `{ bigint: digits }`. */
export type VectorStamp = number | string | { bigint: string };

/** A body as the vectors write it. */
export type VectorBody =
  | { kind: 'none' }
  | { kind: 'null' }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; base64: string }
  | { kind: 'json'; value: unknown };

/** What a signed request must be. */
export interface ExpectedSigned {
  method: string;
  url: string;
  body: null | string | { base64: string };
  headers: Record<string, string>;
  signingInputB64: string;
}

/** One vector of qredo-api.json or partner-api.json. */
export interface SigningVector {
  name: string;
  apiKey: string;
  /** qredo-api.json */
  secret?: string;
  /** partner-api.json: a key of keys.json and the form to pass it in. */
  keyId?: string;
  keyForm?: string;
  method?: string;
  url: string;
  timestamp?: VectorStamp;
  nonce?: VectorStamp;
  body: VectorBody;
  expected: ExpectedSigned;
}

export interface SigningFile {
  scheme?: string;
  vectors: SigningVector[];
}

/** keys.json: each key in every form the library accepts (PEM and JWK as given, DER as base64). */
export interface KeysFile {
  keys: Record<string, Record<string, unknown> & { bits: number }>;
}

export interface SecretsFile {
  request: ConformanceRequest;
  valid: { text: string; keyHex: string; signature: string }[];
  invalid: { name: string; text: string; code: string }[];
}

export interface PrimitivesFile {
  hmac: { name: string; keyHex: string; dataHex: string; macHex: string }[];
  rsa: { name: string; keyId: string; dataHex: string; signatureHex: string }[];
  base64url: { hex: string; encoded: string }[];
}

/** A malformed or refused key, the form it is given in, and the code it must get. */
export interface BadKey {
  name: string;
  form: string;
  value: unknown;
  code: string;
}

export interface BadKeysFile {
  privateKeys: BadKey[];
  publicKeys: BadKey[];
}

export interface Rfc4231File {
  tests: { tcId: number; keyHex: string; dataHex: string; macHex: string; macBits: number }[];
}

export interface Rfc4648File {
  vectors: { id: string; inputHex: string; base64url: string; base64urlNoPad: string }[];
}

/** The Wycheproof fields the runner reads. */
export interface WycheproofTest {
  tcId: number;
  comment?: string;
  msg: string;
  result: 'valid' | 'invalid' | 'acceptable';
  key?: string;
  tag?: string;
  sig?: string;
}

export interface WycheproofGroup {
  tests: WycheproofTest[];
  tagSize?: number;
  keySize?: number;
  sha?: string;
  publicKeyPem?: string;
  publicKeyDer?: string;
  publicKeyAsn?: string;
  keyJwk?: unknown;
  privateKeyPem?: string;
  privateKeyPkcs8?: string;
}

export interface WycheproofFile {
  numberOfTests?: number;
  testGroups: WycheproofGroup[];
}

/** Parsed JSON documents; every one is optional, a missing one is not run. */
export interface GoldenFiles {
  qredoApi?: SigningFile;
  partnerApi?: SigningFile;
  primitives?: PrimitivesFile;
  secrets?: SecretsFile;
  /** vectors/keys.json: needed by partnerApi and primitives. */
  keys?: KeysFile;
  badKeys?: BadKeysFile;
  public?: {
    rfc4231?: Rfc4231File;
    rfc4648?: Rfc4648File;
    wycheproofHmac?: WycheproofFile;
    /** rsa_signature_{2048,3072,4096}_sha256_test.json */
    wycheproofRsaVerify?: WycheproofFile[];
    /** rsa_pkcs1_{1024,…,4096}_sig_gen_test.json (SHA-256 groups are used) */
    wycheproofRsaSign?: WycheproofFile[];
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
  /** Suite names to run (see suites.ts); default all whose files are given. */
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

/** Records one named check: `run` returns undefined when it passes, else what went wrong. */
export type Check = (
  name: string,
  run: () => Promise<string | undefined> | string | undefined,
) => Promise<void>;

/** One suite on one backend in one mode. */
export interface SuiteContext {
  readonly api: ConformanceApi;
  readonly files: GoldenFiles;
  readonly backend: string;
  readonly mode: ConformanceMode;
  readonly check: Check;
  /** Whether `backend` has a synchronous path. */
  readonly isSync: boolean;
}

export type Suite = (context: SuiteContext) => Promise<void>;
