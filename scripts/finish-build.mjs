// After tsc: marks dist/cjs as CommonJS (the package itself is "type": "module"), and copies the
// compiled .wasm files beside tsc's output of src/backends/wasm/generated, because the workerd entry imports
// them from there as modules (tsc does not copy binaries).
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');

const generated = new URL('../src/backends/wasm/generated/', import.meta.url);
const target = new URL('../dist/esm/wasm/generated/', import.meta.url);
mkdirSync(target, { recursive: true });
for (const file of readdirSync(generated)) {
  if (file.endsWith('.wasm')) copyFileSync(new URL(file, generated), new URL(file, target));
}
