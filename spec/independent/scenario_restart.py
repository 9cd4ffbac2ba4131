"""State kept across a server restart on the same data folder.

Before the restart, `prepare` makes a colony whose runtimes are approved, pending and
rejected and whose processes are waiting, running, successful (with an attribute) and
failed, and writes what the server answered about them to a JSON state file. After the
restart, `after_restart` asks again: every answer must be the same, byte for byte in
meaning, and the waiting and running processes must still be workable. Nothing in the
life cycle of section 13 fires on a restart (no timeouts are set), so nothing may change.
"""

import json

from live import (Colony, Connection, SetupError, check, describe, expect_error, expect_reply,
                  key_id, simple_spec)

PROCESSES = ("running", "successful", "failed", "waiting")


def start(conn, worker, colony_id):
    """Submit a process (no time limits) and assign it: its id and attempt."""
    pid = conn.must("submitProcess", simple_spec(colony_id), worker)["id"]
    got = conn.must("assignProcess", {"colonyid": colony_id, "waitseconds": 0}, worker)
    if not got["assigned"] or got["process"]["id"] != pid:
        raise SetupError("restart: assign gave %r, not %s" % (got, pid))
    return pid, got["process"]["attempt"]


def make_processes(conn, worker, colony_id):
    """One process in each state, by name; the waiting one is submitted last so none of
    the assigns above it can take it."""
    running, _ = start(conn, worker, colony_id)
    successful, attempt = start(conn, worker, colony_id)
    conn.must("addAttribute", {"processid": successful, "attempt": attempt, "type": "out",
                               "key": "result", "value": "kept"}, worker)
    conn.must("closeSuccessful", {"processid": successful, "attempt": attempt}, worker)
    failed, attempt = start(conn, worker, colony_id)
    conn.must("closeFailed", {"processid": failed, "attempt": attempt}, worker)
    waiting = conn.must("submitProcess", simple_spec(colony_id), worker)["id"]
    return {"running": running, "successful": successful, "failed": failed,
            "waiting": waiting}


def snapshot(conn, state):
    """What the server says now about everything the state file names."""
    owner, worker = bytes.fromhex(state["owner"]), bytes.fromhex(state["worker"])
    cid = state["colonyid"]
    runtimes = conn.must("listRuntimes", {"colonyid": cid}, owner)["runtimes"]
    return {
        "colony": conn.must("getColony", {"colonyid": cid}, owner),
        "runtimes": sorted(runtimes, key=lambda r: r["id"]),
        "processes": {name: conn.must("getProcess", {"processid": pid}, worker)
                      for name, pid in state["processids"].items()},
        "statistics": conn.must("colonyStatistics", {"colonyid": cid}, owner),
    }


def prepare(host, port, server_key, path):
    conn = Connection(host, port)
    try:
        colony = Colony(conn, server_key, "restart")
        worker = colony.add_runtime("worker")
        colony.add_runtime("waiting-approval", state="pending")
        colony.add_runtime("refused", state="rejected")
        state = {"owner": colony.key.hex(), "worker": worker.hex(), "colonyid": colony.id,
                 "processids": make_processes(conn, worker, colony.id),
                 "challenge": conn.challenge.hex()}
        state["before"] = snapshot(conn, state)
        # A frame signed for this connection, to replay after the restart (section 5.4).
        rid, frame = conn.build("getColony", {"colonyid": colony.id}, server_key)
        conn.send_raw(frame)
        conn.answer(rid)
        state["replay"] = {"rid": rid, "frame": frame.hex()}
    except SetupError as exc:
        check("restart: state to keep made", False, str(exc))
        return
    finally:
        conn.close()
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(state, fh)
    check("restart: state to keep made (%d processes)" % len(state["processids"]), True)


def after_restart(host, port, server_key, path):
    with open(path, encoding="utf-8") as fh:
        state = json.load(fh)
    conn = Connection(host, port)
    try:
        check("after restart: hello has a new challenge",
              conn.challenge.hex() != state["challenge"])
        compare(conn, server_key, state)
        carry_on(conn, state)
    except SetupError as exc:
        check("after restart: requests answered", False, str(exc))
    finally:
        conn.close()
    replay(host, port, state["replay"])


def replay(host, port, saved):
    """On a connection of its own: the frame's sequence is spent even though its signer is
    unknown (section 5.3), which would make later requests on that connection stale."""
    conn = Connection(host, port)
    try:
        conn.send_raw(bytes.fromhex(saved["frame"]))
        expect_error("after restart: frame signed before the restart -> 40 unknown-identity",
                     conn.answer(saved["rid"]), 40)
    finally:
        conn.close()


def compare(conn, server_key, state):
    listed = conn.must("listColonies", {}, server_key)["colonies"]
    check("after restart: listColonies has the colony",
          state["before"]["colony"] in listed, "%r" % listed)
    now, before = snapshot(conn, state), state["before"]
    for part in ("colony", "runtimes", "statistics"):
        check("after restart: %s as before" % part, now[part] == before[part],
              "before %r, now %r" % (before[part], now[part]))
    for name in PROCESSES:
        check("after restart: %s process and its attributes as before" % name,
              now["processes"][name] == before["processes"][name],
              "before %r, now %r" % (before["processes"][name], now["processes"][name]))
    states = [before["processes"][n]["process"]["state"] for n in PROCESSES]
    check("after restart: the kept processes were in the states named", states
          == list(PROCESSES), "%r" % states)


def carry_on(conn, state):
    """The waiting process can be assigned and the running one closed, as before."""
    worker, cid = bytes.fromhex(state["worker"]), state["colonyid"]
    pids = state["processids"]
    msg = conn.ask("assignProcess", {"colonyid": cid, "waitseconds": 0}, worker)
    p = msg.fields.get("process") if msg.kind == "reply" else None
    check("after restart: the waiting process is assigned, attempt 1",
          p is not None and p["id"] == pids["waiting"] and p["attempt"] == 1
          and p["assignedruntime"] == key_id(worker), describe(msg) + " %r" % msg.fields)
    attempts = {"waiting": p["attempt"] if p else 1,
                "running": state["before"]["processes"]["running"]["process"]["attempt"]}
    for name, attempt in attempts.items():
        expect_reply("after restart: closeSuccessful of the %s process" % name,
                     conn.ask("closeSuccessful", {"processid": pids[name], "attempt": attempt},
                              worker), "closeSuccessful")
    stats = conn.must("colonyStatistics", {"colonyid": cid}, worker)
    check("after restart: statistics 3 successful, 1 failed, none waiting or running",
          [stats[s]["count"] for s in ("waiting", "running", "successful", "failed")]
          == [0, 0, 3, 1], "%r" % stats)
