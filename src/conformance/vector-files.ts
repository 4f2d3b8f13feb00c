/**
 * The one list of vector files (`vectors/`: golden files from the independent generator, public
 * suites) that the CLI, the cross-runtime launchers and the tests load. No imports and no I/O: the
 * caller reads each path its own way (fs, fetch, a bundle).
 */
import type { GoldenFiles } from './types.js';

/**
 * Vector files by {@link GoldenFiles} key, relative to `vectors/`; `public.*` keys go under
 * `files.public`. Lists are read in order into arrays.
 *
 * @example
 * ```ts
 * VECTOR_FILES.qredoApi; // 'qredo-api.json'
 * ```
 */
export const VECTOR_FILES = {
  qredoApi: 'qredo-api.json',
  partnerApi: 'partner-api.json',
  primitives: 'primitives.json',
  secrets: 'secrets.json',
  keys: 'keys.json',
  badKeys: 'bad-keys.json',
  'public.rfc4231': 'public/rfc4231-hmac-sha256.json',
  'public.rfc4648': 'public/rfc4648-base64.json',
  'public.wycheproofHmac': 'public/wycheproof/hmac_sha256_test.json',
  'public.wycheproofRsaVerify': [2048, 3072, 4096].map(
    (bits) => `public/wycheproof/rsa_signature_${bits}_sha256_test.json`,
  ),
  'public.wycheproofRsaSign': [1024, 1536, 2048, 3072, 4096].map(
    (bits) => `public/wycheproof/rsa_pkcs1_${bits}_sig_gen_test.json`,
  ),
} as const;

/** A key of {@link VECTOR_FILES}. */
export type VectorFileKey = keyof typeof VECTOR_FILES;

/**
 * Every path of {@link VECTOR_FILES}, for launchers that must list or bundle them.
 *
 * @example
 * ```ts
 * for (const path of VECTOR_PATHS) copyFileSync(`vectors/${path}`, `dist/vectors/${path}`);
 * ```
 */
export const VECTOR_PATHS: readonly string[] = Object.values(VECTOR_FILES).flat();

/**
 * The {@link GoldenFiles} of the keys in `only` (default: all), reading each path with `read`
 * (synchronous or not). A path `read` answers `undefined` for is left out, as is a list with a
 * missing member.
 *
 * @example
 * ```ts
 * const files = await loadVectorFiles((p) => JSON.parse(readFileSync(`vectors/${p}`, 'utf8')));
 * ```
 */
export async function loadVectorFiles(
  read: (path: string) => unknown,
  only: readonly VectorFileKey[] = Object.keys(VECTOR_FILES) as VectorFileKey[],
): Promise<GoldenFiles> {
  const files: Record<string, unknown> & { public: Record<string, unknown> } = { public: {} };
  for (const key of only) {
    const path: string | readonly string[] = VECTOR_FILES[key];
    const value =
      typeof path === 'string'
        ? await read(path)
        : await Promise.all(path.map((p) => read(p))).then((all) =>
            all.includes(undefined) ? undefined : all,
          );
    if (value === undefined) continue;
    if (key.startsWith('public.')) files.public[key.slice('public.'.length)] = value;
    else files[key] = value;
  }
  return files as GoldenFiles;
}
