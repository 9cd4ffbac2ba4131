#!/usr/bin/env python3
"""Check spec/vectors/*.json against the independent implementation in colonies_wire.py.

Usage: python3 check_vectors.py [VECTOR_DIR]   (default: ../vectors next to this file)
Prints one line per check and a last line `N passed, M failed`; exits 1 on any failure.
"""

import json
import os
import sys
import traceback

import colonies_wire as w

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = []


def record(name, ok, detail=""):
    RESULTS.append(ok)
    print("%s %s%s" % ("PASS" if ok else "FAIL", name, ("  " + detail) if detail else ""))


def run(name, check):
    """check() returns None (pass) or a string saying what differs."""
    try:
        problem = check()
    except Exception as exc:  # a crash is a failure of that vector, not of the script
        problem = "exception: %r\n%s" % (exc, traceback.format_exc())
    record(name, problem is None, problem or "")


def differ(what, got, want):
    return None if got == want else "%s: got %r, want %r" % (what, got, want)


def first(*problems):
    for p in problems:
        if p is not None:
            return p
    return None


# ---------------------------------------------------------------------------------------------
# requests.json

def check_request(v):
    challenge = bytes.fromhex(v["challenge"])
    frame_hex = v["frame"]
    name = v["name"]
    msg = w.BY_NAME[name]
    p = first(differ("type", msg.code, v["type"]),
              differ("body", w.encode_request_body(name, v["fields"]).hex(), v["body"]))
    if p:
        return p
    # Encode from the decoded fields (and sign with the vector's key when it gives one).
    if v["signed"]:
        if v.get("signer_private_key"):
            key = bytes.fromhex(v["signer_private_key"])
            if w.identity(key).hex() != v["signer"]:
                return "signer_private_key does not give signer"
            encoded = w.encode_request(name, v["request_id"], v["fields"], challenge,
                                       v["sequence"], private_key=key)
        else:
            encoded = w.encode_request(name, v["request_id"], v["fields"], challenge,
                                       v["sequence"], signature=bytes.fromhex(v["signature"]))
    else:
        encoded = w.encode_request(name, v["request_id"], v["fields"])
    p = differ("encoded frame", encoded.hex(), frame_hex)
    if p:
        return p
    # Read it as a server would, on a fresh connection whose hello carried the challenge.
    conn = w.ServerConnection(challenge)
    req = conn.read(bytes.fromhex(frame_hex))
    p = first(differ("decoded name", req.name, name),
              differ("decoded fields", req.fields, v["fields"]),
              differ("request id", req.frame.request_id, v["request_id"]),
              differ("signed", req.frame.signed, v["signed"]))
    if p or not v["signed"]:
        return p
    return first(differ("sequence", req.frame.sequence, v["sequence"]),
                 differ("digest", req.digest.hex(), v["digest"]),
                 differ("signature", req.frame.signature.hex(), v["signature"]),
                 differ("recovered signer", req.signer, v["signer"]),
                 differ("accepted sequence", conn.last_sequence, v["sequence"]))


# ---------------------------------------------------------------------------------------------
# server-frames.json

def expected_server_fields(v):
    fields = dict(v["fields"])
    if v["kind"] == "error":
        fields.pop("code_name", None)
    return fields


def check_server_frame(v):
    fields = expected_server_fields(v)
    kind = v["kind"]
    if kind == "error" and w.ERROR_NAMES.get(fields["code"]) != v["fields"].get("code_name"):
        return "code_name %r does not match code %d" % (v["fields"].get("code_name"),
                                                        fields["code"])
    encoded = w.encode_server_frame(kind, v["request_id"], fields, v.get("request_type"))
    p = differ("encoded frame", encoded.hex(), v["frame"])
    if p:
        return p
    frame, used = w.parse_frame(bytes.fromhex(v["frame"]))
    msg = w.read_server_frame(frame)
    p = first(differ("used", used * 2, len(v["frame"])),
              differ("kind", msg.kind, kind),
              differ("type", frame.type, v["type"]),
              differ("request id", frame.request_id, v["request_id"]),
              differ("body", frame.body.hex(), v["body"]),
              differ("fields", msg.fields, fields))
    if p or kind != "reply":
        return p
    p = first(differ("request type", msg.request_name, v["request_type"]),
              differ("reply name", msg.reply_name, v["reply"]))
    if p:
        return p
    # Attributes carry an id derived from processid, type and key (10.7).
    attrs = []
    if msg.reply_name == "attribute":
        attrs = [msg.fields]
    elif msg.reply_name == "processDetails":
        attrs = msg.fields["attributes"]
    for a in attrs:
        p = differ("attribute id", w.attribute_id(a["processid"], a["type"], a["key"]), a["id"])
        if p:
            return p
    return None


# ---------------------------------------------------------------------------------------------
# invalid-frames.json

def read_invalid(v):
    data = bytes.fromhex(v["frame"])
    if v["direction"] == "request":
        known = None
        if "known_signer" in v:
            known = {v["known_signer"]}
        conn = w.ServerConnection(bytes.fromhex(v["challenge"]), v["last_sequence"], known)
        conn.read(data, eof=True)
    else:
        frame, _ = w.parse_frame(data, eof=True)
        w.read_server_frame(frame)


def check_invalid(v):
    try:
        read_invalid(v)
    except w.WireError as err:
        p = first(differ("code", err.code, v["code"]),
                  differ("code name", err.codename, v["code_name"]))
        if p:
            return p + " (%s)" % err
    else:
        return "accepted, want %d %s" % (v["code"], v["code_name"])
    if "signed_for_challenge" in v:
        # Under the challenge it was signed for, the same bytes recover the known signer.
        conn = w.ServerConnection(bytes.fromhex(v["signed_for_challenge"]), v["last_sequence"],
                                  {v["known_signer"]})
        req = conn.read(bytes.fromhex(v["frame"]))
        return differ("signer under signed_for_challenge", req.signer, v["known_signer"])
    return None


def signed_frame(v):
    try:
        return w.parse_frame(bytes.fromhex(v["frame"]))[0].signed
    except w.WireError:
        return False


def check_only_one_defect(v, known):
    """A signed invalid request that passes steps 1 and 2 carries a real signature of a
    known key over its bytes (the file's `about`), unless the signature is the defect."""
    frame, _ = w.parse_frame(bytes.fromhex(v["frame"]))
    signer = w.recover_identity(frame.digest(bytes.fromhex(v["challenge"])), frame.signature)
    return None if signer.hex() in known else "signature recovers unknown id " + signer.hex()


def check_incomplete_is_not_malformed(v):
    """Section 14: a partial frame (no eof) waits for more bytes instead of failing."""
    data = bytes.fromhex(v["frame"])
    try:
        got = w.parse_frame(data, eof=False)
    except w.WireError as err:
        return "refused a partial frame with %s" % err
    return differ("partial frame", got, None)


# ---------------------------------------------------------------------------------------------
# Examples stated in the text of PROTOCOL.md

def check_spec_examples(requests):
    def identity_example():
        key = (1).to_bytes(32, "big")
        pub = w.public_key(key).hex()
        return first(differ("public key", pub,
                            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
                     differ("id", w.identity(key).hex(),
                            "2036f5bc759cfb3589fb4e2342bc9b3c843c5ef27dc8ded538de328a7567089b"))

    def challenge_example():
        want = w.sha3(b"colonies/vectors/challenge").hex()
        return differ("challenge", requests[1]["challenge"], want)

    def digest_example():
        v = [r for r in requests if r["name"] == "getColony"][0]
        body = bytes.fromhex(v["fields"]["colonyid"])
        d = w.signing_digest(bytes.fromhex(
            "0ba455fc55b7d1fc30173c4886cdd2c16b24218695d1c75086bcde907cb8f208"),
            1, 0x12, 4, 4, body)
        return differ("digest", d.hex(),
                      "bd45cb0db8ab4755fad1e29446d9178756ab3c6e6acff122884052baa83a8243")

    def varint_examples():
        cases = {0: "00", 127: "7f", 128: "8001", 16383: "ff7f", 16384: "808001",
                 2 ** 63 - 1: "ffffffffffffffff7f"}
        for value, hexed in cases.items():
            p = differ("varint %d" % value, w.encode_varint(value).hex(), hexed)
            if p:
                return p
            r = w.Reader(bytes.fromhex(hexed))
            p = differ("varint read %s" % hexed, r.varint(2 ** 63), value)
            if p:
                return p
        try:
            w.Reader(bytes.fromhex("8000")).varint(100)
        except w.WireError as err:
            return differ("80 00", err.code, 6)
        return "80 00 accepted"

    def smallest_frame():
        frame = w.encode_request("ping", 1, {})
        return differ("ping frame", frame.hex(), "0000000701020000000001")

    def sort_example():
        return None if b"B" < b"a" else "B must sort before a"

    run("spec-example/identity (section 2)", identity_example)
    run("spec-example/challenge (section 15)", challenge_example)
    run("spec-example/digest (section 5.2)", digest_example)
    run("spec-example/varints (section 4)", varint_examples)
    run("spec-example/smallest-frame (section 3)", smallest_frame)
    run("spec-example/set-order (section 9)", sort_example)


def main():
    vdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "vectors")

    def load(name):
        with open(os.path.join(vdir, name), encoding="utf-8") as fh:
            return json.load(fh)["vectors"]

    requests = load("requests.json")
    servers = load("server-frames.json")
    invalid = load("invalid-frames.json")

    for v in requests:
        run("request/%s" % v["name"], lambda v=v: check_request(v))
    for v in servers:
        run("server/%s" % v["name"], lambda v=v: check_server_frame(v))
    for v in invalid:
        run("invalid/%s (%d %s)" % (v["name"], v["code"], v["code_name"]),
            lambda v=v: check_invalid(v))
    # Inputs found by fuzzing (fuzz/README.md), in the shape of invalid-frames.json.
    rdir = os.path.join(vdir, "regressions")
    for name in sorted(os.listdir(rdir)) if os.path.isdir(rdir) else []:
        if name.endswith(".json"):
            with open(os.path.join(rdir, name), encoding="utf-8") as fh:
                for v in json.load(fh)["vectors"]:
                    run("regression/%s (%d %s)" % (v["name"], v["code"], v["code_name"]),
                        lambda v=v: check_invalid(v))
    known = {v["signer"] for v in requests if v.get("signer")}
    for v in invalid:
        if v["direction"] == "request" and v["code"] not in (21, 40) and signed_frame(v):
            run("real-signature/%s" % v["name"], lambda v=v: check_only_one_defect(v, known))
    for v in invalid:
        if v["name"] in ("truncated-length-prefix", "truncated-frame"):
            run("partial/%s" % v["name"], lambda v=v: check_incomplete_is_not_malformed(v))
    check_spec_examples(requests)

    passed = sum(1 for ok in RESULTS if ok)
    failed = len(RESULTS) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
