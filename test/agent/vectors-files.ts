/**
 * Loads the Signing Agent vectors: the copy in vectors/signing-agent/ (shipped with the package),
 * falling back to ../shared beside the clone (read-only in CI) if the copy is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The file names come from vectors/manifest.json, the one list of vector files.
const manifest = JSON.parse(
  readFileSync(new URL('../../vectors/manifest.json', import.meta.url), 'utf8'),
) as { agent: { agentBls: string; agentZkp: string } };

const candidates = [
  new URL('../../vectors/', import.meta.url),
  new URL('../../../shared/vectors/', import.meta.url),
];

const dir = candidates.find((u) => existsSync(fileURLToPath(new URL(manifest.agent.agentBls, u))));
if (!dir) throw new Error('signing-agent vectors not found in vectors/ or ../shared/vectors/');

const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(name, dir)), 'utf8'));

export const blsVectors = read(manifest.agent.agentBls);
export const zkpVectors = read(manifest.agent.agentZkp);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
