"""primitives.json (hmacSha256, rsaSign, base64url) and secrets.json (contract §1.1 secret decoding)."""

import base64
import random

from gen_common import b64, b64url_nopad, decode_secret, hmac_sha256, rsa_sign

SEED = 0x9817_0003
# Sizes around SHA-256's 64-byte block and its 55/56-byte padding boundary (FIPS 180-4 §5.1.1).
DATA_SIZES = [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000]
KEY_SIZES = [0, 1, 20, 32, 63, 64, 65, 200]  # RFC 2104 §2: keys longer than 64 bytes are hashed first


def build_primitives(objects) -> dict:
    rng = random.Random(SEED)
    data = lambda n: bytes(rng.randrange(256) for _ in range(n))  # noqa: E731
    hmac_vectors = []
    for key_len in KEY_SIZES:
        for size in DATA_SIZES:
            key, msg = data(key_len), data(size)
            hmac_vectors.append({"name": f"key{key_len}-data{size}", "keyHex": key.hex(),
                                 "dataHex": msg.hex(), "macHex": hmac_sha256(key, msg).hex()})
    rsa_vectors = []
    for key_id, key in objects.items():
        for size in [0, 1, 55, 64, 1000]:
            msg = data(size)
            rsa_vectors.append({"name": f"{key_id}-data{size}", "keyId": key_id, "dataHex": msg.hex(),
                                "signatureHex": rsa_sign(key, msg).hex()})
    b64_vectors = [{"hex": "", "encoded": ""}]
    for raw in [b"\xfb", b"\xfb\xff", b"\xfb\xff\xbf", b"\xff" * 4, b"\x00" * 5, bytes(range(256))]:
        b64_vectors.append({"hex": raw.hex(), "encoded": b64url_nopad(raw)})
    for size in list(range(1, 20)) + [31, 32, 33, 64, 256, 257]:
        raw = data(size)
        b64_vectors.append({"hex": raw.hex(), "encoded": b64url_nopad(raw)})
    return {"hmac": hmac_vectors, "rsa": rsa_vectors, "base64url": b64_vectors}


# Decoding is checked against a fixed request signed with the decoded key.
SECRET_CHECK_REQUEST = {"method": "GET", "url": "https://api.qredo.network/qapi/v1/balance", "timestamp": "1647356399"}

INVALID_SECRETS = [
    ("empty", ""),
    ("whitespace-only", " \t\r\n "),
    ("only-padding", "=="),
    ("bad-character-dollar", "abc$def0"),
    ("bad-character-dot", "aGVsbG8gd29ybGQ."),
    ("bad-character-non-ascii", "aGVsbG8\u00e9"),
    ("bad-character-nul", "Zm9vYmFy\u0000"),
    ("inner-space", "aGVs bG8="),
    ("inner-newline", "Zm9v\nYmFy"),
    ("impossible-length-1", "A"),
    ("impossible-length-5", "QUJDR"),
    ("impossible-length-9", "QUJDREVGR"),
    ("impossible-length-padded", "QUJDR==="),
    ("padding-in-middle", "QU=JDREVG"),
    ("padding-then-data", "QUI=QUJD"),
    ("three-padding", "QQ==="),
    ("four-padding", "QUJD===="),
]


def build_secrets() -> dict:
    rng = random.Random(SEED + 1)
    request = SECRET_CHECK_REQUEST
    signing_input = (request["timestamp"] + request["method"] + request["url"]).encode()
    texts = []
    for length in [1, 2, 3, 4, 16, 31, 32, 33, 64, 65, 100]:
        key = bytes(rng.randrange(256) for _ in range(length))
        std, url = base64.b64encode(key).decode(), base64.urlsafe_b64encode(key).decode()
        texts += [std, std.rstrip("="), url, url.rstrip("=")]
    texts += [" " + texts[-1] + " ", "\t" + texts[-5] + "\n", "\r\n" + texts[-9] + "\r\n"]
    texts += ["QR==", "QR", "QUJ=", "QUJDRA", "_-_-", "////", "+/+/"]  # non-zero trailing bits; both alphabets
    seen, valid = set(), []
    for text in texts:
        if text in seen:
            continue
        seen.add(text)
        key = decode_secret(text)
        valid.append({"text": text, "keyHex": key.hex(),
                      "signature": b64url_nopad(hmac_sha256(key, signing_input))})
    invalid = [{"name": n, "text": t, "code": "INVALID_SECRET"} for n, t in INVALID_SECRETS]
    for entry in invalid:  # the generator's own decoding must refuse them too
        try:
            decode_secret(entry["text"])
        except Exception:
            continue
        raise AssertionError(f"invalid secret {entry['name']} decodes")
    return {"request": request, "valid": valid, "invalid": invalid}
