/**
 * The one conformance runner: checks a build of this package against the golden vectors of
 * `vectors/` (written by an independent Python/OpenSSL generator) and the public suites (RFC 4231,
 * RFC 4648, Wycheproof). Used by the test suite, the demo, `qredo-sign vectors` and the
 * cross-runtime launchers, so it imports no entry, no `node:` module and reads no files: callers
 * pass the package's API object and the parsed JSON documents (vector-files.ts lists and loads
 * them). The suites live in suites-*.ts, each with what it requires.
 */
import { signingSuite, secretsSuite } from './suites-signing.js';
import { badKeysSuite, primitivesSuite } from './suites-primitives.js';
import {
  rfc4231Suite,
  rfc4648Suite,
  wycheproofHmacSuite,
  wycheproofSignSuite,
  wycheproofVerifySuite,
} from './suites-public.js';
import type {
  Check,
  ConformanceApi,
  ConformanceGroup,
  ConformanceOptions,
  ConformanceReport,
  GoldenFiles,
  Suite,
} from './types.js';

export type {
  ConformanceApi,
  ConformanceFailure,
  ConformanceGroup,
  ConformanceMode,
  ConformanceOptions,
  ConformanceReport,
  GoldenFiles,
} from './types.js';

/**
 * Suite name → its runner, whether it has a sync mode (`'sync-backends'`: only on synchronous
 * backends) and whether the files it needs were given.
 */
const SUITES: Record<
  string,
  { run: Suite; syncMode: boolean | 'sync-backends'; has: (f: GoldenFiles) => unknown }
> = {
  'qredo-api': { run: signingSuite('qredoApi'), syncMode: true, has: (f) => f.qredoApi },
  'partner-api': {
    run: signingSuite('partnerApi'),
    syncMode: true,
    has: (f) => f.partnerApi && f.keys,
  },
  secrets: { run: secretsSuite, syncMode: 'sync-backends', has: (f) => f.secrets },
  primitives: { run: primitivesSuite, syncMode: false, has: (f) => f.primitives && f.keys },
  'bad-keys': { run: badKeysSuite, syncMode: false, has: (f) => f.badKeys },
  rfc4231: { run: rfc4231Suite, syncMode: false, has: (f) => f.public?.rfc4231 },
  rfc4648: { run: rfc4648Suite, syncMode: false, has: (f) => f.public?.rfc4648 },
  'wycheproof-hmac': {
    run: wycheproofHmacSuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofHmac,
  },
  'wycheproof-rsa-verify': {
    run: wycheproofVerifySuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofRsaVerify?.length,
  },
  'wycheproof-rsa-sign': {
    run: wycheproofSignSuite,
    syncMode: false,
    has: (f) => f.public?.wycheproofRsaSign?.length,
  },
};

/**
 * Runs every given golden and public vector on every requested backend and mode. Never throws
 * for a mismatch: each one is a failure in the report. Primitives are async-only, so their suites
 * run in mode `async` only.
 *
 * @example
 * ```ts
 * import * as api from 'qredo-sign';
 * const report = await runGoldenVectors(api, { qredoApi, partnerApi, keys, primitives, secrets, badKeys });
 * if (report.failures.length) console.error(report.failures);
 * ```
 */
export async function runGoldenVectors(
  api: ConformanceApi,
  files: GoldenFiles,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const available = api.availableBackends?.() ?? [];
  const requested = options.backends ?? available;
  const syncBackends = options.sync ?? requested.filter((b) => b !== 'webcrypto');
  const modes = options.modes ?? ['async', 'sync'];
  const report: ConformanceReport = { total: 0, passed: 0, failures: [], skipped: [], groups: [] };
  for (const backend of requested) {
    if (!available.includes(backend)) {
      report.skipped.push({ backend, reason: 'not available in this runtime or entry' });
      continue;
    }
    for (const [file, suite] of Object.entries(SUITES)) {
      if (options.only && !options.only.includes(file)) continue;
      if (!suite.has(files)) continue;
      for (const mode of modes) {
        if (mode === 'sync' && !suite.syncMode) continue;
        const isSync = syncBackends.includes(backend);
        if (mode === 'sync' && suite.syncMode === 'sync-backends' && !isSync) continue;
        const group: ConformanceGroup = { file, backend, mode, total: 0, passed: 0 };
        report.groups.push(group);
        const check: Check = async (name, run) => {
          group.total++;
          let message: string | undefined;
          try {
            message = await run();
          } catch (error) {
            message = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
          }
          if (message === undefined) group.passed++;
          else report.failures.push({ file, name, backend, mode, message });
        };
        await suite.run({ api, files, backend, mode, check, isSync });
        report.total += group.total;
        report.passed += group.passed;
      }
    }
  }
  return report;
}
