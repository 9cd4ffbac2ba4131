import Wire

struct VectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One generated example: its vector for the JSON file and its annotated layout for the
/// specification.
struct GeneratedVector {
    let name: String
    let title: String
    let json: JSON
    let annotation: Annotation
}

/// The valid request and server-frame vectors.
enum VectorCatalog {
    struct RequestCase {
        let request: Request
        /// The signer's private key; nil for ping, the one unsigned request.
        let keyHex: String?
        let signerRole: String
    }

    /// One request of every type, in type order; request id and sequence are the position.
    static var requestCases: [RequestCase] {
        let server = Fixtures.serverOwnerKeyHex
        let owner = Fixtures.colonyOwnerKeyHex
        let runtime = Fixtures.runtimeKeyHex
        let colonyId = Fixtures.colonyId
        let processId = Fixtures.processId
        let attributeId = Fixtures.attribute.id
        return [
            RequestCase(request: .ping, keyHex: nil, signerRole: "nobody (unsigned)"),
            RequestCase(
                request: .addColony(Fixtures.colony), keyHex: server, signerRole: "server owner"),
            RequestCase(request: .listColonies, keyHex: server, signerRole: "server owner"),
            RequestCase(
                request: .getColony(colonyId: colonyId), keyHex: server,
                signerRole: "server owner"),
            RequestCase(
                request: .removeColony(colonyId: Fixtures.otherColonyId), keyHex: server,
                signerRole: "server owner"),
            RequestCase(
                request: .addRuntime(Fixtures.newRuntime), keyHex: owner, signerRole: "colony owner"
            ),
            RequestCase(
                request: .listRuntimes(colonyId: colonyId), keyHex: owner,
                signerRole: "colony owner"),
            RequestCase(
                request: .getRuntime(runtimeId: Fixtures.runtimeId), keyHex: owner,
                signerRole: "colony owner"),
            RequestCase(
                request: .approveRuntime(runtimeId: Fixtures.runtimeId), keyHex: owner,
                signerRole: "colony owner"),
            RequestCase(
                request: .rejectRuntime(runtimeId: Fixtures.otherRuntimeId), keyHex: owner,
                signerRole: "colony owner"),
            RequestCase(
                request: .removeRuntime(runtimeId: Fixtures.otherRuntimeId), keyHex: owner,
                signerRole: "colony owner"),
            RequestCase(
                request: .submitProcess(Fixtures.submittedSpec), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .getProcess(processId: processId), keyHex: runtime, signerRole: "runtime"),
            RequestCase(
                request: .listProcesses(colonyId: colonyId, state: .waiting, count: 100),
                keyHex: runtime, signerRole: "runtime"),
            RequestCase(
                request: .assignProcess(colonyId: colonyId, waitSeconds: 10), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .closeSuccessful(processId: processId, attempt: 1), keyHex: runtime,
                signerRole: "assigned runtime"),
            RequestCase(
                request: .closeFailed(processId: processId, attempt: 1), keyHex: runtime,
                signerRole: "assigned runtime"),
            RequestCase(
                request: .removeProcess(processId: Fixtures.otherProcessId), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .colonyStatistics(colonyId: colonyId), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .addAttribute(Fixtures.newAttribute), keyHex: runtime,
                signerRole: "assigned runtime"),
            RequestCase(
                request: .getAttribute(attributeId: attributeId), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .subscribeProcess(processId: processId), keyHex: runtime,
                signerRole: "runtime"),
            RequestCase(
                request: .subscribeColony(colonyId: colonyId, state: .successful), keyHex: runtime,
                signerRole: "runtime"),
        ]
    }

    /// The request id (and sequence) the vectors use for a request of `type`.
    static func requestId(of type: MessageType) -> UInt32 {
        UInt32(requestCases.firstIndex { $0.request.type == type }! + 1)
    }

    static func requests() throws(VectorError) -> [GeneratedVector] {
        var out: [GeneratedVector] = []
        for (i, c) in requestCases.enumerated() {
            out.append(try requestVector(c, requestId: UInt32(i + 1), sequence: UInt64(i + 1)))
        }
        return out
    }

    private static func requestVector(_ c: RequestCase, requestId: UInt32, sequence: UInt64)
        throws(VectorError) -> GeneratedVector
    {
        let key = c.keyHex.map(Fixtures.key)
        let type = c.request.type
        var encoder = FrameEncoder()
        let bytes = encoder.request(
            c.request, requestId: requestId, key: key, challenge: Fixtures.challenge,
            sequence: sequence)
        let frame: Frame
        do {
            frame = try FrameParser.parseWhole(bytes[...])
        } catch {
            throw VectorError("\(type.name): the encoder's frame does not parse: \(error)")
        }

        var members: [(String, JSON)] = [
            ("name", .string(type.name)),
            ("type", .int(type.rawValue)),
            ("request_id", .int(requestId)),
            ("signed", .bool(key != nil)),
        ]
        if let key, let signature = frame.signature {
            let digest = Signing.digest(
                challenge: Fixtures.challenge, type: type.rawValue, requestId: requestId,
                sequence: sequence, body: frame.body)
            members += [
                ("sequence", .int(sequence)),
                ("signer_role", .string(c.signerRole)),
                ("signer_private_key", .string(key.hex)),
                ("signer", .string(key.id.hex)),
                ("challenge", .string(Fixtures.challenge.hex)),
                ("digest", .string(digest.hex)),
                ("signature", .string(signature.hex)),
            ]
        } else {
            members += [("challenge", .string(Fixtures.challenge.hex))]
        }
        members += [
            ("body", .string(Hex.encode(frame.body))),
            ("frame", .string(Hex.encode(bytes))),
            ("fields", MessageJSON.request(c.request)),
        ]

        let annotation = Annotation.frame(
            type: type.rawValue, typeName: type.name, requestId: requestId,
            sequence: key == nil ? nil : sequence, signature: frame.signature
        ) { $0.requestBody(c.request) }
        try check(annotation, equals: bytes, type.name)
        let title = "\(type.name) (0x\(Hex.encode([type.rawValue]))), signed by: \(c.signerRole)"
        return GeneratedVector(
            name: type.name, title: title, json: .object(members), annotation: annotation)
    }

    static func check(_ a: Annotation, equals bytes: [UInt8], _ name: String)
        throws(VectorError)
    {
        guard a.bytes == bytes else {
            throw VectorError(
                "\(name): the annotated layout gives \(Hex.encode(a.bytes)), "
                    + "the encoder \(Hex.encode(bytes))")
        }
    }
}

// MARK: - Server frames

extension VectorCatalog {
    /// A reply to every request type (two for assign: with and without work), so every
    /// reply type byte and every case of `Reply` has a vector. Each answers the request
    /// vector of the same type, under its request id.
    static var replyCases: [(name: String, to: MessageType, reply: Reply)] {
        var approved = Fixtures.storedRuntime
        approved.state = .approved
        return [
            ("ping", .ping, .pong(Fixtures.pong)),
            ("addColony", .addColony, .colony(Fixtures.colony)),
            (
                "listColonies", .listColonies,
                .colonies(
                    WireList([
                        Fixtures.colony, Colony(id: Fixtures.otherColonyId, name: "field-station"),
                    ]))
            ),
            ("getColony", .getColony, .colony(Fixtures.colony)),
            ("removeColony", .removeColony, .done),
            ("addRuntime", .addRuntime, .runtime(Fixtures.storedRuntime)),
            (
                "listRuntimes", .listRuntimes,
                .runtimes(
                    WireList([
                        approved, Fixtures.rejectedRuntime,
                    ]))
            ),
            ("getRuntime", .getRuntime, .runtime(approved)),
            ("approveRuntime", .approveRuntime, .runtime(approved)),
            ("rejectRuntime", .rejectRuntime, .runtime(Fixtures.rejectedRuntime)),
            ("removeRuntime", .removeRuntime, .done),
            ("submitProcess", .submitProcess, .process(Fixtures.waitingProcess)),
            (
                "getProcess", .getProcess,
                .processDetails(
                    Fixtures.runningProcess, attributes: WireList([Fixtures.attribute]))
            ),
            (
                "listProcesses", .listProcesses,
                .processes(
                    WireList([Fixtures.otherWaitingProcess]), truncated: true)
            ),
            ("assignProcess", .assignProcess, .assignment(Fixtures.runningProcess)),
            ("assignProcess-none", .assignProcess, .assignment(nil)),
            ("closeSuccessful", .closeSuccessful, .done),
            ("closeFailed", .closeFailed, .done),
            ("removeProcess", .removeProcess, .done),
            ("colonyStatistics", .colonyStatistics, .statistics(Fixtures.statistics)),
            ("addAttribute", .addAttribute, .attribute(Fixtures.attribute)),
            ("getAttribute", .getAttribute, .attribute(Fixtures.attribute)),
            ("subscribeProcess", .subscribeProcess, .done),
            ("subscribeColony", .subscribeColony, .done),
        ]
    }

    static func serverFrames() throws(VectorError) -> [GeneratedVector] {
        var out: [GeneratedVector] = []
        var encoder = FrameEncoder()

        let hello = Fixtures.hello
        out.append(
            try serverVector(
                name: "hello", kind: "hello", title: "hello (0x01), the server's first frame",
                bytes: encoder.hello(hello), fields: MessageJSON.hello(hello)
            ) { a in
                a.u8(hello.minVersion, "minversion")
                a.u8(hello.maxVersion, "maxversion")
                a.id(hello.challenge, "challenge")
                a.id(hello.serverId, "serverid")
            })

        for (name, type, reply) in replyCases {
            let id = requestId(of: type)
            let replyName = MessageJSON.reply(reply).name
            out.append(
                try serverVector(
                    name: "reply-\(name)", kind: "reply",
                    title: "reply to \(type.name) (0x\(Hex.encode([type.replyByte]))): \(replyName)"
                        + (reply == .assignment(nil) ? ", no process" : ""),
                    bytes: encoder.reply(reply, to: type, requestId: id),
                    fields: MessageJSON.reply(reply).fields,
                    extra: [("request_type", .string(type.name)), ("reply", .string(replyName))]
                ) { $0.replyBody(reply) })
        }

        let message = "attempt 1 is over: the process was given to another runtime"
        let errorId = requestId(of: .closeSuccessful)
        let body = ErrorBody(code: .staleAttempt, message: Text(message))
        out.append(
            try serverVector(
                name: "error", kind: "error", title: "error (0x7f) for the closeSuccessful request",
                bytes: encoder.error(.staleAttempt, message, requestId: errorId),
                fields: MessageJSON.error(body)
            ) { a in
                a.u16(body.code.rawValue, "code (\(body.code.name))")
                a.text(body.message, "message")
            })

        let process = Fixtures.successfulProcess
        let subscription = requestId(of: .subscribeColony)
        out.append(
            try serverVector(
                name: "event", kind: "event", title: "event (0x7e) for the subscribeColony request",
                bytes: encoder.event(process, subscription: subscription),
                fields: MessageJSON.process(process)
            ) { $0.process(process, "") })
        return out
    }

    private static func serverVector(
        name: String, kind: String, title: String, bytes: [UInt8], fields: JSON,
        extra: [(String, JSON)] = [], body: (inout Annotation) -> Void
    ) throws(VectorError) -> GeneratedVector {
        let frame: Frame
        do {
            frame = try FrameParser.parseWhole(bytes[...])
        } catch {
            throw VectorError("\(name): the encoder's frame does not parse: \(error)")
        }
        let typeName = frame.isReply ? "reply to \(frame.messageType!.name)" : kind
        let annotation = Annotation.frame(
            type: frame.typeByte, typeName: typeName, requestId: frame.requestId, sequence: nil,
            signature: nil, body: body)
        try check(annotation, equals: bytes, name)

        let json = JSON.object(
            [
                ("name", .string(name)), ("kind", .string(kind)), ("type", .int(frame.typeByte)),
                ("request_id", .int(frame.requestId)),
            ] + extra + [
                ("body", .string(Hex.encode(frame.body))), ("frame", .string(Hex.encode(bytes))),
                ("fields", fields),
            ])
        return GeneratedVector(name: name, title: title, json: json, annotation: annotation)
    }
}
