// After tsc (declarations) and build-bundles.mjs (JavaScript): marks dist/cjs as CommonJS (the
// package itself is "type": "module") and removes what older builds left beside the bundles: the
// copies of the .wasm files under dist/esm/wasm (the workerd chunks now import ../wasm/<name>.wasm).
import { rmSync, writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
rmSync(new URL('../dist/esm/wasm/', import.meta.url), { recursive: true, force: true });
