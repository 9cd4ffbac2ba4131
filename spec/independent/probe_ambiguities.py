#!/usr/bin/env python3
"""Ask a live server what it does where PROTOCOL.md leaves a choice open.

Usage: python3 probe_ambiguities.py HOST PORT SERVER_PRVKEY_HEX

Not a pass/fail test: each line shows the case, what this implementation (colonies_wire.py)
answers for it, and what the server answered. See README.md for the questions behind them.
"""

import json
import socket
import sys

import coincurve

import colonies_wire as w
from client_scenario import Connection, describe, process_spec_for


def raw_request(conn, msg_type, body, key):
    """Sign `body` as is (it may be malformed) under the next request id and sequence."""
    rid = conn.next_request_id
    conn.next_request_id += 1
    conn.sequence += 1
    digest = w.signing_digest(conn.challenge, 1, msg_type, rid, conn.sequence, body)
    conn.send_raw(w.encode_frame(msg_type, rid, body, conn.sequence, w.sign_digest(key, digest)))
    return conn.answer(rid)


def ours(msg_type, body):
    try:
        w.decode_request_body(msg_type, body)
        return "accepted"
    except w.WireError as err:
        return "%d %s" % (err.code, err.codename)


def show(case, msg_type, body, msg):
    print("%-58s ours: %-22s server: %s" % (case, ours(msg_type, body), describe(msg)))


def report_events(conn, case, sub_p, sub_c, seconds=1.0):
    conn.sock.settimeout(seconds)
    try:
        while True:
            msg = conn.read_message()
            if msg.kind == "event":
                conn.events.append(msg)
            else:
                conn.pending[msg.frame.request_id] = msg
    except socket.timeout:
        pass
    finally:
        conn.sock.settimeout(20.0)
    names = {sub_p: "process-sub", sub_c: "colony-sub(running)"}
    got = ["%s:%s" % (names.get(e.frame.request_id, e.frame.request_id), e.fields["state"])
           for e in conn.events]
    conn.events.clear()
    print("%-58s %s" % (case, ", ".join(got) or "none"))


def main():
    host, port, key = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
    colony_key = coincurve.PrivateKey().secret
    runtime_key = coincurve.PrivateKey().secret
    cid, rtid = w.identity(colony_key).hex(), w.identity(runtime_key).hex()
    conn = Connection(host, port)
    conn.call("addColony", {"id": cid, "name": "probe-" + cid[:8]}, key)
    runtime = {"id": rtid, "colonyid": cid, "name": "probe", "runtimetype": "raspberry-pi",
               "cpu": "", "cores": 4, "mem": 4096, "gpu": "", "gpus": 0, "state": "pending",
               "registeredat": 0}
    conn.call("addRuntime", runtime, colony_key)
    conn.call("approveRuntime", {"runtimeid": rtid}, colony_key)
    spec = process_spec_for(cid)

    # 1. addRuntime with state 1 and a trailing byte: 12 (field rule) or 8 (trailing)?
    body = w.encode_value(w.RUNTIME, dict(runtime, state="approved")) + b"\x00"
    show("addRuntime state approved + trailing byte", 0x20, body,
         raw_request(conn, 0x20, body, colony_key))

    # 1b. The same with registeredat cut short: 12 (rule at its field) or 1 (whole struct)?
    body = w.encode_value(w.RUNTIME, dict(runtime, state="approved"))[:-3]
    show("addRuntime state approved, registeredat cut short", 0x20, body,
         raw_request(conn, 0x20, body, colony_key))

    # 2. An argument of 5000 bytes holding a NUL: 11 (length) or 12 (no NUL)?
    s = json.loads(json.dumps(spec))
    s["args"] = ["\x00" * 5000]
    body = w.encode_value(w.PROCESS_SPEC, s)
    show("5000-byte argument of NUL bytes", 0x30, body,
         raw_request(conn, 0x30, body, runtime_key))

    # 3. A 9-byte varint whose last byte still has 0x80, then the body ends: 11 or 1?
    body = bytes.fromhex(cid) + b"\x80" * 9
    show("name length: nine 80 bytes, then end of body", 0x10, body,
         raw_request(conn, 0x10, body, key))

    # 4. An argument length varint above 65,536 (the read bound): 11 at once?
    body = w.encode_value(w.CONDITIONS, spec["conditions"]) + b"\x04echo\x01" \
        + w.encode_varint(65537)
    show("argument length 65537, no bytes after", 0x30, body,
         raw_request(conn, 0x30, body, runtime_key))

    # 5. closeFailed with a wrong attempt on a final process: 45 (section 6) or 46 (12)?
    msg, _, _ = conn.call("submitProcess", spec, runtime_key)
    pid = msg.fields["id"]
    conn.call("assignProcess", {"colonyid": cid, "waitseconds": 0}, runtime_key)
    conn.call("closeSuccessful", {"processid": pid, "attempt": 1}, runtime_key)
    msg, _, _ = conn.call("closeFailed", {"processid": pid, "attempt": 7}, runtime_key)
    print("%-58s server: %s" % ("closeFailed attempt 7 on a successful process", describe(msg)))

    # 6. Fields of a process after assignment and after close (sections 10.6, 13).
    s = json.loads(json.dumps(spec))
    s["maxwaittime"] = 600
    msg, _, _ = conn.call("submitProcess", s, runtime_key)
    pid = msg.fields["id"]
    print("%-58s waitdeadline %s" % ("submitted, maxwaittime 600", msg.fields["waitdeadline"]))
    msg, _, _ = conn.call("assignProcess", {"colonyid": cid, "waitseconds": 0}, runtime_key)
    p = msg.fields["process"]
    print("%-58s waitdeadline %s deadline %s" % ("assigned", p["waitdeadline"], p["deadline"]))
    conn.call("closeFailed", {"processid": pid, "attempt": 1}, runtime_key)
    msg, _, _ = conn.call("getProcess", {"processid": pid}, runtime_key)
    p = msg.fields["process"]
    print("%-58s state %s assigned %s deadline %s waitdeadline %s" % (
        "after closeFailed", p["state"], p["assignedruntime"] is not None, p["deadline"],
        p["waitdeadline"]))

    # 8. Events (section 7): what arrives after subscribing, after an attribute, after close?
    msg, _, _ = conn.call("submitProcess", spec, runtime_key)
    pid = msg.fields["id"]
    msg, _, sub_p = conn.call("subscribeProcess", {"processid": pid}, runtime_key)
    msg, _, sub_c = conn.call("subscribeColony", {"colonyid": cid, "state": "running"},
                              runtime_key)
    report_events(conn, "events right after subscribing (process waiting)", sub_p, sub_c)
    conn.call("assignProcess", {"colonyid": cid, "waitseconds": 0}, runtime_key)
    report_events(conn, "events after assign (waiting -> running)", sub_p, sub_c)
    conn.call("addAttribute", {"processid": pid, "attempt": 1, "type": "out", "key": "k",
                               "value": "v"}, runtime_key)
    report_events(conn, "events after addAttribute (no state change)", sub_p, sub_c)
    conn.call("closeSuccessful", {"processid": pid, "attempt": 1}, runtime_key)
    report_events(conn, "events after closeSuccessful (running -> successful)", sub_p, sub_c)

    msg, _, sub_s = conn.call("subscribeColony", {"colonyid": cid, "state": "successful"},
                              runtime_key)
    report_events(conn, "subscribeColony(successful) with 2 successful already", sub_s, sub_s)

    # 7. A signed frame that fails 40 spends its sequence (5.3): reuse it with a known key.
    stranger = coincurve.PrivateKey().secret
    msg, _, _ = conn.call("getColony", {"colonyid": cid}, stranger)
    seq = conn.sequence
    conn.sequence -= 1
    msg2, _, _ = conn.call("getColony", {"colonyid": cid}, key)
    print("%-58s first: %s; same sequence again: %s" % (
        "sequence %d after 40 unknown-identity" % seq, describe(msg), describe(msg2)))
    conn.close()


if __name__ == "__main__":
    main()
