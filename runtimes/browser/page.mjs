/**
 * The browser launcher's page script: imports the package by name (bundled by run.mjs with the
 * `browser` condition, so the web entry with its embedded WASM is used) and exposes the suite to
 * the driver as `globalThis.qredoRuntimeSuite(options)`.
 */
import * as api from 'qredo-sign';
import * as agent from 'qredo-sign/agent';
import files from 'virtual:vectors';
import { runRuntimeSuite } from '../suite.mjs';

globalThis.qredoRuntimeSuite = (options) => runRuntimeSuite(api, files, options, agent);
