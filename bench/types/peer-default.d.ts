// What `npm run typecheck` sees of a library bench/package.json installs (Benchmark.js, crypto-js,
// node-forge, node-rsa): tsconfig.bench.json maps each name here, so the type-check needs neither
// bench/node_modules (CI type-checks before `node bench/install-deps.mjs` runs) nor their @types.
declare const library: any;
export default library;
