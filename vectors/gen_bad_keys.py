"""bad-keys.json: keys every entry point must refuse, each with its SigningError code (contract §1.2).

WEAK_KEY: an RSA key below 2048 bits. ENCRYPTED_KEY: any encrypted private key (we never take
passphrases). INVALID_KEY: everything else that is not a usable RSA key of the right kind.
"""

import base64
import random

from cryptography.hazmat.primitives import serialization as ser

from gen_common import b64, b64url_nopad
from gen_keys import DER, NO_ENC, PEM, _der_int, _der_seq, _pem_wrap, private_jwk

SEED = 0x0BAD_4E75


def _entry(name, form, value, code, comment=None):
    entry = {"name": name, "form": form, "value": value, "code": code}
    if comment:
        entry["comment"] = comment
    return entry


def _spki_pem(key) -> str:
    return key.public_key().public_bytes(PEM, ser.PublicFormat.SubjectPublicKeyInfo).decode()


def _pkcs8_der(key) -> bytes:
    return key.private_bytes(DER, ser.PrivateFormat.PKCS8, NO_ENC)


def _pkcs1_pem(key) -> str:
    return key.private_bytes(PEM, ser.PrivateFormat.TraditionalOpenSSL, NO_ENC).decode()


def _ec_jwk(key, private: bool) -> dict:
    nums = key.private_numbers() if private else None
    pub = key.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url_nopad(pub.x.to_bytes(32, "big")),
        "y": b64url_nopad(pub.y.to_bytes(32, "big")),
    }
    if private:
        jwk["d"] = b64url_nopad(nums.private_value.to_bytes(32, "big"))
    return jwk


def _corrupt_base64(pem: str) -> str:
    """Replaces one character of the base64 body by '*' (never in the BEGIN/END lines)."""
    lines = pem.split("\n")
    lines[2] = lines[2][:10] + "*" + lines[2][11:]
    return "\n".join(lines)


def _pkcs1_pem_n_ne_pq(key) -> str:
    """The 2048-bit test key with q replaced by q+2: well-formed DER, but n ≠ p·q (RFC 8017
    §3.2 requires n = p·q); a parser that skips the check would sign with a broken key."""
    pn = key.private_numbers()
    ints = [0, pn.public_numbers.n, pn.public_numbers.e, pn.d, pn.p, pn.q + 2, pn.dmp1, pn.dmq1, pn.iqmp]
    return _pem_wrap("RSA PRIVATE KEY", _der_seq(*[_der_int(v) for v in ints]))


def _pkcs1_public_pem(n: int, e: int) -> str:
    return _pem_wrap("RSA PUBLIC KEY", _der_seq(_der_int(n), _der_int(e)))


def build(objects: dict, fixtures: dict) -> dict:
    rng = random.Random(SEED)
    load = lambda name: ser.load_pem_private_key(fixtures[name].encode(), None)  # noqa: E731
    k1024, k1536, k8192 = load("rsa1024"), load("rsa1536"), load("rsa8192")
    p256, ed = load("ecP256"), load("ed25519")
    good = objects["rsa2048"]
    good_pkcs1 = _pkcs1_pem(good)
    good_pkcs8_der = _pkcs8_der(good)
    enc_pkcs8_body = "".join(
        line for line in fixtures["encryptedPkcs8Pem"].splitlines() if not line.startswith("-----")
    )
    garbage = bytes(rng.randrange(256) for _ in range(96))
    n = good.public_key().public_numbers().n
    half = len(good_pkcs1) // 2

    private = [
        _entry("weak-1024-pkcs1-pem", "pem", _pkcs1_pem(k1024), "WEAK_KEY"),
        _entry("weak-1024-pkcs8-pem", "pem", fixtures["rsa1024"], "WEAK_KEY"),
        _entry("weak-1024-pkcs8-der", "derB64", b64(_pkcs8_der(k1024)), "WEAK_KEY"),
        _entry("weak-1024-jwk", "jwk", private_jwk(k1024), "WEAK_KEY"),
        _entry("weak-1536-pkcs1-pem", "pem", _pkcs1_pem(k1536), "WEAK_KEY"),
        _entry("weak-1536-pkcs8-pem", "pem", fixtures["rsa1536"], "WEAK_KEY"),
        _entry(
            "encrypted-pkcs8-pem",
            "pem",
            fixtures["encryptedPkcs8Pem"],
            "ENCRYPTED_KEY",
            "BEGIN ENCRYPTED PRIVATE KEY (RFC 5958 EncryptedPrivateKeyInfo, PBES2)",
        ),
        _entry(
            "encrypted-pkcs8-der",
            "derB64",
            enc_pkcs8_body,
            "ENCRYPTED_KEY",
            "the same EncryptedPrivateKeyInfo as DER bytes",
        ),
        _entry(
            "encrypted-traditional-pem",
            "pem",
            fixtures["encryptedTraditionalPem"],
            "ENCRYPTED_KEY",
            "legacy OpenSSL form: BEGIN RSA PRIVATE KEY with Proc-Type: 4,ENCRYPTED and DEK-Info",
        ),
        _entry("ec-p256-pkcs8-pem", "pem", fixtures["ecP256"], "INVALID_KEY"),
        _entry(
            "ec-p256-sec1-pem",
            "pem",
            p256.private_bytes(PEM, ser.PrivateFormat.TraditionalOpenSSL, NO_ENC).decode(),
            "INVALID_KEY",
            "BEGIN EC PRIVATE KEY (RFC 5915)",
        ),
        _entry("ec-p256-pkcs8-der", "derB64", b64(_pkcs8_der(p256)), "INVALID_KEY"),
        _entry("ed25519-pkcs8-pem", "pem", fixtures["ed25519"], "INVALID_KEY"),
        _entry("jwk-kty-ec", "jwk", _ec_jwk(p256, True), "INVALID_KEY"),
        _entry("spki-public-pem-as-private", "pem", _spki_pem(good), "INVALID_KEY"),
        _entry(
            "pkcs1-public-pem-as-private",
            "pem",
            good.public_key().public_bytes(PEM, ser.PublicFormat.PKCS1).decode(),
            "INVALID_KEY",
        ),
        _entry(
            "spki-der-as-private",
            "derB64",
            b64(good.public_key().public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)),
            "INVALID_KEY",
        ),
        _entry(
            "jwk-missing-d",
            "jwk",
            {k: v for k, v in private_jwk(good).items() if k != "d"},
            "INVALID_KEY",
            "a private JWK without its private exponent",
        ),
        _entry("truncated-pem", "pem", good_pkcs1[:half], "INVALID_KEY", "cut, no END line"),
        _entry(
            "truncated-pem-body",
            "pem",
            _pem_wrap("PRIVATE KEY", good_pkcs8_der[: len(good_pkcs8_der) // 2 // 3 * 3]),
            "INVALID_KEY",
            "intact BEGIN/END lines around half of the DER",
        ),
        _entry("truncated-der", "derB64", b64(good_pkcs8_der[:-17]), "INVALID_KEY"),
        _entry("garbage-bytes", "derB64", b64(garbage), "INVALID_KEY", "96 seeded random bytes"),
        _entry("pem-bad-base64", "pem", _corrupt_base64(good_pkcs1), "INVALID_KEY"),
        _entry("empty-string", "pem", "", "INVALID_KEY"),
        _entry("not-a-key", "pem", "hello, I am not a key", "INVALID_KEY"),
        _entry("rsa-n-ne-pq", "pem", _pkcs1_pem_n_ne_pq(good), "INVALID_KEY"),
        _entry(
            "rsa-8192-pkcs8-pem",
            "pem",
            fixtures["rsa8192"],
            "INVALID_KEY",
            "above the 4096-bit maximum contract §1.2 accepts",
        ),
    ]
    public = [
        _entry("weak-1024-spki-pem", "pem", _spki_pem(k1024), "WEAK_KEY"),
        _entry("weak-1536-spki-pem", "pem", _spki_pem(k1536), "WEAK_KEY"),
        _entry(
            "weak-1024-public-jwk",
            "jwk",
            {k: v for k, v in private_jwk(k1024).items() if k in ("kty", "n", "e")},
            "WEAK_KEY",
        ),
        _entry("ec-p256-spki-pem", "pem", _spki_pem(p256), "INVALID_KEY"),
        _entry("ed25519-spki-pem", "pem", _spki_pem(ed), "INVALID_KEY"),
        _entry("jwk-kty-ec", "jwk", _ec_jwk(p256, False), "INVALID_KEY"),
        _entry(
            "truncated-spki-der",
            "derB64",
            b64(good.public_key().public_bytes(DER, ser.PublicFormat.SubjectPublicKeyInfo)[:-9]),
            "INVALID_KEY",
        ),
        _entry("garbage-bytes", "derB64", b64(garbage), "INVALID_KEY"),
        _entry("pem-bad-base64", "pem", _corrupt_base64(_spki_pem(good)), "INVALID_KEY"),
        _entry("empty-string", "pem", "", "INVALID_KEY"),
        _entry("rsa-8192-spki-pem", "pem", _spki_pem(k8192), "INVALID_KEY"),
        _entry("exponent-even", "pem", _pkcs1_public_pem(n, 65536), "INVALID_KEY", "e = 65536"),
        _entry("exponent-one", "pem", _pkcs1_public_pem(n, 1), "INVALID_KEY", "e = 1"),
        _entry(
            "encrypted-pkcs8-pem",
            "pem",
            fixtures["encryptedPkcs8Pem"],
            "ENCRYPTED_KEY",
            "an encrypted private key cannot even yield its public half without the passphrase",
        ),
    ]
    assert base64.b64decode(enc_pkcs8_body)[0] == 0x30
    return {"privateKeys": private, "publicKeys": public}
