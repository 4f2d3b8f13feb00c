/**
 * A tiny DER tree reader and writer for the key fuzzer, written apart from src/keys/der.ts on purpose:
 * the fuzzer edits a key's structure (an INTEGER made negative, a field swapped) and re-encodes it
 * with correct lengths, so that the library's semantic checks are reached, not only its length
 * checks. It only ever reads the well-formed test keys of vectors/keys.json.
 */

/** A TLV: constructed (children) or primitive (content). `offset` is where its header starts. */
export interface DerNode {
  tag: number;
  offset: number;
  headerLength: number;
  length: number;
  children?: DerNode[];
  content?: Uint8Array;
}

const CONSTRUCTED = 0x20;

function readNode(bytes: Uint8Array, offset: number): DerNode {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let headerLength = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i];
    headerLength += count;
  }
  const start = offset + headerLength;
  const node: DerNode = { tag, offset, headerLength, length };
  // SPKI wraps RSAPublicKey in a BIT STRING and PKCS#8 RSAPrivateKey in an OCTET STRING: descend
  // into those too, so the fuzzer reaches the integers of every form.
  const wrapped =
    (tag === 0x03 && bytes[start] === 0 && bytes[start + 1] === 0x30) ||
    (tag === 0x04 && bytes[start] === 0x30);
  if (tag & CONSTRUCTED || wrapped) {
    node.children = [];
    let pos = start + (tag === 0x03 ? 1 : 0);
    while (pos < start + length) {
      const child = readNode(bytes, pos);
      node.children.push(child);
      pos = child.offset + child.headerLength + child.length;
    }
  } else {
    node.content = bytes.slice(start, start + length);
  }
  return node;
}

/** Parses well-formed DER (test keys only: no checks). */
export function readDerTree(bytes: Uint8Array): DerNode {
  return readNode(bytes, 0);
}

/** Every node, depth first (the order their offsets appear). */
export function allNodes(root: DerNode): DerNode[] {
  const out: DerNode[] = [];
  const walk = (n: DerNode) => {
    out.push(n);
    n.children?.forEach(walk);
  };
  walk(root);
  return out;
}

/** Offsets where a truncation cuts at a structural boundary: before, inside and after each header. */
export function boundaries(root: DerNode): number[] {
  const set = new Set<number>();
  for (const n of allNodes(root)) {
    const start = n.offset + n.headerLength;
    for (const at of [n.offset, n.offset + 1, start - 1, start, start + 1, start + n.length - 1]) {
      set.add(at);
    }
    set.add(start + n.length);
  }
  return [...set].filter((x) => x >= 0).sort((a, b) => a - b);
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Re-encodes a (possibly edited) tree with correct lengths. */
export function writeDerTree(node: DerNode): Uint8Array {
  let content: Uint8Array;
  if (node.children) {
    const parts = node.children.map(writeDerTree);
    const prefix = node.tag === 0x03 ? [0] : [];
    const total = parts.reduce((s, p) => s + p.length, prefix.length);
    content = new Uint8Array(total);
    content.set(prefix);
    let o = prefix.length;
    for (const p of parts) {
      content.set(p, o);
      o += p.length;
    }
  } else {
    content = node.content ?? new Uint8Array(0);
  }
  const head = [node.tag, ...lengthBytes(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content, head.length);
  return out;
}

/** A deep copy, so that edits never touch the shared base tree. */
export function cloneTree(node: DerNode): DerNode {
  return {
    ...node,
    children: node.children?.map(cloneTree),
    content: node.content && new Uint8Array(node.content),
  };
}
