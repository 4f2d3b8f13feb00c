/**
 * Imported HMAC keys for the Qredo API verifier (issue 17; contract §3.1 "Key cache"). Importing a
 * secret (decoding it, deriving the RFC 2104 pads or a WASM key slot) used to happen on every
 * request and cost more than the MAC itself; a server sees the same few keys over and over.
 *
 * Design:
 * - Entries are found through the API key (public, and a cheap `Map` lookup), but an entry is
 *   used only when its key material equals the secret `secretFor` returned for this request,
 *   compared in constant time over the decoded bytes. So the cache is keyed by material: a
 *   rotated secret can never hit the old entry, and the API key only says where to look. Hashing
 *   the secret to find the entry (e.g. SHA-256 of it) was the alternative; on this path that hash
 *   costs as much as the MAC it would save, so the comparison is both cheaper and exact.
 * - An API key's entries follow the list `secretFor` returned, in order (rotation: several
 *   secrets). When the list changes, entries whose secret was dropped are destroyed at once: after
 *   the application stops returning a secret, nothing signed with it verifies.
 * - The secret never becomes a map key (a string cannot be wiped). Each entry holds a copy of the
 *   decoded bytes and the imported keys (one per backend) in private fields, invisible to
 *   `inspect` and JSON; eviction zeroes the copy and calls `destroy()` on every imported key (which
 *   zeroes its pads or WASM slot).
 * - Bounded: at most {@link HMAC_KEY_CACHE_LIMIT} entries. Beyond it, API keys leave in CLOCK
 *   order (oldest first, but one used since the last sweep gets a second chance), so a working
 *   set that fits is never flushed by a burst of other keys.
 */
import { decodeSecret, timingSafeEqual } from '../lib/encoding.js';
import type { HmacBackend, HmacKey } from '../backends/types.js';

/** Most key materials held at once, over all API keys and backends. */
export const HMAC_KEY_CACHE_LIMIT = 1024;

/** One secret: a private copy of its bytes and its imported keys, one per backend. */
class CachedSecret {
  readonly #bytes: Uint8Array;
  readonly #keys = new Map<HmacBackend, HmacKey>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** True when `key` is this secret's material (constant-time in the bytes). */
  holds(key: Uint8Array): boolean {
    return timingSafeEqual(this.#bytes, key);
  }

  /** The key imported into `backend`, importing it on first use. */
  keyFor(backend: HmacBackend): HmacKey {
    let key = this.#keys.get(backend);
    if (key === undefined) {
      key = backend.importHmacKey(this.#bytes);
      this.#keys.set(backend, key);
    }
    return key;
  }

  destroy(): void {
    for (const key of this.#keys.values()) key.destroy();
    this.#keys.clear();
    this.#bytes.fill(0);
  }

  toJSON(): string {
    return '[cached HMAC key]';
  }
}

interface Slot {
  secrets: CachedSecret[];
  /** CLOCK bit: used since the last eviction sweep passed it. */
  used: boolean;
}

const slots = new Map<string, Slot>();
let held = 0;

function dropSlot(apiKey: string, slot: Slot): void {
  slots.delete(apiKey);
  for (const secret of slot.secrets) secret.destroy();
  held -= slot.secrets.length;
}

/** Evicts API keys other than `keep` until the cache is within its bound. */
function evict(keep: string): void {
  // Each pass either evicts or clears a bit, so 2 × size steps suffice.
  for (let steps = 2 * slots.size; held > HMAC_KEY_CACHE_LIMIT && steps > 0; steps--) {
    const [apiKey, slot] = slots.entries().next().value as [string, Slot];
    slots.delete(apiKey);
    if (apiKey === keep || slot.used) {
      slot.used = false;
      slots.set(apiKey, slot); // to the back: a second chance
    } else {
      dropSlot(apiKey, slot);
    }
  }
}

/** Decoded bytes of each secret; `owned[i]` when the copy is ours (to keep or wipe). */
function decodeAll(secrets: readonly (string | Uint8Array)[]): {
  keys: Uint8Array[];
  owned: boolean[];
} {
  const keys: Uint8Array[] = [];
  const owned: boolean[] = [];
  try {
    for (const secret of secrets) {
      const key = decodeSecret(secret); // the same rules as a signer's secret option
      keys.push(key);
      owned.push(key !== secret);
    }
  } catch (error) {
    keys.forEach((key, i) => owned[i] && key.fill(0));
    throw error;
  }
  return { keys, owned };
}

/** Rebuilds a slot for a changed list, reusing entries whose material is still listed. */
function rebuild(apiKey: string, old: Slot | undefined, secrets: readonly (string | Uint8Array)[]) {
  const { keys, owned } = decodeAll(secrets);
  const spare = old ? [...old.secrets] : [];
  const fresh: CachedSecret[] = [];
  for (let i = 0; i < keys.length; i++) {
    const at = spare.findIndex((s) => s.holds(keys[i]));
    if (at >= 0) {
      fresh.push(spare.splice(at, 1)[0]);
      if (owned[i]) keys[i].fill(0);
    } else {
      // Our own decoded copy is kept as is; bytes the caller returned are copied (theirs to keep).
      fresh.push(new CachedSecret(owned[i] ? keys[i] : keys[i].slice()));
    }
  }
  for (const dropped of spare) dropped.destroy(); // no longer returned: never used again
  held += fresh.length - (old ? old.secrets.length : 0);
  const slot: Slot = { secrets: fresh, used: false }; // set by its first hit (CLOCK)
  slots.delete(apiKey);
  slots.set(apiKey, slot);
  if (held > HMAC_KEY_CACHE_LIMIT) evict(apiKey);
  return slot;
}

/**
 * The cached secrets of `apiKey`, one per element of `secrets` and in its order, each holding
 * exactly that secret's material. Throws `INVALID_SECRET` (before touching the cache) for a
 * secret that does not decode.
 *
 * @example
 * ```ts
 * const [secret] = cachedSecrets('k1', [secretText]);
 * const mac = secret.keyFor(backend).macRequest!(prefix, body);
 * ```
 */
export function cachedSecrets(
  apiKey: string,
  secrets: readonly (string | Uint8Array)[],
): readonly CachedSecret[] {
  const slot = slots.get(apiKey);
  if (slot !== undefined && slot.secrets.length === secrets.length) {
    let same = true;
    for (let i = 0; i < secrets.length; i++) {
      const key = decodeSecret(secrets[i]);
      // No early exit: every listed secret is compared, whatever the first one gave.
      same = slot.secrets[i].holds(key) && same;
      if (key !== secrets[i]) key.fill(0);
    }
    if (same) {
      slot.used = true;
      return slot.secrets;
    }
  }
  return rebuild(apiKey, slot, secrets).secrets;
}

export type { CachedSecret };

/**
 * Test hooks, not part of the package API: the number of materials held, the cache itself (for
 * inspect checks) and a way to empty it.
 */
export const _hmacKeyCacheInternals = {
  held: (): number => held,
  slots: (): ReadonlyMap<string, unknown> => slots,
  clear(): void {
    for (const [apiKey, slot] of [...slots]) dropSlot(apiKey, slot);
  },
};
