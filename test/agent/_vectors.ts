/**
 * Loads the Signing Agent vectors: the copy in vectors/signing-agent/ (shipped with the package),
 * falling back to ../shared beside the clone (read-only in CI) if the copy is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  new URL('../../vectors/signing-agent/', import.meta.url),
  new URL('../../../shared/vectors/signing-agent/', import.meta.url),
];

const dir = candidates.find((u) => existsSync(fileURLToPath(new URL('signing-agent-bls.json', u))));
if (!dir) throw new Error('signing-agent vectors not found in vectors/ or ../shared/vectors/');

const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(name, dir)), 'utf8'));

export const blsVectors = read('signing-agent-bls.json');
export const zkpVectors = read('signing-agent-v1-zkp.json');
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
