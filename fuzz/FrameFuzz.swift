// The `frame` fuzz target: FrameParser.length and FrameParser.parse on arbitrary bytes.
//
// Compiled together with Sources/Wire into one module by fuzz/run.sh, so it sees Wire's
// internals and the sanitizers instrument Wire as well. Checked on every input:
// - length(of:) and parseWhole agree, and fail only with the codes spec/PROTOCOL.md
//   section 6 gives for steps 1 and 2;
// - a frame that parses gives back its bytes when its header fields, sequence, body and
//   signature are written out again;
// - when its body also decodes as the message its type names, the canonical encoding of
//   that message (FrameEncoder for server frames and unsigned requests) is the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    FrameTarget.run(input[...])
    return 0
}

enum FrameTarget {
    /// Codes FrameParser may throw: steps 1 and 2 of the server's checks.
    static let parserCodes: Set<ErrorCode> = [
        .truncated, .frameTooLarge, .unsupportedVersion, .badFlags, .trailingBytes,
    ]

    /// Codes a body decoder may throw (section 4 and 11).
    static let decodeCodes: Set<ErrorCode> = [
        .truncated, .unknownMessageType, .nonCanonicalInteger, .badBoolean, .trailingBytes,
        .badEnum, .invalidUTF8, .limitExceeded, .invalidValue, .notSorted,
    ]

    static func run(_ input: ArraySlice<UInt8>) {
        let length: FrameLength
        do {
            length = try FrameParser.length(of: input)
        } catch {
            expect(
                error.code == .frameTooLarge || error.code == .truncated,
                "length(of:) threw \(error)")
            expectThrows(error.code, "parseWhole after a refused prefix") { () throws(WireError) in
                _ = try FrameParser.parseWhole(input)
            }
            return
        }

        guard case .complete(let total) = length else {
            expectThrows(.truncated, "parseWhole of an incomplete frame") {
                () throws(WireError) in _ = try FrameParser.parseWhole(input)
            }
            return
        }
        expect(total >= FrameLayout.prefixSize + FrameLayout.headerSize, "short total \(total)")
        expect(total <= input.count, "total \(total) beyond the input")

        let whole = input.prefix(total)
        let frame: Frame
        do {
            frame = try FrameParser.parse(whole.dropFirst(FrameLayout.prefixSize))
        } catch {
            expect(parserCodes.contains(error.code), "parse threw \(error)")
            expectThrows(error.code, "parseWhole of a frame parse refused") {
                () throws(WireError) in _ = try FrameParser.parseWhole(whole)
            }
            return
        }

        checkParseWholeAgrees(frame, whole: whole, input: input)
        let rebuilt = rebuild(frame, body: frame.body)
        expect(rebuilt.elementsEqual(whole), "header + body do not give back the frame")
        checkMessage(frame, whole: whole)
    }

    /// parseWhole gives the same frame, and refuses bytes beyond it as trailing.
    static func checkParseWholeAgrees(
        _ frame: Frame, whole: ArraySlice<UInt8>, input: ArraySlice<UInt8>
    ) {
        do {
            let again = try FrameParser.parseWhole(whole)
            expect(again.requestId == frame.requestId, "parseWhole: another request id")
            expect(again.sequence == frame.sequence, "parseWhole: another sequence")
            expect(again.signature == frame.signature, "parseWhole: another signature")
            expect(again.body.elementsEqual(frame.body), "parseWhole: another body")
        } catch {
            fail("parseWhole refused a frame parse accepted: \(error)")
        }
        if input.count > whole.count {
            expectThrows(.trailingBytes, "parseWhole with bytes after the frame") {
                () throws(WireError) in _ = try FrameParser.parseWhole(input)
            }
        }
    }

    /// Writes a frame out again from its fields, with `body` in place of its body.
    static func rebuild(_ frame: Frame, body: some Collection<UInt8>) -> [UInt8] {
        var w = WireWriter()
        w.u32(0)
        w.u8(frame.version)
        w.u8(frame.typeByte)
        w.u8(frame.flags)
        w.u32(frame.requestId)
        if let signature = frame.signature {
            w.u64(frame.sequence)
            w.raw(body)
            w.raw(signature.bytes)
        } else {
            expect(frame.sequence == 0, "an unsigned frame with a sequence")
            w.raw(body)
        }
        w.patchU32(UInt32(w.count - FrameLayout.prefixSize), at: 0)
        return w.bytes
    }

    /// Decodes the body as what the type byte names; whatever decodes must encode back to
    /// the same frame.
    static func checkMessage(_ frame: Frame, whole: ArraySlice<UInt8>) {
        guard let type = frame.messageType else { return }
        var encoder = FrameEncoder()
        let id = frame.requestId
        do throws(WireError) {
            switch (type, frame.isReply) {
            case (.hello, false):
                let hello = try Hello.decode(exactly: frame.body)
                expectSame(rebuild(frame, body: hello.encoded), whole, "hello body")
                if id == 0 && !frame.isSigned {
                    expectSame(encoder.hello(hello), whole, "FrameEncoder.hello")
                }
            case (.error, false):
                let body = try ErrorBody.decode(exactly: frame.body)
                expectSame(rebuild(frame, body: body.encoded), whole, "error body")
                if !frame.isSigned {
                    let again = encoder.error(body.code, body.message.string, requestId: id)
                    expectSame(again, whole, "FrameEncoder.error")
                }
            case (.event, false):
                let process = try Process.decode(exactly: frame.body)
                expectSame(rebuild(frame, body: process.encoded), whole, "event body")
                if !frame.isSigned {
                    expectSame(encoder.event(process, subscription: id), whole, "event")
                }
            case (_, false):
                let request = try Request.decode(type: type, body: frame.body)
                var w = WireWriter()
                request.encodeBody(to: &w)
                expectSame(rebuild(frame, body: w.bytes), whole, "request body")
                if !frame.isSigned {
                    let again = encoder.request(
                        request, requestId: id, key: nil, challenge: .zero, sequence: 0)
                    expectSame(again, whole, "FrameEncoder.request")
                }
            case (_, true):
                guard type.isRequest else { return }
                let reply = try Reply.decode(for: type, body: frame.body)
                var w = WireWriter()
                reply.encode(to: &w)
                expectSame(rebuild(frame, body: w.bytes), whole, "reply body")
                if !frame.isSigned {
                    let again = encoder.reply(reply, to: type, requestId: id)
                    expectSame(again, whole, "FrameEncoder.reply")
                }
            }
        } catch {
            expect(decodeCodes.contains(error.code), "\(type) body threw \(error)")
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

/// `body` must throw exactly `code`.
func expectThrows(_ code: ErrorCode, _ what: String, _ body: () throws(WireError) -> Void) {
    do {
        try body()
        fail("\(what): accepted, expected \(code)")
    } catch {
        expect(error.code == code, "\(what): threw \(error), expected \(code)")
    }
}
