"""Key material for the vectors: the good RSA test keys in every form (keys.json) and the bad keys
every entry point must refuse with its own code (bad-keys.json).

All randomly generated material (the good keys, and the weak/oversized/EC/Ed25519/encrypted
fixtures) lives in keys.json and is reused on later runs, so every other file is a deterministic
function of keys.json and the seeds. `--new-keys` regenerates it.
"""

import random

from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from gen_common import b64, b64url_nopad, int_to_bytes

NOTICE = (
    "TEST KEYS ONLY. They are published in this repository and must never protect anything real. "
    "Generated with Python's `cryptography` package (OpenSSL) by vectors/generate.py."
)
PASSPHRASE = b"test-passphrase"

GOOD_KEYS = {  # id -> (bits, public exponent)
    "rsa2048": (2048, 65537),
    "rsa3072": (3072, 65537),
    "rsa4096": (4096, 65537),
    "rsa2048-e3": (2048, 3),
}

PEM = ser.Encoding.PEM
DER = ser.Encoding.DER
NO_ENC = ser.NoEncryption()


def _pem(key, fmt, encryption=NO_ENC) -> str:
    return key.private_bytes(PEM, fmt, encryption).decode("ascii")


def _load_pem(text: str):
    return ser.load_pem_private_key(text.encode("ascii"), password=None)


def private_jwk(key) -> dict:
    """RFC 7518 §6.3 private RSA JWK with the same CRT values (and order of p, q) as the DER."""
    pn = key.private_numbers()
    u = lambda v: b64url_nopad(int_to_bytes(v))  # noqa: E731
    return {
        "kty": "RSA",
        "n": u(pn.public_numbers.n),
        "e": u(pn.public_numbers.e),
        "d": u(pn.d),
        "p": u(pn.p),
        "q": u(pn.q),
        "dp": u(pn.dmp1),
        "dq": u(pn.dmq1),
        "qi": u(pn.iqmp),
    }


def describe_key(key) -> dict:
    """Every accepted form of one RSA key, the schema of keys.json."""
    pub = key.public_key()
    pkcs1_der = key.private_bytes(DER, ser.PrivateFormat.TraditionalOpenSSL, NO_ENC)
    pkcs8_der = key.private_bytes(DER, ser.PrivateFormat.PKCS8, NO_ENC)
    spki_der = pub.public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)
    jwk = private_jwk(key)
    return {
        "bits": key.key_size,
        "pkcs1Pem": _pem(key, ser.PrivateFormat.TraditionalOpenSSL),
        "pkcs8Pem": _pem(key, ser.PrivateFormat.PKCS8),
        "pkcs1DerB64": b64(pkcs1_der),
        "pkcs8DerB64": b64(pkcs8_der),
        "jwk": jwk,
        "spkiPem": pub.public_bytes(PEM, ser.PublicFormat.SubjectPublicKeyInfo).decode("ascii"),
        "pkcs1PublicPem": pub.public_bytes(PEM, ser.PublicFormat.PKCS1).decode("ascii"),
        "spkiDerB64": b64(spki_der),
        "publicJwk": {"kty": "RSA", "n": jwk["n"], "e": jwk["e"]},
    }


def _fixture_generators():
    """Random material for bad-keys.json, as PEM text (generated once, then reused)."""
    pkcs8 = ser.PrivateFormat.PKCS8
    return {
        "rsa1024": lambda: _pem(rsa.generate_private_key(65537, 1024), pkcs8),
        "rsa1536": lambda: _pem(rsa.generate_private_key(65537, 1536), pkcs8),
        "rsa8192": lambda: _pem(rsa.generate_private_key(65537, 8192), pkcs8),
        "ecP256": lambda: _pem(ec.generate_private_key(ec.SECP256R1()), pkcs8),
        "ed25519": lambda: _pem(ed25519.Ed25519PrivateKey.generate(), pkcs8),
        # Encryption uses a random salt and IV, hence stored rather than recomputed.
        "encryptedPkcs8Pem": lambda: None,
        "encryptedTraditionalPem": lambda: None,
    }


def load_or_create(previous: dict | None, new_keys: bool) -> tuple[dict, dict]:
    """Returns (keys.json document, {id: private key object}) reusing `previous` unless new_keys."""
    old_keys = {} if new_keys or not previous else previous.get("keys", {})
    old_fix = {} if new_keys or not previous else previous.get("fixtures", {})
    objects, keys = {}, {}
    for key_id, (bits, e) in GOOD_KEYS.items():
        if key_id in old_keys:
            key = _load_pem(old_keys[key_id]["pkcs1Pem"])
            assert key.key_size == bits and key.public_key().public_numbers().e == e
        else:
            key = rsa.generate_private_key(e, bits)
        objects[key_id] = key
        keys[key_id] = describe_key(key)
    fixtures = {}
    for name, make in _fixture_generators().items():
        fixtures[name] = old_fix.get(name) or make()
    base = objects["rsa2048"]
    if not fixtures["encryptedPkcs8Pem"]:
        enc = ser.BestAvailableEncryption(PASSPHRASE)
        fixtures["encryptedPkcs8Pem"] = _pem(base, ser.PrivateFormat.PKCS8, enc)
    if not fixtures["encryptedTraditionalPem"]:
        enc = ser.BestAvailableEncryption(PASSPHRASE)
        fixtures["encryptedTraditionalPem"] = _pem(base, ser.PrivateFormat.TraditionalOpenSSL, enc)
    assert "BEGIN ENCRYPTED PRIVATE KEY" in fixtures["encryptedPkcs8Pem"]
    assert "Proc-Type: 4,ENCRYPTED" in fixtures["encryptedTraditionalPem"]
    document = {
        "notice": NOTICE,
        "keys": keys,
        "fixtures": fixtures,
        "fixturesPassphrase": PASSPHRASE.decode("ascii"),
    }
    return document, objects


# ——— a minimal DER writer, for hand-corrupted keys (X.690 §8.1.3 lengths, §8.3 INTEGER) ———


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = int_to_bytes(n)
    return bytes([0x80 | len(body)]) + body


def _der(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(content)) + content


def _der_int(v: int) -> bytes:
    body = int_to_bytes(v)
    if body[0] & 0x80:
        body = b"\x00" + body
    return _der(0x02, body)


def _der_seq(*items: bytes) -> bytes:
    return _der(0x30, b"".join(items))


def _pem_wrap(label: str, der: bytes) -> str:
    text = b64(der)
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
