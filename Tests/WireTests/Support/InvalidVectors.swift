import Wire

/// Frames that must be refused, each with the one error code it must produce.
struct InvalidCase {
    enum Direction: String {
        /// Read by a server: parsed, then checked by a `RequestVerifier`.
        case request
        /// Read by a client: parsed, then decoded by its type byte.
        case server
    }

    let name: String
    let direction: Direction
    let description: String
    let frame: [UInt8]
    let code: ErrorCode
    var lastSequence: UInt64 = 0
    /// For a frame signed for another connection: the id that signed it. Verification
    /// succeeds but recovers a different id, which the server does not know.
    var knownSigner: ID? = nil
    /// The challenge such a frame was signed for, under which it recovers `knownSigner`.
    var signedChallenge: ID? = nil

    var json: JSON {
        var members: [(String, JSON)] = [
            ("name", .string(name)), ("direction", .string(direction.rawValue)),
            ("description", .string(description)),
            ("code", .int(code.rawValue)), ("code_name", .string(code.name)),
        ]
        if direction == .request {
            members.append(("challenge", .string(Fixtures.challenge.hex)))
            members.append(("last_sequence", .int(lastSequence)))
        }
        if let knownSigner { members.append(("known_signer", .string(knownSigner.hex))) }
        if let signedChallenge {
            members.append(("signed_for_challenge", .string(signedChallenge.hex)))
        }
        members.append(("frame", .string(Hex.encode(frame))))
        return .object(members)
    }
}

extension VectorCatalog {
    static var invalidCases: [InvalidCase] {
        framingCases + headerCases + authenticationCases + encodingCases + ruleCases
            + serverCases
    }

    // MARK: Helpers

    private static func body(_ write: (inout WireWriter) -> Void) -> [UInt8] {
        var w = WireWriter()
        write(&w)
        return w.bytes
    }

    /// A request frame signed by the runtime key under sequence 1.
    private static func signed(_ type: MessageType, _ body: [UInt8], requestId: UInt32 = 1)
        -> [UInt8]
    {
        RawFrames.signed(
            type: type.rawValue, requestId: requestId, sequence: 1, body: body,
            key: Fixtures.runtimeKey)
    }

    private static var getColonyFrame: [UInt8] {
        signed(.getColony, Fixtures.colonyId.bytes)
    }

    private static func spec(_ change: (inout ProcessSpec) -> Void) -> [UInt8] {
        var s = Fixtures.submittedSpec
        change(&s)
        return s.encoded
    }

    private static func colonyBody(nameBytes: [UInt8]) -> [UInt8] {
        body {
            $0.id(Fixtures.colonyId)
            $0.varint(nameBytes.count)
            $0.raw(nameBytes)
        }
    }

    // MARK: Length prefix

    private static var framingCases: [InvalidCase] {
        let whole = getColonyFrame
        return [
            InvalidCase(
                name: "truncated-length-prefix", direction: .request,
                description: "The connection ends after 3 of the 4 bytes of a length prefix.",
                frame: [0x00, 0x00, 0x00], code: .truncated),
            InvalidCase(
                name: "truncated-frame", direction: .request,
                description: "The connection ends 10 bytes before the end the length prefix "
                    + "announced.",
                frame: Array(whole.dropLast(10)), code: .truncated),
            InvalidCase(
                name: "length-over-limit", direction: .request,
                description: "The length prefix is 1 MiB + 1 (0x00100001); refused on the prefix "
                    + "alone, before the rest arrives.",
                frame: [0x00, 0x10, 0x00, 0x01]
                    + RawFrames.header(type: 0x12, flags: 1, requestId: 1),
                code: .frameTooLarge),
            InvalidCase(
                name: "length-all-ones", direction: .request,
                description: "The length prefix is 0xffffffff.",
                frame: [0xff, 0xff, 0xff, 0xff]
                    + RawFrames.header(type: 0x12, flags: 1, requestId: 1),
                code: .frameTooLarge),
            InvalidCase(
                name: "length-below-header", direction: .request,
                description: "The length prefix is 6, one less than the 7-byte header.",
                frame: RawFrames.prefixed([0x01, 0x02, 0x00, 0x00, 0x00, 0x00]), code: .truncated),
            InvalidCase(
                name: "length-zero", direction: .request,
                description: "The length prefix is 0.", frame: [0, 0, 0, 0], code: .truncated),
        ]
    }

    // MARK: Header

    private static var headerCases: [InvalidCase] {
        let ping = MessageType.ping.rawValue
        let sequenceOnly = RawFrames.header(type: 0x12, flags: 1, requestId: 1) + [0, 0, 0, 0]
        let noSignature =
            RawFrames.header(type: 0x12, flags: 1, requestId: 1) + [0, 0, 0, 0, 0, 0, 0, 1]
            + [UInt8](repeating: 0, count: 40)
        return [
            InvalidCase(
                name: "truncated-sequence", direction: .request,
                description: "A signed frame (flags 1) that ends 4 bytes into its 8-byte sequence.",
                frame: RawFrames.prefixed(sequenceOnly), code: .truncated),
            InvalidCase(
                name: "truncated-signature", direction: .request,
                description: "A signed frame with only 40 bytes after the sequence: too few for "
                    + "the 65-byte signature.",
                frame: RawFrames.prefixed(noSignature), code: .truncated),
            InvalidCase(
                name: "truncated-body", direction: .request,
                description: "A signed getColony whose body holds 31 of the 32 bytes of the "
                    + "colony id.",
                frame: signed(.getColony, Array(Fixtures.colonyId.bytes.dropLast())),
                code: .truncated),
            InvalidCase(
                name: "unsupported-version", direction: .request,
                description: "A signed getColony with version byte 2.",
                frame: RawFrames.signed(
                    type: 0x12, requestId: 1, sequence: 1, body: Fixtures.colonyId.bytes,
                    key: Fixtures.runtimeKey, version: 2),
                code: .unsupportedVersion),
            InvalidCase(
                name: "version-zero", direction: .request,
                description: "An unsigned ping with version byte 0.",
                frame: RawFrames.unsigned(type: ping, requestId: 1, body: [], version: 0),
                code: .unsupportedVersion),
            InvalidCase(
                name: "bad-flags-reserved-bit", direction: .request,
                description: "A ping with flags 0x02: bits 1 to 7 are reserved and must be 0.",
                frame: RawFrames.unsigned(type: ping, requestId: 1, body: [], flags: 0x02),
                code: .badFlags),
            InvalidCase(
                name: "bad-flags-signed-and-reserved", direction: .request,
                description: "A getColony with flags 0x81: signed, and a reserved bit set.",
                frame: RawFrames.signed(
                    type: 0x12, requestId: 1, sequence: 1, body: Fixtures.colonyId.bytes,
                    key: Fixtures.runtimeKey, flags: 0x81),
                code: .badFlags),
            InvalidCase(
                name: "unknown-message-type", direction: .request,
                description: "A signed frame of type 0x03, which no message has.",
                frame: RawFrames.signed(
                    type: 0x03, requestId: 1, sequence: 1, body: [], key: Fixtures.runtimeKey),
                code: .unknownMessageType),
            InvalidCase(
                name: "reply-type-as-request", direction: .request,
                description: "A signed frame of type 0x92, the reply to getColony, sent to the "
                    + "server.",
                frame: RawFrames.signed(
                    type: 0x92, requestId: 1, sequence: 1, body: Fixtures.colonyId.bytes,
                    key: Fixtures.runtimeKey),
                code: .unknownMessageType),
            InvalidCase(
                name: "hello-type-as-request", direction: .request,
                description: "An unsigned frame of type 0x01 (hello) sent to the server.",
                frame: RawFrames.unsigned(type: 0x01, requestId: 1, body: Fixtures.hello.encoded),
                code: .unknownMessageType),
            InvalidCase(
                name: "event-type-as-request", direction: .request,
                description: "A signed frame of type 0x7e (event) sent to the server.",
                frame: RawFrames.signed(
                    type: 0x7e, requestId: 1, sequence: 1,
                    body: Fixtures.successfulProcess.encoded, key: Fixtures.runtimeKey),
                code: .unknownMessageType),
        ]
    }

    // MARK: Signature and sequence

    private static var authenticationCases: [InvalidCase] {
        let whole = getColonyFrame
        let sig = RawFrames.signature(of: whole)
        let later = RawFrames.signed(
            type: 0x12, requestId: 9, sequence: 7, body: Fixtures.colonyId.bytes,
            key: Fixtures.runtimeKey)
        let lower = RawFrames.signed(
            type: 0x12, requestId: 9, sequence: 6, body: Fixtures.colonyId.bytes,
            key: Fixtures.runtimeKey)
        let zero = RawFrames.signed(
            type: 0x12, requestId: 9, sequence: 0, body: Fixtures.colonyId.bytes,
            key: Fixtures.runtimeKey)
        return [
            InvalidCase(
                name: "unsigned-request", direction: .request,
                description: "A getColony with flags 0: every request but ping must be signed.",
                frame: RawFrames.unsigned(type: 0x12, requestId: 1, body: Fixtures.colonyId.bytes),
                code: .unsignedRequest),
            InvalidCase(
                name: "signed-ping", direction: .request,
                description: "A ping with flags 1, a sequence and a valid signature: ping is "
                    + "never signed.",
                frame: signed(.ping, []), code: .unexpectedSignature),
            InvalidCase(
                name: "bad-signature-v-2", direction: .request,
                description: "A valid getColony whose recovery id v is changed from \(sig.v) to 2.",
                frame: RawFrames.replacingSignature(
                    of: whole, with: Signature(r: sig.r, s: sig.s, v: 2)),
                code: .badSignature),
            InvalidCase(
                name: "bad-signature-high-s", direction: .request,
                description: "A valid getColony with s replaced by n - s and v flipped: the "
                    + "same signature in its high-S form, which is refused.",
                frame: RawFrames.replacingSignature(
                    of: whole,
                    with: Signature(r: sig.r, s: RawFrames.negated(sig.s), v: sig.v ^ 1)),
                code: .badSignature),
            InvalidCase(
                name: "bad-signature-r-zero", direction: .request,
                description: "A valid getColony with r set to zero.",
                frame: RawFrames.replacingSignature(
                    of: whole, with: Signature(r: .zero, s: sig.s, v: sig.v)),
                code: .badSignature),
            InvalidCase(
                name: "bad-signature-s-zero", direction: .request,
                description: "A valid getColony with s set to zero.",
                frame: RawFrames.replacingSignature(
                    of: whole, with: Signature(r: sig.r, s: .zero, v: sig.v)),
                code: .badSignature),
            InvalidCase(
                name: "wrong-challenge", direction: .request,
                description: "A getProcess signed by the runtime for another connection's "
                    + "challenge (sha3-256 of \"colonies/vectors/other-challenge\"). The "
                    + "signature verifies, but it recovers an id that is not the runtime's: "
                    + "the server knows no such identity.",
                frame: RawFrames.signed(
                    type: MessageType.getProcess.rawValue, requestId: 1, sequence: 1,
                    body: Fixtures.processId.bytes, key: Fixtures.runtimeKey,
                    challenge: Fixtures.otherChallenge),
                code: .unknownIdentity, knownSigner: Fixtures.runtimeId,
                signedChallenge: Fixtures.otherChallenge),
            InvalidCase(
                name: "repeated-sequence", direction: .request,
                description: "A valid getColony with sequence 7 on a connection that has "
                    + "already accepted sequence 7.",
                frame: later, code: .staleSequence, lastSequence: 7),
            InvalidCase(
                name: "lower-sequence", direction: .request,
                description: "A valid getColony with sequence 6 after sequence 7 was accepted.",
                frame: lower, code: .staleSequence, lastSequence: 7),
            InvalidCase(
                name: "sequence-zero", direction: .request,
                description: "A valid getColony with sequence 0 as the first request of a "
                    + "connection: sequences start above 0.",
                frame: zero, code: .staleSequence, lastSequence: 0),
        ]
    }

    // MARK: Canonical encoding

    private static var encodingCases: [InvalidCase] {
        let name = Array("lab-colony".utf8)
        let addColony = MessageType.addColony
        return [
            InvalidCase(
                name: "non-canonical-varint", direction: .request,
                description: "addColony whose name length 10 is written in two bytes (8a 00) "
                    + "instead of one (0a).",
                frame: signed(
                    addColony,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.raw([0x8a, 0x00])
                        $0.raw(name)
                    }),
                code: .nonCanonicalInteger),
            InvalidCase(
                name: "varint-ten-bytes", direction: .request,
                description: "addColony whose name length is a 10-byte varint (nine 80 bytes, "
                    + "then 01): longer than any length can be.",
                frame: signed(
                    addColony,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.raw([UInt8](repeating: 0x80, count: 9) + [0x01])
                    }),
                code: .limitExceeded),
            InvalidCase(
                name: "varint-nine-bytes-then-end", direction: .request,
                description: "addColony whose body ends after nine 80 bytes of the name's "
                    + "length: the reader asks for a tenth byte and finds none.",
                frame: signed(
                    addColony,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.raw([UInt8](repeating: 0x80, count: 9))
                    }),
                code: .truncated),
            InvalidCase(
                name: "bad-enum-process-state", direction: .request,
                description: "listProcesses with state 4 (states are 0 to 3).",
                frame: signed(
                    .listProcesses,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.u8(4)
                        $0.u16(10)
                    }),
                code: .badEnum),
            InvalidCase(
                name: "bad-enum-attribute-type", direction: .request,
                description: "addAttribute with type 4 (types are 0 to 3).",
                frame: signed(
                    .addAttribute,
                    body {
                        $0.id(Fixtures.processId)
                        $0.u32(1)
                        $0.u8(4)
                        $0.text("result")
                        $0.text("1")
                    }),
                code: .badEnum),
            InvalidCase(
                name: "bad-enum-runtime-state", direction: .request,
                description: "addRuntime with runtime state 3 (states are 0 to 2).",
                frame: signed(
                    .addRuntime,
                    {
                        var b = Fixtures.newRuntime.encoded
                        b[b.count - 9] = 3
                        return b
                    }()),
                code: .badEnum),
            InvalidCase(
                name: "invalid-utf8", direction: .request,
                description: "addColony whose name holds the byte ff, which UTF-8 never uses.",
                frame: signed(addColony, colonyBody(nameBytes: Array("lab".utf8) + [0xff])),
                code: .invalidUTF8),
            InvalidCase(
                name: "invalid-utf8-surrogate", direction: .request,
                description: "submitProcess whose first argument holds ed a0 80, the UTF-8 "
                    + "form of the surrogate U+D800, which UTF-8 forbids.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.args = WireList([Text("@@@")])
                    }.replacing([0x03, 0x40, 0x40, 0x40], with: [0x03, 0xed, 0xa0, 0x80])),
                code: .invalidUTF8),
            InvalidCase(
                name: "invalid-utf8-overlong", direction: .request,
                description: "submitProcess whose environment value holds c0 af, an over-long "
                    + "form of '/'.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.env = WireList([EnvVar(key: "K", value: "@@")])
                    }.replacing([0x02, 0x40, 0x40], with: [0x02, 0xc0, 0xaf])),
                code: .invalidUTF8),
            InvalidCase(
                name: "trailing-bytes-in-body", direction: .request,
                description: "getColony with one byte after the 32-byte colony id.",
                frame: signed(.getColony, Fixtures.colonyId.bytes + [0x00]),
                code: .trailingBytes),
            InvalidCase(
                name: "trailing-bytes-in-ping", direction: .request,
                description: "An unsigned ping with a 1-byte body; its body is empty.",
                frame: RawFrames.unsigned(type: 0x02, requestId: 1, body: [0x00]),
                code: .trailingBytes),
            InvalidCase(
                name: "env-keys-not-sorted", direction: .request,
                description: "submitProcess with environment keys SENSOR then LANG: keys must "
                    + "be in strictly ascending byte order.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.env = WireList([
                            EnvVar(key: "SENSOR", value: "greenhouse-3"),
                            EnvVar(key: "LANG", value: "C.UTF-8"),
                        ])
                    }),
                code: .notSorted),
            InvalidCase(
                name: "env-keys-repeated", direction: .request,
                description: "submitProcess with the key LANG twice.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.env = WireList([
                            EnvVar(key: "LANG", value: "C"), EnvVar(key: "LANG", value: "C.UTF-8"),
                        ])
                    }),
                code: .notSorted),
            InvalidCase(
                name: "runtime-ids-not-sorted", direction: .request,
                description: "submitProcess whose condition lists runtime ids 8a12... before "
                    + "2036...: ids must be in strictly ascending byte order.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.conditions.runtimeIds = WireList([
                            Fixtures.otherRuntimeId, Fixtures.runtimeId,
                        ])
                    }),
                code: .notSorted),
            InvalidCase(
                name: "args-count-over-limit", direction: .request,
                description: "submitProcess with 65 arguments (at most 64).",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.args = WireList([Text](repeating: "a", count: 65))
                    }),
                code: .limitExceeded),
            InvalidCase(
                name: "arg-too-long-with-nul", direction: .request,
                description: "submitProcess whose only argument is 4097 bytes, the first of "
                    + "them NUL: the length (at most 4096) is checked on the varint, before the "
                    + "character rule.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.args = WireList([Text("\u{0}" + String(repeating: "a", count: 4096))])
                    }),
                code: .limitExceeded),
            InvalidCase(
                name: "runtime-ids-count-over-limit", direction: .request,
                description: "submitProcess whose condition announces 65 runtime ids (at most "
                    + "64); refused on the count, before the ids.",
                frame: signed(
                    .submitProcess,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.varint(65)
                    }),
                code: .limitExceeded),
        ]
    }

    // MARK: Field rules

    private static var ruleCases: [InvalidCase] {
        let addColony = MessageType.addColony
        return [
            InvalidCase(
                name: "name-forbidden-character", direction: .request,
                description: "addColony named \"lab colony\": a space is not a name character.",
                frame: signed(addColony, Colony(id: Fixtures.colonyId, name: "lab colony").encoded),
                code: .invalidValue),
            InvalidCase(
                name: "name-empty", direction: .request,
                description: "addColony with an empty name.",
                frame: signed(addColony, Colony(id: Fixtures.colonyId, name: "").encoded),
                code: .invalidValue),
            InvalidCase(
                name: "name-too-long", direction: .request,
                description: "addColony with a 65-byte name (at most 64).",
                frame: signed(
                    addColony, colonyBody(nameBytes: [UInt8](repeating: 0x61, count: 65))),
                code: .limitExceeded),
            InvalidCase(
                name: "func-empty", direction: .request,
                description: "submitProcess with an empty func.",
                frame: signed(.submitProcess, spec { $0.function = "" }), code: .invalidValue),
            InvalidCase(
                name: "func-control-character", direction: .request,
                description: "submitProcess whose func ends in a line feed.",
                frame: signed(.submitProcess, spec { $0.function = "echo\n" }),
                code: .invalidValue),
            InvalidCase(
                name: "env-key-starts-with-digit", direction: .request,
                description: "submitProcess with the environment key 1PATH.",
                frame: signed(
                    .submitProcess,
                    spec {
                        $0.env = WireList([EnvVar(key: "1PATH", value: "/bin")])
                    }),
                code: .invalidValue),
            InvalidCase(
                name: "priority-over-range", direction: .request,
                description: "submitProcess with priority 1001 (-1000 to 1000).",
                frame: signed(.submitProcess, spec { $0.priority = 1001 }), code: .invalidValue),
            InvalidCase(
                name: "priority-under-range", direction: .request,
                description: "submitProcess with priority -1001.",
                frame: signed(.submitProcess, spec { $0.priority = -1001 }), code: .invalidValue),
            InvalidCase(
                name: "timeout-zero", direction: .request,
                description: "submitProcess with timeout 0 (-1, or 1 to 31536000).",
                frame: signed(.submitProcess, spec { $0.timeout = 0 }), code: .invalidValue),
            InvalidCase(
                name: "maxretries-under-range", direction: .request,
                description: "submitProcess with maxretries -2 (-1, or 0 to 1000).",
                frame: signed(.submitProcess, spec { $0.maxRetries = -2 }), code: .invalidValue),
            InvalidCase(
                name: "list-count-zero", direction: .request,
                description: "listProcesses asking for 0 processes (1 to 1000).",
                frame: signed(
                    .listProcesses,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.u8(0)
                        $0.u16(0)
                    }),
                code: .invalidValue),
            InvalidCase(
                name: "list-count-over-limit", direction: .request,
                description: "listProcesses asking for 1001 processes (1 to 1000).",
                frame: signed(
                    .listProcesses,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.u8(0)
                        $0.u16(1001)
                    }),
                code: .invalidValue),
            InvalidCase(
                name: "wait-over-limit", direction: .request,
                description: "assignProcess waiting 3601 seconds (at most 3600).",
                frame: signed(
                    .assignProcess,
                    body {
                        $0.id(Fixtures.colonyId)
                        $0.u16(3601)
                    }),
                code: .invalidValue),
            InvalidCase(
                name: "add-runtime-not-pending", direction: .request,
                description: "addRuntime whose runtime state is 1 (approved): a new runtime "
                    + "must say 0 (pending) and registeredat 0.",
                frame: signed(
                    .addRuntime,
                    {
                        var r = Fixtures.newRuntime
                        r.state = .approved
                        return r.encoded
                    }()),
                code: .invalidValue),
            InvalidCase(
                name: "add-runtime-registered", direction: .request,
                description: "addRuntime whose registeredat is 1 (state 0): a new runtime must "
                    + "say registeredat 0.",
                frame: signed(
                    .addRuntime,
                    {
                        var r = Fixtures.newRuntime
                        r.registeredAt = 1
                        return r.encoded
                    }()),
                code: .invalidValue),
            InvalidCase(
                name: "add-runtime-not-pending-cut-short", direction: .request,
                description: "addRuntime with state 1 whose registeredat has 7 of its 8 bytes: "
                    + "the state rule is checked once the whole Runtime is read, so the cut "
                    + "wins.",
                frame: signed(
                    .addRuntime,
                    {
                        var r = Fixtures.newRuntime
                        r.state = .approved
                        return Array(r.encoded.dropLast())
                    }()),
                code: .truncated),
            InvalidCase(
                name: "add-runtime-not-pending-trailing-byte", direction: .request,
                description: "addRuntime with state 1 and one byte after the Runtime: the state "
                    + "rule is checked before the trailing-bytes check.",
                frame: signed(
                    .addRuntime,
                    {
                        var r = Fixtures.newRuntime
                        r.state = .approved
                        return r.encoded + [0x00]
                    }()),
                code: .invalidValue),
        ]
    }

    // MARK: Server frames

    private static var serverCases: [InvalidCase] {
        let assign = MessageType.assignProcess
        return [
            InvalidCase(
                name: "bad-boolean", direction: .server,
                description: "A reply to assignProcess whose assigned flag is 2.",
                frame: RawFrames.unsigned(type: assign.replyByte, requestId: 15, body: [0x02]),
                code: .badBoolean),
            InvalidCase(
                name: "event-bad-process-state", direction: .server,
                description: "An event whose process has state 9.",
                frame: RawFrames.unsigned(
                    type: 0x7e, requestId: 23,
                    body: {
                        var b = Fixtures.successfulProcess.encoded
                        b[32] = 9
                        return b
                    }()),
                code: .badEnum),
            InvalidCase(
                name: "event-trailing-bytes", direction: .server,
                description: "An event with one byte after its process.",
                frame: RawFrames.unsigned(
                    type: 0x7e, requestId: 23, body: Fixtures.successfulProcess.encoded + [0]),
                code: .trailingBytes),
            InvalidCase(
                name: "reply-list-over-limit", direction: .server,
                description: "A reply to listColonies announcing 1001 colonies (at most 1000).",
                frame: RawFrames.unsigned(type: 0x91, requestId: 3, body: body { $0.varint(1001) }),
                code: .limitExceeded),
            InvalidCase(
                name: "reply-attributes-over-limit", direction: .server,
                description: "A reply to getProcess announcing 257 attributes (at most 256).",
                frame: RawFrames.unsigned(
                    type: MessageType.getProcess.replyByte, requestId: 13,
                    body: Fixtures.runningProcess.encoded + body { $0.varint(257) }),
                code: .limitExceeded),
            InvalidCase(
                name: "hello-versions-reversed", direction: .server,
                description: "A hello whose minversion 2 is above its maxversion 1.",
                frame: RawFrames.unsigned(
                    type: 0x01, requestId: 0,
                    body: body {
                        $0.u8(2)
                        $0.u8(1)
                        $0.id(Fixtures.challenge)
                        $0.id(Fixtures.serverId)
                    }),
                code: .invalidValue),
            InvalidCase(
                name: "hello-versions-reversed-cut-short", direction: .server,
                description: "A hello of two bytes, minversion 2 and maxversion 1: the versions "
                    + "are compared right after both are read, before the challenge.",
                frame: RawFrames.unsigned(type: 0x01, requestId: 0, body: [0x02, 0x01]),
                code: .invalidValue),
            InvalidCase(
                name: "error-message-over-limit", direction: .server,
                description: "An error frame whose message is 1025 bytes (at most 1024).",
                frame: RawFrames.unsigned(
                    type: 0x7f, requestId: 1,
                    body: body {
                        $0.u16(61)
                        $0.text(Text(String(repeating: "x", count: 1025)))
                    }),
                code: .limitExceeded),
            InvalidCase(
                name: "reply-to-unknown-type", direction: .server,
                description: "A frame of type 0x83: a reply to type 0x03, which no message has.",
                frame: RawFrames.unsigned(type: 0x83, requestId: 1, body: []),
                code: .unknownMessageType),
            InvalidCase(
                name: "reply-to-hello", direction: .server,
                description: "A frame of type 0x81: hello has no reply.",
                frame: RawFrames.unsigned(type: 0x81, requestId: 1, body: []),
                code: .unknownMessageType),
            InvalidCase(
                name: "reply-to-gap-type", direction: .server,
                description: "A frame of type 0x94: 0x14 lies between request types but is "
                    + "none, so this is no reply.",
                frame: RawFrames.unsigned(type: 0x94, requestId: 1, body: []),
                code: .unknownMessageType),
            InvalidCase(
                name: "signed-server-frame", direction: .server,
                description: "A reply to closeSuccessful (0xb4, empty body) with flags 1, a "
                    + "sequence and a signature by the server owner: server frames are never "
                    + "signed.",
                frame: RawFrames.signed(
                    type: MessageType.closeSuccessful.replyByte, requestId: 16, sequence: 1,
                    body: [], key: Fixtures.serverOwnerKey),
                code: .unexpectedSignature),
        ]
    }
}

extension Array where Element == UInt8 {
    /// The bytes with `old`, which must occur exactly once, replaced by `new`.
    func replacing(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        let starts = (0...(count - old.count)).filter { Array(self[$0..<$0 + old.count]) == old }
        precondition(starts.count == 1, "pattern \(Hex.encode(old)) must occur exactly once")
        let i = starts[0]
        return Array(self[..<i]) + new + Array(self[(i + old.count)...])
    }
}
