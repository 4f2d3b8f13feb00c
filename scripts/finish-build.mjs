// Marks dist/cjs as CommonJS (the package itself is "type": "module"), so Node and bundlers read
// the .js files there as require()-able modules.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
