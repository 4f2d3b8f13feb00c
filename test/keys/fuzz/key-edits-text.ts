/**
 * Text damage for the key fuzzer: PEM armour and base64 (truncated lines, labels and dashes,
 * line endings and widths, legacy encryption headers, other blocks around, many unmatched BEGIN
 * lines) and JWK fields (removed, swapped, wrong types, huge, other alphabets, padding, leading
 * zeros, kty/alg/oth), as objects or JSON text.
 */
import type { JwkBase, Op, PemBase, Recipe } from './key-bases.js';

// ——— PEM text ———

const LABELS = [
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'ENCRYPTED PRIVATE KEY',
  'EC PRIVATE KEY',
  'CERTIFICATE',
  'X',
  'rsa private key',
  '',
  'RSA PRIVATE KEY ',
  'KEY',
];
const CHARS = [
  'A',
  '/',
  '+',
  '=',
  '-',
  '_',
  ' ',
  '\n',
  '\r',
  '\t',
  '\0',
  'é',
  '😀',
  '.',
  '{',
  '-----',
];
const JUNK_BLOCKS = [
  '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n',
  '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n',
  'Bag Attributes\n    friendlyName: key\n',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----END RSA PRIVATE KEY-----\n',
];

function textEdit(text: string, op: Op, log: string[]): string {
  const lines = text.split('\n');
  const pos = text.length === 0 ? 0 : op.a % text.length;
  switch (op.kind % 14) {
    case 0: {
      const n = op.a % (lines.length + 1);
      log.push(`keep the first ${n} lines`);
      return lines.slice(0, n).join('\n');
    }
    case 1:
      log.push(`truncate at char ${pos}`);
      return text.slice(0, pos);
    case 2:
      log.push(`delete ${(op.b % 4) + 1} chars at ${pos}`);
      return text.slice(0, pos) + text.slice(pos + (op.b % 4) + 1);
    case 3: {
      const c = CHARS[op.b % CHARS.length];
      log.push(`insert ${JSON.stringify(c)} at ${pos}`);
      return text.slice(0, pos) + c + text.slice(pos);
    }
    case 4: {
      const c = CHARS[op.b % CHARS.length];
      log.push(`replace char ${pos} by ${JSON.stringify(c)}`);
      return text.slice(0, pos) + c + text.slice(pos + 1);
    }
    case 5: {
      const label = LABELS[op.b % LABELS.length];
      const where = ['BEGIN', 'END', 'BEGIN|END'][op.c % 3];
      log.push(`${where} label to ${JSON.stringify(label)}`);
      return text.replace(
        new RegExp(`-----(${where}) [A-Z0-9 ]+-----`, 'g'),
        `-----$1 ${label}-----`,
      );
    }
    case 6: {
      const which = op.b % 4;
      log.push(
        ['BEGIN loses a dash', 'END loses a dash', 'BEGIN gains a dash', 'END gains a dash'][which],
      );
      const marker = which % 2 === 0 ? '-----BEGIN' : '-----END';
      return text.replace(marker, which < 2 ? marker.slice(1) : '-' + marker);
    }
    case 7: {
      const body = lines.filter((l) => !l.startsWith('-----') && l.length > 0).join('');
      const [head, tail] = [lines[0], lines.find((l) => l.startsWith('-----END')) ?? ''];
      const width = [1, 4, 63, 65, 76, 1e9][op.b % 6];
      const eol = ['\n', '\r\n', '\r', '\n\n'][op.c % 4];
      log.push(`rewrap at ${width} with ${JSON.stringify(eol)}`);
      return [
        head,
        ...(body.match(new RegExp(`.{1,${Math.min(width, 1e5)}}`, 'g')) ?? []),
        tail,
        '',
      ].join(eol);
    }
    case 8:
      log.push('Proc-Type: 4,ENCRYPTED header');
      return text.replace(
        '-----\n',
        '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n',
      );
    case 9: {
      const junk = JUNK_BLOCKS[op.b % JUNK_BLOCKS.length];
      log.push(`${op.c % 2 ? 'append' : 'prepend'} ${JSON.stringify(junk.slice(0, 30))}`);
      return op.c % 2 ? text + junk : junk + text;
    }
    case 10: {
      const which = op.b % 3;
      log.push(['duplicate the block', 'remove the END line', 'remove the BEGIN line'][which]);
      if (which === 0) return text + text;
      return lines.filter((l) => !l.startsWith(which === 1 ? '-----END' : '-----BEGIN')).join('\n');
    }
    case 11: {
      const pad = [' ', '\t', '\n\n', '\uFEFF', '\u00A0'][op.b % 5];
      log.push(`white space ${JSON.stringify(pad)} around`);
      return pad + text + pad;
    }
    case 12: {
      const which = op.b % 3;
      log.push(['"=" inside the base64', 'padding removed', 'extra padding'][which]);
      if (which === 0) return text.slice(0, pos) + '=' + text.slice(pos);
      if (which === 1) return text.replace(/=+\n/, '\n');
      return text.replace(/\n-----END/, '===\n-----END');
    }
    default: {
      // Many unmatched BEGIN lines: a PEM scanner must stay linear in the size of its input.
      // Mostly a few hundred; one in 16 up to 50,000 (1.6 MB, 90 s for a quadratic scanner).
      const count = (op.c % 16 === 0 ? 1000 : 10) * ((op.b % 50) + 1);
      log.push(`${count} unmatched BEGIN lines`);
      return '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(count) + text;
    }
  }
}

export function mutatePem(base: PemBase, recipe: Recipe, log: string[]): unknown {
  let text = base.pem;
  for (const op of recipe.ops) text = textEdit(text, op, log);
  if (recipe.delivery % 2 === 0) {
    log.push('as text');
    return text;
  }
  log.push('as UTF-8 bytes');
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

// ——— JWK ———

const WRONG_TYPES: [string, unknown][] = [
  ['number', 65537],
  ['null', null],
  ['true', true],
  ['array', ['AQAB']],
  ['object', { v: 'AQAB' }],
  ['empty string', ''],
  ['bigint', 65537n],
  ['undefined', undefined],
  ['NaN', NaN],
];
const HUGE = [700, 2_000, 100_000, 1_000_000];

function jwkEdit(
  jwk: Record<string, unknown>,
  base: JwkBase,
  op: Op,
  log: string[],
): Record<string, unknown> | unknown {
  const fields = Object.keys(base.jwk);
  const f = fields[op.a % fields.length];
  const g = fields[op.b % fields.length];
  const value = typeof jwk[f] === 'string' ? (jwk[f] as string) : '';
  switch (op.kind % 12) {
    case 0:
      log.push(`remove ${f}`);
      delete jwk[f];
      return jwk;
    case 1:
      log.push(`swap ${f} and ${g}`);
      [jwk[f], jwk[g]] = [jwk[g], jwk[f]];
      return jwk;
    case 2: {
      const [name, v] = WRONG_TYPES[op.c % WRONG_TYPES.length];
      log.push(`${f} is ${name}`);
      jwk[f] = v;
      return jwk;
    }
    case 3: {
      const n = HUGE[op.c % HUGE.length];
      log.push(`${f} is ${n} base64url characters`);
      jwk[f] = (value || 'AQAB').repeat(Math.ceil(n / Math.max(4, value.length))).slice(0, n);
      return jwk;
    }
    case 4:
      log.push(`${f} in the standard alphabet`);
      jwk[f] = value.replace(/-/g, '+').replace(/_/g, '/') + (op.c % 2 ? '+/' : '');
      return jwk;
    case 5:
      log.push(`${f} padded`);
      jwk[f] = value + '='.repeat((op.c % 3) + 1);
      return jwk;
    case 6:
      log.push(`${f} loses ${(op.c % 5) + 1} characters`);
      jwk[f] = value.slice(0, -((op.c % 5) + 1));
      return jwk;
    case 7: {
      const i = value.length ? op.c % value.length : 0;
      const c = 'AZaz09-_=.+ é'[op.b % 13];
      log.push(`${f}[${i}] = ${JSON.stringify(c)}`);
      jwk[f] = value.slice(0, i) + c + value.slice(i + 1);
      return jwk;
    }
    case 8:
      log.push(`${f} with leading zero bytes`);
      jwk[f] = 'AAAA'.repeat((op.c % 3) + 1) + value;
      return jwk;
    case 9: {
      const edits: [string, string, unknown][] = [
        ['kty', 'rsa', 'lower case'],
        ['kty', 'EC', 'EC'],
        ['kty', 'oct', 'oct'],
        ['alg', 'RS384', 'RS384'],
        ['alg', 'PS256', 'PS256'],
        ['alg', 'none', 'none'],
        ['alg', 'RS256', 'RS256 (fine)'],
        ['oth', [], 'multi-prime'],
        ['use', 'enc', 'use enc'],
      ].map(([k, v, d]) => [k as string, d as string, v]);
      const [k, d, v] = edits[op.c % edits.length];
      log.push(`${k}: ${d}`);
      jwk[k] = v;
      return jwk;
    }
    case 10:
      log.push('extra field');
      jwk['x5t'] = 'ignored';
      return jwk;
    default: {
      const wrong: [string, unknown][] = [
        ['array', [jwk]],
        ['null', null],
        ['string', 'RSA'],
        ['number', 1],
        ['empty object', {}],
        ['Map', new Map(Object.entries(jwk))],
      ];
      const [name, v] = wrong[op.c % wrong.length];
      log.push(`the whole JWK is ${name}`);
      return v;
    }
  }
}

export function mutateJwk(base: JwkBase, recipe: Recipe, log: string[]): unknown {
  let jwk: unknown = { ...base.jwk };
  const textOps: Op[] = [];
  for (const op of recipe.ops) {
    if (op.kind >= 52) textOps.push(op);
    else if (
      typeof jwk === 'object' &&
      jwk !== null &&
      !Array.isArray(jwk) &&
      !(jwk instanceof Map)
    ) {
      jwk = jwkEdit(jwk as Record<string, unknown>, base, op, log);
    }
  }
  if (recipe.delivery % 2 === 0 && textOps.length === 0) {
    log.push('as an object');
    return jwk;
  }
  let text = JSON.stringify(jwk, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'undefined';
  for (const op of textOps) {
    const pos = op.a % (text.length + 1);
    const which = op.b % 4;
    const c = '{}[]":,\\ 0aZ'[op.c % 12];
    log.push(['truncate text', 'delete char', 'insert char', 'replace char'][which] + ` at ${pos}`);
    if (which === 0) text = text.slice(0, pos);
    else if (which === 1) text = text.slice(0, pos) + text.slice(pos + 1);
    else if (which === 2) text = text.slice(0, pos) + c + text.slice(pos);
    else text = text.slice(0, pos) + c + text.slice(pos + 1);
  }
  log.push('as JSON text');
  return text;
}

/** Builds the input a recipe describes. */
