/**
 * Loads the vector files (`vectors/`: golden files from the independent generator, public suites)
 * listed in `vectors/manifest.json`, the one list the CLI, the cross-runtime launchers and the
 * tests share. No imports and no I/O: the caller reads each path, the manifest included, its own
 * way (fs, fetch, a bundle).
 */
import type { GoldenFiles } from './types.js';

/** The manifest's name in the vectors directory. */
export const VECTOR_MANIFEST = 'manifest.json';

/** A {@link GoldenFiles} key; those under `GoldenFiles.public` are written `public.<key>`. */
export type VectorFileKey =
  Exclude<keyof GoldenFiles, 'public'> | `public.${keyof NonNullable<GoldenFiles['public']>}`;

/** `vectors/manifest.json`: each key's file, or list of files, relative to `vectors/`. */
export interface VectorManifest {
  golden: Partial<Record<VectorFileKey, string | string[]>>;
  /** Signing Agent vectors (runtimes/agent-suite.mjs); not GoldenFiles. */
  agent?: Record<string, string>;
}

function isManifest(value: unknown): value is VectorManifest {
  const golden = (value as { golden?: unknown } | null)?.golden;
  return (
    typeof golden === 'object' &&
    golden !== null &&
    Object.values(golden).every(
      (p) => typeof p === 'string' || (Array.isArray(p) && p.every((q) => typeof q === 'string')),
    )
  );
}

/**
 * The {@link GoldenFiles} of the keys in `only` (default: every key of the manifest's `golden`),
 * reading the manifest and then each path with `read` (synchronous or not). A path `read`
 * answers `undefined` for is left out; of a list, the members that are there are kept.
 * Throws when the manifest is missing or not the shape above.
 *
 * @example
 * ```ts
 * const files = await loadVectorFiles((p) => JSON.parse(readFileSync(`vectors/${p}`, 'utf8')));
 * ```
 */
export async function loadVectorFiles(
  read: (path: string) => unknown,
  only?: readonly VectorFileKey[],
): Promise<GoldenFiles> {
  const manifest = await read(VECTOR_MANIFEST);
  if (!isManifest(manifest)) {
    throw new Error(`vectors/${VECTOR_MANIFEST} is missing or has no "golden" map of file names`);
  }
  const files: Record<string, unknown> = {};
  const pub: Record<string, unknown> = {};
  const keys = only ?? (Object.keys(manifest.golden) as VectorFileKey[]);
  for (const key of keys) {
    const path = manifest.golden[key];
    if (path === undefined) throw new Error(`vectors/${VECTOR_MANIFEST} lists no file for ${key}`);
    let value: unknown;
    if (typeof path === 'string') value = await read(path);
    else {
      const present = (await Promise.all(path.map((p) => read(p)))).filter((d) => d !== undefined);
      value = present.length ? present : undefined;
    }
    if (value === undefined) continue;
    if (key.startsWith('public.')) pub[key.slice('public.'.length)] = value;
    else files[key] = value;
  }
  if (Object.keys(pub).length) files.public = pub;
  return files as GoldenFiles;
}
