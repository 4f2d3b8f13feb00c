/**
 * The workerd launcher's worker: imports the package by name (bundled by run.mjs with the
 * `workerd` condition, so the workerd entry and its precompiled `.wasm` modules are used) and
 * answers `POST /run` (body: the suite options as JSON) with the suite result as JSON.
 */
import * as api from 'qredo-sign';
import * as agent from 'qredo-sign/agent';
import files from 'virtual:vectors';
import { runRuntimeSuite } from '../suite.mjs';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/run' || request.method !== 'POST') {
      return new Response('not found', { status: 404 });
    }
    try {
      const options = await request.json();
      return Response.json(await runRuntimeSuite(api, files, options, agent));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
