/**
 * Apache Milagro's seeded generator (`CREATE_CSPRNG` / `RAND_seed` / `RAND_byte`), which the Go
 * Signing Agent uses to turn its 48-byte seed into key material (docs/signing-agent.md, Keys). It is a
 * Marsaglia–Zaman subtract-with-borrow generator whose output is whitened by SHA-256. It is
 * reproduced here only so that a seed yields the agent's exact keys; fresh randomness always comes
 * from `crypto.getRandomValues`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

// AMCL include/amcl.h.in: NK words of state, NJ the lag, NV the stride of the seeding stir.
const NK = 21;
const NJ = 6;
const NV = 8;
const WARM_UP = 10_000;

/**
 * A deterministic AMCL byte stream from `seed` (any length; the agent uses 48 bytes).
 *
 * @example
 * ```ts
 * const rng = new AmclRand(seed48);
 * const first = rng.byte();
 * ```
 */
export class AmclRand {
  // Words are held in a Uint32Array so every store wraps mod 2^32, as C's unsign32 does (§10.1).
  private readonly ira = new Uint32Array(NK);
  private rndptr = 0;
  private borrow = 0;
  private readonly pool = new Uint8Array(32);
  private poolPtr = 0;

  constructor(seed: Uint8Array) {
    if (seed.length > 0) {
      const digest = sha256(seed);
      // §2 step 2: each 4-byte group of the digest is one little-endian word.
      for (let i = 0; i < 8; i++) {
        const o = 4 * i;
        this.sirand(
          (digest[o] | (digest[o + 1] << 8) | (digest[o + 2] << 16) | (digest[o + 3] << 24)) >>> 0,
        );
      }
      digest.fill(0);
    }
    this.fillPool();
  }

  /** One byte of the stream (`RAND_byte`). */
  byte(): number {
    const v = this.pool[this.poolPtr++];
    if (this.poolPtr >= 32) this.fillPool();
    return v;
  }

  /** Zeroes the generator state (it can be rebuilt from the seed, so it is key material). */
  wipe(): void {
    this.ira.fill(0);
    this.pool.fill(0);
  }

  private sbrand(): number {
    const ira = this.ira;
    this.rndptr++;
    if (this.rndptr < NK) return ira[this.rndptr];
    this.rndptr = 0;
    for (let i = 0, k = NK - NJ; i < NK; i++, k++) {
      if (k === NK) k = 0;
      const t = ira[k];
      const d = (t - ira[i] - this.borrow) >>> 0;
      // The borrow is left alone when d === t (AMCL's two strict comparisons).
      if (d < t) this.borrow = 0;
      if (d > t) this.borrow = 1;
      ira[i] = d;
    }
    return ira[0];
  }

  private sirand(seed: number): void {
    const ira = this.ira;
    let s = seed >>> 0;
    let m = 1;
    this.borrow = 0;
    this.rndptr = 0;
    ira[0] ^= s;
    for (let i = 1; i < NK; i++) {
      ira[(NV * i) % NK] ^= m;
      const t = m;
      m = (s - m) >>> 0;
      s = t;
    }
    for (let i = 0; i < WARM_UP; i++) this.sbrand();
  }

  private fillPool(): void {
    // AMCL's HASH256_process(sh, sbrand()) keeps only the low 8 bits of each word (§2, §10.1).
    const block = new Uint8Array(128);
    for (let j = 0; j < 128; j++) block[j] = this.sbrand() & 0xff;
    this.pool.set(sha256(block));
    block.fill(0);
    this.poolPtr = 0;
  }
}

/**
 * The first `length` bytes of AMCL's stream for `seed`, e.g. to check this generator against
 * Milagro's. Deterministic, hence never a source of fresh randomness.
 *
 * @example
 * ```ts
 * amclSeedStream(seed48, 200); // what CREATE_CSPRNG + RAND_byte give for that seed
 * ```
 */
export function amclSeedStream(seed: Uint8Array, length: number): Uint8Array {
  const rng = new AmclRand(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.byte();
  rng.wipe();
  return out;
}
