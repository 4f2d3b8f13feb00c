/**
 * The vector files every runtime runs (vectors/: golden files from the independent generator,
 * public suites), as the GoldenFiles object of src/conformance/runner.ts. No imports, so build tools
 * (bundle.mjs) can read the list without loading the suite.
 */

/** Vector files by GoldenFiles key, relative to vectors/. */
export const VECTOR_FILES = {
  qredoApi: 'qredo-api.json',
  partnerApi: 'partner-api.json',
  primitives: 'primitives.json',
  secrets: 'secrets.json',
  keys: 'keys.json',
  badKeys: 'bad-keys.json',
  agentBls: 'signing-agent/signing-agent-bls.json',
  agentZkp: 'signing-agent/signing-agent-v1-zkp.json',
  'public.rfc4231': 'public/rfc4231-hmac-sha256.json',
  'public.rfc4648': 'public/rfc4648-base64.json',
  'public.wycheproofHmac': 'public/wycheproof/hmac_sha256_test.json',
  'public.wycheproofRsaVerify': [2048, 3072, 4096].map(
    (bits) => `public/wycheproof/rsa_signature_${bits}_sha256_test.json`,
  ),
  'public.wycheproofRsaSign': [1024, 1536, 2048, 3072, 4096].map(
    (bits) => `public/wycheproof/rsa_pkcs1_${bits}_sig_gen_test.json`,
  ),
};

/** Every path of {@link VECTOR_FILES}, for launchers that must list or bundle them. */
export const VECTOR_PATHS = Object.values(VECTOR_FILES).flat();

/**
 * The GoldenFiles object of src/conformance/runner.ts, reading each path with `read` (sync or async).
 * @param {(path: string) => unknown} read
 */
export async function loadVectorFiles(read) {
  const files = { public: {} };
  for (const [key, path] of Object.entries(VECTOR_FILES)) {
    const value = Array.isArray(path)
      ? await Promise.all(path.map((p) => read(p)))
      : await read(path);
    if (key.startsWith('public.')) files.public[key.slice(7)] = value;
    else files[key] = value;
  }
  return files;
}
