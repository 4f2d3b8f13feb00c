"""Shared helpers of the golden-vector generator: encodings, the two signing schemes as the
independent reference implementation (Python's hmac/hashlib/base64 and the `cryptography`
package), and a deterministic JSON writer.

Nothing here imports or runs code from src/ or node: that is the point of these vectors.
"""

import base64
import hashlib
import hmac
import json
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

# Largest integer JavaScript represents exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1

# JSON.stringify puts keys that look like array indices first, in numeric order; Python keeps
# insertion order. Such keys are therefore refused in json bodies so both give the same text.
_ARRAY_INDEX_KEY = re.compile(r"^(0|[1-9][0-9]*)$")


def b64(data: bytes) -> str:
    """Standard base64 with padding (RFC 4648 §4)."""
    return base64.b64encode(data).decode("ascii")


def b64url_nopad(data: bytes) -> str:
    """URL-safe base64 without padding (RFC 4648 §5), the encoding of both signature headers."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def int_to_bytes(value: int) -> bytes:
    """Unsigned big-endian, minimal length (at least one byte)."""
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def decode_secret(text: str) -> bytes:
    """contract §1.1 reference decoding: trim, map +/ to -_, re-pad, `base64.urlsafe_b64decode`.

    Only called on texts the generator built as valid; the vectors never rely on Python's
    tolerance of stray characters (it silently drops them unless validate=True).
    """
    trimmed = text.strip(" \t\r\n")
    core = trimmed.rstrip("=").replace("+", "-").replace("/", "_")
    assert len(trimmed) - len(core) <= 2, "generator bug: more than two padding characters"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", core), "generator bug: invalid secret text"
    assert len(core) % 4 != 1, "generator bug: impossible base64 length"
    return base64.urlsafe_b64decode(core + "=" * (-len(core) % 4))


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def rsa_sign(private_key, data: bytes) -> bytes:
    """RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1), checked before it is used."""
    signature = private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    private_key.public_key().verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    return signature


def check_json_body(value, path="body"):
    """Refuses JSON values whose JSON.stringify text could differ from Python's json.dumps."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        if isinstance(value, str):
            value.encode("utf-8")  # raises on lone surrogates
        return
    if isinstance(value, int):
        assert -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER, f"{path}: unsafe integer"
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_json_body(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str) and not _ARRAY_INDEX_KEY.match(key), f"{path}: key {key!r}"
            check_json_body(item, f"{path}.{key}")
        return
    raise AssertionError(f"{path}: {type(value).__name__} not allowed (floats differ between languages)")


def json_stringify(value) -> str:
    """What JavaScript's JSON.stringify gives for the values check_json_body allows."""
    check_json_body(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def write_json(path: str, document) -> None:
    """Deterministic output: fixed indentation, ASCII only (astral characters become surrogate
    pair escapes, which JSON.parse turns back into the same string), trailing newline."""
    text = json.dumps(document, indent=2, ensure_ascii=True) + "\n"
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
