#!/usr/bin/env python3
"""Writes the golden vectors in this directory from an implementation that is not qredo-sign:
Python's hmac/hashlib/base64/json, the `cryptography` package (OpenSSL), cross-checked with the
`openssl` CLI where it is installed. It never imports or runs anything from src/ or node.

    python3 vectors/generate.py              # rewrite the JSON files (deterministic)
    python3 vectors/generate.py --check      # exit 1 if any file would change
    python3 vectors/generate.py --new-keys   # also generate new test keys (changes every file)

Random key material is generated once and kept in keys.json; everything else is a deterministic
function of keys.json and fixed seeds, so reruns give the same bytes.
"""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

import gen_bad_keys  # noqa: E402
import gen_keys  # noqa: E402
import gen_partner  # noqa: E402
import gen_primitives  # noqa: E402
import gen_qredo  # noqa: E402
from gen_common import write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def openssl_cross_check(keys_doc: dict, primitives: dict) -> int:
    """Re-signs one primitives vector per key with the openssl CLI: a second, separate
    implementation must give the same bytes (PKCS#1 v1.5 is deterministic)."""
    if shutil.which("openssl") is None:
        print("openssl CLI not found: cross-check skipped", file=sys.stderr)
        return 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        done = set()
        for v in primitives["rsa"]:
            if v["keyId"] in done:
                continue
            done.add(v["keyId"])
            key_path, data_path = os.path.join(tmp, "k.pem"), os.path.join(tmp, "d.bin")
            with open(key_path, "w") as f:
                f.write(keys_doc["keys"][v["keyId"]]["pkcs1Pem"])
            with open(data_path, "wb") as f:
                f.write(bytes.fromhex(v["dataHex"]))
            sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_path, data_path],
                                 check=True, capture_output=True).stdout
            assert sig.hex() == v["signatureHex"], f"openssl disagrees on {v['name']}"
            checked += 1
    return checked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--new-keys", action="store_true", help="generate new RSA test keys")
    parser.add_argument("--check", action="store_true", help="only report whether files are up to date")
    args = parser.parse_args()

    keys_path = os.path.join(HERE, "keys.json")
    previous = None
    if os.path.exists(keys_path):
        with open(keys_path, encoding="ascii") as f:
            previous = json.load(f)
    keys_doc, objects = gen_keys.load_or_create(previous, args.new_keys)
    primitives = gen_primitives.build_primitives(objects)
    outputs = {
        "keys.json": keys_doc,
        "bad-keys.json": gen_bad_keys.build(objects, keys_doc["fixtures"]),
        "qredo-api.json": gen_qredo.build(),
        "partner-api.json": gen_partner.build(objects),
        "primitives.json": primitives,
        "secrets.json": gen_primitives.build_secrets(),
    }
    crossed = openssl_cross_check(keys_doc, primitives)

    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in outputs.items():
            fresh = os.path.join(tmp, name)
            write_json(fresh, doc)
            target = os.path.join(HERE, name)
            with open(fresh, "rb") as f:
                new_bytes = f.read()
            old_bytes = open(target, "rb").read() if os.path.exists(target) else None
            if new_bytes != old_bytes:
                stale.append(name)
                if not args.check:
                    shutil.copyfile(fresh, target)
    for name, doc in outputs.items():
        counts = {k: len(v) for k, v in doc.items() if isinstance(v, (list, dict)) and k != "request"}
        print(f"{name:18} {counts}")
    print(f"openssl CLI agreed on {crossed} RSA signatures")
    if args.check:
        print("up to date" if not stale else f"stale: {', '.join(stale)}")
        return 1 if stale else 0
    print("rewrote: " + (", ".join(stale) if stale else "nothing (already up to date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
