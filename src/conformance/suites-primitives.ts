/**
 * The suites of the primitives (asynchronous only, so mode `async` only): `primitives`
 * (`hmacSha256`, `rsaSign` with `rsaVerify` of it and of a corrupted copy, `base64url`) and
 * `bad-keys` (each key gets exactly its code from `createPartnerSigner`, `rsaSign`, `rsaVerify`,
 * and no error quotes the key).
 */
import { badKeyValue, codeMismatch, errorOf, hex, keyOf, toHex } from './checks.js';
import type { BadKey, Suite } from './types.js';

const PRIVATE_FORMS = ['pkcs8Pem', 'pkcs1Pem', 'pkcs8DerB64', 'pkcs1DerB64', 'jwk'];
const PUBLIC_FORMS = ['spkiPem', 'pkcs1PublicPem', 'spkiDerB64', 'publicJwk'];

/** The `primitives` suite: keys rotate through every accepted form. */
export const primitivesSuite: Suite = async ({ api, files, backend, check }) => {
  const { hmac, rsa, base64url } = files.primitives!;
  const opts = { backend } as never;
  for (const v of hmac) {
    await check(`hmac ${v.name}`, async () => {
      const mac = toHex(await api.hmacSha256(hex(v.keyHex), hex(v.dataHex), opts));
      return mac === v.macHex ? undefined : `mac ${mac}`;
    });
  }
  for (const [i, v] of rsa.entries()) {
    await check(`rsa ${v.name}`, async () => {
      const data = hex(v.dataHex);
      const priv = keyOf(files.keys, v.keyId, PRIVATE_FORMS[i % PRIVATE_FORMS.length]!);
      const sig = await api.rsaSign(priv as never, data, opts);
      if (toHex(sig) !== v.signatureHex) return 'rsaSign gives a different signature';
      const pub = keyOf(files.keys, v.keyId, PUBLIC_FORMS[i % PUBLIC_FORMS.length]!) as never;
      if ((await api.rsaVerify(pub, data, sig, opts)) !== true) return 'rsaVerify rejects it';
      const bad = sig.slice();
      bad[bad.length >> 1]! ^= 1;
      if ((await api.rsaVerify(pub, data, bad, opts)) !== false) {
        return 'rsaVerify accepts a flipped bit';
      }
      return undefined;
    });
  }
  for (const v of base64url) {
    await check(`base64url ${v.hex.slice(0, 16) || 'empty'}`, () => {
      const enc = api.base64url.encode(hex(v.hex));
      if (enc !== v.encoded) return `encode ${enc}`;
      return toHex(api.base64url.decode(v.encoded)) === v.hex ? undefined : 'decode differs';
    });
  }
};

// A PEM's first base64 line must never be echoed in an error (no key material in errors).
function leaks(error: unknown, entry: BadKey): string | undefined {
  const line = typeof entry.value === 'string' ? entry.value.split('\n')[1] : undefined;
  const text =
    error instanceof Error ? `${error.message}\n${error.stack}\n${String(error.cause)}` : '';
  return line && line.length >= 16 && text.includes(line) ? 'the error quotes the key' : undefined;
}

/** The `bad-keys` suite. */
export const badKeysSuite: Suite = async ({ api, files, backend, check }) => {
  const data = new Uint8Array([1, 2, 3]);
  const opts = { backend } as never;
  for (const entry of files.badKeys!.privateKeys) {
    await check(`private ${entry.name}`, async () => {
      const viaSigner = await errorOf(() => {
        const signer = api.createPartnerSigner({
          apiKey: 'k',
          privateKey: badKeyValue(entry),
          backend,
        } as never);
        return signer.sign({ url: 'https://example.com/', nonce: '1' } as never);
      });
      const a = codeMismatch(api, viaSigner, entry.code) ?? leaks(viaSigner, entry);
      if (a) return `createPartnerSigner: ${a}`;
      const viaPrimitive = await errorOf(() =>
        api.rsaSign(badKeyValue(entry) as never, data, opts),
      );
      const b = codeMismatch(api, viaPrimitive, entry.code);
      return b && `rsaSign: ${b}`;
    });
  }
  for (const entry of files.badKeys!.publicKeys) {
    await check(`public ${entry.name}`, async () => {
      const error = await errorOf(() =>
        api.rsaVerify(badKeyValue(entry) as never, data, new Uint8Array(256), opts),
      );
      const a = codeMismatch(api, error, entry.code) ?? leaks(error, entry);
      return a && `rsaVerify: ${a}`;
    });
  }
};
