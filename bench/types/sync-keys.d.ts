// The backends' prepared keys as the quick benchmarks use them: node, wasm and js answer
// synchronously and have every optional method (src/backends/types.ts allows Promises and omits).
export interface SyncHmacKey {
  mac(data: Uint8Array): Uint8Array;
  macBase64url(data: Uint8Array): string;
  macRequest(prefix: string, body: string | Uint8Array | undefined): string;
  destroy(): void;
}

export interface SyncRsaSigningKey {
  sign(data: Uint8Array): Uint8Array;
  destroy(): void;
}
