/** `--help` texts of `qredo-sign` (contract §6). */

const ENV = `Secrets may come from the environment, so they stay out of shell history; a flag wins:
  QREDO_API_KEY      the API key (--api-key)
  QREDO_API_SECRET   the Qredo API secret, base64 as shown in the web app (--secret)
  QREDO_PRIVATE_KEY  path to the Partner API private key PEM (--private-key); a path, never
                     the key itself (a value that is not a readable file is refused, not printed)
--secret on the command line is visible to other users (ps): prefer --secret-file or
QREDO_API_SECRET.`;

const BODY = `  --body TEXT           body, signed as its UTF-8 bytes
  --body-file PATH|-    body read from a file or standard input (-), signed byte for byte`;

const EXIT = `Exit status: 0 success, 1 verification failure or mismatch, 2 bad usage or bad input.`;

const FORMAT = `  --format F            headers (default): one 'name: value' line per header
                        json: {"method","url","headers","body"} (binary body: {"base64": …})
                        curl: a POSIX shell command sending exactly the signed bytes
  --content-type T      curl only: Content-Type to send with a body (default: application/json
                        when the body is JSON, else application/octet-stream; '' for curl's own)`;

export const HELP: Record<string, string> = {
  main: `qredo-sign — sign and verify Qredo API and Partner API requests

Usage:
  qredo-sign api      --api-key K (--secret-file PATH|- | --secret S) --method M --url U [body]
                      [--timestamp T] [--format F]
  qredo-sign partner  --api-key K --private-key PATH --url U [--method M] [body]
                      [--timestamp T | --nonce N] [--format F]
  qredo-sign verify   api|partner (--secret-file PATH|- | --secret S | --public-key PATH)
                      --method M --url U
                      --header 'name: value' … [body] [--max-skew SECONDS]
  qredo-sign keygen   [--bits 2048] [--format pkcs1|pkcs8] --out private.pem [--public-out public.pem]
  qredo-sign explain  api|partner (the inputs of api / partner) [--expect-signature SIG]
                      [--compare-input PATH|-]
  qredo-sign vectors  [--backend B]
  qredo-sign agent    keygen|show|register|approve|reject|listen   (Signing Agent, see agent --help)
  qredo-sign send     api|partner|v2 (the inputs of api / partner) [--env NAME] [--include]
                      [--request DIR] [--timeout S] [--retries N] [--fix-skew]
  qredo-sign playground [--port P]                         # a local page that signs in the browser
  qredo-sign mock     --port P [--api-key K] (--secret S | --secret-file F) [--public-key PATH]
                      [--workspace W] [--routes FILE|DIR]    # a mock Qredo server on 127.0.0.1

  body: --body TEXT | --body-file PATH|-

Run 'qredo-sign COMMAND --help' for a command's options. --version prints the version.

${ENV}

${EXIT}
`,
  api: `qredo-sign api — sign a Qredo API request (HMAC-SHA256, docs/contract.md §1.1)

Options:
  --api-key K           API key (or QREDO_API_KEY)
  --secret-file PATH|-  API secret, base64, read from a file or standard input (-); a trailing
                        newline is ignored
  --secret S            API secret given as an argument (visible in ps: a warning is printed);
                        or QREDO_API_SECRET. Write --secret=S if S starts with -
  --method M            HTTP method (signed, upper-cased)
  --url U               absolute URL (signed in its WHATWG form, fragment removed)
${BODY}
  --timestamp T         Unix time (default: now, in seconds); digit strings are signed as given
  --profile v1|v2       header names: v1 qredo-api-ts/-sig (default), v2 qredo-api-timestamp/-signature
  --backend B           node, webcrypto, wasm, js or auto (default)
${FORMAT}

Example:
  QREDO_API_SECRET=… qredo-sign api --api-key K --method GET \\
    --url https://api.qredo.network/qapi/v1/balance --format curl

${EXIT}
`,
  partner: `qredo-sign partner — sign a Partner API request (RSA PKCS#1 v1.5 SHA-256, docs/contract.md §1.2)

Options:
  --api-key K           API key (or QREDO_API_KEY)
  --private-key PATH    private key: PKCS#1 or PKCS#8 PEM, DER or JWK file (or QREDO_PRIVATE_KEY);
                        the path to the file, never the key text itself
  --url U               absolute URL (signed in its WHATWG form, fragment removed)
  --method M            not signed; default GET, or POST with a body
${BODY}
  --timestamp T         Unix time (default: now, in seconds), sent as x-timestamp
  --nonce N             sent as x-nonce instead of a timestamp
  --backend B           node, webcrypto, wasm, js or auto (default)
${FORMAT}

Example:
  qredo-sign partner --api-key K --private-key private.pem \\
    --url https://play-api.qredo.network/api/v1/p/company --body '{"name":"ACME"}' --format curl

${EXIT}
`,
  verify: `qredo-sign verify — check a received request (docs/contract.md §3)

Usage:
  qredo-sign verify api     --secret-file PATH|- --method M --url U --header 'name: value' … [body]
  qredo-sign verify partner --public-key PATH --url U --header 'name: value' … [body]

Options:
  --secret-file PATH|-  Qredo API secret, base64, from a file or standard input (-)
  --secret S            the secret as an argument (visible in ps; warns) or QREDO_API_SECRET
  --public-key PATH     Partner API public key: SPKI or PKCS#1 PEM, DER or JWK file
  --method M            the request's method (signed by the Qredo API only)
  --url U               the absolute URL the request arrived at
  --header 'N: V'       a received header; repeat for each (a repeated name is refused)
${BODY}
  --max-skew SECONDS    largest accepted timestamp distance from now (default 30)
  --profile v1|v2       api only: accept only these header names (default: either)
  --backend B           node, webcrypto, wasm, js or auto (default)

Prints 'valid: …' and exits 0, or prints 'invalid: CODE: …' on stderr and exits 1
(BAD_SIGNATURE, STALE_TIMESTAMP, MISSING_HEADER, REPLAYED_NONCE). Bad input exits 2.
`,
  keygen: `qredo-sign keygen — make a Partner API RSA key pair (node:crypto)

Options:
  --bits N              2048 (default), 3072 or 4096
  --format F            pkcs1 (default; 'BEGIN RSA PRIVATE KEY', like openssl genrsa) or pkcs8
  --out PATH            the private key, created with mode 0600 (required)
  --public-out PATH     the SPKI public key ('BEGIN PUBLIC KEY') to upload to Qredo;
                        without it the public key is printed on standard output
  --force               replace existing files (otherwise refused)

${EXIT}
`,
  explain: `qredo-sign explain — show exactly what is signed, for when the server answers 401

Usage:
  qredo-sign explain api     (the options of qredo-sign api)     [--expect-signature SIG]
  qredo-sign explain partner (the options of qredo-sign partner) [--expect-signature SIG]

Prints the signing input with invisible characters made visible (\\r \\n \\t, \\xNN for control
bytes and bytes that are not UTF-8, \\u{…} for every non-ASCII character), a hex dump, its length
and SHA-256, the signature and the headers. Give --timestamp (or --nonce) to reproduce the
request you are debugging.

Options, besides those of api / partner:
  --expect-signature SIG  the signature you expected (e.g. from another client, or from the
                          request that failed): prints match or NO MATCH; exit 1 when it differs
  --compare-input PATH|-  the signing input another client produced (raw bytes): prints the
                          first byte where the two differ, escaped; exit 1 when they differ

A body that differs only in spacing or line ends (pretty vs compact JSON, CRLF vs LF) shows up as
a different escaped line (\\r\\n vs \\n) and a different SHA-256.

${EXIT}
`,
  vectors: `qredo-sign vectors — check every golden vector on every backend here

Options:
  --backend B           only this backend (repeat for more); default: every backend available
  --vectors-dir DIR     another copy of the vector files (default: the package's vectors/)

Runs vectors/*.json (from an independent Python/OpenSSL generator) and, when present,
vectors/public/ (RFC 4231, RFC 4648, Wycheproof). Exit 1 on any mismatch.
`,
  mock: `qredo-sign mock — a mock Qredo server on 127.0.0.1, for SDK test suites in any language

Usage:
  qredo-sign mock --port P [--api-key K] (--secret S | --secret-file F|-) [--public-key PATH]
                  [--partner-api-key K] [--workspace W] [--routes FILE|DIR]

Verifies Qredo API v1 and v2 requests (with --secret) and Partner API requests (with
--public-key) with this library's verifiers, and answers 200 with JSON: a route's canned answer,
or {"ok":true,"scheme",…} echoing what was authenticated. Qredo API v2: GET …/workspaces/W/token
(signed with the v2 header names) answers {"token": JWT}; …/token/refresh renews it; later requests
send it in x-token. A request that fails gets 401 {"code":401,"msg":"Unauthorized","detail":{…}}
with the signing input the request implies (signingInput, signingInputEscaped, signingInputHex),
skewSeconds, reason and missingHeader; never the signature the mock expected.

Options:
  --port P              port (default 0: a free one; the first line printed names the URL)
  --host H              interface (default 127.0.0.1)
  --api-key K           the only Qredo API key accepted (or QREDO_API_KEY); default: any key
  --secret S            Qredo API secret, base64 (or QREDO_API_SECRET)
  --secret-file F|-     the secret read from a file or standard input
  --public-key PATH     Partner API public key (SPKI or PKCS#1 PEM, DER or JWK)
  --partner-api-key K   the only Partner API key accepted (default: --api-key, else any)
  --workspace W         the only Qredo API v2 workspace id accepted (default: any)
  --routes FILE|DIR     canned answers: a JSON object {"GET /path": {…}, "/path": {…}}, or a
                        directory of DIR/METHOD/path.json or DIR/path.json files
  --max-skew SECONDS    timestamp window (default 30)
  --token-lifetime S    lifetime of the v2 JWTs (default 3600)

Logs one line per request on standard output (no signature, secret or token). Stops on Ctrl-C
or SIGTERM.
`,
  send: `qredo-sign send — sign a request, send it, print the response

Usage:
  qredo-sign send api     (the options of qredo-sign api)     [send options]
  qredo-sign send partner (the options of qredo-sign partner) [send options]
  qredo-sign send v2      --api-key K --secret S --workspace W (--base-url U | --env NAME)
                          --url PATH [--method M] [body] [send options]

Signs exactly as 'qredo-sign api' / 'partner' do, sends the signed method, URL and body bytes, and
prints the response body (JSON pretty-printed on a terminal, as received otherwise). v2: fetches
a token from GET {base}/workspaces/W/token (signed with the v2 header names) and sends the request
with it in x-token. Nothing printed contains the secret, the signature or the token.

Send options:
  --env NAME            a named base URL; --url is then a path under it. Built in (hosts that
                        public Qredo sources name): qredo-api (https://api.qredo.network/qapi/v1),
                        partner, partner-sandbox, partner-play (Partner API /api/v1/p hosts).
                        Your own: QREDO_SIGN_ENVIRONMENTS='{"name":"https://…"}' (or
                        {"name":{"baseUrl":"https://…","scheme":"api|partner|v2"}})
  --include, -i         print the status line and the response headers first
  --request DIR         a request kept as files, as Qredo's partner-api-sign keeps it:
                        DIR/uri ('METHOD URL', or the URL), DIR/body, optionally DIR/method;
                        flags given on the command line win; the body is sent byte for byte
  --timeout SECONDS     give up when no full response arrives in time (default 30)
  --retries N           retry a 429, 502, 503 or 504 or a failed connection up to N times,
                        signing each attempt anew (Retry-After honoured; default 0)
  --fix-skew            after a 401 whose Date header shows this clock more than 5 s off,
                        sign once more by the server's time (not with --timestamp / --nonce)
  --content-type T      Content-Type sent with a body (default: application/json for JSON)
  --pretty | --raw      force the JSON formatting on or off
  --workspace W         v2: the workspace id;  --base-url U  v2: the API base URL

HTTPS_PROXY / HTTP_PROXY (http:// proxies; https targets go through a CONNECT tunnel) and
NO_PROXY are honoured, as curl reads them.

Exit status: 0 on a 2xx response, 1 on any other status (the body is still printed) or when no
response arrived, 2 bad usage or bad input.
`,
  playground: `qredo-sign playground — a local page where the signing happens in the browser

Usage:
  qredo-sign playground [--port P]

Serves one page on 127.0.0.1 (the first line printed names its URL). Paste a secret or a private
key, the method, URL, body and timestamp or nonce, and see the signing input (escaped and in hex),
the signature, the headers and a curl command, recomputed as you type; paste the headers a
server received to see every differing byte marked. The page signs with the library's browser
build, makes no request beyond its own origin (its Content-Security-Policy forbids any), and
stores nothing. The same page works opened as a file: dist/playground/index.html.

Options:
  --port P              port (default 0: a free one)
  --dir DIR             serve DIR/index.html (default: the package's dist/playground)
`,
};
