"""Request bodies: the fixed forms every scheme is tested with, seeded random ones, and the bytes
that are signed and the body that is sent for each (contract §1.4)."""

import base64
import json

from gen_common import b64, json_stringify

# Characters chosen to exercise UTF-8 lengths 1-4, combining sequences, escapes, and characters
# some encoders mishandle (NUL, BOM, U+2028, U+FFFF, U+10FFFF). No lone surrogates: those are a
# typed error in the library, and cannot be encoded to UTF-8 by Python either.
_UNICODE_POOL = (
    ["a", "Z", "0", " ", "\"", "\\", "/", "{", "}", "\t", "\r\n", "\n", "\u0000", "\u001f", "\u007f"]
    + ["\u00e9", "\u00fc", "\u00df", "\u0416", "\u05d0", "\u0627"]
    + ["e\u0301", "n\u0303", "a\u030a\u0323"]
    + ["\u4e2d", "\u6587", "\u20ac", "\u2028", "\u2029", "\ufeff", "\uffff", "\ufffd"]
    + ["\U0001F600", "\U0001D11E", "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\U0010FFFF"]
)
_ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_"


def body_parts(body: dict):
    """(signed bytes, expected sent body) for a body description of the vector schema."""
    kind = body["kind"]
    if kind in ("none", "null"):
        return b"", None
    if kind == "string":
        return body["value"].encode("utf-8"), body["value"]
    if kind == "bytes":
        return base64.b64decode(body["base64"]), {"base64": body["base64"]}
    if kind == "json":
        text = json_stringify(body["value"])
        return text.encode("utf-8"), text
    raise AssertionError(kind)


def with_json_label(headers: dict, body: dict) -> dict:
    """Contract §3a.1: a request whose body was a plain object or array (serialised by the signer)
    says so with content-type: application/json. Strings and bytes carry no label."""
    if body["kind"] == "json":
        headers["content-type"] = "application/json"
    return headers


def string(value: str) -> dict:
    return {"kind": "string", "value": value}


def raw(data: bytes) -> dict:
    return {"kind": "bytes", "base64": b64(data)}


def as_json(value) -> dict:
    return {"kind": "json", "value": value}


_TRANSFER = {
    "to": "Gxx7M5uwvbNR3dBmB3YM2jpzoBeCDbKSxLyeGTaLdPMg",
    "amount": 1500000,
    "asset": "ETH-GOERLI",
    "memo": "test \u00e9 \U0001F600",
    "fees": {"max": 2000, "priority": True, "rebate": None},
    "tags": ["a", "b", 3, False],
}
SIXTY_FOUR_KIB_TEXT = ("{\"chunk\":\"" + "0123456789abcdef" * 4095 + "\"}\n").ljust(65536, " ")
assert len(SIXTY_FOUR_KIB_TEXT.encode()) == 65536


def fixed_bodies():
    """(name, body, comment): one of each body form."""
    pretty = json.dumps(_TRANSFER, indent="\t", ensure_ascii=False)
    return [
        ("none", {"kind": "none"}, "no body property at all"),
        ("null", {"kind": "null"}, "body: null, signed as no body"),
        ("empty-string", string(""), "an empty body signs the same bytes as no body"),
        ("compact-json-string", string(json_stringify(_TRANSFER)), "JSON text given as a string"),
        ("pretty-json-tabs", string(pretty), "JSON indented with tabs, newlines kept"),
        ("crlf-text", string("line one\r\nline two\r\n\r\nlast"), "CRLF line ends are signed as is"),
        ("trailing-newline", string("{\"a\":1}\n"), "a trailing newline is part of the body"),
        (
            "unicode",
            string("h\u00e9llo w\u00f6rld \U0001F600 \U0001D11E e\u0301 \u4e2d\u6587 \ufeff\u2028 \U0010FFFF"),
            "astral characters (4-byte UTF-8), a combining mark, BOM, U+2028",
        ),
        ("nul-in-text", string("a\u0000b"), "NUL inside a string body"),
        (
            "binary",
            raw(bytes([0, 1, 2, 0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80, 0, 0x7F, 0x80])),
            "0x00 and invalid UTF-8 (bad continuation, encoded surrogate, 5-byte form)",
        ),
        ("empty-bytes", raw(b""), "an empty Uint8Array signs as no body"),
        ("all-byte-values", raw(bytes(range(256))), "every byte value once"),
        ("64kib-text", string(SIXTY_FOUR_KIB_TEXT), "65536 bytes of text"),
        ("json-object", as_json(_TRANSFER), "object body: sent and signed as JSON.stringify(value)"),
        ("json-array", as_json([1, "two", {"three": [3, None, True]}, []]), "array body"),
        ("json-empty-object", as_json({}), "serialises to {}"),
        (
            "json-escapes",
            as_json({"quote": "\"", "backslash": "\\", "ctl": "\u0000\u0001\b\f\n\r\t\u001f", "del": "\u007f",
                     "slash": "/", "ls": "\u2028", "emoji": "\U0001F600", "nested": {"deep": [[[]]]}}),
            "JSON.stringify escapes: short forms, \\u00XX (lower-case hex) for other controls",
        ),
    ]


def random_text(rng, size: int, unicode: bool) -> str:
    """A string of exactly `size` UTF-8 bytes."""
    parts, length = [], 0
    while length < size:
        piece = rng.choice(_UNICODE_POOL) if unicode and rng.random() < 0.5 else rng.choice(_ASCII)
        n = len(piece.encode("utf-8"))
        if length + n > size:
            piece, n = rng.choice(_ASCII), 1
        parts.append(piece)
        length += n
    return "".join(parts)


def random_json(rng, depth: int = 0):
    roll = rng.random()
    if depth < 3 and roll < 0.25:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    if depth < 3 and roll < 0.5:
        keys = {"k" + random_text(rng, rng.randrange(0, 8), True) for _ in range(rng.randrange(5))}
        return {k: random_json(rng, depth + 1) for k in sorted(keys)}
    if roll < 0.65:
        return rng.randrange(-(2**53) + 1, 2**53)
    if roll < 0.75:
        return rng.choice([True, False, None])
    return random_text(rng, rng.randrange(0, 24), True)


def random_body(rng, size: int) -> dict:
    """A body of one random form with about `size` signed bytes (exactly, except json)."""
    kind = rng.choice(["text", "unicode", "bytes", "json"])
    if kind == "text":
        return string(random_text(rng, size, False))
    if kind == "unicode":
        return string(random_text(rng, size, True))
    if kind == "bytes":
        return raw(bytes(rng.randrange(256) for _ in range(size)))
    return as_json({"data": random_json(rng), "pad": random_text(rng, size, True)})
