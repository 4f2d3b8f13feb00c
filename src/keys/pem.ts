/**
 * PEM text (RFC 7468) as it arrives from files, `.env` files and CI variables, read into the DER
 * (or OpenSSH) bytes of its first key block.
 */
import { SigningError } from '../lib/errors.js';
import { base64 } from '../lib/encoding.js';
import { invalidKey as invalid } from './rsa-checks.js';

// RFC 7468 §3 encapsulation boundaries: a line of exactly "-----BEGIN label-----" or "-----END
// label-----" (the text is trimmed first). Requiring whole lines, as OpenSSL does, means both read
// the same block from the same text: with "------BEGIN" or "x-----BEGIN" accepted, a damaged first
// block that OpenSSL skips could be read here as another valid key. The label is bounded (real
// ones are at most 21 characters) so that a failed match backtracks a bounded distance.
const PEM_BOUNDARY = /(?<=^|[\r\n])-----(BEGIN|END) ([A-Z0-9 ]{1,64})-----(?=[\r\n]|$)/g;

interface PemBoundary {
  begin: boolean;
  label: string;
  start: number;
  end: number;
}

/**
 * The PEM blocks of `text` in order: each BEGIN is closed by the first later END with its label,
 * and the next block starts after that END. One pass over the boundaries and one forward pointer
 * per label keep this linear in the size of the text: a text of many unmatched BEGIN lines (which a
 * lazy `BEGIN …([\s\S]*?)… END` regex rescans to the end once per line, quadratic time: 660 KB of
 * them took 6.5 s) costs one scan.
 */
function* pemBlocks(text: string): Generator<{ label: string; body: string }> {
  const marks: PemBoundary[] = [];
  const endsByLabel = new Map<string, PemBoundary[]>();
  PEM_BOUNDARY.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = PEM_BOUNDARY.exec(text)) !== null) {
    const mark = {
      begin: match[1] === 'BEGIN',
      label: match[2],
      start: match.index,
      end: PEM_BOUNDARY.lastIndex,
    };
    marks.push(mark);
    if (!mark.begin) {
      const list = endsByLabel.get(mark.label);
      if (list) list.push(mark);
      else endsByLabel.set(mark.label, [mark]);
    }
  }
  const next = new Map<string, number>(); // per label: index of the first END not yet passed
  let cursor = 0;
  for (const mark of marks) {
    if (!mark.begin || mark.start < cursor) continue;
    const ends = endsByLabel.get(mark.label) ?? [];
    let i = next.get(mark.label) ?? 0;
    while (i < ends.length && ends[i].start < mark.end) i++;
    next.set(mark.label, i);
    if (i === ends.length) continue; // never closed
    yield { label: mark.label, body: text.slice(mark.end, ends[i].start) };
    cursor = ends[i].end;
  }
}

/**
 * Undoes what `.env` files, CI variables and YAML do to a PEM, where the result is unambiguous:
 * wrapping quotes, literal `\n` escapes (dotenv without expansion, JSON-escaped secrets), and
 * indentation or trailing spaces on any line (YAML block scalars, copy-paste). None of these
 * characters can occur inside a PEM's base64 or boundary lines (RFC 7468 §3), so removing them
 * never changes which key is read.
 *
 * @example
 * ```ts
 * tidyPemText('"-----BEGIN PRIVATE KEY-----\\nMII…\\n-----END PRIVATE KEY-----"')
 * // '-----BEGIN PRIVATE KEY-----\nMII…\n-----END PRIVATE KEY-----'
 * ```
 */
export function tidyPemText(input: string): string {
  let text = input.trim();
  const quote = text[0];
  if ((quote === '"' || quote === "'") && text.length > 1 && text.endsWith(quote)) {
    text = text.slice(1, -1).trim();
  }
  if (text.includes('\\')) text = text.replace(/\\r\\n|\\n|\\r/g, '\n');
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join('\n');
}

/** Labels of the key blocks this library reads (RFC 7468 §11, §13; OpenSSH PROTOCOL.key). */
export type PemKeyLabel =
  'RSA PRIVATE KEY' | 'PRIVATE KEY' | 'RSA PUBLIC KEY' | 'PUBLIC KEY' | 'OPENSSH PRIVATE KEY';

const KEY_LABELS: ReadonlySet<string> = new Set<PemKeyLabel>([
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'RSA PUBLIC KEY',
  'PUBLIC KEY',
  'OPENSSH PRIVATE KEY',
]);

/**
 * The label and decoded bytes of the first key block of a PEM text (tidied first), refusing
 * encrypted and non-RSA blocks.
 *
 * @example
 * ```ts
 * const { label, der } = pemKeyBlock(readFileSync('key.pem', 'utf8')); // label 'PRIVATE KEY'
 * ```
 */
export function pemKeyBlock(input: string): { label: PemKeyLabel; der: Uint8Array } {
  const text = tidyPemText(input);
  let sawBlock = false;
  for (const { label, body } of pemBlocks(text)) {
    sawBlock = true;
    if (!label.endsWith('KEY')) continue; // certificates, parameters: not keys
    if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(body)) {
      throw new SigningError('ENCRYPTED_KEY', 'the private key is encrypted; decrypt it first');
    }
    if (!KEY_LABELS.has(label)) throw invalid(`PEM "${label}" is not an RSA key`);
    // RFC 7468 §2: ignore line breaks; headers only appear in the legacy encrypted form.
    const der = base64.decode(body.replace(/\s+/g, ''));
    if (der === undefined || der.length === 0) throw invalid('PEM body is not valid base64');
    return { label: label as PemKeyLabel, der };
  }
  if (text.includes('-----BEGIN')) {
    throw invalid(sawBlock ? 'PEM holds no key block' : 'PEM is truncated (no matching END line)');
  }
  if (looksLikePath(text)) {
    throw invalid(
      "the key looks like a file path: read the file and pass its contents (readFileSync(path, 'utf8'))",
    );
  }
  throw invalid('not a PEM key');
}

// One line naming a file: an absolute, home or relative path, a Windows drive or share, or a
// name ending in a key file extension. Base64 key text starts with "MI" and JWK text with "{", so
// neither is mistaken for one.
const PATH_LIKE =
  /^(?:~|\.{1,2})?[\\/]|^[A-Za-z]:[\\/]|\.(?:pem|key|der|pub|txt|jwk|json|p8|pk8)$/i;

function looksLikePath(text: string): boolean {
  return text.length < 4096 && !/[\r\n]/.test(text) && PATH_LIKE.test(text);
}
