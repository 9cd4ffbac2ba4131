"""A Colonies client written from PROTOCOL.md, run against a live server.

Usage: python3 client_scenario.py HOST PORT SERVER_PRVKEY_HEX [--phase PHASE] [--state FILE]

Phase `before-restart` (the default): on one connection, read the hello; as the server owner
add a colony (fresh colony key); as the colony owner add a runtime (fresh runtime key) and
approve it; as the runtime submit examples/process_spec.json (colony filled in), assign it,
add the attribute out=hello, close it successful and get it back. Then replay one frame
(expects 22 stale-sequence) and probe a few more rules of the spec. Then, each in a colony
of its own: who may send what (scenario_roles.py); assignment order, waiting assigns and
timeouts (scenario_scheduling.py); and, with --state, a colony whose state is written to
FILE for the next phase (scenario_restart.py).

Phase `after-restart`: run against the same data folder after a restart; checks that what
FILE records is still there and can still be worked on.

Prints one line per check, then `N passed, M failed`; exits 1 on any failure.
"""

import argparse
import json
import socket
import sys
import time

import colonies_wire as w
import scenario_restart
import scenario_roles
import scenario_scheduling
# Re-exported: probe_ambiguities.py imports them from here.
from live import (RESULTS, Connection, check, describe, expect_error, expect_reply,
                  load_example, new_key, process_spec_for)


def wait_event(conn, rid, state, seconds=5.0):
    """The first event for request id `rid` with process state `state`, or None.

    Other events of that subscription are dropped: besides the state changes of section 7
    the server also sends the process as it is right after the subscribe reply."""
    conn.sock.settimeout(seconds)
    try:
        while True:
            for i, ev in enumerate(conn.events):
                if ev.frame.request_id == rid and ev.fields["state"] == state:
                    return conn.events.pop(i)
            msg = conn.read_message()
            if msg.kind == "event":
                conn.events.append(msg)
            else:
                conn.pending[msg.frame.request_id] = msg
    except socket.timeout:
        return None
    finally:
        conn.sock.settimeout(conn.timeout)


def scenario(host, port, server_key):
    server_id = w.identity(server_key).hex()
    colony_key = new_key()
    runtime_key = new_key()
    colony_id = w.identity(colony_key).hex()
    runtime_id = w.identity(runtime_key).hex()
    suffix = colony_id[:8]

    conn = Connection(host, port)
    hello = conn.hello.fields
    check("hello: request id 0, flags 0",
          conn.hello.frame.request_id == 0 and conn.hello.frame.flags == 0)
    check("hello: versions 1..1", hello["minversion"] == 1 and hello["maxversion"] == 1,
          "%r" % hello)
    check("hello: serverid is the id of SERVER_PRVKEY", hello["serverid"] == server_id,
          "%s vs %s" % (hello["serverid"], server_id))

    msg, _, _ = conn.call("ping", {})
    if expect_reply("ping -> pong", msg, "ping"):
        check("pong: protocol 1, serverid", msg.fields["protocolversion"] == 1
              and msg.fields["serverid"] == server_id, "%r" % msg.fields)

    colony = {"id": colony_id, "name": "%s-%s" % (load_example("colony.json")["name"], suffix)}
    msg, _, _ = conn.call("addColony", colony, server_key)
    if expect_reply("addColony (server owner)", msg, "addColony"):
        check("addColony reply is the colony", msg.fields == colony, "%r" % msg.fields)

    runtime = dict(load_example("runtime.json"))
    runtime.update({"id": runtime_id, "colonyid": colony_id, "state": "pending",
                    "registeredat": 0})
    runtime["name"] = "%s-%s" % (runtime["name"], suffix)
    msg, _, _ = conn.call("addRuntime", runtime, colony_key)
    if expect_reply("addRuntime (colony owner)", msg, "addRuntime"):
        got = msg.fields
        check("addRuntime reply: pending, registeredat set", got["state"] == "pending"
              and got["registeredat"] > 0 and got["id"] == runtime_id, "%r" % got)

    msg, _, _ = conn.call("approveRuntime", {"runtimeid": runtime_id}, colony_key)
    if expect_reply("approveRuntime (colony owner)", msg, "approveRuntime"):
        check("approveRuntime reply: approved", msg.fields["state"] == "approved")

    spec = process_spec_for(colony_id)
    msg, _, _ = conn.call("submitProcess", spec, runtime_key)
    process_id = None
    if expect_reply("submitProcess (runtime)", msg, "submitProcess"):
        p = msg.fields
        process_id = p["id"]
        check("submitted process: waiting, attempt 0, spec as sent",
              p["state"] == "waiting" and p["assignedruntime"] is None and p["attempt"] == 0
              and p["spec"] == spec and p["submittedat"] > 0, "%r" % p)
        check("submitted process: waitdeadline 0 (maxwaittime -1)", p["waitdeadline"] == 0,
              "%r" % p["waitdeadline"])
    if process_id is None:
        conn.close()
        return

    msg, _, _ = conn.call("assignProcess", {"colonyid": colony_id, "waitseconds": 5},
                          runtime_key)
    attempt = None
    if expect_reply("assignProcess (runtime)", msg, "assignProcess"):
        f = msg.fields
        ok = f["assigned"] and f["process"]["id"] == process_id
        if check("assigned the submitted process", ok, "%r" % f):
            p = f["process"]
            attempt = p["attempt"]
            check("assigned process: running, attempt 1, runtime, deadline",
                  p["state"] == "running" and attempt == 1
                  and p["assignedruntime"] == runtime_id and p["startedat"] > 0
                  and p["deadline"] == p["startedat"] + 30 * 10 ** 9, "%r" % p)
    if attempt is None:
        conn.close()
        return

    msg, _, sub_rid = conn.call("subscribeProcess", {"processid": process_id}, runtime_key)
    if expect_reply("subscribeProcess (runtime)", msg, "subscribeProcess"):
        check("subscribeProcess reply is empty", msg.fields == {})

    new_attr = {"processid": process_id, "attempt": attempt, "type": "out", "key": "out",
                "value": "hello"}
    msg, _, _ = conn.call("addAttribute", new_attr, runtime_key)
    if expect_reply("addAttribute out=hello (assigned runtime)", msg, "addAttribute"):
        a = msg.fields
        check("attribute id = SHA3(processid, type, key)",
              a["id"] == w.attribute_id(process_id, "out", "out"), "%r" % a)
        check("attribute as sent", all(a[k] == new_attr[k] for k in new_attr), "%r" % a)

    msg, _, _ = conn.call("closeSuccessful", {"processid": process_id, "attempt": attempt},
                          runtime_key)
    expect_reply("closeSuccessful (assigned runtime)", msg, "closeSuccessful")
    check("closeSuccessful reply is empty", msg.kind == "reply" and msg.fields == {})
    event = wait_event(conn, sub_rid, "successful")
    check("event for the subscription: process successful", event is not None
          and event.fields["id"] == process_id and event.fields["state"] == "successful",
          repr(event.fields) if event else "no event within 5 s")

    msg, get_frame, get_rid = conn.call("getProcess", {"processid": process_id}, runtime_key)
    if expect_reply("getProcess (runtime)", msg, "getProcess"):
        p = msg.fields["process"]
        attrs = msg.fields["attributes"]
        check("process state successful", p["state"] == "successful", p["state"])
        check("process endedat set", p["endedat"] >= p["startedat"] > 0, "%r" % p)
        found = [a for a in attrs if a["key"] == "out" and a["type"] == "out"]
        check("process has attribute out=hello",
              len(found) == 1 and found[0]["value"] == "hello", "%r" % attrs)

    # Replay: the same bytes again on the same connection (section 5.4).
    conn.send_raw(get_frame)
    expect_error("replayed getProcess -> 22 stale-sequence", conn.answer(get_rid), 22)

    probes(conn, runtime_key, colony_id, process_id, spec)
    conn.close()
    other_connection(host, port, get_frame, get_rid)


def probes(conn, runtime_key, colony_id, process_id, spec):
    """Further rules of the spec, each on a request that should fail in one known way."""
    # The connection stays open after a request error (section 6).
    msg, _, _ = conn.call("ping", {})
    expect_reply("connection open after the error: ping", msg, "ping")

    # Closing again: the process is final (46 wrong-state; 12 says 44, 46, 45 in that order).
    msg, _, _ = conn.call("closeFailed", {"processid": process_id, "attempt": 1}, runtime_key)
    expect_error("closeFailed on a successful process -> 46 wrong-state", msg, 46)

    # A key the server never saw: 40 unknown-identity.
    stranger = new_key()
    msg, _, _ = conn.call("getColony", {"colonyid": colony_id}, stranger)
    expect_error("unknown signer -> 40 unknown-identity", msg, 40)

    # A runtime may not list colonies: 41 not-server-owner.
    msg, _, _ = conn.call("listColonies", {}, runtime_key)
    expect_error("runtime lists colonies -> 41 not-server-owner", msg, 41)

    # Stale sequence is checked before the body (3.5 before 3.6): garbage body, old sequence.
    rid = conn.next_request_id
    conn.next_request_id += 1
    junk = w.encode_frame(0x12, rid, b"\x01", sequence=conn.sequence, signature=bytes(65))
    conn.send_raw(junk)
    expect_error("old sequence with a bad body -> 22 (before 1)", conn.answer(rid), 22)

    # An argument of 4097 bytes is read, then refused with 11 (section 9).
    long_spec = json.loads(json.dumps(spec))
    long_spec["args"] = ["x" * 4097]
    msg, _, _ = conn.call("submitProcess", long_spec, runtime_key)
    expect_error("4097-byte argument -> 11 limit-exceeded", msg, 11)

    # A refused body does not spend the sequence (5.3); the next one is still accepted.
    rid = conn.next_request_id
    conn.next_request_id += 1
    seq = conn.sequence + 1
    body = bytes.fromhex(colony_id) + b"\x00"
    digest = w.signing_digest(conn.challenge, 1, 0x12, rid, seq, body)
    conn.send_raw(w.encode_frame(0x12, rid, body, seq, w.sign_digest(runtime_key, digest)))
    expect_error("getColony with a trailing byte -> 8 trailing-bytes", conn.answer(rid), 8)
    # conn.sequence was not advanced, so this call signs with the same sequence `seq`.
    msg, _, _ = conn.call("colonyStatistics", {"colonyid": colony_id}, runtime_key)
    if expect_reply("sequence not spent by a refused frame: colonyStatistics", msg,
                    "colonyStatistics"):
        s = msg.fields
        check("statistics: 1 runtime approved, 1 successful",
              s["runtimes"] == 1 and s["approvedruntimes"] == 1
              and s["successful"]["count"] == 1, "%r" % s)

    # A frame error closes the connection with an error frame of request id 0 (section 6).
    conn.send_raw(bytes.fromhex("0000000702020000000009"))  # version 2
    try:
        while True:
            msg = conn.read_message()
            if msg.kind == "error" and msg.frame.request_id == 0:
                break
        ok = msg.fields["code"] == 3
        check("version 2 -> error 3 with request id 0", ok, describe(msg))
        closed = False
        try:
            conn.sock.settimeout(5)
            closed = conn.sock.recv(1) == b""
        except (ConnectionError, OSError):
            closed = True
        check("connection closed after a frame error", closed)
    except Exception as exc:
        check("version 2 -> error 3 with request id 0", False, repr(exc))


def other_connection(host, port, frame, rid):
    """The same signed frame on another connection recovers an unknown id: 40 (5.4)."""
    conn = Connection(host, port)
    conn.send_raw(frame)
    expect_error("frame replayed on another connection -> 40 unknown-identity",
                 conn.answer(rid), 40)
    conn.close()


def before_restart(host, port, server_key, state_path):
    scenario(host, port, server_key)
    scenario_roles.run(host, port, server_key)
    scenario_scheduling.run(host, port, server_key)
    if state_path:
        scenario_restart.prepare(host, port, server_key, state_path)


def after_restart(host, port, server_key, state_path):
    if not state_path:
        raise SystemExit("--phase after-restart needs --state FILE")
    scenario_restart.after_restart(host, port, server_key, state_path)


PHASES = {"before-restart": before_restart, "after-restart": after_restart}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("server_key", help="the server owner's private key, hex")
    parser.add_argument("--phase", choices=sorted(PHASES), default="before-restart")
    parser.add_argument("--state", help="JSON file the phases share")
    args = parser.parse_args()
    start = time.time()
    try:
        PHASES[args.phase](args.host, args.port, bytes.fromhex(args.server_key), args.state)
    except Exception as exc:
        check("%s ran to the end" % args.phase, False, repr(exc))
    passed = sum(RESULTS)
    failed = len(RESULTS) - passed
    print("(%s: %.1f s)" % (args.phase, time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
