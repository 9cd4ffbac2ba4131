"""Colonies wire protocol, version 1: an independent encoder and decoder.

Written from spec/PROTOCOL.md alone (no look at the Swift sources). Values use the JSON
shape of the test vectors: ids and byte strings are lower-case hex, texts are str, enums are
their names, integers are int, lists are lists, an absent optional is None.

Section numbers in comments refer to PROTOCOL.md.
"""

import hashlib
import struct

import coincurve

# ---------------------------------------------------------------------------------------------
# Constants (sections 2, 3, 8, 9)

VERSION = 1
MAX_FRAME_LENGTH = 1_048_576
HEADER_LENGTH = 7
SEQUENCE_LENGTH = 8
SIGNATURE_LENGTH = 65
FLAG_SIGNED = 0x01
REPLY_BIT = 0x80
DOMAIN = b"colonies/request/v1"

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = N // 2

TYPE_HELLO = 0x01
TYPE_PING = 0x02
TYPE_EVENT = 0x7E
TYPE_ERROR = 0x7F

ERROR_NAMES = {
    1: "truncated", 2: "frame-too-large", 3: "unsupported-version",
    4: "unknown-message-type", 5: "bad-flags", 6: "non-canonical-integer",
    7: "bad-boolean", 8: "trailing-bytes", 9: "bad-enum", 10: "invalid-utf8",
    11: "limit-exceeded", 12: "invalid-value", 13: "not-sorted",
    20: "unsigned-request", 21: "bad-signature", 22: "stale-sequence",
    23: "unexpected-signature",
    40: "unknown-identity", 41: "not-server-owner", 42: "not-colony-owner",
    43: "runtime-not-approved", 44: "not-assigned-runtime", 45: "stale-attempt",
    46: "wrong-state", 50: "not-found", 51: "already-exists",
    60: "store-full", 61: "internal-error", 62: "too-many-connections", 63: "overloaded",
    64: "shutting-down", 65: "read-timeout",
}
ERROR_CODES = {name: code for code, name in ERROR_NAMES.items()}


class WireError(Exception):
    """A refusal with a protocol error code (section 8)."""

    def __init__(self, code, detail=""):
        self.code = code
        self.codename = ERROR_NAMES.get(code, "code-%d" % code)
        self.detail = detail
        super().__init__("%d %s%s" % (code, self.codename, ": " + detail if detail else ""))


# ---------------------------------------------------------------------------------------------
# Identity and signatures (section 2, 5.2)

def sha3(data):
    return hashlib.sha3_256(data).digest()


def public_key(private_key):
    """65-byte uncompressed public key of a 32-byte private key."""
    return coincurve.PrivateKey(bytes(private_key)).public_key.format(compressed=False)


def identity_of_public_key(pub65):
    """Id: SHA3-256 of the ASCII lower-case hex of the 65-byte public key."""
    if len(pub65) != 65 or pub65[0] != 4:
        raise ValueError("not an uncompressed public key")
    return sha3(pub65.hex().encode("ascii"))


def identity(private_key):
    return identity_of_public_key(public_key(private_key))


def signing_digest(challenge, version, msg_type, request_id, sequence, body):
    """SHA3-256 of domain, challenge, version, type, request id, sequence, body (5.2)."""
    if len(challenge) != 32:
        raise ValueError("challenge must be 32 bytes")
    pre = DOMAIN + bytes(challenge) + bytes([version, msg_type])
    pre += struct.pack(">IQ", request_id, sequence) + bytes(body)
    return sha3(pre)


def sign_digest(private_key, digest):
    """65-byte r || s || v: RFC 6979 nonce, low S, v in {0, 1} (libsecp256k1 via coincurve)."""
    sig = coincurve.PrivateKey(bytes(private_key)).sign_recoverable(bytes(digest), hasher=None)
    if sig[64] > 1:
        raise ValueError("recovery id %d: sign a different message" % sig[64])
    if int.from_bytes(sig[32:64], "big") > HALF_N:
        raise ValueError("libsecp256k1 returned a high-S signature")
    return sig


def recover_public_key(digest, signature):
    """The uncompressed public key of a signature, or WireError 21 (section 2)."""
    if len(signature) != SIGNATURE_LENGTH:
        raise WireError(21, "signature is not 65 bytes")
    r = int.from_bytes(signature[0:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    v = signature[64]
    if v not in (0, 1):
        raise WireError(21, "v is %d" % v)
    if r == 0 or s == 0 or r >= N or s >= N:
        raise WireError(21, "r or s out of range")
    if s > HALF_N:
        raise WireError(21, "high S")
    try:
        pub = coincurve.PublicKey.from_signature_and_message(
            bytes(signature), bytes(digest), hasher=None)
    except Exception as exc:  # coincurve raises plain Exception / ValueError
        raise WireError(21, "no public key recoverable (%s)" % exc)
    return pub.format(compressed=False)


def recover_identity(digest, signature):
    return identity_of_public_key(recover_public_key(digest, signature))


def attribute_id(processid_hex, attr_type, key):
    """Attribute id: SHA3-256 of processid, type byte, key as a text (10.7)."""
    if isinstance(attr_type, str):
        attr_type = ATTRIBUTE_TYPE.values.index(attr_type)
    out = bytearray(bytes.fromhex(processid_hex))
    out.append(attr_type)
    kb = key.encode("utf-8")
    out += encode_varint(len(kb)) + kb
    return sha3(bytes(out)).hex()


# ---------------------------------------------------------------------------------------------
# Canonical encoding (section 4)

MAX_VARINT_BYTES = 9


def encode_varint(value):
    if value < 0 or value >= 1 << 63:
        raise ValueError("varint out of range")
    out = bytearray()
    while True:
        group = value & 0x7F
        value >>= 7
        if value:
            out.append(group | 0x80)
        else:
            out.append(group)
            return bytes(out)


class Reader:
    """Reads a body; every failure is a WireError with the code of section 4."""

    def __init__(self, data):
        self.data = bytes(data)
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise WireError(1, "need %d bytes at offset %d" % (n, self.pos))
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def varint(self, maximum):
        value = 0
        for i in range(MAX_VARINT_BYTES):
            b = self.take(1)[0]
            value |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                if i > 0 and b == 0:
                    raise WireError(6, "varint not in its shortest form")
                if value > maximum:
                    raise WireError(11, "%d is above %d" % (value, maximum))
                return value
        # Section 4: the tenth byte is read first, so a body that ends after nine
        # continuation bytes is 1 truncated; a tenth byte, whatever its value, is 11.
        self.take(1)
        raise WireError(11, "varint longer than 9 bytes")

    def finish(self):
        if self.pos != len(self.data):
            raise WireError(8, "%d bytes after the last field" % (len(self.data) - self.pos))


class Type:
    def encode(self, value, out):
        raise NotImplementedError

    def decode(self, reader):
        raise NotImplementedError


class Int(Type):
    """Fixed-width integer; `check` returns False for a value outside its rule (12)."""

    def __init__(self, fmt, check=None, rule=""):
        self.fmt = ">" + fmt
        self.size = struct.calcsize(self.fmt)
        self.check = check
        self.rule = rule

    def encode(self, value, out):
        out += struct.pack(self.fmt, value)

    def decode(self, reader):
        value = struct.unpack(self.fmt, reader.take(self.size))[0]
        if self.check is not None and not self.check(value):
            raise WireError(12, "%d: %s" % (value, self.rule))
        return value


U8, U16, U32, U64 = Int("B"), Int("H"), Int("I"), Int("Q")
I32, I64 = Int("i"), Int("q")


class Bool(Type):
    def encode(self, value, out):
        out.append(1 if value else 0)

    def decode(self, reader):
        b = reader.take(1)[0]
        if b > 1:
            raise WireError(7, "boolean byte %d" % b)
        return b == 1


BOOL = Bool()


class Enum(Type):
    def __init__(self, name, values):
        self.name = name
        self.values = list(values)

    def encode(self, value, out):
        out.append(self.values.index(value) if isinstance(value, str) else value)

    def decode(self, reader):
        b = reader.take(1)[0]
        if b >= len(self.values):
            raise WireError(9, "%s %d" % (self.name, b))
        return self.values[b]


PROCESS_STATE = Enum("ProcessState", ["waiting", "running", "successful", "failed"])
RUNTIME_STATE = Enum("RuntimeState", ["pending", "approved", "rejected"])
ATTRIBUTE_TYPE = Enum("AttributeType", ["in", "out", "err", "env"])


class Id(Type):
    def encode(self, value, out):
        raw = bytes.fromhex(value) if isinstance(value, str) else bytes(value)
        if len(raw) != 32:
            raise ValueError("an id is 32 bytes")
        out += raw

    def decode(self, reader):
        return reader.take(32).hex()


ID = Id()

# Character rules (section 9). Each returns True when the bytes are allowed.
_NAME = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
_ENV_KEY = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def rule_name(raw):
    return len(raw) > 0 and all(b in _NAME for b in raw)


def rule_name_or_empty(raw):
    return len(raw) == 0 or rule_name(raw)


def rule_env_key(raw):
    return len(raw) > 0 and all(b in _ENV_KEY for b in raw) and not 0x30 <= raw[0] <= 0x39


def rule_no_control(raw):
    return all(b >= 0x20 and b != 0x7F for b in raw)


def rule_no_control_not_empty(raw):
    return len(raw) > 0 and rule_no_control(raw)


def rule_no_nul(raw):
    return 0 not in raw


def rule_any(raw):
    return True


class Text(Type):
    """varint byte length, then UTF-8. Checks in order (sections 4 and 9): the varint
    against `maximum` (11), the bytes (1), UTF-8 (10), then the character rule (12)."""

    def __init__(self, maximum, rule):
        self.maximum = maximum
        self.rule = rule

    def encode(self, value, out):
        raw = value.encode("utf-8")
        out += encode_varint(len(raw)) + raw

    def decode(self, reader):
        n = reader.varint(self.maximum)
        raw = reader.take(n)
        try:
            value = raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise WireError(10, str(exc))
        if not self.rule(raw):
            raise WireError(12, "%r breaks %s" % (value, self.rule.__name__))
        return value


class List(Type):
    """varint count, then elements. With `sort_key`, a set: strictly ascending bytes (13)."""

    def __init__(self, element, maximum, sort_key=None):
        self.element = element
        self.maximum = maximum
        self.sort_key = sort_key

    def encode(self, value, out):
        out += encode_varint(len(value))
        for item in value:
            self.element.encode(item, out)

    def decode(self, reader):
        count = reader.varint(self.maximum)
        items = []
        previous = None
        for _ in range(count):
            item = self.element.decode(reader)
            if self.sort_key is not None:
                key = self.sort_key(item)
                if previous is not None and not previous < key:
                    raise WireError(13, "set element not above the one before it")
                previous = key
            items.append(item)
        return items


class Optional(Type):
    """bool, then the value when the bool is 1. None stands for absent."""

    def __init__(self, inner, flag=None):
        self.inner = inner
        self.flag = flag  # when set, a Struct shows the bool under this key (see Struct)

    def encode(self, value, out):
        if value is None:
            out.append(0)
        else:
            out.append(1)
            self.inner.encode(value, out)

    def decode(self, reader):
        return self.inner.decode(reader) if BOOL.decode(reader) else None


class Struct(Type):
    """Fields in order. A field may be a triple (name, type, check): check(decoded so far)
    runs right after that field is decoded. `post` runs once the whole struct is decoded,
    before the trailing-bytes check. Section 4 says where each rule across fields runs: a
    new runtime's state and registeredat after the whole Runtime (`post`), the hello's
    minversion <= maxversion right after maxversion (a field check)."""

    def __init__(self, name, fields, post=None):
        self.name = name
        self.fields = [f if len(f) == 3 else (f[0], f[1], None) for f in fields]
        self.post = post  # check(decoded struct) after the last field, before trailing bytes

    def encode(self, value, out):
        for fname, ftype, _ in self.fields:
            if isinstance(ftype, Optional) and ftype.flag:
                present = value.get(ftype.flag, fname in value and value[fname] is not None)
                ftype.encode(value.get(fname) if present else None, out)
            else:
                ftype.encode(value[fname], out)

    def decode(self, reader):
        result = {}
        for fname, ftype, fcheck in self.fields:
            item = ftype.decode(reader)
            if isinstance(ftype, Optional) and ftype.flag:
                result[ftype.flag] = item is not None
                if item is not None:
                    result[fname] = item
            else:
                result[fname] = item
            if fcheck is not None:
                fcheck(result)
        if self.post is not None:
            self.post(result)
        return result


def encode_value(vtype, value):
    out = bytearray()
    vtype.encode(value, out)
    return bytes(out)


def decode_value(vtype, data):
    """Decode a whole body: the value must use every byte (8)."""
    reader = Reader(data)
    value = vtype.decode(reader)
    reader.finish()
    return value


# ---------------------------------------------------------------------------------------------
# Data model (section 10)

def _range(lo, hi, also=()):
    return lambda v: lo <= v <= hi or v in also


NAME = Text(64, rule_name)
DESCRIPTION = Text(128, rule_no_control)

COLONY = Struct("Colony", [("id", ID), ("name", NAME)])

RUNTIME = Struct("Runtime", [
    ("id", ID), ("colonyid", ID), ("name", NAME), ("runtimetype", NAME),
    ("cpu", DESCRIPTION), ("cores", U32), ("mem", U64), ("gpu", DESCRIPTION),
    ("gpus", U32), ("state", RUNTIME_STATE), ("registeredat", I64),
])


def _new_runtime(rt):
    if rt["state"] != "pending" or rt["registeredat"] != 0:
        raise WireError(12, "a new runtime has state pending and registeredat 0")


NEW_RUNTIME = Struct("Runtime (new)", RUNTIME.fields, post=_new_runtime)

CONDITIONS = Struct("Conditions", [
    ("colonyid", ID),
    ("runtimeids", List(ID, 64, sort_key=bytes.fromhex)),
    ("runtimetype", Text(64, rule_name_or_empty)),
    ("mem", U64), ("cores", U32), ("gpus", U32),
])

ENV_VAR = Struct("EnvVar", [
    ("key", Text(128, rule_env_key)),
    ("value", Text(4096, rule_no_nul)),
])

SECONDS = _range(1, 31_536_000, also=(-1,))

PROCESS_SPEC = Struct("ProcessSpec", [
    ("conditions", CONDITIONS),
    ("func", Text(256, rule_no_control_not_empty)),
    ("args", List(Text(4096, rule_no_nul), 64)),
    ("env", List(ENV_VAR, 64, sort_key=lambda e: e["key"].encode("utf-8"))),
    ("priority", Int("i", _range(-1000, 1000), "priority -1000 to 1000")),
    ("timeout", Int("i", SECONDS, "timeout -1 or 1 to 31536000")),
    ("maxwaittime", Int("i", SECONDS, "maxwaittime -1 or 1 to 31536000")),
    ("maxretries", Int("i", _range(0, 1000, also=(-1,)), "maxretries -1 or 0 to 1000")),
])

PROCESS = Struct("Process", [
    ("id", ID), ("state", PROCESS_STATE), ("assignedruntime", Optional(ID)),
    ("attempt", U32), ("retries", U32), ("submittedat", I64), ("startedat", I64),
    ("endedat", I64), ("deadline", I64), ("waitdeadline", I64), ("spec", PROCESS_SPEC),
])

ATTRIBUTE_KEY = Text(128, rule_name)
ATTRIBUTE_VALUE = Text(65_536, rule_any)

ATTRIBUTE = Struct("Attribute", [
    ("id", ID), ("processid", ID), ("attempt", U32), ("type", ATTRIBUTE_TYPE),
    ("key", ATTRIBUTE_KEY), ("value", ATTRIBUTE_VALUE), ("addedat", I64),
])

NEW_ATTRIBUTE = Struct("NewAttribute", [
    ("processid", ID), ("attempt", U32), ("type", ATTRIBUTE_TYPE),
    ("key", ATTRIBUTE_KEY), ("value", ATTRIBUTE_VALUE),
])

STATE_COUNT = Struct("StateCount", [("count", U64), ("oldestat", I64)])

STATISTICS = Struct("Statistics", [
    ("colonyid", ID), ("runtimes", U64), ("approvedruntimes", U64),
    ("waiting", STATE_COUNT), ("running", STATE_COUNT),
    ("successful", STATE_COUNT), ("failed", STATE_COUNT),
])


def _hello_versions(h):
    if h["minversion"] > h["maxversion"]:
        raise WireError(12, "minversion above maxversion")


HELLO = Struct("Hello", [
    ("minversion", U8), ("maxversion", U8, _hello_versions), ("challenge", ID),
    ("serverid", ID),
])

PONG = Struct("Pong", [
    ("protocolversion", U8), ("serverversion", Text(64, rule_no_control)), ("serverid", ID),
])

ERROR_BODY = Struct("ErrorBody", [("code", U16), ("message", Text(1024, rule_any))])

EMPTY = Struct("empty", [])


def _one(name, vtype=ID):
    return Struct(name, [(name, vtype)])


# ---------------------------------------------------------------------------------------------
# Messages (sections 3, 11)

class Message:
    def __init__(self, code, name, request, reply_name, reply):
        self.code = code
        self.name = name
        self.request = request
        self.reply_name = reply_name
        self.reply = reply


_LIST_COLONIES = Struct("colonies", [("colonies", List(COLONY, 1000))])
_LIST_RUNTIMES = Struct("runtimes", [("runtimes", List(RUNTIME, 1000))])
_DETAILS = Struct("processDetails", [
    ("process", PROCESS), ("attributes", List(ATTRIBUTE, 256))])
_PROCESSES = Struct("processes", [("processes", List(PROCESS, 1000)), ("truncated", BOOL)])
_ASSIGNMENT = Struct("assignment", [("process", Optional(PROCESS, flag="assigned"))])
_CLOSE = Struct("close", [("processid", ID), ("attempt", U32)])

MESSAGES = [
    Message(0x02, "ping", EMPTY, "pong", PONG),
    Message(0x10, "addColony", COLONY, "colony", COLONY),
    Message(0x11, "listColonies", EMPTY, "colonies", _LIST_COLONIES),
    Message(0x12, "getColony", _one("colonyid"), "colony", COLONY),
    Message(0x13, "removeColony", _one("colonyid"), "done", EMPTY),
    Message(0x20, "addRuntime", NEW_RUNTIME, "runtime", RUNTIME),
    Message(0x21, "listRuntimes", _one("colonyid"), "runtimes", _LIST_RUNTIMES),
    Message(0x22, "getRuntime", _one("runtimeid"), "runtime", RUNTIME),
    Message(0x23, "approveRuntime", _one("runtimeid"), "runtime", RUNTIME),
    Message(0x24, "rejectRuntime", _one("runtimeid"), "runtime", RUNTIME),
    Message(0x25, "removeRuntime", _one("runtimeid"), "done", EMPTY),
    Message(0x30, "submitProcess", PROCESS_SPEC, "process", PROCESS),
    Message(0x31, "getProcess", _one("processid"), "processDetails", _DETAILS),
    Message(0x32, "listProcesses", Struct("listProcesses", [
        ("colonyid", ID), ("state", PROCESS_STATE),
        ("count", Int("H", _range(1, 1000), "count 1 to 1000"))]),
        "processes", _PROCESSES),
    Message(0x33, "assignProcess", Struct("assignProcess", [
        ("colonyid", ID),
        ("waitseconds", Int("H", _range(0, 3600), "waitseconds 0 to 3600"))]),
        "assignment", _ASSIGNMENT),
    Message(0x34, "closeSuccessful", _CLOSE, "done", EMPTY),
    Message(0x35, "closeFailed", _CLOSE, "done", EMPTY),
    Message(0x36, "removeProcess", _one("processid"), "done", EMPTY),
    Message(0x37, "colonyStatistics", _one("colonyid"), "statistics", STATISTICS),
    Message(0x40, "addAttribute", NEW_ATTRIBUTE, "attribute", ATTRIBUTE),
    Message(0x41, "getAttribute", _one("attributeid"), "attribute", ATTRIBUTE),
    Message(0x50, "subscribeProcess", _one("processid"), "done", EMPTY),
    Message(0x51, "subscribeColony", Struct("subscribeColony", [
        ("colonyid", ID), ("state", PROCESS_STATE)]), "done", EMPTY),
]
BY_TYPE = {m.code: m for m in MESSAGES}
BY_NAME = {m.name: m for m in MESSAGES}


def encode_request_body(name, fields):
    return encode_value(BY_NAME[name].request, fields)


def decode_request_body(msg_type, body):
    return decode_value(BY_TYPE[msg_type].request, body)


def encode_reply_body(request_name, fields):
    return encode_value(BY_NAME[request_name].reply, fields)


# ---------------------------------------------------------------------------------------------
# Frames (section 3)

class Frame:
    def __init__(self, version, msg_type, flags, request_id, body, sequence=None,
                 signature=None, raw=b""):
        self.version = version
        self.type = msg_type
        self.flags = flags
        self.request_id = request_id
        self.body = body
        self.sequence = sequence
        self.signature = signature
        self.raw = raw

    @property
    def signed(self):
        return bool(self.flags & FLAG_SIGNED)

    def digest(self, challenge):
        return signing_digest(challenge, self.version, self.type, self.request_id,
                              self.sequence, self.body)


def encode_frame(msg_type, request_id, body, sequence=None, signature=None, version=VERSION,
                 flags=None):
    """Assemble a frame. A signed frame needs both sequence and signature."""
    signed = sequence is not None
    if flags is None:
        flags = FLAG_SIGNED if signed else 0
    payload = bytearray(struct.pack(">BBBI", version, msg_type, flags, request_id))
    if signed:
        payload += struct.pack(">Q", sequence)
    payload += body
    if signed:
        if signature is None or len(signature) != SIGNATURE_LENGTH:
            raise ValueError("a signed frame needs a 65-byte signature")
        payload += signature
    if not HEADER_LENGTH <= len(payload) <= MAX_FRAME_LENGTH:
        raise ValueError("frame length %d out of range" % len(payload))
    return struct.pack(">I", len(payload)) + bytes(payload)


def encode_request(name, request_id, fields, challenge=None, sequence=None, private_key=None,
                   signature=None):
    """A request frame. Ping is unsigned; every other request is signed (section 5)."""
    msg = BY_NAME[name]
    body = encode_request_body(name, fields)
    if msg.code == TYPE_PING:
        return encode_frame(msg.code, request_id, body)
    if signature is None:
        digest = signing_digest(challenge, VERSION, msg.code, request_id, sequence, body)
        signature = sign_digest(private_key, digest)
    return encode_frame(msg.code, request_id, body, sequence, signature)


def parse_frame(data, eof=True):
    """Steps 1 and 2 of section 6 on the bytes received so far.

    Returns (Frame, bytes used), or None when more bytes are needed and eof is False.
    With eof True, the connection has ended after `data`: a partial frame is 1 truncated.
    """
    data = bytes(data)
    if len(data) < 4:
        if eof:
            raise WireError(1, "connection ended inside the length prefix")
        return None
    length = struct.unpack(">I", data[:4])[0]
    if length > MAX_FRAME_LENGTH:
        raise WireError(2, "length %d" % length)
    if length < HEADER_LENGTH:
        raise WireError(1, "length %d is below the header" % length)
    if len(data) < 4 + length:
        if eof:
            raise WireError(1, "connection ended %d bytes early" % (4 + length - len(data)))
        return None
    payload = data[4:4 + length]
    version, msg_type, flags, request_id = struct.unpack(">BBBI", payload[:7])
    if version != VERSION:
        raise WireError(3, "version %d" % version)
    if flags & ~FLAG_SIGNED:
        raise WireError(5, "flags %#04x" % flags)
    rest = payload[7:]
    if flags & FLAG_SIGNED:
        if len(rest) < SEQUENCE_LENGTH:
            raise WireError(1, "no room for the sequence")
        sequence = struct.unpack(">Q", rest[:8])[0]
        rest = rest[8:]
        if len(rest) < SIGNATURE_LENGTH:
            raise WireError(1, "no room for the signature")
        frame = Frame(version, msg_type, flags, request_id, rest[:-SIGNATURE_LENGTH],
                      sequence, rest[-SIGNATURE_LENGTH:], data[:4 + length])
    else:
        frame = Frame(version, msg_type, flags, request_id, rest, raw=data[:4 + length])
    return frame, 4 + length


# ---------------------------------------------------------------------------------------------
# Server side: step 3 of section 6 (and the 40 check of step 4)

class VerifiedRequest:
    def __init__(self, frame, name, fields, signer=None, digest=None):
        self.frame = frame
        self.name = name
        self.fields = fields
        self.signer = signer  # hex id, None for ping
        self.digest = digest


class ServerConnection:
    """What a server keeps per connection: the challenge and the highest accepted sequence."""

    def __init__(self, challenge, last_sequence=0, known_identities=None):
        self.challenge = bytes(challenge)
        self.last_sequence = last_sequence
        self.known_identities = known_identities  # set of hex ids, or None: skip check 40

    def verify(self, frame):
        msg = BY_TYPE.get(frame.type)
        if msg is None:  # replies, hello, event, error and unknown types (3.1)
            raise WireError(4, "type %#04x" % frame.type)
        if msg.code == TYPE_PING:
            if frame.signed:
                raise WireError(23, "ping is never signed")
            if frame.body:
                raise WireError(8, "ping has an empty body")
            return VerifiedRequest(frame, msg.name, {})
        if not frame.signed:
            raise WireError(20, "%s must be signed" % msg.name)
        if frame.sequence <= self.last_sequence:
            raise WireError(22, "sequence %d, highest accepted %d"
                            % (frame.sequence, self.last_sequence))
        fields = decode_value(msg.request, frame.body)
        digest = frame.digest(self.challenge)
        signer = recover_identity(digest, frame.signature).hex()
        self.last_sequence = frame.sequence
        if self.known_identities is not None and signer not in self.known_identities:
            raise WireError(40, "signer %s" % signer)
        return VerifiedRequest(frame, msg.name, fields, signer, digest)

    def read(self, data, eof=True):
        """Steps 1 to 3 on raw bytes holding one frame."""
        parsed = parse_frame(data, eof)
        if parsed is None:
            return None
        return self.verify(parsed[0])


# ---------------------------------------------------------------------------------------------
# Client side: reading server frames (section 7)

class ServerMessage:
    def __init__(self, frame, kind, fields, request_name=None, reply_name=None):
        self.frame = frame
        self.kind = kind  # hello, reply, event or error
        self.fields = fields
        self.request_name = request_name
        self.reply_name = reply_name


def read_server_frame(frame):
    if frame.signed:
        raise WireError(23, "server frames are never signed")
    if frame.type == TYPE_HELLO:
        return ServerMessage(frame, "hello", decode_value(HELLO, frame.body))
    if frame.type == TYPE_ERROR:
        return ServerMessage(frame, "error", decode_value(ERROR_BODY, frame.body))
    if frame.type == TYPE_EVENT:
        return ServerMessage(frame, "event", decode_value(PROCESS, frame.body))
    msg = BY_TYPE.get(frame.type & ~REPLY_BIT) if frame.type & REPLY_BIT else None
    if msg is None:
        raise WireError(4, "type %#04x" % frame.type)
    return ServerMessage(frame, "reply", decode_value(msg.reply, frame.body), msg.name,
                         msg.reply_name)


def encode_server_frame(kind, request_id, fields, request_name=None):
    """hello, reply (needs request_name), event or error: unsigned, flags 0."""
    if kind == "hello":
        return encode_frame(TYPE_HELLO, request_id, encode_value(HELLO, fields))
    if kind == "error":
        return encode_frame(TYPE_ERROR, request_id, encode_value(ERROR_BODY, fields))
    if kind == "event":
        return encode_frame(TYPE_EVENT, request_id, encode_value(PROCESS, fields))
    if kind == "reply":
        msg = BY_NAME[request_name]
        return encode_frame(msg.code | REPLY_BIT, request_id, encode_value(msg.reply, fields))
    raise ValueError("unknown kind %r" % kind)
