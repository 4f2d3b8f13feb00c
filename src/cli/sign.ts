/**
 * `qredo-sign api` and `qredo-sign partner` inputs: read the options (flags over environment,
 * contract §6), sign through the public API of the Node entry, and hand back the signed request for a
 * formatter or for `explain`.
 */
import { createPartnerSigner, createQredoSigner, type SignedRequest } from '../index.node.js';
import type { BackendChoice, QredoProfile } from '../index.node.js';
import {
  BODY_OPTIONS,
  optionalString,
  readBody,
  readKeyFile,
  required,
  secretInput,
  sourceOf,
  refuseTwoStdinReaders,
  SECRET_OPTIONS,
  type CliIo,
  type OptionSpec,
  type Values,
} from './args.js';
import { PARTNER_HEADERS, QREDO_HEADERS } from '../scheme/headers.js';

export type Scheme = 'api' | 'partner';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Inputs of `api` (and `explain api`). */
export const API_INPUT_OPTIONS = {
  'api-key': { type: 'string' },
  ...SECRET_OPTIONS,
  method: { type: 'string' },
  url: { type: 'string' },
  ...BODY_OPTIONS,
  timestamp: { type: 'string' },
  backend: { type: 'string' },
  profile: { type: 'string' },
  ...HELP,
} as const satisfies OptionSpec;

/** Inputs of `partner` (and `explain partner`). */
export const PARTNER_INPUT_OPTIONS = {
  'api-key': { type: 'string' },
  'private-key': { type: 'string' },
  url: { type: 'string' },
  method: { type: 'string' },
  ...BODY_OPTIONS,
  timestamp: { type: 'string' },
  nonce: { type: 'string' },
  backend: { type: 'string' },
  ...HELP,
} as const satisfies OptionSpec;

export const INPUT_OPTIONS: Record<Scheme, OptionSpec> = {
  api: API_INPUT_OPTIONS,
  partner: PARTNER_INPUT_OPTIONS,
};

/** A signed request and the name of its signature header (what `explain` compares). */
export interface SignedResult {
  scheme: Scheme;
  signed: SignedRequest;
  backend: string;
  signatureHeader: string;
}

/** Signs the request the options describe, with the scheme's signer of the Node entry. */
export async function signFromOptions(
  scheme: Scheme,
  values: Values,
  command: string,
  io: CliIo,
): Promise<SignedResult> {
  return scheme === 'api' ? signApi(values, command, io) : signPartner(values, command, io);
}

async function signApi(values: Values, command: string, io: CliIo): Promise<SignedResult> {
  const apiKey = required(values, 'api-key', command, io, 'QREDO_API_KEY');
  refuseTwoStdinReaders(values, command, ['secret-file', 'body-file']);
  const secret = await secretInput(values, command, io);
  const method = required(values, 'method', command);
  const url = required(values, 'url', command);
  const body = await readBody(values, command, io);
  const signer = createQredoSigner({
    apiKey,
    secret,
    backend: optionalString(values, 'backend') as BackendChoice | undefined,
    profile: optionalString(values, 'profile') as QredoProfile | undefined,
  });
  try {
    const timestamp = optionalString(values, 'timestamp');
    const signed = await signer.sign({ method, url, body, timestamp });
    const signatureHeader = QREDO_HEADERS[signer.profile].signature;
    return { scheme: 'api', signed, backend: signer.backend, signatureHeader };
  } finally {
    signer.destroy();
  }
}

async function signPartner(values: Values, command: string, io: CliIo): Promise<SignedResult> {
  const apiKey = required(values, 'api-key', command, io, 'QREDO_API_KEY');
  const keyPath = required(values, 'private-key', command, io, 'QREDO_PRIVATE_KEY');
  const url = required(values, 'url', command);
  const body = await readBody(values, command, io);
  const privateKey = readKeyFile(
    keyPath,
    sourceOf(values, 'private-key', 'QREDO_PRIVATE_KEY'),
    io,
    true,
  );
  let signer;
  try {
    signer = createPartnerSigner({
      apiKey,
      privateKey,
      backend: optionalString(values, 'backend') as BackendChoice | undefined,
    });
  } finally {
    if (privateKey instanceof Uint8Array) privateKey.fill(0);
  }
  try {
    const signed = await signer.sign({
      url,
      method: optionalString(values, 'method'),
      body,
      timestamp: optionalString(values, 'timestamp'),
      nonce: optionalString(values, 'nonce'),
    });
    return {
      scheme: 'partner',
      signed,
      backend: signer.backend,
      signatureHeader: PARTNER_HEADERS.signature,
    };
  } finally {
    signer.destroy();
  }
}
