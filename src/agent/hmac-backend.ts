/**
 * The token session signs with HMAC-SHA256 through the backend registry, which the package's
 * main entries fill as a side effect of being imported. `qredo-sign/agent` may be imported alone,
 * so the agent registers HMAC halves itself, at call time (no module side effect for bundlers to
 * drop): WebCrypto's where it exists, and the pure-JS one (`@noble/hashes`, already needed for
 * SHAKE256) everywhere.
 */
import { availableBackends, registerHmacBackend } from '../backends/registry.js';
import { subtleCrypto, webcryptoHmacBackend } from '../backends/webcrypto.js';
import { jsBackend } from '../backends/js.js';

/** Registers HMAC backends when none is registered (an application's own choice is kept). */
export function ensureHmacBackend(): void {
  if (availableBackends().length > 0) return;
  if (subtleCrypto()) registerHmacBackend(webcryptoHmacBackend);
  registerHmacBackend(jsBackend);
}
