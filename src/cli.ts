/**
 * The `qredo-sign` command (contract §6). `bin/qredo-sign.js` imports the build of this file; the tests
 * run it with `node --import tsx src/cli.ts`. The commands live in `src/cli/`.
 */
import { main, processIo } from './cli/main.js';

// No top-level await: this file is also compiled to CommonJS with the rest of src/.
void main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
