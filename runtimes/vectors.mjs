/**
 * The vector files every runtime runs, as the GoldenFiles object of src/conformance/runner.ts plus
 * the Signing Agent vectors: the list is vectors/manifest.json (the one the CLI and the tests read
 * too). No imports, so it runs in every runtime and build tools (bundle.mjs) can use it; the
 * launchers hand in how to read a file of vectors/.
 */

/** The manifest's name in vectors/. */
export const VECTOR_MANIFEST = 'manifest.json';

/**
 * The manifest's files by key, golden and agent together (`public.*` keys go under
 * GoldenFiles.public), as bundle.mjs and loadVectorFiles walk them.
 * @param {{ golden: Record<string, string | string[]>, agent?: Record<string, string> }} manifest
 * @returns {Record<string, string | string[]>}
 */
export function vectorFiles(manifest) {
  if (typeof manifest?.golden !== 'object') {
    throw new Error(`vectors/${VECTOR_MANIFEST} has no "golden" map of file names`);
  }
  return { ...manifest.golden, ...manifest.agent };
}

/**
 * The GoldenFiles object of src/conformance/runner.ts (with agentBls and agentZkp), reading the
 * manifest and then each path it lists with `read` (sync or async).
 * @param {(path: string) => unknown} read
 */
export async function loadVectorFiles(read) {
  /** @type {Record<string, any>} */
  const files = { public: {} };
  const list = vectorFiles(/** @type {any} */ (await read(VECTOR_MANIFEST)));
  for (const [key, path] of Object.entries(list)) {
    const value = Array.isArray(path)
      ? await Promise.all(path.map((p) => read(p)))
      : await read(path);
    if (key.startsWith('public.')) files.public[key.slice(7)] = value;
    else files[key] = value;
  }
  return files;
}
