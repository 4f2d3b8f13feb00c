/**
 * `qredo-sign verify api|partner`: checks a received request with the library's verifiers
 * (contract §3). Exit 0 when it verifies, 1 when verification fails (bad signature, stale timestamp,
 * missing header, replayed nonce), 2 for bad usage or input (e.g. a malformed secret).
 */
import {
  isSigningError,
  verifyPartnerRequest,
  verifyQredoRequest,
  type BackendChoice,
} from '../index.node.js';
import { decodeSecret } from '../lib/encoding.js';
import {
  BODY_OPTIONS,
  UsageError,
  optionalString,
  readBody,
  readKeyFile,
  required,
  secretInput,
  refuseTwoStdinReaders,
  SECRET_OPTIONS,
  type CliIo,
  type OptionSpec,
  type Values,
} from './args.js';

export const VERIFY_OPTIONS = {
  ...SECRET_OPTIONS,
  'public-key': { type: 'string' },
  method: { type: 'string' },
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  ...BODY_OPTIONS,
  'max-skew': { type: 'string' },
  profile: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Codes that mean "this request does not verify" (exit 1) rather than "bad input" (exit 2). */
const VERIFICATION_FAILURES = new Set([
  'BAD_SIGNATURE',
  'STALE_TIMESTAMP',
  'MISSING_HEADER',
  'REPLAYED_NONCE',
  'UNKNOWN_KEY',
]);

// RFC 9110 §5.1 field-name = token (§5.6.2).
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `--header 'name: value'` lines as a record; a repeated name keeps every value (refused later). */
export function parseHeaders(lines: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [index, line] of lines.entries()) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase();
    if (!FIELD_NAME.test(name)) {
      throw new UsageError(`verify: --header #${index + 1} is not 'name: value'`);
    }
    const value = line.slice(colon + 1).trim();
    const previous = headers[name];
    if (previous === undefined) headers[name] = value;
    else headers[name] = [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return headers;
}

export interface VerifyOutcome {
  exitCode: 0 | 1;
  message: string;
}

export async function verifyCommand(
  scheme: string | undefined,
  values: Values,
  io: CliIo,
): Promise<VerifyOutcome> {
  if (scheme !== 'api' && scheme !== 'partner') {
    throw new UsageError('verify: say which scheme: qredo-sign verify api|partner …');
  }
  const command = `verify ${scheme}`;
  const url = required(values, 'url', command);
  const headerLines = values.header;
  const headers = parseHeaders(Array.isArray(headerLines) ? headerLines : []);
  const maxSkewText = optionalString(values, 'max-skew');
  const maxSkewSeconds = maxSkewText === undefined ? undefined : Number(maxSkewText);
  if (maxSkewSeconds !== undefined && !(maxSkewText!.trim() !== '' && maxSkewSeconds >= 0)) {
    throw new UsageError(`${command}: --max-skew must be a number of seconds`);
  }
  const backend = optionalString(values, 'backend') as BackendChoice | undefined;
  refuseTwoStdinReaders(values, command, ['secret-file', 'body-file']);
  const body = await readBody(values, command, io);

  try {
    let apiKey: string;
    if (scheme === 'api') {
      const secret = await secretInput(values, command, io);
      const method = required(values, 'method', command);
      const profile = optionalString(values, 'profile');
      if (profile !== undefined && profile !== 'v1' && profile !== 'v2') {
        throw new UsageError(`${command}: --profile must be v1 or v2`);
      }
      // A malformed secret is bad input (exit 2) whatever the request says, so it is checked
      // before the verifier, which looks at the timestamp window first.
      if (typeof secret === 'string') decodeSecret(secret).fill(0);
      ({ apiKey } = await verifyQredoRequest(
        { method, url, headers, body },
        { secretFor: () => secret, maxSkewSeconds, backend, profile },
      ));
    } else {
      const keyPath = required(values, 'public-key', command);
      const publicKey = readKeyFile(keyPath, '--public-key', io, false);
      const method = optionalString(values, 'method');
      ({ apiKey } = await verifyPartnerRequest(
        { method, url, headers, body },
        // One request checked by hand: whichever stamp it carries (contract §3.1's 'either').
        { publicKeyFor: () => publicKey, maxSkewSeconds, backend, stamps: 'either' },
      ));
    }
    return { exitCode: 0, message: `valid: signed with API key ${apiKey}\n` };
  } catch (error) {
    if (isSigningError(error) && VERIFICATION_FAILURES.has(error.code)) {
      return { exitCode: 1, message: `invalid: ${error.code}: ${error.message}\n` };
    }
    throw error;
  }
}
