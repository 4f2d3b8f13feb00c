/**
 * The suites that sign: `qredo-api`, `partner-api` (every vector with `sign()` in mode `async` and,
 * on synchronous backends, `signSync()` in mode `sync`; on an asynchronous-only backend the `sync`
 * mode checks that `signSync()` refuses with `ASYNC_ONLY_BACKEND`) and `secrets` (valid secret
 * texts sign like their decoded bytes; invalid ones get `INVALID_SECRET`).
 */
import { codeMismatch, compareSigned, errorOf, hex, keyOf, requestOf } from './checks.js';
import type { ConformanceSigner, SignedLike, SigningVector, Suite } from './types.js';

/** A signer's sign or signSync, by mode. */
async function signWith(
  signer: ConformanceSigner,
  request: unknown,
  mode: 'async' | 'sync',
): Promise<SignedLike> {
  return mode === 'sync' ? signer.signSync(request as never) : signer.sign(request as never);
}

/** The `qredo-api` or `partner-api` suite. */
export function signingSuite(fileKey: 'qredoApi' | 'partnerApi'): Suite {
  return async ({ api, files, backend, mode, check, isSync }) => {
    const signers = new Map<string, ConformanceSigner>();
    const signerFor = (v: SigningVector): ConformanceSigner => {
      const id = fileKey === 'qredoApi' ? `${v.apiKey}\n${v.secret}` : `${v.keyId}/${v.keyForm}`;
      let s = signers.get(id);
      if (!s) {
        s =
          fileKey === 'qredoApi'
            ? api.createQredoSigner({ apiKey: v.apiKey, secret: v.secret, backend } as never)
            : api.createPartnerSigner({
                apiKey: v.apiKey,
                privateKey: keyOf(files.keys, v.keyId!, v.keyForm!),
                backend,
              } as never);
        signers.set(id, s);
      }
      return s;
    };
    const vectors = files[fileKey]!.vectors;
    try {
      if (mode === 'sync' && !isSync) {
        const first = vectors[0]!;
        await check('signSync refuses', async () =>
          codeMismatch(
            api,
            await errorOf(() => signerFor(first).signSync(requestOf(first) as never)),
            'ASYNC_ONLY_BACKEND',
          ),
        );
        return;
      }
      for (const v of vectors) {
        await check(v.name, async () =>
          compareSigned(await signWith(signerFor(v), requestOf(v), mode), v.expected),
        );
      }
    } finally {
      for (const s of signers.values()) s.destroy?.();
    }
  };
}

/** The `secrets` suite. */
export const secretsSuite: Suite = async ({ api, files, backend, mode, check }) => {
  const { request, valid, invalid } = files.secrets!;
  const sign = async (secret: string | Uint8Array) => {
    const signer = api.createQredoSigner({ apiKey: 'k', secret, backend } as never);
    try {
      // The contract's header name, spelled out: conformance checks the contract, not our constants.
      return (await signWith(signer, { ...request }, mode)).headers['qredo-api-sig'];
    } finally {
      signer.destroy?.();
    }
  };
  for (const v of valid) {
    await check(`valid ${JSON.stringify(v.text)}`, async () => {
      const fromText = await sign(v.text);
      if (fromText !== v.signature) return `text signs ${fromText}, want ${v.signature}`;
      const fromBytes = await sign(hex(v.keyHex));
      return fromBytes === v.signature ? undefined : `raw key signs ${fromBytes}`;
    });
  }
  for (const v of invalid) {
    await check(`invalid ${v.name}`, async () =>
      codeMismatch(api, await errorOf(() => sign(v.text)), v.code),
    );
  }
};
