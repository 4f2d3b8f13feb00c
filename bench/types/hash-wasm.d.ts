// What `npm run typecheck` sees of hash-wasm (bench/package.json; see peer-default.d.ts).
export declare function createHMAC(hasher: Promise<unknown>, key: unknown): Promise<any>;
export declare function createSHA256(): Promise<any>;
