/**
 * The RSA module's KEY region as JS keeps a key's copy of it (src/backends/wasm/rsa.ts), sized to
 * the key rather than to the largest key the layout allows (assembly/rsa-layout.ts).
 */

/** Where the KEY region lies in the module's memory, and its sizes (from its exported globals). */
export interface KeyRegion {
  readonly key: number;
  readonly keyBytes: number;
  readonly publicBytes: number;
  bytes(): Uint8Array;
}

/**
 * A key's prepared block as JS keeps it, sized to the key (issue 17): the module's KEY region has
 * room for 4096-bit numbers in every slot, but a number of L limbs uses only its slot's guard and
 * padded(L) words, the rest staying zero. The block keeps the header and, of each slot, the first
 * `used` bytes; `load` writes it back into the zeroed region. 2048-bit keys: 4,992 bytes, not 9,024.
 *
 * @example
 * ```ts
 * const block = PackedBlock.take(engine, 14, 256); // after prepareKey
 * block.load(engine); // before each signature
 * ```
 */
export class PackedBlock {
  private constructor(
    readonly bytes: Uint8Array,
    private readonly used: number,
  ) {}

  /** Slot size and header size of the module's layout, from its exported sizes. */
  private static geometry(engine: KeyRegion): { slot: number; header: number } {
    const slot = (engine.keyBytes - engine.publicBytes) / 12; // 14 slots against 2
    return { slot, header: engine.publicBytes - 2 * slot };
  }

  /**
   * Packs the first `slots` slots of the KEY region for a modulus of `k` bytes. Bytes it would
   * drop that are not zero (a layout this estimate does not fit) keep the whole slots instead.
   */
  static take(engine: KeyRegion, slots: number, k: number): PackedBlock {
    const { slot, header } = PackedBlock.geometry(engine);
    const limbs = Math.ceil((8 * k + 2) / 28); // 28·L ≥ bits(n) + 2 (assembly/bigint.ts)
    const words = (limbs + 6) & ~3; // padded(L), assembly/bigint.ts
    let used = Math.min(slot, 16 + 4 * words + 16); // guard, the words, one spare vector
    const memory = engine.bytes();
    for (let i = 0; i < slots && used < slot; i++) {
      const start = engine.key + header + i * slot;
      if (memory.subarray(start + used, start + slot).some((b) => b !== 0)) used = slot;
    }
    const bytes = new Uint8Array(header + slots * used);
    bytes.set(memory.subarray(engine.key, engine.key + header));
    for (let i = 0; i < slots; i++) {
      const start = engine.key + header + i * slot;
      bytes.set(memory.subarray(start, start + used), header + i * used);
    }
    return new PackedBlock(bytes, used);
  }

  /** Writes the block into the KEY region (zero since the last `wipe`). */
  load(engine: KeyRegion): void {
    const { slot, header } = PackedBlock.geometry(engine);
    const memory = engine.bytes();
    const slots = (this.bytes.length - header) / this.used;
    memory.set(this.bytes.subarray(0, header), engine.key);
    for (let i = 0; i < slots; i++) {
      const at = header + i * this.used;
      memory.set(this.bytes.subarray(at, at + this.used), engine.key + header + i * slot);
    }
  }

  /** Copies slots `from` to `to` − 1 back from the KEY region (the squared blinding pair). */
  keep(engine: KeyRegion, from: number, to: number): void {
    const { slot, header } = PackedBlock.geometry(engine);
    const memory = engine.bytes();
    for (let i = from; i < to; i++) {
      const start = engine.key + header + i * slot;
      this.bytes.set(memory.subarray(start, start + this.used), header + i * this.used);
    }
  }
}
