"""qredo-api.json: Qredo API (HMAC-SHA256) requests and their expected signed form (contract §1.1).

signing input = UTF-8(timestamp + METHOD + canonical URL) + body bytes; signature = unpadded
base64url of HMAC-SHA256(decoded secret, signing input).
"""

import base64
import random

import gen_bodies as bodies
from gen_common import b64, b64url_nopad, decode_secret, hmac_sha256
from gen_urls import HTTP_URLS, is_plainly_canonical

SEED = 0x51ED_0001
BALANCE = "https://api.qredo.network/qapi/v1/balance"
TRANSFER = "https://api.qredo.network/qapi/v1/company/1bx7nq/transfer"
BOUNDARY_SIZES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 4097]
METHODS = ["GET", "get", "HEAD", "POST", "post", "PUT", "put", "DELETE", "delete", "PATCH", "patch", "OPTIONS"]


def timestamp_text(ts) -> str:
    if isinstance(ts, int):
        return str(ts)
    if isinstance(ts, str):
        return ts
    return ts["bigint"]


def vector(name, api_key, secret, method, url, timestamp, body, expected_url=None, comment=None):
    canonical_url = expected_url or url
    if expected_url is None:
        assert is_plainly_canonical(url), f"{name}: give the canonical URL by hand"
    body_bytes, sent = bodies.body_parts(body)
    upper = method.upper()
    assert not (body_bytes and upper in ("GET", "HEAD")), f"{name}: body on {upper}"
    ts = timestamp_text(timestamp)
    signing_input = (ts + upper + canonical_url).encode("utf-8") + body_bytes
    signature = b64url_nopad(hmac_sha256(decode_secret(secret), signing_input))
    assert len(signature) == 43
    out = {"name": name}
    if comment:
        out["comment"] = comment
    out.update({"apiKey": api_key, "secret": secret, "method": method, "url": url, "timestamp": timestamp})
    out["body"] = body
    out["expected"] = {
        "method": upper,
        "url": canonical_url,
        "body": sent,
        "signingInputB64": b64(signing_input),
        "signature": signature,
        "headers": bodies.with_json_label(
            {"qredo-api-key": api_key, "qredo-api-ts": ts, "qredo-api-sig": signature}, body
        ),
    }
    return out


def secret_text(rng, key: bytes, style: str) -> str:
    """How a user might paste the secret: either alphabet, padded or not, maybe with white space."""
    std = base64.b64encode(key).decode()
    url = base64.urlsafe_b64encode(key).decode()
    text = {"std": std, "std-nopad": std.rstrip("="), "url": url, "url-nopad": url.rstrip("=")}[style.split("+")[0]]
    if "+ws" in style:
        text = rng.choice([" ", "\t", "\n", "  \t", "\r\n"]) + text + rng.choice([" ", "\n", "\r\n", "\t "])
    return text


def build() -> dict:
    rng = random.Random(SEED)
    key32 = bytes(rng.randrange(256) for _ in range(32))
    secret = secret_text(rng, key32, "url")
    api_key = "qredo-test-api-key"
    out = []
    spec = vector("spec-5-example", api_key, secret, "GET", BALANCE, 1647356399, {"kind": "none"},
                  comment="contract §5: signing input 1647356399GEThttps://api.qredo.network/qapi/v1/balance")
    assert spec["expected"]["signingInputB64"] == b64(b"1647356399GEThttps://api.qredo.network/qapi/v1/balance")
    out.append(spec)
    out.append(vector("spec-5-example-timestamp-string", api_key, secret, "GET", BALANCE, "1647356399", {"kind": "none"}))
    out.append(vector("spec-5-example-timestamp-bigint", api_key, secret, "GET", BALANCE, {"bigint": "1647356399"}, {"kind": "none"}))

    for name, body, comment in bodies.fixed_bodies():
        out.append(vector(f"body-{name}", api_key, secret, "POST", TRANSFER, 1700000000, body, comment=comment))
    out.append(vector("body-empty-string-on-get", api_key, secret, "GET", BALANCE, 1700000000, bodies.string(""),
                      comment="an empty body is no body, so GET may carry it"))

    for method in METHODS + ["Delete", "purge", "M-SEARCH"]:
        upper = method.upper()
        body = {"kind": "none"} if upper in ("GET", "HEAD") else bodies.string('{"x":1}')
        out.append(vector(f"method-{method}", api_key, secret, method, TRANSFER, 1700000001, body,
                          comment="the signed and returned method is upper-cased (contract §1.4)"))

    for style in ["std", "std-nopad", "url", "url-nopad", "std+ws", "url-nopad+ws", "url+ws"]:
        for length in (32, 31, 30):
            key = bytes(rng.randrange(256) for _ in range(length))
            if length == 32:
                key = bytes([0xFB, 0xFF, 0xBF]) + key[3:]  # forces + and / (or - and _) to appear
            text = secret_text(rng, key, style)
            out.append(vector(f"secret-{style}-{length}", api_key, text, "GET", BALANCE, 1700000002, {"kind": "none"}))
    for name, text in [("1-byte", "QQ=="), ("1-byte-nopad", "QQ"), ("trailing-bits", "QR=="),
                       ("64-byte", secret_text(rng, bytes(range(64)), "std")),
                       ("100-byte", secret_text(rng, bytes(range(100, 200)), "url-nopad"))]:
        out.append(vector(f"secret-{name}", api_key, text, "GET", BALANCE, 1700000003, {"kind": "none"}))

    for name, ts in [("seconds-number", 1647356399), ("seconds-string", "1647356399"),
                     ("seconds-bigint", {"bigint": "1647356399"}), ("ms-number", 1647356399123),
                     ("ms-string", "1647356399123"), ("ms-bigint", {"bigint": "1647356399123"}),
                     ("us-number", 1647356399123456), ("ns-string", "1647356399123456789"),
                     ("ns-bigint", {"bigint": "1647356399123456789"}), ("zero", 0),
                     ("max-safe-number", 9007199254740991), ("leading-zeros-string", "0001647356399"),
                     ("huge-bigint", {"bigint": "123456789012345678901234567890"})]:
        out.append(vector(f"timestamp-{name}", api_key, secret, "GET", BALANCE, ts, {"kind": "none"},
                          comment="digit strings are signed verbatim; nanoseconds exceed a safe number"))

    for name, url, expected, rule in HTTP_URLS:
        out.append(vector(f"url-{name}", api_key, secret, "GET", url, 1700000004, {"kind": "none"}, expected, rule))
    out.append(vector("url-normalised-with-body", api_key, secret, "patch",
                      "HTTPS://API.QREDO.NETWORK:443/qapi/v1/../v1/transfer?x=a b#frag", 1700000005,
                      bodies.as_json({"amount": 1}), "https://api.qredo.network/qapi/v1/transfer?x=a%20b",
                      "several rules at once, with a body"))
    for i, query in enumerate(["?a=1&b=2", "?q=%20%2F%3F%26", "?empty=&flag", "?x=%E2%82%AC&y=~._-"]):
        out.append(vector(f"query-{i}", api_key, secret, "GET", BALANCE + query, 1700000006, {"kind": "none"}))

    out.extend(random_vectors(rng, 60, api_key))
    return {"scheme": "qredo-api", "vectors": out}


HOSTS = ["api.qredo.network", "play-api.qredo.network", "sandbox-api.qredo.network", "localhost:8080", "127.0.0.1:3000"]


def random_url(rng) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~"
    segments = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(rng.randrange(0, 5))]
    url = f"{rng.choice(['https', 'http'])}://{rng.choice(HOSTS)}/" + "/".join(segments)
    if rng.random() < 0.5:
        pairs = []
        for _ in range(rng.randrange(1, 4)):
            value = "".join(rng.choice([rng.choice(alphabet), "%%%02X" % rng.randrange(256)]) for _ in range(rng.randrange(0, 8)))
            pairs.append(rng.choice(alphabet) + "=" + value)
        url += "?" + "&".join(pairs)
    return url


def random_vectors(rng, count: int, api_key: str):
    out = []
    for i in range(count):
        method = rng.choice(["POST", "PUT", "PATCH", "DELETE", "post", "GET"])
        url = random_url(rng)
        ts = rng.choice([rng.randrange(10**9, 2 * 10**9), str(rng.randrange(10**12, 2 * 10**12)),
                         {"bigint": str(rng.randrange(10**18, 2 * 10**18))}])
        key = bytes(rng.randrange(256) for _ in range(rng.choice([32, 32, 16, 48, 64, 65, 100])))
        secret = secret_text(rng, key, rng.choice(["std", "std-nopad", "url", "url-nopad", "url-nopad+ws"]))
        if method.upper() == "GET":
            body = {"kind": "none"}
        else:
            size = rng.choice(BOUNDARY_SIZES + [rng.randrange(0, 201)])
            if i % 2 == 0:
                # Make the whole signing input hit a SHA-256 block boundary instead of the body.
                prefix = len(timestamp_text(ts) + method.upper() + url)
                size = max(0, (prefix // 64 + 1) * 64 + rng.choice([-9, -8, -1, 0, 1, 55, 56]) - prefix)
            body = bodies.random_body(rng, size)
        name = f"random-{i:02d}"
        out.append(vector(name, f"key-{rng.randrange(16**8):08x}", secret, method, url, ts, body))
    return out
