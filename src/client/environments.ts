/**
 * Named Qredo base URLs for the CLI's `--env` (contract §3b). Only hosts and path prefixes that a
 * public Qredo source attests are listed: credentials sent to a guessed host would be handed to
 * whoever owns it. Any other environment (Qredo API v2, a staging gateway, a proxy) is the user's
 * configuration (`QREDO_SIGN_ENVIRONMENTS` for the CLI, or an object passed to
 * {@link resolveEnvironment}).
 *
 * Sources:
 * - `qredo-api`: the Qredo API v1 example of contract §5 and of Qredo's "Get started" page (the seed
 *   `seeds/003_…`), `https://api.qredo.network/qapi/v1/balance`; the same host and prefix in
 *   Qredo's developer docs (github.com/jonqredo/developer-docs-demo,
 *   developer-guides/qredo-api/get-started.md and qredo-api-tool.md).
 * - `partner-play`: the Partner API "play" environment that Qredo's own tools default to
 *   (github.com/qredo/signing-agent: the `qredoAPI` default in its configuration and its YAML
 *   template), `https://play-api.qredo.network/api/v1/p`; listed as
 *   "Deprecated: Play" in developer-guides/partner-api/get-started.md.
 * - `partner` and `partner-sandbox`: the Partner API's production and sandbox base URLs in the
 *   same get-started.md ("BASE URL on Production" / "BASE URL on Sandbox").
 * Qredo deprecated these APIs in favour of Qredo API v2 (seed `002_…`); whether each host still
 * answers is not something this file can attest.
 */
import { SigningError } from '../lib/errors.js';

/**
 * A named base URL and the scheme whose credentials it takes.
 *
 * @example
 * ```ts
 * const staging: QredoEnvironment = { baseUrl: 'https://qredo.internal/api/v2', scheme: 'v2', source: 'user configuration' };
 * ```
 */
export interface QredoEnvironment {
  /** Base URL without a trailing slash; request paths are appended to it. */
  readonly baseUrl: string;
  /** The scheme whose credentials it takes; absent (user configuration only): any. */
  readonly scheme?: 'api' | 'partner' | 'v2';
  /** Where the host is attested (a public Qredo source), or 'user configuration'. */
  readonly source: string;
}

/**
 * The attested environments (see the module comment for each source).
 *
 * @example
 * ```ts
 * QREDO_ENVIRONMENTS['partner-play'].baseUrl // 'https://play-api.qredo.network/api/v1/p'
 * ```
 */
export const QREDO_ENVIRONMENTS: Readonly<Record<string, QredoEnvironment>> =
  /* @__PURE__ */ Object.freeze({
    'qredo-api': {
      baseUrl: 'https://api.qredo.network/qapi/v1',
      scheme: 'api',
      source: 'contract §5; Qredo API "Get started" (seed 003)',
    },
    partner: {
      baseUrl: 'https://api.qredo.network/api/v1/p',
      scheme: 'partner',
      source: 'Qredo developer docs, partner-api/get-started.md (Production)',
    },
    'partner-sandbox': {
      baseUrl: 'https://sandbox-api.qredo.network/qapi/v1/p',
      scheme: 'partner',
      source: 'Qredo developer docs, partner-api/get-started.md (Sandbox)',
    },
    'partner-play': {
      baseUrl: 'https://play-api.qredo.network/api/v1/p',
      scheme: 'partner',
      source: "qredo/signing-agent's default qredoAPI; partner-api/get-started.md (Play)",
    },
  });

function checkBase(name: string, value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new SigningError('INVALID_OPTION', `environment ${name}: base URL is not absolute`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SigningError('INVALID_OPTION', `environment ${name}: base URL must be http(s)`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new SigningError(
      'INVALID_OPTION',
      `environment ${name}: base URL must have no query, fragment or credentials`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Finds an environment by name: the user's own first (`extra`: name → base URL, or
 * `{ baseUrl, scheme }`), then {@link QREDO_ENVIRONMENTS}. Unknown names are an `INVALID_OPTION`
 * that lists the known ones.
 *
 * @example
 * ```ts
 * resolveEnvironment('staging', { staging: { baseUrl: 'https://qredo.internal/api/v2', scheme: 'v2' } });
 * ```
 */
export function resolveEnvironment(
  name: string,
  extra: Record<string, string | { baseUrl: string; scheme?: QredoEnvironment['scheme'] }> = {},
): QredoEnvironment {
  if (Object.hasOwn(extra, name)) {
    const entry = extra[name];
    const given = typeof entry === 'string' ? { baseUrl: entry } : entry;
    const scheme = given?.scheme;
    if (scheme !== undefined && scheme !== 'api' && scheme !== 'partner' && scheme !== 'v2') {
      throw new SigningError(
        'INVALID_OPTION',
        `environment ${name}: scheme must be api, partner or v2`,
      );
    }
    return { baseUrl: checkBase(name, given?.baseUrl), scheme, source: 'user configuration' };
  }
  if (Object.hasOwn(QREDO_ENVIRONMENTS, name)) return QREDO_ENVIRONMENTS[name];
  const known = [...Object.keys(extra), ...Object.keys(QREDO_ENVIRONMENTS)].join(', ');
  throw new SigningError('INVALID_OPTION', `unknown environment; known: ${known}`);
}

/**
 * Joins a request path to an environment's base URL (`/balance` → `…/qapi/v1/balance`). An
 * absolute URL is accepted only when it already starts with the base, so `--env` never sends
 * credentials elsewhere.
 *
 * @example
 * ```ts
 * environmentUrl(QREDO_ENVIRONMENTS['qredo-api'], '/balance') // 'https://api.qredo.network/qapi/v1/balance'
 * ```
 */
export function environmentUrl(environment: QredoEnvironment, pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
    const base = environment.baseUrl;
    if (
      pathOrUrl === base ||
      pathOrUrl.startsWith(`${base}/`) ||
      pathOrUrl.startsWith(`${base}?`)
    ) {
      return pathOrUrl;
    }
    throw new SigningError('INVALID_URL', `the URL is not under the environment's ${base}`);
  }
  if (pathOrUrl !== '' && !pathOrUrl.startsWith('/') && !pathOrUrl.startsWith('?')) {
    throw new SigningError(
      'INVALID_URL',
      'with an environment, give the URL as a path starting with /',
    );
  }
  return environment.baseUrl + pathOrUrl;
}
