/**
 * The cross-runtime suite: what every launcher (node.mjs, deno.ts, bun.ts, workerd/worker.mjs,
 * browser/page.mjs) runs against the package it imported through the exports map. Plain ESM with
 * no `node:` import and no file access, so the same module runs in Node, Deno, Bun, workerd and
 * Chromium; launchers hand in the API namespace and the parsed vector files.
 *
 * Per backend (plus `auto`) it runs the one conformance runner (src/conformance/runner.ts, copied beside
 * this file as conformance.js) over every golden and public vector file, in async and sync modes,
 * and a short list of wrong inputs that must be refused with their exact SigningError code and
 * without the secret in any error text. Per entry it checks that the expected backends are
 * registered and that the entry exports exactly the expected names. For the Qredo API entry
 * (`qredo-sign/qredo-api`, option `qredoApiOnly`) it runs only what that half exports: the
 * Qredo API, secrets and HMAC suites, and the wrong inputs that need no Partner API name.
 * With option `agent`, the Signing Agent vectors run through the `qredo-sign/agent` namespace the
 * launcher imported (agent-suite.mjs), reported as the `agent` cell.
 */
import { runGoldenVectors } from './conformance.js';
import { runAgentVectors } from './agent-suite.mjs';

export { loadVectorFiles } from './vectors.mjs';

/** The conformance suites that use only the Qredo API half (createQredoSigner, hmacSha256, …). */
const QREDO_API_SUITES = ['qredo-api', 'secrets', 'rfc4231', 'rfc4648', 'wycheproof-hmac'];

// Distinctive, so a leak into any error text is easy to find.
const SECRET = 'UlVOVElNRS1TVUlURS1ET05PVExFQUstc2VjcmV0LXZhbHVl';
const URL_OK = 'https://x.test/qapi/v1/balance';

/**
 * [name, expected code, call(api, backend), 'partner' when it needs the Partner API half]: wrong
 * inputs every runtime must refuse alike.
 */
const BAD_INPUTS = [
  [
    'secret outside both alphabets',
    'INVALID_SECRET',
    (api, backend) => api.createQredoSigner({ apiKey: 'k', secret: 'abc$', backend }),
  ],
  [
    'secret of impossible length',
    'INVALID_SECRET',
    (api, backend) => api.createQredoSigner({ apiKey: 'k', secret: 'abcde', backend }),
  ],
  [
    'apiKey with CR LF (header injection)',
    'INVALID_API_KEY',
    (api, backend) => api.createQredoSigner({ apiKey: 'k\r\nx: y', secret: SECRET, backend }),
  ],
  [
    'relative URL',
    'INVALID_URL',
    (api, backend) =>
      api
        .createQredoSigner({ apiKey: 'k', secret: SECRET, backend })
        .sign({ method: 'GET', url: '/qapi/v1/balance' }),
  ],
  [
    'method with a space',
    'INVALID_METHOD',
    (api, backend) =>
      api
        .createQredoSigner({ apiKey: 'k', secret: SECRET, backend })
        .sign({ method: 'GE T', url: URL_OK }),
  ],
  [
    'negative timestamp',
    'INVALID_TIMESTAMP',
    (api, backend) =>
      api
        .createQredoSigner({ apiKey: 'k', secret: SECRET, backend })
        .sign({ method: 'GET', url: URL_OK, timestamp: -1 }),
  ],
  [
    'body on a GET request',
    'INVALID_BODY',
    (api, backend) =>
      api
        .createQredoSigner({ apiKey: 'k', secret: SECRET, backend })
        .sign({ method: 'GET', url: URL_OK, body: 'x' }),
  ],
  [
    'HMAC key of the wrong type',
    'INVALID_ARGUMENT',
    (api, backend) => api.hmacSha256('key', new Uint8Array(1), { backend }),
  ],
  [
    'garbage private key',
    'INVALID_KEY',
    (api, backend) => api.createPartnerSigner({ apiKey: 'k', privateKey: 'not a key', backend }),
    'partner',
  ],
];

const AUTO_WITHOUT_SYNC = [
  'signSync under auto, no synchronous backend',
  'UNAVAILABLE_BACKEND',
  // 'auto' named explicitly: a backend entry (qredo-sign/webcrypto) pins its own backend by
  // default, and a pinned webcrypto signer says ASYNC_ONLY_BACKEND instead.
  (api) =>
    api
      .createQredoSigner({ apiKey: 'k', secret: SECRET, backend: 'auto' })
      .signSync({ method: 'GET', url: URL_OK }),
];

/** Runtime-level refusals: an unknown backend name, and a backend this entry does not have. */
function entryBadInputs(available) {
  const list = [
    [
      'unknown backend name',
      'INVALID_OPTION',
      (api) => api.createQredoSigner({ apiKey: 'k', secret: SECRET, backend: 'openssl' }),
    ],
  ];
  const missing = ['node', 'webcrypto', 'wasm', 'js'].find((b) => !available.includes(b));
  if (missing) {
    list.push([
      `the ${missing} backend, absent here`,
      'UNAVAILABLE_BACKEND',
      (api) =>
        api
          .createQredoSigner({ apiKey: 'k', secret: SECRET, backend: missing })
          .sign({ method: 'GET', url: URL_OK }),
    ]);
  }
  return list;
}

async function refusal(api, name, code, call) {
  let error;
  try {
    await call();
  } catch (e) {
    error = e ?? new Error('threw a nullish value');
  }
  if (error === undefined) return `${name}: accepted, want ${code}`;
  if (!(error instanceof api.SigningError)) return `${name}: threw ${String(error)}, want ${code}`;
  if (error.code !== code) return `${name}: code ${error.code}, want ${code}`;
  const texts = [error.message, String(error), JSON.stringify(error), error.stack ?? ''];
  if (texts.some((t) => t.includes(SECRET))) return `${name}: the secret appears in the error`;
  return undefined;
}

/**
 * Runs the suite and returns a JSON-able result.
 * @param {any} api the package's namespace object, imported through its exports map
 * @param {any} files GoldenFiles (see {@link loadVectorFiles})
 * @param {{ backends: string[], exact?: boolean, expectedExports?: string[],
 *           qredoApiOnly?: boolean, agent?: boolean }} options backends this runtime must have (each is run, plus
 *   `auto`); `exact`: no other backend may be registered (a per-backend subpath entry); the
 *   names the entry must export (checked when given); `qredoApiOnly`: the entry is the Qredo API
 *   half, so only its suites and wrong inputs run; `agent`: run the agent vectors too
 * @param {any} [agentApi] the `qredo-sign/agent` namespace, when the launcher imported it
 */
export async function runRuntimeSuite(
  api,
  files,
  { backends, exact, expectedExports, qredoApiOnly, agent },
  agentApi,
) {
  const available = api.availableBackends();
  const checks = { passed: 0, total: 0, failures: [] };
  const note = (message) => {
    checks.total++;
    if (message) checks.failures.push(message);
    else checks.passed++;
  };
  for (const b of backends) note(available.includes(b) ? undefined : `backend ${b} is missing`);
  if (exact) {
    const extra = available.filter((b) => !backends.includes(b));
    note(extra.length ? `backends registered beyond [${backends}]: ${extra}` : undefined);
  }
  if (expectedExports) {
    const names = Object.keys(api).sort();
    const want = [...expectedExports].sort();
    const missing = want.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !want.includes(n));
    note(
      missing.length + extra.length
        ? `exports differ: missing [${missing}] extra [${extra}]`
        : undefined,
    );
  }
  for (const [name, code, call] of entryBadInputs(available)) {
    note(await refusal(api, name, code, () => call(api)));
  }

  // `auto` is run like a backend: the runner only needs it listed as available.
  const withAuto = { ...api, availableBackends: () => [...available, 'auto'] };
  // `auto` has a synchronous path when any registered backend has one.
  const sync = backends.filter((b) => b !== 'webcrypto');
  if (sync.length) sync.push('auto');
  const cells = {};
  for (const backend of [...backends, 'auto']) {
    const cell = { passed: 0, total: 0, failures: [], byMode: {} };
    cells[backend] = cell;
    if (backend !== 'auto' && !available.includes(backend)) {
      cell.total = 1;
      cell.failures.push('not available in this runtime');
      continue;
    }
    // `auto` with no synchronous backend refuses signSync with UNAVAILABLE_BACKEND (nothing to
    // pick), not ASYNC_ONLY_BACKEND (which names an explicitly chosen backend): checked below.
    const asyncOnlyAuto = backend === 'auto' && !sync.length;
    const report = await runGoldenVectors(withAuto, files, {
      backends: [backend],
      sync,
      ...(asyncOnlyAuto ? { modes: ['async'] } : {}),
      ...(qredoApiOnly ? { only: QREDO_API_SUITES } : {}),
    });
    for (const g of report.groups) {
      const m = (cell.byMode[g.mode] ??= { passed: 0, total: 0 });
      m.passed += g.passed;
      m.total += g.total;
    }
    cell.passed += report.passed;
    cell.total += report.total;
    for (const f of report.failures) {
      cell.failures.push(`${f.file}/${f.mode}: ${f.name}: ${f.message}`);
    }
    for (const s of report.skipped) cell.failures.push(`skipped: ${s.reason}`);
    const bad = asyncOnlyAuto ? [...BAD_INPUTS, AUTO_WITHOUT_SYNC] : BAD_INPUTS;
    for (const [name, code, call, partner] of bad) {
      if (partner && qredoApiOnly) continue;
      cell.total++;
      const failure = await refusal(api, name, code, () => call(api, backend));
      if (failure) cell.failures.push(`bad input: ${failure}`);
      else cell.passed++;
    }
  }
  if (agent) {
    cells.agent = agentApi
      ? runAgentVectors(agentApi, { bls: files.agentBls, zkp: files.agentZkp })
      : { passed: 0, total: 1, failures: ['qredo-sign/agent was not imported'] };
  }
  for (const cell of Object.values(cells)) cell.failures = cell.failures.slice(0, 20);
  return { available, checks, cells };
}
