#!/usr/bin/env node
// The installed `qredo-sign` command: runs the ESM build of src/cli.ts (npm run build).
import '../dist/esm/cli.js';
