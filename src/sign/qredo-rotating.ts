/**
 * `secret` as a provider (contract §3b, rotation from a vault). Each fetched secret becomes an ordinary
 * Qredo signer (imported once, its decoded copy wiped), swapped in only once it is ready; the one
 * it replaces is destroyed after the swap, and kept if the fetch or the import fails.
 *
 * This wraps `createQredoSigner` for the full entries (api.ts) and is not part of the minimal
 * `qredo-sign/qredo-api` entry, whose browser bundle has a size budget (scripts/check-package.mjs)
 * that the Qredo API signer alone must meet; there a provider is refused as an invalid secret.
 */
import { SigningError, fail } from '../lib/errors.js';
import { selectHmacBackends } from '../backends/registry.js';
import {
  createQredoSigner as createStaticSigner,
  type QredoRequest,
  type QredoSigner,
  type QredoSignerOptions,
  type SecretProvider,
} from './qredo-signer.js';
import {
  checkApiKey,
  checkObject,
  redacted,
  signOnce,
  type SignedRequest,
} from '../scheme/signed-request.js';
import { usedAfterDestroy } from '../backends/faults.js';
import { checkOptions } from './options.js';

/**
 * A signer whose secret comes from `provider`. Holds the provider and copies of the other options,
 * never the options object.
 */
function rotatingSigner(options: QredoSignerOptions, provider: SecretProvider): QredoSigner {
  const apiKey = checkApiKey(options.apiKey);
  const { backend: choice, profile = 'v1' } = options;
  const selection = selectHmacBackends(choice); // checks the option now, names the backend
  const backend = (selection.sync ?? selection.async).name;
  let current: QredoSigner | undefined;
  let loading: Promise<void> | undefined;
  let destroyed = false;
  const live = () => {
    if (destroyed) throw usedAfterDestroy('signer');
  };

  // One fetch in flight at a time; the new signer replaces the old only once it is imported.
  const load = (): Promise<void> =>
    (loading ??= (async () => {
      let secret: unknown;
      try {
        secret = await provider();
      } catch (cause) {
        throw new SigningError(
          'INVALID_SECRET',
          'the secret provider failed (see cause); the signer keeps its previous secret: retry refresh()',
          { cause },
        );
      }
      const next = createStaticSigner({
        apiKey,
        backend: choice,
        profile,
        secret: secret as string | Uint8Array,
      });
      if (destroyed) return next.destroy();
      const old = current;
      current = next;
      old?.destroy();
    })().finally(() => (loading = undefined)));
  // Fetched at once so that signSync() works as soon as it can; a failure surfaces at sign().
  load().catch(() => undefined);

  return Object.assign(
    Object.create(redacted('QredoSigner', { apiKey, backend, profile })) as object,
    {
      backend,
      apiKey,
      profile,
      signSync(request: QredoRequest): SignedRequest {
        live();
        if (!current) {
          // The same recovery as for an async-only backend: sign() waits for the secret.
          throw new SigningError(
            'ASYNC_ONLY_BACKEND',
            'signSync() cannot sign before the secret provider has answered: use sign(), which waits for it, or await refresh() first',
          );
        }
        return current.signSync(request);
      },
      async sign(request: QredoRequest): Promise<SignedRequest> {
        live();
        if (!current) await load();
        live();
        return current!.sign(request);
      },
      async refresh(): Promise<void> {
        // A fetch already in flight may have started before the secret changed: fetch after it.
        await loading?.catch(() => undefined);
        live();
        await load();
      },
      destroy() {
        destroyed = true;
        current?.destroy();
      },
    },
  );
}

/**
 * Creates a Qredo API signer (contract §1.1); `secret` may also be a {@link SecretProvider}, fetched
 * at once and again on `refresh()`. Otherwise exactly the signer of the minimal entry.
 *
 * @example
 * ```ts
 * const signer = createQredoSigner({ apiKey, secret: async () => (await vault.read('qredo')).secret });
 * setInterval(() => signer.refresh().catch(console.error), 3_600_000);
 * ```
 */
export function createQredoSigner(options: QredoSignerOptions): QredoSigner {
  checkOptions(options, 'options');
  return typeof options.secret === 'function'
    ? rotatingSigner(options, options.secret)
    : createStaticSigner(options);
}

/**
 * Signs one request without keeping a signer (imports the key, signs, wipes it); `secret` may be
 * a provider.
 *
 * @example
 * ```ts
 * const req = await signQredoRequest({ apiKey, secret, method: 'GET', url: 'https://api.qredo.network/qapi/v1/balance' });
 * ```
 */
export async function signQredoRequest(
  request: QredoRequest & QredoSignerOptions,
): Promise<SignedRequest> {
  checkObject(request, 'request');
  return signOnce(createQredoSigner(request), request);
}
