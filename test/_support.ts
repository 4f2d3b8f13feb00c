/**
 * Shared test support: the backends under test and independent reference computations.
 * References use node:crypto directly from test code (never the library's own code path), so a
 * wrong canonicalisation or encoding in src/ cannot agree with them by construction.
 */
import { createHmac, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as api from '../src/index.node.js';
import type { BackendName } from '../src/index.node.js';

export { api };

/** Every backend registered by the Node entry (wasm and js join when their modules land). */
export const BACKENDS: BackendName[] = api.availableBackends();

export const SYNC_BACKENDS = BACKENDS.filter((b) => b !== 'webcrypto');

export function referenceQredoSignature(
  secretBytes: Uint8Array,
  input: string | Uint8Array,
): string {
  return createHmac('sha256', secretBytes).update(input).digest('base64url');
}

export function referenceRsaSignature(privateKey: KeyObject | string, input: Uint8Array): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return nodeSign('sha256', input, key).toString('base64url');
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

/** Catches the error of a sync or async call, for asserting its code. */
export async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}
