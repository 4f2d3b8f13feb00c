/**
 * OpenSSH private keys (`-----BEGIN OPENSSH PRIVATE KEY-----`, the default output of
 * `ssh-keygen` since OpenSSH 7.8): the "openssh-key-v1" container of OpenSSH's PROTOCOL.key, with
 * strings and mpints as in RFC 4251 §5. Only unencrypted RSA keys are read; an encrypted one is
 * `ENCRYPTED_KEY` with the command that converts it, since this library never takes passphrases.
 */
import { SigningError } from '../lib/errors.js';
import { bigIntToBytes, bytesToBigInt } from '../lib/octets.js';
import { invalidKey as invalid } from './rsa-checks.js';
import type { RsaPrivateComponents } from './material.js';

// "openssh-key-v1" and its NUL terminator (PROTOCOL.key §1).
const MAGIC = [...'openssh-key-v1\0'].map((c) => c.charCodeAt(0));

class SshReader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly end = bytes.length,
  ) {}

  uint32(): number {
    if (this.pos + 4 > this.end) throw invalid('OpenSSH key is truncated');
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** RFC 4251 §5 string: a uint32 length, then that many bytes (a view, not a copy). */
  string(): Uint8Array {
    const length = this.uint32();
    if (length > this.end - this.pos) throw invalid('OpenSSH key is truncated');
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  text(): string {
    const bytes = this.string();
    return bytes.length <= 64 ? String.fromCharCode(...bytes) : '';
  }

  /** RFC 4251 §5 mpint, non-negative: a copy without leading zero bytes. */
  mpint(): Uint8Array {
    const raw = this.string();
    if (raw.length > 0 && raw[0] & 0x80) throw invalid('OpenSSH key has a negative integer');
    let start = 0;
    while (start < raw.length - 1 && raw[start] === 0) start++;
    return raw.length === 0 ? new Uint8Array(1) : raw.slice(start);
  }
}

/** The unsigned big-endian bytes of a non-negative bigint, without leading zeros. */
function minimalBytes(x: bigint): Uint8Array {
  return bigIntToBytes(x, Math.max(1, Math.ceil(x.toString(16).length / 2)));
}

/**
 * The RSA integers of an unencrypted OpenSSH private key (the decoded body of an `OPENSSH PRIVATE
 * KEY` block). OpenSSH stores n, e, d, iqmp, p, q; dP and dQ are derived as d mod (p−1) and
 * d mod (q−1) (RFC 8017 §3.2). The caller validates the result as for any other format.
 *
 * @example
 * ```ts
 * const { label, der } = pemKeyBlock(readFileSync('id_rsa', 'utf8'));
 * if (label === 'OPENSSH PRIVATE KEY') readOpenSshPrivateKey(der);
 * ```
 */
export function readOpenSshPrivateKey(blob: Uint8Array): RsaPrivateComponents {
  if (blob.length < MAGIC.length || MAGIC.some((c, i) => blob[i] !== c)) {
    throw invalid('OpenSSH key does not start with "openssh-key-v1"');
  }
  const outer = new SshReader(blob);
  outer.pos = MAGIC.length;
  const cipher = outer.text();
  const kdf = outer.text();
  outer.string(); // KDF options: empty when unencrypted
  if (cipher !== 'none' || kdf !== 'none') {
    throw new SigningError(
      'ENCRYPTED_KEY',
      'encrypted OpenSSH key: convert with ssh-keygen -p -m PEM -f <file> ' +
        '(it asks for the passphrase; leave the new one empty), then pass the PEM',
    );
  }
  if (outer.uint32() !== 1) throw invalid('OpenSSH file must hold exactly one key');
  outer.string(); // the public key, repeated in the private section
  const section = outer.string();
  if (outer.pos !== blob.length) throw invalid('trailing bytes after the OpenSSH key');

  const r = new SshReader(section);
  // Two equal random words: unequal means a wrong passphrase or a damaged key (PROTOCOL.key §3).
  if (r.uint32() !== r.uint32()) throw invalid('OpenSSH key is damaged (check words differ)');
  const type = r.text();
  if (type !== 'ssh-rsa') {
    const shown = /^[a-z0-9@.-]{1,40}$/.test(type) ? ` (${type})` : '';
    throw invalid(`OpenSSH key is not an RSA key${shown}`);
  }
  const n = r.mpint();
  const e = r.mpint();
  const d = r.mpint();
  const qi = r.mpint();
  const p = r.mpint();
  const q = r.mpint();
  const parts = [n, e, d, qi, p, q];
  try {
    r.string(); // comment
    // Padding 1, 2, 3, … to the cipher's block size (8 for "none").
    for (let i = 1; r.pos < section.length; i++) {
      if (section[r.pos++] !== i || i > 255) throw invalid('OpenSSH key has bad padding');
    }
    for (const part of [d, p, q]) {
      if (part.length > n.length) throw invalid('RSA key is inconsistent (an integer exceeds n)');
    }
    const dBig = bytesToBigInt(d);
    const pBig = bytesToBigInt(p);
    const qBig = bytesToBigInt(q);
    if (pBig < 3n || qBig < 3n) throw invalid('RSA key is inconsistent (n ≠ p·q)');
    const dp = minimalBytes(dBig % (pBig - 1n));
    const dq = minimalBytes(dBig % (qBig - 1n));
    return { n, e, d, p, q, dp, dq, qi };
  } catch (error) {
    for (const part of parts) part.fill(0);
    throw error;
  }
}
