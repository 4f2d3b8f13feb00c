/**
 * `qredo-sign keygen`: a Partner API key pair with node:crypto. The private key is PKCS#1 PEM by
 * default (what `openssl genrsa 2048` writes, contract §1.2) or PKCS#8, created with mode 0600 and never
 * over an existing file unless `--force`; the SPKI public key (`BEGIN PUBLIC KEY`, what
 * `openssl rsa -pubout` writes) is what gets uploaded to Qredo.
 */
import { generateKeyPair } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError, optionalString, required, type OptionSpec, type Values } from './args.js';

export const KEYGEN_OPTIONS = {
  bits: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'public-out': { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

const BITS = [2048, 3072, 4096];

/**
 * Writes `text` to `path` with `mode`. Without `force`, `wx` makes creation fail if the file
 * exists (no check-then-write race). With `force`, a new file is created beside it and renamed
 * over it, so the mode is the new file's even if the old one was world-readable.
 */
function writeNewFile(path: string, text: string, mode: number, force: boolean): void {
  const target = force
    ? join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
    : path;
  let fd: number;
  try {
    fd = openSync(target, 'wx', mode);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') {
      throw new UsageError(`keygen: ${JSON.stringify(path)} exists; use --force to replace it`);
    }
    throw new UsageError(`keygen: cannot create ${JSON.stringify(path)}: ${code ?? 'error'}`);
  }
  try {
    fchmodSync(fd, mode); // the umask may have removed bits; 0600 is meant exactly
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  if (force) {
    try {
      renameSync(target, path);
    } catch (error) {
      unlinkSync(target);
      const code = (error as { code?: string }).code;
      throw new UsageError(`keygen: cannot replace ${JSON.stringify(path)}: ${code ?? 'error'}`);
    }
  }
}

/** Runs `keygen`; returns the public key PEM printed when there is no `--public-out`. */
export async function keygen(values: Values): Promise<{ stdout: string; stderr: string }> {
  const bitsText = optionalString(values, 'bits') ?? '2048';
  const bits = Number(bitsText);
  if (!/^\d+$/.test(bitsText) || !BITS.includes(bits)) {
    throw new UsageError('keygen: --bits must be 2048, 3072 or 4096');
  }
  const format = optionalString(values, 'format') ?? 'pkcs1';
  if (format !== 'pkcs1' && format !== 'pkcs8') {
    throw new UsageError('keygen: --format must be pkcs1 or pkcs8');
  }
  const out = required(values, 'out', 'keygen');
  const publicOut = optionalString(values, 'public-out');
  if (publicOut !== undefined && resolve(publicOut) === resolve(out)) {
    throw new UsageError('keygen: --out and --public-out must be different files');
  }
  const force = values.force === true;
  // Checked before generating, so that a refusal leaves no half-written pair behind; writeNewFile
  // checks again atomically.
  for (const path of publicOut === undefined ? [out] : [out, publicOut]) {
    if (!force && existsSync(path)) {
      throw new UsageError(`keygen: ${JSON.stringify(path)} exists; use --force to replace it`);
    }
  }

  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
  });
  const privatePem = privateKey.export({ type: format, format: 'pem' }) as string;
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;

  writeNewFile(out, privatePem, 0o600, force);
  const notes = [
    `wrote a ${bits}-bit RSA private key (${format === 'pkcs1' ? 'PKCS#1' : 'PKCS#8'} PEM, mode 0600) to ${out}`,
  ];
  if (publicOut !== undefined) {
    writeNewFile(publicOut, publicPem, 0o644, force);
    notes.push(`wrote its public key (SPKI PEM, upload this one to Qredo) to ${publicOut}`);
    return { stdout: '', stderr: `${notes.join('\n')}\n` };
  }
  notes.push('its public key (SPKI PEM, upload this one to Qredo) follows on standard output');
  return { stdout: publicPem, stderr: `${notes.join('\n')}\n` };
}
