// URL-safe base64 without padding (RFC 4648 §5) of 1 KiB: the package's exported `base64url`
// against Node's Buffer (the baseline here: node:crypto has no base64 of its own), the btoa/atob
// code a browser user writes, and crypto-js's Base64url.
import CryptoJS from 'crypto-js';
import { qredoSign } from './common.mjs';

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

const codecs = {
  'qredo-sign': {
    encode: (bytes) => qredoSign.base64url.encode(bytes),
    decode: (text) => qredoSign.base64url.decode(text),
  },
  'node:buffer': {
    encode: (bytes) =>
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url'),
    decode: (text) => Buffer.from(text, 'base64url'),
  },
  'btoa/atob': {
    encode: (bytes) => {
      let binary = '';
      for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
      return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    },
    decode: (text) => {
      const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
      const out = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
      return out;
    },
  },
  'crypto-js': {
    encode: (bytes) => CryptoJS.enc.Base64url.stringify(CryptoJS.lib.WordArray.create(bytes)),
    decode: (text) => {
      const words = CryptoJS.enc.Base64url.parse(text);
      const out = new Uint8Array(words.sigBytes);
      for (let i = 0; i < out.length; i++)
        out[i] = (words.words[i >>> 2] >>> (24 - (i % 4) * 8)) & 255;
      return out;
    },
  },
};

/** `run(codec)` is what is measured; `check(codec)` shows its result in a comparable form. */
function suite(name, description, bytes, expected, run, check) {
  return {
    name,
    description,
    baseline: 'node:buffer',
    bytes,
    expected,
    subjects: Object.entries(codecs).map(([subject, codec]) => ({
      name: subject,
      setup: async () => ({ async: false, run: run(codec), check: async () => check(codec) }),
    })),
  };
}

export function base64urlSuites(fx) {
  const input = fx.base64Input;
  const text = Buffer.from(input).toString('base64url');
  return [
    suite(
      'base64url-1kib',
      'Encode 1 KiB to base64url and decode it back',
      input.length,
      `${text}:${hex(input)}`,
      (codec) => () => codec.decode(codec.encode(input)),
      (codec) => {
        const encoded = codec.encode(input);
        return `${encoded}:${hex(codec.decode(encoded))}`;
      },
    ),
    suite(
      'base64url-1kib-encode',
      'Encode 1 KiB to base64url',
      input.length,
      text,
      (codec) => () => codec.encode(input),
      (codec) => codec.encode(input),
    ),
    suite(
      'base64url-1kib-decode',
      'Decode base64url text of 1 KiB',
      input.length,
      hex(input),
      (codec) => () => codec.decode(text),
      (codec) => hex(codec.decode(text)),
    ),
  ];
}
