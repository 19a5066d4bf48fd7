#!/usr/bin/env python3
"""Checks a qreg audit proof against a kept checkpoint, independently of qreg.

Usage: check_audit_proof.py --proof PROOF.json --checkpoint KEPT.json [--public-key KEY.pem]

Follows README "Audit log": RFC 6962 hashing, RFC 9162 verification, Ed25519 checkpoint
signatures (needs python3-cryptography). Exit status 0 when the proof holds, 1 when not.
"""
import argparse
import hashlib
import json
import sys


def sha256(data):
    return hashlib.sha256(data).digest()


def node(left, right):
    return sha256(b"\x01" + left + right)


def netstring(text):
    data = text.encode("utf-8")
    return str(len(data)).encode() + b":" + data + b","


def entry_leaf(fields):
    """The leaf data of an entry from its stored fields (README: leaf data)."""
    names = ["time", "actor", "role", "agency", "action", "persons", "categories",
             "legal_basis", "request_id", "outcome", "details"]
    return (netstring("qreg audit entry v1") + netstring(str(fields["seq"]))
            + b"".join(netstring(fields[n]) for n in names))


def checkpoint_message(c):
    return ("qreg audit checkpoint v1\nnumber %d\nsize %d\nroot %s\ntime %s\nkey %s\n"
            % (c["number"], c["tree_size"], c["root_hash"], c["time"], c["key_id"])).encode()


def check_signature(c, pinned):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = bytes.fromhex(c["public_key"])
    if pinned is not None and public != pinned:
        raise ValueError("checkpoint %d is signed by another key" % c["number"])
    if hashlib.sha256(public).hexdigest()[:16] != c["key_id"]:
        raise ValueError("checkpoint %d: key_id does not belong to its public key" % c["number"])
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            bytes.fromhex(c["signature"]), checkpoint_message(c))
    except InvalidSignature:
        raise ValueError("checkpoint %d: the signature does not verify" % c["number"])


def verify_inclusion(index, size, leaf_hash, path, root):
    """RFC 9162 section 2.1.3.2"""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 section 2.1.4.2; equal sizes hold with an empty path and equal roots."""
    if first == second:
        return not path and first_root == second_root
    if first == 0 or first > second or not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def check(proof, kept, pinned):
    check_signature(kept, pinned)
    path = [bytes.fromhex(h) for h in proof["path"]]
    if proof["type"] == "inclusion":
        if proof["tree_size"] != kept["tree_size"]:
            raise ValueError("the proof is for another tree size than the checkpoint")
        leaf = bytes.fromhex(proof["leaf"])
        if entry_leaf(proof["fields"]) != leaf or proof["fields"]["seq"] != proof["entry"]:
            raise ValueError("the proof's fields do not make its leaf")
        leaf_hash = sha256(b"\x00" + leaf)
        if leaf_hash.hex() != proof["leaf_hash"]:
            raise ValueError("the leaf hash is not SHA-256(0x00 || leaf)")
        if not verify_inclusion(proof["entry"] - 1, proof["tree_size"], leaf_hash, path,
                                bytes.fromhex(kept["root_hash"])):
            raise ValueError("the path does not lead to the checkpoint's root")
        return "entry %d is in checkpoint %d" % (proof["entry"], kept["number"])
    newer = proof.get("second_checkpoint")
    if proof["first"] != kept["tree_size"] or not newer or newer["tree_size"] != proof["second"]:
        raise ValueError("the proof does not lead from the kept checkpoint to a signed one")
    check_signature(newer, bytes.fromhex(kept["public_key"]))
    if not verify_consistency(proof["first"], proof["second"], bytes.fromhex(kept["root_hash"]),
                              bytes.fromhex(newer["root_hash"]), path):
        raise ValueError("checkpoint %d does not extend checkpoint %d"
                         % (newer["number"], kept["number"]))
    return "checkpoint %d extends checkpoint %d" % (newer["number"], kept["number"])


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--proof", required=True)
    args.add_argument("--checkpoint", required=True)
    args.add_argument("--public-key")
    a = args.parse_args()
    with open(a.proof) as f:
        proof = json.load(f)
    with open(a.checkpoint) as f:
        kept = json.load(f)
    pinned = None
    if a.public_key:
        from cryptography.hazmat.primitives import serialization
        with open(a.public_key, "rb") as f:
            key = serialization.load_pem_public_key(f.read())
        pinned = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        print("proof holds:", check(proof, kept, pinned))
        return 0
    except (ValueError, KeyError) as e:
        print("proof does NOT hold:", e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
