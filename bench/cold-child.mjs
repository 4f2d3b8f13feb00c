// One cold sample, run in a fresh Node process by cold-start.mjs: import the library, create a
// signer (key import; for WASM the first compilation and instantiation), sign one request. Prints
// one JSON line: { importMs, createMs, firstMs, signature } or { skipped }.
//
// Usage (normally spawned): QREDO_BENCH_FIXTURE='{…}' node bench/cold-child.mjs <scheme> <subject>
//   scheme hmac|rsa: subject qredo-sign/<backend> (the root entry) or a peer library;
//   scheme entry: subject a package entry (qredo-sign, qredo-sign/wasm, …) signing with its default
//   backend, or a hand-written node:crypto peer.
const [scheme, subject] = process.argv.slice(2);
const fx = JSON.parse(process.env.QREDO_BENCH_FIXTURE ?? '{}');
const { apiKey, secret, pem, pkcs8Der, timestamp, request } = fx;
const { method, url, body } = request;
const now = () => performance.now();

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** Each subject: load() imports its library; create(lib) imports the key; first(key) signs. */
const hmacSubjects = {
  'node:crypto': {
    load: () => import('node:crypto'),
    create: () => Buffer.from(secret, 'base64'),
    first: (key, lib) =>
      lib
        .createHmac('sha256', key)
        .update(timestamp + method + url + body)
        .digest('base64url'),
  },
  'hash-wasm': {
    load: () => import('hash-wasm'),
    create: (lib) => lib.createHMAC(lib.createSHA256(), Buffer.from(secret, 'base64')),
    first: (mac) => {
      mac.init();
      mac.update(timestamp + method + url + body);
      return b64url(mac.digest('binary'));
    },
  },
  '@noble/hashes': {
    load: async () => ({
      ...(await import('@noble/hashes/hmac.js')),
      ...(await import('@noble/hashes/sha2.js')),
      ...(await import('@noble/hashes/utils.js')),
    }),
    create: () => Buffer.from(secret, 'base64'),
    first: (key, lib) =>
      b64url(lib.hmac(lib.sha256, key, lib.utf8ToBytes(timestamp + method + url + body))),
  },
  'crypto-js': {
    load: async () => (await import('crypto-js')).default,
    create: (lib) => lib.enc.Base64.parse(secret),
    first: (key, lib) =>
      lib.HmacSHA256(timestamp + method + url + body, key).toString(lib.enc.Base64url),
  },
};

const rsaSubjects = {
  'node:crypto': {
    load: () => import('node:crypto'),
    create: (lib) => lib.createPrivateKey(pem),
    first: (key, lib) => b64url(lib.sign('sha256', Buffer.from(timestamp + url + body), key)),
  },
  'node-rsa': {
    load: async () => (await import('node-rsa')).default,
    create: (NodeRSA) =>
      new NodeRSA(pem, 'pkcs1-private-pem', {
        environment: 'browser',
        signingScheme: 'pkcs1-sha256',
      }),
    first: (key) => b64url(key.sign(Buffer.from(timestamp + url + body))),
  },
  'node-forge': {
    load: async () => (await import('node-forge')).default,
    create: (forge) => forge.pki.privateKeyFromPem(pem),
    first: (key, forge) => {
      const md = forge.md.sha256.create();
      md.update(timestamp + url + body, 'utf8');
      return Buffer.from(key.sign(md), 'binary').toString('base64url');
    },
  },
  'crypto.subtle': {
    load: async () => crypto.subtle,
    create: (subtle) =>
      subtle.importKey('pkcs8', Buffer.from(pkcs8Der, 'base64'), RSA, false, ['sign']),
    first: async (key, subtle) =>
      b64url(
        new Uint8Array(
          await subtle.sign(RSA, key, new TextEncoder().encode(timestamp + url + body)),
        ),
      ),
  },
};

/**
 * The strongest hand-written HMAC with node:crypto alone (bench/suites/realistic.mjs): pads
 * prepared at key import, two crypto.hash calls per signature.
 */
const hashPads = {
  load: () => import('node:crypto'),
  create: () => {
    const key = Buffer.from(secret, 'base64');
    const ipad = Buffer.alloc(64);
    const opad = Buffer.alloc(96);
    for (let i = 0; i < 64; i++) {
      ipad[i] = (key[i] ?? 0) ^ 0x36;
      opad[i] = (key[i] ?? 0) ^ 0x5c;
    }
    return { ipad, opad };
  },
  first: ({ ipad, opad }, lib) => {
    const input = Buffer.concat([ipad, Buffer.from(timestamp + method + url + body)]);
    opad.write(lib.hash('sha256', input, 'latin1'), 64, 'latin1');
    return lib.hash('sha256', opad, 'base64url');
  },
};

/** Entries whose signers are asynchronous only (WebCrypto): their first signature is awaited. */
const ASYNC_ENTRIES = new Set(['qredo-sign/webcrypto', 'qredo-sign/qredo-api']);

/** One package entry with its own default backend, as an HMAC-only app uses it. */
function entrySubject(entry) {
  return {
    load: () => import(entry),
    create: (lib) => lib.createQredoSigner({ apiKey, secret }),
    first: async (signer) => {
      const req = { method, url, body, timestamp };
      const signed = ASYNC_ENTRIES.has(entry) ? await signer.sign(req) : signer.signSync(req);
      return signed.headers['qredo-api-sig'];
    },
  };
}

const entryPeers = {
  'node:crypto (createHmac)': hmacSubjects['node:crypto'],
  'node:crypto (crypto.hash pads)': hashPads,
};

/** qredo-sign through its package name: the built Node entry, as users import it. */
function qredoSubject(backend) {
  const header = scheme === 'hmac' ? 'qredo-api-sig' : 'x-sign';
  return {
    load: () => import('qredo-sign'),
    create: (lib) => {
      if (backend !== 'auto' && !lib.availableBackends().includes(backend)) {
        return { skipped: `backend "${backend}" is not registered in the built package` };
      }
      return scheme === 'hmac'
        ? lib.createQredoSigner({ apiKey, secret, backend })
        : lib.createPartnerSigner({ apiKey, privateKey: pem, backend });
    },
    first: async (signer) => {
      const req = scheme === 'hmac' ? { method, url, body, timestamp } : { url, body, timestamp };
      const signed = backend === 'webcrypto' ? await signer.sign(req) : signer.signSync(req);
      return signed.headers[header];
    },
  };
}

const table = scheme === 'hmac' ? hmacSubjects : scheme === 'entry' ? entryPeers : rsaSubjects;
const chosen =
  scheme === 'entry'
    ? (table[subject] ?? (subject.startsWith('qredo-sign') ? entrySubject(subject) : undefined))
    : subject.startsWith('qredo-sign/')
      ? qredoSubject(subject.slice('qredo-sign/'.length))
      : table[subject];
if (!chosen) {
  console.error(`unknown cold-start subject ${scheme} ${subject}`);
  process.exit(2);
}

const t0 = now();
const lib = await chosen.load();
const t1 = now();
const key = await chosen.create(lib);
const t2 = now();
if (key?.skipped) {
  console.log(JSON.stringify({ skipped: key.skipped }));
} else {
  const signature = await chosen.first(key, lib);
  const t3 = now();
  console.log(
    JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, firstMs: t3 - t2, signature }),
  );
}
