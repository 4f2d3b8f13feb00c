/**
 * The public suites: `rfc4231` (HMAC-SHA256), `rfc4648` (base64url), `wycheproof-hmac`,
 * `wycheproof-rsa-verify` and `wycheproof-rsa-sign`.
 *
 * Wycheproof "acceptable" verification cases (only `MissingNull`: a DigestInfo without its NULL
 * parameters) must be REJECTED: node:crypto and WebCrypto reject them and cannot be changed, and
 * every backend must answer alike; RFC 8017 §8.2.2 compares the one DER encoding. Acceptable
 * signing cases (e = 3 keys) must reproduce the signature, since e = 3 keys are accepted.
 * Signing-file keys below 2048 bits must get `WEAK_KEY`.
 */
import { codeMismatch, errorOf, hex, toHex } from './checks.js';
import type { Suite } from './types.js';

/** The `rfc4231` suite (truncated MACs compared on their length). */
export const rfc4231Suite: Suite = async ({ api, files, backend, check }) => {
  for (const t of files.public!.rfc4231!.tests) {
    await check(`tc${t.tcId}`, async () => {
      const mac = await api.hmacSha256(hex(t.keyHex), hex(t.dataHex), { backend } as never);
      const got = toHex(mac.subarray(0, t.macBits / 8));
      return got === t.macHex ? undefined : `mac ${got}`;
    });
  }
};

/** The `rfc4648` suite: encode without padding, decode with and without it. */
export const rfc4648Suite: Suite = async ({ api, files, check }) => {
  for (const v of files.public!.rfc4648!.vectors) {
    await check(v.id, () => {
      const input = hex(v.inputHex);
      if (api.base64url.encode(input) !== v.base64urlNoPad) return 'encode differs';
      for (const text of [v.base64urlNoPad, v.base64url]) {
        if (toHex(api.base64url.decode(text)) !== v.inputHex) return `decode(${text}) differs`;
      }
      return undefined;
    });
  }
};

/** The `wycheproof-hmac` suite. */
export const wycheproofHmacSuite: Suite = async ({ api, files, backend, check }) => {
  for (const group of files.public!.wycheproofHmac!.testGroups) {
    for (const t of group.tests) {
      await check(`tc${t.tcId}`, async () => {
        const mac = await api.hmacSha256(hex(t.key!), hex(t.msg), { backend } as never);
        const match = toHex(mac.subarray(0, group.tagSize! / 8)) === t.tag;
        return match === (t.result === 'valid')
          ? undefined
          : `tag match ${match} for a ${t.result} case`;
      });
    }
  }
};

/** The `wycheproof-rsa-verify` suite, rotating through the public key forms accepted. */
export const wycheproofVerifySuite: Suite = async ({ api, files, backend, check }) => {
  for (const file of files.public!.wycheproofRsaVerify!) {
    for (const [g, group] of file.testGroups.entries()) {
      const forms = [
        group.publicKeyPem,
        hex(group.publicKeyDer!),
        hex(group.publicKeyAsn!),
        group.keyJwk,
      ];
      for (const t of group.tests) {
        await check(`${group.keySize} tc${t.tcId}`, async () => {
          const key = forms[(g + t.tcId) % forms.length] as never;
          let ok: unknown;
          try {
            ok = await api.rsaVerify(key, hex(t.msg), hex(t.sig!), { backend } as never);
          } catch (error) {
            return `threw ${String(error).slice(0, 80)} (malformed signatures must give false)`;
          }
          const want = t.result === 'valid'; // 'acceptable' (MissingNull): rejected, see above
          return ok === want ? undefined : `${String(ok)} for a ${t.result} case (${t.comment})`;
        });
      }
    }
  }
};

/** The `wycheproof-rsa-sign` suite (SHA-256 groups). */
export const wycheproofSignSuite: Suite = async ({ api, files, backend, check }) => {
  const opts = { backend } as never;
  for (const file of files.public!.wycheproofRsaSign!) {
    for (const group of file.testGroups) {
      if (group.sha !== 'SHA-256') continue;
      for (const t of group.tests) {
        await check(`${group.keySize} tc${t.tcId}`, async () => {
          const key = (t.tcId % 2 ? hex(group.privateKeyPkcs8!) : group.privateKeyPem) as never;
          if (group.keySize! < 2048) {
            return codeMismatch(
              api,
              await errorOf(() => api.rsaSign(key, hex(t.msg), opts)),
              'WEAK_KEY',
            );
          }
          const sig = toHex(await api.rsaSign(key, hex(t.msg), opts));
          return sig === t.sig ? undefined : 'signature differs';
        });
      }
    }
  }
};
