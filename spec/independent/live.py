"""What every live-server scenario shares: checks, a connection, and setup helpers.

Written from PROTOCOL.md alone, like colonies_wire.py. All scenario modules record their
checks in the one RESULTS list here, so client_scenario.py can print one summary.
"""

import json
import os
import socket
import time

import coincurve

import colonies_wire as w

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")
RESULTS = []
ANSWER_TIMEOUT = 5.0  # seconds; a missing answer fails fast instead of hanging the run
NS = 10 ** 9


class SetupError(Exception):
    """A step that only prepares a check failed; the checks that needed it cannot run."""


def check(name, ok, detail=""):
    RESULTS.append(bool(ok))
    print("%s %s%s" % ("PASS" if ok else "FAIL", name, ("  " + detail) if detail else ""))
    return bool(ok)


def new_key():
    return coincurve.PrivateKey().secret


def key_id(key):
    return w.identity(key).hex()


class Connection:
    """One TCP connection: frames in, frames out, answers matched by request id."""

    def __init__(self, host, port, timeout=ANSWER_TIMEOUT):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""
        self.next_request_id = 1
        self.sequence = 0
        self.pending = {}  # request id -> ServerMessage that arrived early
        self.events = []
        self.hello = self.read_message()
        if self.hello.kind != "hello":
            raise RuntimeError("first frame is %s, not hello" % self.hello.kind)
        self.challenge = bytes.fromhex(self.hello.fields["challenge"])

    def close(self):
        self.sock.close()

    def read_frame(self):
        while True:
            parsed = w.parse_frame(self.buffer, eof=False)
            if parsed is not None:
                frame, used = parsed
                self.buffer = self.buffer[used:]
                return frame
            chunk = self.sock.recv(65536)
            if not chunk:
                w.parse_frame(self.buffer, eof=True)  # raises 1 truncated on a partial frame
                raise ConnectionError("server closed the connection")
            self.buffer += chunk

    def read_message(self):
        return w.read_server_frame(self.read_frame())

    def send_raw(self, data):
        self.sock.sendall(data)

    def build(self, name, fields, key=None):
        """Encode a request with the next request id (and the next sequence when signed)."""
        rid = self.next_request_id
        self.next_request_id += 1
        if name == "ping":
            return rid, w.encode_request(name, rid, fields)
        self.sequence += 1
        return rid, w.encode_request(name, rid, fields, self.challenge, self.sequence, key)

    def answer(self, rid, timeout=None):
        """The reply or error for request id `rid`; events and other answers are kept."""
        if rid in self.pending:
            return self.pending.pop(rid)
        self.sock.settimeout(self.timeout if timeout is None else timeout)
        try:
            while True:
                msg = self.read_message()
                if msg.kind == "event":
                    self.events.append(msg)
                elif msg.frame.request_id == rid:
                    return msg
                else:
                    self.pending[msg.frame.request_id] = msg
        finally:
            self.sock.settimeout(self.timeout)

    def call(self, name, fields, key=None):
        rid, data = self.build(name, fields, key)
        self.send_raw(data)
        return self.answer(rid), data, rid

    def ask(self, name, fields, key=None):
        """Just the answer of `call`."""
        return self.call(name, fields, key)[0]

    def must(self, name, fields, key=None):
        """The reply's fields; any other answer is a SetupError."""
        msg = self.ask(name, fields, key)
        if msg.kind != "reply" or msg.request_name != name:
            raise SetupError("%s: %s" % (name, describe(msg)))
        return msg.fields


def describe(msg):
    if msg.kind == "error":
        return "error %d %s: %s" % (msg.fields["code"], w.ERROR_NAMES.get(msg.fields["code"]),
                                    msg.fields["message"])
    return "%s %s" % (msg.kind, msg.reply_name or "")


def expect_reply(step, msg, request_name):
    ok = msg.kind == "reply" and msg.request_name == request_name
    check(step, ok, "" if ok else "got " + describe(msg))
    return ok


def expect_error(step, msg, code):
    ok = msg.kind == "error" and msg.fields["code"] == code
    check(step, ok, "" if ok else "want error %d %s, got %s"
          % (code, w.ERROR_NAMES[code], describe(msg)))
    return ok


def load_example(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as fh:
        return json.load(fh)


def process_spec_for(colonyid):
    """examples/process_spec.json in wire shape: colony filled in, env as a sorted set."""
    spec = load_example("process_spec.json")
    spec["conditions"]["colonyid"] = colonyid
    env = spec["env"]
    spec["env"] = [{"key": k, "value": env[k]} for k in sorted(env, key=lambda k: k.encode())]
    return spec


def simple_spec(colonyid, **overrides):
    """A ProcessSpec any runtime of the colony matches; no time limits unless overridden."""
    spec = {
        "conditions": {"colonyid": colonyid, "runtimeids": [], "runtimetype": "", "mem": 0,
                       "cores": 0, "gpus": 0},
        "func": "echo", "args": [], "env": [], "priority": 0, "timeout": -1,
        "maxwaittime": -1, "maxretries": 0,
    }
    spec.update(overrides)
    return spec


class Colony:
    """A colony made through the protocol: its owner key and the keys of its runtimes.

    Each scenario uses a colony of its own, so no process of one scenario can be handed to
    a runtime of another and every assignment it sees is one it caused."""

    def __init__(self, conn, server_key, label):
        self.conn = conn
        self.key = new_key()
        self.id = key_id(self.key)
        self.name = "%s-%s" % (label, self.id[:8])
        conn.must("addColony", {"id": self.id, "name": self.name}, server_key)

    def runtime_fields(self, key, label):
        rt = dict(load_example("runtime.json"))
        rt.update({"id": key_id(key), "colonyid": self.id, "name": "%s-%s" % (label, self.id[:6]),
                   "state": "pending", "registeredat": 0})
        return rt

    def add_runtime(self, label, state="approved"):
        """A new runtime's key, left pending, approved or rejected by the colony owner."""
        key = new_key()
        self.conn.must("addRuntime", self.runtime_fields(key, label), self.key)
        if state == "approved":
            self.conn.must("approveRuntime", {"runtimeid": key_id(key)}, self.key)
        elif state == "rejected":
            self.conn.must("rejectRuntime", {"runtimeid": key_id(key)}, self.key)
        return key


def get_process(conn, key, pid):
    return conn.must("getProcess", {"processid": pid}, key)["process"]


def poll_process(conn, key, pid, state, seconds):
    """The process once it is in `state`, polled every 50 ms for up to `seconds`, or None."""
    end = time.time() + seconds
    while True:
        p = get_process(conn, key, pid)
        if p["state"] == state or time.time() > end:
            return p if p["state"] == state else None
        time.sleep(0.05)
