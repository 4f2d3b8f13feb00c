"""partner-api.json: Partner API (RSA) requests and their expected signed form (contract §1.2).

signing input = UTF-8(timestampOrNonce + canonical URL) + body bytes (the method is not signed);
x-sign = unpadded base64url of RSASSA-PKCS1-v1_5-SHA256(private key, signing input).
PKCS#1 v1.5 is deterministic, so every correct backend must produce exactly these bytes.
"""

import random

import gen_bodies as bodies
from gen_common import b64, b64url_nopad, rsa_sign
from gen_qredo import BOUNDARY_SIZES, random_url, timestamp_text
from gen_urls import WS_URLS, is_plainly_canonical

SEED = 0x9A27_0002
KEY_FORMS = ["pkcs1Pem", "pkcs8Pem", "pkcs1DerB64", "pkcs8DerB64", "jwk"]
COMPANY = "https://play-api.qredo.network/api/v1/p/company"


def vector(objects, name, key_id, key_form, url, body, method=None, timestamp=None, nonce=None,
           expected_url=None, comment=None):
    assert (timestamp is None) != (nonce is None), name
    canonical_url = expected_url or url
    if expected_url is None:
        assert is_plainly_canonical(url), f"{name}: give the canonical URL by hand"
    body_bytes, sent = bodies.body_parts(body)
    upper = method.upper() if method is not None else ("POST" if body_bytes else "GET")
    assert not (body_bytes and upper in ("GET", "HEAD")), f"{name}: body on {upper}"
    stamp = timestamp_text(timestamp if timestamp is not None else nonce)
    signing_input = (stamp + canonical_url).encode("utf-8") + body_bytes
    signature = b64url_nopad(rsa_sign(objects[key_id], signing_input))
    headers = {"x-api-key": None, "x-sign": signature}
    out = {"name": name}
    if comment:
        out["comment"] = comment
    out.update({"apiKey": f"partner-{key_id}", "keyId": key_id, "keyForm": key_form, "url": url})
    headers["x-api-key"] = out["apiKey"]
    if method is not None:
        out["method"] = method
    if timestamp is not None:
        out["timestamp"] = timestamp
        headers["x-timestamp"] = stamp
    else:
        out["nonce"] = nonce
        headers["x-nonce"] = stamp
    out["body"] = body
    out["expected"] = {
        "method": upper,
        "url": canonical_url,
        "body": sent,
        "signingInputB64": b64(signing_input),
        "signature": signature,
        "headers": bodies.with_json_label(headers, body),
    }
    return out


def build(objects) -> dict:
    rng = random.Random(SEED)
    out = []
    key_ids = list(objects)
    # Every key size and exponent in every accepted form.
    for i, key_id in enumerate(key_ids):
        for j, form in enumerate(KEY_FORMS):
            stamp = {"nonce": f"n{i}{j}-0f3a"} if (i + j) % 2 else {"timestamp": 1700000100 + i * 10 + j}
            out.append(vector(objects, f"key-{key_id}-{form}", key_id, form, COMPANY,
                              bodies.as_json({"name": "ACME Test Ltd", "city": "Z\u00fcrich", "n": i * 10 + j}),
                              **stamp))
    # Every body form (method defaults to POST when a body is present, GET otherwise).
    for name, body, comment in bodies.fixed_bodies():
        out.append(vector(objects, f"body-{name}", "rsa2048", "pkcs8Pem", COMPANY, body,
                          nonce=f"body-{name}", comment=comment))
    # Nonce forms.
    for name, nonce in [("string", "a1b2c3"), ("number", 42), ("zero", 0), ("max-safe", 9007199254740991),
                        ("bigint", {"bigint": "18446744073709551617"}),
                        ("visible-ascii", "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
                        ("long", "n" * 256), ("uuid", "3f0c1b7e-9d4a-4c55-8e36-0c8a1c2d9f11")]:
        out.append(vector(objects, f"nonce-{name}", "rsa2048", "pkcs1Pem", COMPANY + "/1bx7nq", {"kind": "none"},
                          nonce=nonce))
    # Timestamp forms.
    for name, ts in [("seconds-number", 1647356399), ("ms-number", 1647356399123),
                     ("ns-string", "1647356399123456789"), ("ns-bigint", {"bigint": "1647356399123456789"})]:
        out.append(vector(objects, f"timestamp-{name}", "rsa3072", "pkcs8DerB64", COMPANY, {"kind": "none"},
                          timestamp=ts))
    # Explicit methods: upper-cased; the method is not signed.
    for method, body in [("get", {"kind": "none"}), ("put", bodies.string("{}")), ("patch", bodies.as_json({"a": 1})),
                         ("DELETE", {"kind": "none"}), ("post", {"kind": "none"}), ("Options", {"kind": "none"})]:
        out.append(vector(objects, f"method-{method}", "rsa2048", "jwk", COMPANY + "/1bx7nq", body,
                          method=method, nonce="m-" + method))
    # WebSocket upgrades: GET, no body.
    for k, (name, url, expected, rule) in enumerate(WS_URLS):
        method = [None, "get", "GET", None][k]
        out.append(vector(objects, f"ws-{name}", key_ids[k % len(key_ids)], KEY_FORMS[k], url, {"kind": "none"},
                          method=method, timestamp=1700000200 + k, expected_url=expected, comment=rule))
    out.append(vector(objects, "url-normalised", "rsa2048", "pkcs1DerB64",
                      "HTTPS://Play-API.Qredo.Network:443/api/v1/p/company/../company/%7e x?q=\u00e9#frag",
                      bodies.string("x"), nonce="url-1",
                      expected_url="https://play-api.qredo.network/api/v1/p/company/%7e%20x?q=%C3%A9",
                      comment="lower-cased host, default port dropped, .. resolved, space and é escaped, "
                              "existing %7e kept, fragment dropped"))
    # Seeded random requests.
    for i in range(20):
        key_id = rng.choice(key_ids)
        body = bodies.random_body(rng, rng.choice(BOUNDARY_SIZES)) if rng.random() < 0.8 else {"kind": "none"}
        stamp = ({"nonce": rng.choice([rng.randrange(10**12), f"r{rng.randrange(16**12):012x}"])}
                 if rng.random() < 0.5 else {"timestamp": rng.randrange(10**9, 2 * 10**9)})
        method = rng.choice([None, None, "post", "PUT", "patch"])
        out.append(vector(objects, f"random-{i:02d}", key_id, rng.choice(KEY_FORMS), random_url(rng), body,
                          method=method, **stamp))
    return {"scheme": "partner-api", "vectors": out}
