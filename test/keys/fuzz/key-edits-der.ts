/**
 * DER damage for the key fuzzer: structural edits re-encoded with correct lengths (an INTEGER
 * made negative, non-minimal or swapped, a field removed or duplicated, a tag or OID changed), so
 * that the parser's semantic checks are reached; then byte edits (truncation at every structural
 * boundary, bit flips, insertions, deletions, damaged length octets, random bytes).
 */
import { allNodes, cloneTree, writeDerTree, type DerNode } from './der-tree.js';
import type { DerBase, Op, Recipe } from './key-bases.js';

const TAGS = [0x02, 0x03, 0x04, 0x05, 0x06, 0x30, 0x31, 0xa0, 0x1f, 0x00, 0x82];

function integers(root: DerNode): DerNode[] {
  return allNodes(root).filter((n) => n.tag === 0x02 && n.content);
}
function constructed(root: DerNode): DerNode[] {
  return allNodes(root).filter((n) => n.children && n.children.length > 0);
}

/** A structural edit, re-encoded with correct lengths. */
function treeEdit(root: DerNode, op: Op, log: string[]): void {
  const ints = integers(root);
  const seqs = constructed(root);
  const all = allNodes(root);
  // An earlier edit may have removed every integer or emptied every constructed node.
  if (ints.length === 0 || seqs.length === 0) return void log.push('nothing left to edit');
  switch (op.kind % 7) {
    case 0: {
      const node = ints[op.a % ints.length];
      const c = node.content!;
      const which = op.b % 10;
      const edits: [string, () => Uint8Array][] = [
        [
          '+1',
          () => {
            const x = new Uint8Array(c);
            x[x.length - 1]++;
            return x;
          },
        ],
        [
          '-1',
          () => {
            const x = new Uint8Array(c);
            x[x.length - 1]--;
            return x;
          },
        ],
        ['zero', () => new Uint8Array([0])],
        [
          'negative',
          () => {
            const x = new Uint8Array(c.subarray(c[0] === 0 && c.length > 1 ? 1 : 0));
            x[0] |= 0x80;
            return x;
          },
        ],
        ['non-minimal', () => new Uint8Array([0, ...c])],
        ['empty', () => new Uint8Array(0)],
        [
          'bit flip',
          () => {
            const x = new Uint8Array(c);
            x[op.c % x.length] ^= 1 << (op.c % 8);
            return x;
          },
        ],
        ['doubled', () => new Uint8Array([...c, ...c])],
        ['halved', () => c.slice(0, Math.max(1, c.length >> 1))],
        ['copied from another', () => new Uint8Array(ints[op.c % ints.length].content!)],
      ];
      node.content = edits[which][1]();
      log.push(`integer #${op.a % ints.length} ${edits[which][0]}`);
      return;
    }
    case 1: {
      const seq = seqs[op.a % seqs.length];
      const k = seq.children!;
      const i = op.b % k.length;
      const j = op.c % k.length;
      [k[i], k[j]] = [k[j], k[i]];
      log.push(`swap children ${i} and ${j} of node @${seq.offset}`);
      return;
    }
    case 2: {
      const seq = seqs[op.a % seqs.length];
      const i = op.b % seq.children!.length;
      seq.children!.splice(i, 1);
      log.push(`remove child ${i} of node @${seq.offset}`);
      return;
    }
    case 3: {
      const seq = seqs[op.a % seqs.length];
      const i = op.b % seq.children!.length;
      seq.children!.splice(i, 0, cloneTree(seq.children![i]));
      log.push(`duplicate child ${i} of node @${seq.offset}`);
      return;
    }
    case 4: {
      const node = all[op.a % all.length];
      node.tag = TAGS[op.b % TAGS.length];
      log.push(`tag of node @${node.offset} to 0x${node.tag.toString(16)}`);
      return;
    }
    case 5: {
      const oid = all.find((n) => n.tag === 0x06);
      if (!oid?.content) return void log.push('no OID to edit');
      oid.content = new Uint8Array(oid.content);
      oid.content[op.a % oid.content.length] ^= 1 << (op.b % 8);
      log.push('OID bit flip');
      return;
    }
    default: {
      const seq = seqs[op.a % seqs.length];
      seq.children!.push({
        tag: 0x02,
        offset: -1,
        headerLength: 2,
        length: 1,
        content: op.bytes.slice(0, 1),
      });
      log.push(`extra INTEGER in node @${seq.offset}`);
    }
  }
}

const LENGTH_DAMAGE: [string, (len: number) => number[]][] = [
  ['indefinite', () => [0x80]],
  ['non-minimal long form', (n) => (n < 0x80 ? [0x81, n] : [0x82, n >> 8, n & 0xff, 0])],
  ['huge', () => [0x84, 0xff, 0xff, 0xff, 0xff]],
  ['five length octets', () => [0x85, 0, 0, 0, 1, 0]],
  ['length + 1', (n) => (n + 1 < 0x80 ? [n + 1] : [0x82, (n + 1) >> 8, (n + 1) & 0xff])],
  [
    'length - 1',
    (n) => (n - 1 < 0x80 ? [Math.max(0, n - 1)] : [0x82, (n - 1) >> 8, (n - 1) & 0xff]),
  ],
  ['leading zero length octet', (n) => [0x83, 0, n >> 8, n & 0xff]],
];

function splice(
  bytes: Uint8Array,
  at: number,
  remove: number,
  insert: ArrayLike<number> = [],
): Uint8Array {
  at = Math.min(at, bytes.length);
  const out = new Uint8Array(bytes.length - Math.min(remove, bytes.length - at) + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** A byte-level edit of DER. */
function byteEdit(bytes: Uint8Array, base: DerBase, op: Op, log: string[]): Uint8Array {
  const pos = bytes.length === 0 ? 0 : op.a % bytes.length;
  switch (op.kind % 10) {
    case 0: {
      const cut = Math.max(0, base.boundaries[op.a % base.boundaries.length] + (op.b % 3) - 1);
      log.push(`truncate at boundary ${cut}`);
      return bytes.slice(0, cut);
    }
    case 1:
      log.push(`truncate at ${pos}`);
      return bytes.slice(0, pos);
    case 2: {
      const out = new Uint8Array(bytes);
      const mask = (op.c % 255) + 1;
      if (out.length) out[pos] ^= mask;
      log.push(`flip bits 0x${mask.toString(16)} at ${pos}`);
      return out;
    }
    case 3:
      log.push(`insert ${op.bytes.length} bytes at ${pos}`);
      return splice(bytes, pos, 0, op.bytes);
    case 4:
      log.push(`delete ${(op.b % 8) + 1} bytes at ${pos}`);
      return splice(bytes, pos, (op.b % 8) + 1);
    case 5: {
      const out = new Uint8Array(bytes);
      if (out.length) out[pos] = op.bytes[0];
      log.push(`byte ${pos} = 0x${op.bytes[0].toString(16)}`);
      return out;
    }
    case 6: {
      const nodes = allNodes(base.tree);
      const node = nodes[op.a % nodes.length];
      const [name, make] = LENGTH_DAMAGE[op.b % LENGTH_DAMAGE.length];
      log.push(`length of node @${node.offset}: ${name}`);
      return splice(bytes, node.offset + 1, node.headerLength - 1, make(node.length));
    }
    case 7:
      log.push(`append ${op.bytes.length} bytes`);
      return splice(bytes, bytes.length, 0, op.bytes);
    case 8: {
      const length = op.b % 3000;
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++)
        out[i] = op.bytes[i % op.bytes.length] ^ ((i * 131 + op.c) & 0xff);
      log.push(`${length} pseudo-random bytes`);
      return out;
    }
    default:
      log.push(`prepend ${op.bytes.length} bytes`);
      return splice(bytes, 0, 0, op.bytes);
  }
}

function armour(label: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function mutateDer(base: DerBase, recipe: Recipe, log: string[]): unknown {
  const treeOps = recipe.ops.filter((o) => o.kind >= 48);
  const byteOps = recipe.ops.filter((o) => o.kind < 48);
  let bytes = base.der;
  if (treeOps.length) {
    const tree = cloneTree(base.tree);
    for (const op of treeOps) treeEdit(tree, op, log);
    bytes = writeDerTree(tree);
  }
  for (const op of byteOps) bytes = byteEdit(bytes, base, op, log);
  switch (recipe.delivery % 5) {
    case 0:
      log.push('as Uint8Array');
      return bytes;
    case 1:
      log.push('as ArrayBuffer');
      return bytes.slice().buffer;
    case 2:
      log.push('as Buffer');
      return Buffer.from(bytes);
    case 3:
      log.push('armoured as PEM text');
      return armour(base.label, bytes);
    default:
      log.push('armoured as PEM bytes');
      return new Uint8Array(Buffer.from(armour(base.label, bytes)));
  }
}
