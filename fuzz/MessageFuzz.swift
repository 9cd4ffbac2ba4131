// The `message` fuzz target: message bodies and models, and their canonical form.
//
// The first byte selects what the rest is decoded as:
// - below 0x80: a message type (an unknown value picks one by index); the rest is decoded
//   as that request (Request.decode) and as its reply (Reply.decode), and as the Hello,
//   Process or ErrorBody of the hello, event and error types;
// - 0x80 and above: a model or codec primitive from `models`, by index.
// Anything that decodes must encode to exactly the bytes it came from, decode again to an
// equal value, and hold lists whose elements iterate back to the same bytes. A refusal
// must carry one of the codes a decoder may use.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = input.first else { return 0 }
    let body = input[1...]
    if selector & 0x80 == 0 {
        let types = MessageType.allCases
        let type = MessageType(rawValue: selector) ?? types[Int(selector) % types.count]
        MessageTarget.message(type, body)
    } else {
        let models = MessageTarget.models
        models[Int(selector & 0x7f) % models.count](body)
    }
    return 0
}

enum MessageTarget {
    /// Codes a body decoder may throw (spec/PROTOCOL.md sections 4 and 11).
    static let decodeCodes: Set<ErrorCode> = [
        .truncated, .nonCanonicalInteger, .badBoolean, .trailingBytes, .badEnum,
        .invalidUTF8, .limitExceeded, .invalidValue, .notSorted,
    ]

    /// The selectors from 0x80 on; seeds.py names the first ones.
    static let models: [@Sendable (ArraySlice<UInt8>) -> Void] = [
        { model(Process.self, $0) },  // 0x80
        { model(ProcessSpec.self, $0) },
        { model(Conditions.self, $0) },
        { model(EnvVar.self, $0) },
        { model(Runtime.self, $0) },  // 0x84
        { model(Colony.self, $0) },
        { model(Statistics.self, $0) },
        { model(StateCount.self, $0) },
        { model(NewAttribute.self, $0) },  // 0x88
        { model(Attribute.self, $0) },
        { model(Hello.self, $0) },
        { model(Pong.self, $0) },
        { model(ErrorBody.self, $0) },  // 0x8c
        { model(Text.self, $0) },
        { model(ID.self, $0) },
        { varint($0) },
        { utf8($0) },  // 0x90
        { list(Colony.self, $0) },
        { list(Process.self, $0) },
        { list(ID.self, $0) },
        { clip($0) },  // 0x94
        { hex($0) },
        { recover($0) },
    ]

    static func message(_ type: MessageType, _ body: ArraySlice<UInt8>) {
        do {
            let request = try Request.decode(type: type, body: body)
            expect(request.type == type, "\(type) decoded as a \(request.type) request")
            var w = WireWriter()
            request.encodeBody(to: &w)
            expectSame(w.bytes, body, "\(type) request")
            checkLists(in: request)
            expect(try Request.decode(type: type, body: w.bytes[...]) == request, "\(type) again")
        } catch {
            expectDecodeCode(error, unknownType: !type.isRequest, "\(type) request")
        }

        do {
            let reply = try Reply.decode(for: type, body: body)
            var w = WireWriter()
            reply.encode(to: &w)
            expectSame(w.bytes, body, "\(type) reply")
            checkLists(in: reply)
            expect(try Reply.decode(for: type, body: w.bytes[...]) == reply, "\(type) again")
        } catch {
            expectDecodeCode(error, unknownType: !type.isRequest, "\(type) reply")
        }

        switch type {
        case .hello: model(Hello.self, body)
        case .event: model(Process.self, body)
        case .error: model(ErrorBody.self, body)
        default: break
        }
    }

    /// Hello, event and error are no requests: they alone may say unknown-message-type.
    static func expectDecodeCode(_ error: WireError, unknownType: Bool, _ what: String) {
        if unknownType {
            expect(error.code == .unknownMessageType, "\(what) threw \(error)")
        } else {
            expect(decodeCodes.contains(error.code), "\(what) threw \(error)")
        }
    }

    static func model<T: WireCodable & Hashable>(_: T.Type, _ body: ArraySlice<UInt8>) {
        let value: T
        do {
            value = try T.decode(exactly: body)
        } catch {
            expect(decodeCodes.contains(error.code), "\(T.self) threw \(error)")
            return
        }
        let bytes = value.encoded
        expectSame(bytes, body, "\(T.self)")
        do {
            expect(try T.decode(exactly: bytes) == value, "\(T.self) decodes to another value")
        } catch {
            fail("\(T.self): its own encoding does not decode: \(error)")
        }
        checkLists(in: value)
    }

    static func list<T: WireCodable & Hashable>(_: T.Type, _ body: ArraySlice<UInt8>) {
        var r = WireReader(body)
        do {
            let list = try WireList<T>.decode(from: &r, maxCount: Limits.maxListCount, "list")
            try r.finish()
            var w = WireWriter()
            list.encode(to: &w)
            expectSame(w.bytes, body, "list of \(T.self)")
            checkList(list)
        } catch {
            expect(decodeCodes.contains(error.code), "list of \(T.self) threw \(error)")
        }
    }

    /// A varint that decodes is the shortest form of its value.
    static func varint(_ body: ArraySlice<UInt8>) {
        var r = WireReader(body)
        do {
            let value = try r.varint(max: Int.max, "varint")
            let used = body.prefix(r.position - body.startIndex)
            var w = WireWriter()
            w.varint(value)
            expectSame(w.bytes, used, "varint \(value)")
        } catch {
            let allowed: Set<ErrorCode> = [.truncated, .nonCanonicalInteger, .limitExceeded]
            expect(allowed.contains(error.code), "varint threw \(error)")
        }
    }

    /// The allocation-free UTF-8 check agrees with the standard library's.
    static func utf8(_ body: ArraySlice<UInt8>) {
        let ours = UTF8Validation.isValid(body)
        let standard = String(validating: body, as: UTF8.self) != nil
        expect(ours == standard, "UTF-8 validity: ours \(ours), the standard library's \(standard)")
    }

    /// Clipping a text for an error frame keeps whole characters within the limit: the
    /// first byte is the limit, the rest the text.
    static func clip(_ body: ArraySlice<UInt8>) {
        guard let limit = body.first,
            let string = String(validating: body.dropFirst(), as: UTF8.self)
        else { return }
        let text = Text(clipped: string, to: Int(limit))
        expect(text.byteCount <= Int(limit), "clipped to \(text.byteCount) of \(limit) bytes")
        expect(UTF8Validation.isValid(text.utf8), "clipping cut a character")
        expect(string.utf8.starts(with: text.utf8), "clipping changed the text")
        if string.utf8.count <= Int(limit) {
            expect(text.byteCount == string.utf8.count, "clipped a text within the limit")
        } else {
            expect(Int(limit) - text.byteCount < 4, "clipped more than one character")
        }
    }

    /// Hex digits decode to bytes that encode back to the same digits in lower case.
    static func hex(_ body: ArraySlice<UInt8>) {
        let string = String(decoding: body, as: UTF8.self)
        guard let bytes = Hex.decode(string) else { return }
        expect(Hex.encode(bytes) == string.lowercased(), "hex does not round-trip")
    }

    /// Signature recovery on any 65 bytes and digest: the secp256k1 wrappers refuse what
    /// they must and never crash.
    static func recover(_ body: ArraySlice<UInt8>) {
        guard body.count >= Signature.size + 32 else { return }
        let bytes = Array(body)
        let signature = bytes.withUnsafeBytes { Signature($0) }
        let digest = ID(bytes: bytes[Signature.size..<Signature.size + 32])!
        expect(signature.bytes.elementsEqual(bytes.prefix(Signature.size)), "signature bytes")
        do {
            _ = try signature.recoverSigner(digest: digest)
            expect(signature.v <= 1, "recovered with v = \(signature.v)")
        } catch {
            if signature.v > 1 { expect(error == .invalidRecoveryID, "v > 1 gave \(error)") }
        }
    }

    // MARK: - Lists inside values

    /// Iterating a list gives elements that build the same list again.
    static func checkList<T: WireCodable & Hashable>(_ list: WireList<T>) {
        let elements = list.array
        expect(elements.count == list.count, "a list of \(list.count) iterates \(elements.count)")
        expect(WireList(elements) == list, "a list of \(T.self) rebuilt from its elements differs")
    }

    static func checkLists(in value: Any) {
        switch value {
        case let p as Process: checkLists(in: p.spec)
        case let s as ProcessSpec:
            checkList(s.conditions.runtimeIds)
            checkList(s.args)
            checkList(s.env)
        case let c as Conditions: checkList(c.runtimeIds)
        case let r as Request:
            if case .submitProcess(let s) = r { checkLists(in: s) }
        case let r as Reply: checkLists(inReply: r)
        default: break
        }
    }

    static func checkLists(inReply reply: Reply) {
        switch reply {
        case .colonies(let l): checkList(l)
        case .runtimes(let l): checkList(l)
        case .process(let p), .assignment(let p?): checkLists(in: p)
        case .processDetails(let p, let attributes):
            checkLists(in: p)
            checkList(attributes)
        case .processes(let l, _):
            checkList(l)
            for p in l { checkLists(in: p) }
        default: break
        }
    }
}

// MARK: - Checks

func fail(_ message: String) -> Never {
    fatalError("fuzz invariant broken: \(message)")
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

func expectSame(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>, _ what: String) {
    expect(a.elementsEqual(b), "\(what): encodes to other bytes")
}
