"""Who may send what (PROTOCOL.md sections 6 step 4, and 12), as one table.

Each role signs each operation once; the answer must be the reply (OK) or the error code
of the table. Every cell that changes state gets a fresh target, built just before the
request, so that no cell's outcome depends on an earlier one.
"""

from live import Colony, Connection, SetupError, check, describe, key_id, new_key, simple_spec

import colonies_wire as w

OK = 0

ROLES = ("server owner", "owner of A", "owner of B", "approved runtime of A",
         "pending runtime of A", "rejected runtime of A", "approved runtime of B",
         "unknown key")

# Expected answer per role, in the order of ROLES. 40 comes first for an unknown key (4.1);
# then the role rule of section 12 (41, 42, 43). A runtime of B naming A's colony directly,
# or an object of A, gets 50 (section 12, last paragraph). The owner of B gets 50 for a
# runtime of A: it may send runtime requests, but A's runtimes are not visible to it.
#                          S    OA   OB   RA   PA   XA   RB   U
TABLE = [
    ("addColony",        (OK,  41,  41,  41,  41,  41,  41,  40)),
    ("listColonies",     (OK,  41,  41,  41,  41,  41,  41,  40)),
    ("getColony",        (OK,  OK,  41,  41,  41,  41,  41,  40)),
    ("removeColony",     (OK,  41,  41,  41,  41,  41,  41,  40)),
    ("addRuntime",       (42,  OK,  42,  42,  42,  42,  42,  40)),
    ("listRuntimes",     (42,  OK,  42,  42,  42,  42,  42,  40)),
    ("getRuntime",       (42,  OK,  50,  42,  42,  42,  42,  40)),
    ("approveRuntime",   (42,  OK,  50,  42,  42,  42,  42,  40)),
    ("rejectRuntime",    (42,  OK,  50,  42,  42,  42,  42,  40)),
    ("removeRuntime",    (42,  OK,  50,  42,  42,  42,  42,  40)),
    ("submitProcess",    (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("getProcess",       (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("listProcesses",    (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("assignProcess",    (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("removeProcess",    (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("closeSuccessful",  (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("closeFailed",      (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("addAttribute",     (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("getAttribute",     (43,  43,  43,  OK,  43,  43,  50,  40)),
    ("colonyStatistics", (43,  OK,  43,  OK,  43,  43,  50,  40)),
]


class Fixtures:
    """Colony A with one runtime per state, colony B with one approved runtime, and the
    objects of A that read-only cells share. Methods make fresh targets for the others."""

    def __init__(self, conn, server_key):
        self.conn = conn
        self.server_key = server_key
        self.a = Colony(conn, server_key, "rules-a")
        self.b = Colony(conn, server_key, "rules-b")
        self.ra = self.a.add_runtime("approved")
        self.keys = (server_key, self.a.key, self.b.key, self.ra,
                     self.a.add_runtime("pending", state="pending"),
                     self.a.add_runtime("rejected", state="rejected"),
                     self.b.add_runtime("approved"), new_key())
        self.waiting_pid = self.waiting_process()
        running = self.running_process()
        self.attribute_id = conn.must("addAttribute", self.attribute(running), self.ra)["id"]

    def waiting_process(self):
        # Lowest priority: the assign of running_process() never picks it (section 13).
        spec = simple_spec(self.a.id, priority=-1000)
        return self.conn.must("submitProcess", spec, self.ra)["id"]

    def running_process(self):
        """A fresh process of A, running under the approved runtime of A: (id, attempt)."""
        pid = self.conn.must("submitProcess", simple_spec(self.a.id, priority=1000),
                             self.ra)["id"]
        got = self.conn.must("assignProcess", {"colonyid": self.a.id, "waitseconds": 0},
                             self.ra)
        if not got["assigned"] or got["process"]["id"] != pid:
            raise SetupError("assign did not give the new priority-1000 process: %r" % got)
        return {"processid": pid, "attempt": got["process"]["attempt"]}

    def pending_runtime_id(self):
        key = new_key()
        self.conn.must("addRuntime", self.a.runtime_fields(key, "target"), self.a.key)
        return key_id(key)

    @staticmethod
    def attribute(running):
        return dict(running, type="out", key="result", value="42")


def new_colony():
    cid = key_id(new_key())
    return {"id": cid, "name": "extra-" + cid[:8]}


# How each operation's request is made: fields from the fixtures (fresh where it changes
# state). Colony A is named wherever a colony is named.
REQUESTS = {
    "addColony": lambda f: new_colony(),
    "listColonies": lambda f: {},
    "getColony": lambda f: {"colonyid": f.a.id},
    "removeColony": lambda f: {"colonyid": Colony(f.conn, f.server_key, "doomed").id},
    "addRuntime": lambda f: f.a.runtime_fields(new_key(), "extra"),
    "listRuntimes": lambda f: {"colonyid": f.a.id},
    "getRuntime": lambda f: {"runtimeid": key_id(f.ra)},
    "approveRuntime": lambda f: {"runtimeid": f.pending_runtime_id()},
    "rejectRuntime": lambda f: {"runtimeid": f.pending_runtime_id()},
    "removeRuntime": lambda f: {"runtimeid": f.pending_runtime_id()},
    "submitProcess": lambda f: simple_spec(f.a.id, priority=-1000),
    "getProcess": lambda f: {"processid": f.waiting_pid},
    "listProcesses": lambda f: {"colonyid": f.a.id, "state": "waiting", "count": 10},
    "assignProcess": lambda f: {"colonyid": f.a.id, "waitseconds": 0},
    "removeProcess": lambda f: {"processid": f.waiting_process()},
    "closeSuccessful": lambda f: f.running_process(),
    "closeFailed": lambda f: f.running_process(),
    "addAttribute": lambda f: f.attribute(f.running_process()),
    "getAttribute": lambda f: {"attributeid": f.attribute_id},
    "colonyStatistics": lambda f: {"colonyid": f.a.id},
}


def run_cell(fx, op, role, key, want):
    name = "rules: %s by %s -> %s" % (op, role, "reply" if want == OK else
                                       "%d %s" % (want, w.ERROR_NAMES[want]))
    try:
        fields = REQUESTS[op](fx)
    except SetupError as exc:
        check(name, False, "setup failed: %s" % exc)
        return
    msg = fx.conn.ask(op, fields, key)
    if want == OK:
        ok = msg.kind == "reply" and msg.request_name == op
    else:
        ok = msg.kind == "error" and msg.fields["code"] == want
    check(name, ok, "" if ok else "got " + describe(msg))


def run(host, port, server_key):
    conn = Connection(host, port)
    try:
        fx = Fixtures(conn, server_key)
    except SetupError as exc:
        check("rules: fixtures", False, str(exc))
        return
    for op, wants in TABLE:
        for role, key, want in zip(ROLES, fx.keys, wants):
            run_cell(fx, op, role, key, want)
    conn.close()
