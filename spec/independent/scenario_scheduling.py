"""Which process a runtime gets, and when (PROTOCOL.md sections 9, 11 and 13).

- order: highest priority first, equal priorities oldest first, over the whole range;
- waiting: an assign with waitseconds is woken by a submit on another connection, and
  answers "no work" (assigned = 0) once waitseconds pass without one;
- timeouts: a run past its deadline is taken back while a retry remains, then fails; late
  closes of an old attempt are refused as section 13 says.
"""

import time

from live import (NS, Colony, Connection, SetupError, check, describe, expect_error,
                  expect_reply, get_process, key_id, poll_process, simple_spec)

# Priorities in submission order. The highest comes last and the lowest in the middle, so
# neither submission order nor its reverse is the assignment order; the two 5s and the two
# 0s show that equal priorities go oldest first.
PRIORITIES = [0, 5, -1000, 5, 1000, 0, -1]
WAIT = 60  # maxwaittime (s) of the process that times out


def assign(conn, key, colony_id, waitseconds=0):
    return conn.must("assignProcess", {"colonyid": colony_id, "waitseconds": waitseconds}, key)


def order(conn, server_key):
    colony = Colony(conn, server_key, "order")
    rt = colony.add_runtime("worker")
    submitted = [conn.must("submitProcess", simple_spec(colony.id, priority=p), rt)
                 for p in PRIORITIES]
    times = [p["submittedat"] for p in submitted]
    # The expectation below needs distinct submission times; a tie would make it a guess.
    check("order: submittedat rises with each submit", times == sorted(set(times)), "%r" % times)
    want = [p["id"] for p in sorted(submitted, key=lambda p: (-p["spec"]["priority"],
                                                               p["submittedat"]))]
    got = []
    for _ in submitted:
        a = assign(conn, rt, colony.id)
        got.append(a["process"]["id"] if a["assigned"] else None)
    label = {p["id"]: "%d@%d" % (p["spec"]["priority"], i) for i, p in enumerate(submitted)}
    check("order: assigned by priority (1000 .. -1000), then oldest first", got == want,
          "want %s, got %s" % ([label[i] for i in want], [label.get(i) for i in got]))
    check("order: then no work (assigned = 0)", not assign(conn, rt, colony.id)["assigned"])
    for p in (1001, -1001):
        expect_error("order: priority %d -> 12 invalid-value" % p,
                     conn.ask("submitProcess", simple_spec(colony.id, priority=p), rt), 12)


def waiting(host, port, conn, server_key):
    colony = Colony(conn, server_key, "waiting")
    waiter_key = colony.add_runtime("waiter")
    submitter_key = colony.add_runtime("submitter")
    waiter = Connection(host, port)
    try:
        woken_by_submit(waiter, waiter_key, conn, submitter_key, colony.id)
        times_out(waiter, waiter_key, colony.id)
    finally:
        waiter.close()
    expect_error("waiting: waitseconds 3601 -> 12 invalid-value",
                 conn.ask("assignProcess", {"colonyid": colony.id, "waitseconds": 3601},
                          waiter_key), 12)


def woken_by_submit(waiter, waiter_key, submitter, submitter_key, colony_id):
    rid, data = waiter.build("assignProcess", {"colonyid": colony_id, "waitseconds": 2},
                             waiter_key)
    waiter.send_raw(data)
    # Section 11: other requests are answered while an assign waits. The pong also shows the
    # server has read the assign; the pause lets it start waiting before the submit.
    expect_reply("waiting: ping answered while the assign waits", waiter.ask("ping", {}),
                 "ping")
    time.sleep(0.3)
    check("waiting: no answer to the assign before any submit", rid not in waiter.pending)
    start = time.time()
    pid = submitter.must("submitProcess", simple_spec(colony_id), submitter_key)["id"]
    msg = waiter.answer(rid, timeout=4)
    elapsed = time.time() - start
    ok = (msg.kind == "reply" and msg.fields["assigned"] and msg.fields["process"]["id"] == pid
          and msg.fields["process"]["assignedruntime"] == key_id(waiter_key))
    check("waiting: a submit on another connection wakes the assign (waitseconds 2)",
          ok and elapsed < 1.0, "after %.2f s: %s" % (elapsed, fields_or_error(msg)))


def times_out(waiter, waiter_key, colony_id):
    start = time.time()
    got = waiter.ask("assignProcess", {"colonyid": colony_id, "waitseconds": 1}, waiter_key)
    elapsed = time.time() - start
    ok = got.kind == "reply" and got.fields == {"assigned": False}
    check("waiting: no submit within waitseconds 1 -> assigned = 0 after about 1 s",
          ok and 0.9 <= elapsed <= 2.5, "after %.2f s: %s" % (elapsed, fields_or_error(got)))
    start = time.time()
    got = waiter.ask("assignProcess", {"colonyid": colony_id, "waitseconds": 0}, waiter_key)
    elapsed = time.time() - start
    check("waiting: waitseconds 0 -> assigned = 0 at once",
          got.kind == "reply" and not got.fields["assigned"] and elapsed < 0.5,
          "after %.2f s: %s" % (elapsed, fields_or_error(got)))


def fields_or_error(msg):
    return repr(msg.fields) if msg.kind == "reply" else describe(msg)


def timeouts(conn, server_key):
    """A process with timeout 1 s and maxretries 1 runs twice, then fails; alongside it, one
    with maxretries 0 fails at its first deadline (section 13)."""
    colony = Colony(conn, server_key, "timeouts")
    r1 = colony.add_runtime("first")
    r2 = colony.add_runtime("second")
    # maxwaittime 60: the waitdeadline set on taking back tells when that happened.
    retry = conn.must("submitProcess", simple_spec(colony.id, timeout=1, maxretries=1,
                                                   maxwaittime=WAIT), r1)
    once = conn.must("submitProcess", simple_spec(colony.id, timeout=1, maxretries=0), r1)
    first = assign(conn, r1, colony.id)["process"]
    second = assign(conn, r1, colony.id)["process"]
    if (first["id"], second["id"]) != (retry["id"], once["id"]):
        raise SetupError("timeouts: assigns gave %s, %s" % (first["id"], second["id"]))
    check("timeouts: deadline = startedat + 1 s",
          first["deadline"] == first["startedat"] + NS, "%r" % first)
    pid = retry["id"]

    back = poll_process(conn, r1, pid, "waiting", 4)
    check("timeouts: taken back within 4 s", back is not None, repr(get_process(conn, r1, pid)))
    if back is None:
        return
    taken_at = back["waitdeadline"] - WAIT * NS
    check("timeouts: taken back after its deadline (waitdeadline renewed from then)",
          first["deadline"] <= taken_at < first["deadline"] + 4 * NS,
          "deadline %d, taken back at %d" % (first["deadline"], taken_at))
    check("timeouts: taken back: retries 1, attempt 1, unassigned, no run deadline",
          (back["retries"], back["attempt"], back["assignedruntime"], back["startedat"],
           back["deadline"]) == (1, 1, None, 0, 0), "%r" % back)
    expect_error("timeouts: close of attempt 1 while waiting -> 46 wrong-state",
                 conn.ask("closeSuccessful", {"processid": pid, "attempt": 1}, r1), 46)

    again = assign(conn, r1, colony.id)
    p = again.get("process") or {}
    check("timeouts: re-assigned with attempt 2, retries 1, waitdeadline 0", p.get("id") == pid
          and (p["attempt"], p["retries"], p["waitdeadline"]) == (2, 1, 0)
          and p["assignedruntime"] == key_id(r1), "%r" % again)
    late_closes(conn, pid, r1, r2)

    final = poll_process(conn, r1, pid, "failed", 4)
    check("timeouts: no retry left -> failed: retries 1, attempt 2, ended, no deadlines",
          final is not None and (final["retries"], final["attempt"], final["deadline"],
                                 final["waitdeadline"]) == (1, 2, 0, 0)
          and final["endedat"] >= p.get("deadline", 1) and final["assignedruntime"]
          == key_id(r1),
          repr(final or get_process(conn, r1, pid)))
    expect_error("timeouts: close of attempt 2 once failed -> 46 wrong-state",
                 conn.ask("closeSuccessful", {"processid": pid, "attempt": 2}, r1), 46)

    gone = get_process(conn, r1, once["id"])
    check("timeouts: maxretries 0 -> failed at the first deadline, retries 0, attempt 1",
          (gone["state"], gone["retries"], gone["attempt"]) == ("failed", 0, 1), "%r" % gone)
    stats = conn.must("colonyStatistics", {"colonyid": colony.id}, r1)
    check("timeouts: statistics count 2 failed, nothing else",
          [stats[s]["count"] for s in ("waiting", "running", "successful", "failed")]
          == [0, 0, 0, 2], "%r" % stats)


def late_closes(conn, pid, r1, r2):
    """Attempt 2 runs under r1: each late or foreign request gets its code (section 6)."""
    cases = [
        ("closeSuccessful", r1, 1, 45, "r1, attempt 1"),
        ("closeFailed", r1, 1, 45, "r1, attempt 1"),
        ("addAttribute", r1, 1, 45, "r1, attempt 1"),
        ("closeSuccessful", r2, 2, 44, "another runtime, attempt 2"),
        ("closeFailed", r2, 1, 44, "another runtime, attempt 1 (44 before 45)"),
    ]
    for name, key, attempt, code, who in cases:
        fields = {"processid": pid, "attempt": attempt}
        if name == "addAttribute":
            fields.update(type="out", key="late", value="")
        expect_error("timeouts: %s by %s -> %d" % (name, who, code),
                     conn.ask(name, fields, key), code)


def run(host, port, server_key):
    conn = Connection(host, port)
    try:
        for step in (lambda: order(conn, server_key),
                     lambda: waiting(host, port, conn, server_key),
                     lambda: timeouts(conn, server_key)):
            try:
                step()
            except SetupError as exc:
                check("scheduling: setup", False, str(exc))
    finally:
        conn.close()
