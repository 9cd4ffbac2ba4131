// The `connection` fuzz target: one connection's read path, without sockets.
//
// A byte stream goes through what the server does with it: the reactor's FrameDecoder
// (Sources/Server/Reactor/FrameDecoder.swift, compiled in), fed in chunks cut where the
// fuzzer says, with the reader pausing after deliveries where the fuzzer says and resuming
// as the reactor does; then FrameParser.parse and a RequestVerifier for a fixed challenge,
// as RequestHandler does. Input layout:
//
//     byte 0   low 4 bits: the number of cuts k; high 4 bits: 0 for the server's frame
//              limit, else a small limit of 64 times this, so oversized frames are reached
//     byte 1   pause mask: delivery i pauses the reader when bit i % 8 is set
//     k × u16  cut positions (big-endian, modulo the stream length + 1)
//     ...      the stream
//
// Checked: the frames delivered are exactly those a plain reference splitter finds in the
// whole stream, whatever the cuts and pauses; the decoder and FrameParser.length agree on
// every frame; the verifier's last sequence never decreases and moves only on acceptance,
// to the accepted frame's; every refusal has a code its step may give (spec/PROTOCOL.md
// section 6); an accepted body re-encodes to the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnection(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard input.count >= 2 else { return 0 }
    let cutCount = Int(input[0] & 0x0f)
    let limitStep = Int(input[0] >> 4)
    let maxLength = limitStep == 0 ? Limits.maxFrameBytes : limitStep * 64
    let pauseMask = input[1]
    let streamStart = 2 + 2 * cutCount
    guard input.count >= streamStart else { return 0 }

    let stream = input[streamStart...]
    var cuts: [Int] = []
    for k in 0..<cutCount {
        let raw = Int(input[2 + 2 * k]) << 8 | Int(input[3 + 2 * k])
        cuts.append(stream.startIndex + raw % (stream.count + 1))
    }
    cuts.sort()

    var connection = ConnectionModel(maxLength: maxLength, pauseMask: pauseMask)
    connection.receive(stream, cutAt: cuts)
    connection.checkAgainstReference(stream)
    return 0
}

/// The server's view of one connection, as RequestHandler and the reactor drive it.
struct ConnectionModel {
    /// The challenge of the vectors in spec/vectors/, so their signed frames verify.
    static let challenge = ID(
        hex: "0ba455fc55b7d1fc30173c4886cdd2c16b24218695d1c75086bcde907cb8f208")!

    /// Codes FrameParser.parse may throw for a delivered payload (steps 1 and 2).
    static let parseCodes: Set<ErrorCode> = [.truncated, .unsupportedVersion, .badFlags]

    /// Codes RequestVerifier.verify may throw (step 3).
    static let verifyCodes: Set<ErrorCode> = [
        .truncated, .unknownMessageType, .badFlags, .nonCanonicalInteger, .badBoolean,
        .trailingBytes, .badEnum, .invalidUTF8, .limitExceeded, .invalidValue, .notSorted,
        .unsignedRequest, .badSignature, .staleSequence, .unexpectedSignature,
    ]

    let maxLength: Int
    let pauseMask: UInt8

    var decoder = FrameDecoder()
    var verifier = RequestVerifier(challenge: ConnectionModel.challenge)
    /// Every payload the decoder delivered, in order.
    var delivered: [ArraySlice<UInt8>] = []
    var oversized: Int? = nil
    var closed = false
    var authenticationFailures = 0

    init(maxLength: Int, pauseMask: UInt8) {
        self.maxLength = maxLength
        self.pauseMask = pauseMask
    }

    /// Feeds the stream in chunks split at `cuts`, resuming after each pause the way
    /// LoopDriver.resumeReading does: an empty feed delivers what was held back.
    mutating func receive(_ stream: ArraySlice<UInt8>, cutAt cuts: [Int]) {
        var start = stream.startIndex
        for end in cuts + [stream.endIndex] where !closed {
            feed(stream[start..<end])
            start = end
        }
    }

    private mutating func feed(_ chunk: ArraySlice<UInt8>) {
        var outcome = feedOnce(chunk)
        var resumes = 0
        while outcome == .stopped && !closed {
            resumes += 1
            expect(resumes <= delivered.count + 1, "resuming after a pause never ends")
            let before = delivered.count
            outcome = feedOnce([])
            expect(delivered.count > before || outcome != .stopped, "a resume delivered nothing")
        }
        if case .oversized(let length) = outcome {
            expect(length > maxLength, "oversized \(length) is within \(maxLength)")
            oversized = length
            decoder.reset()
            closed = true
        }
    }

    private mutating func feedOnce(_ chunk: ArraySlice<UInt8>) -> FrameDecoder.Outcome {
        var decoder = self.decoder
        self.decoder = FrameDecoder()
        var frames: [ArraySlice<UInt8>] = []
        let outcome = decoder.feed(chunk, maxLength: maxLength) { payload in
            frames.append(payload)
            let index = delivered.count + frames.count - 1
            return pauseMask & (1 << UInt8(index % 8)) == 0
        }
        self.decoder = decoder
        for payload in frames where !closed {
            delivered.append(payload)
            handle(payload)
        }
        // The handler may have closed the connection: the reactor then stops delivering.
        return closed ? .drained : outcome
    }

    /// What RequestHandler.frame does with one payload.
    private mutating func handle(_ payload: ArraySlice<UInt8>) {
        checkLengthAgrees(payload)

        let frame: Frame
        do {
            frame = try FrameParser.parse(payload)
        } catch {
            expect(Self.parseCodes.contains(error.code), "parse threw \(error)")
            if payload.count < FrameLayout.headerSize {
                // Step 1 of spec/PROTOCOL.md section 6 comes before the header checks.
                expect(error.code == .truncated, "a \(payload.count)-byte frame: \(error)")
            }
            closed = true
            return
        }

        let before = verifier.lastSequence
        do {
            let verified = try verifier.verify(frame)
            checkAccepted(verified, frame, before: before)
        } catch {
            expect(Self.verifyCodes.contains(error.code), "verify threw \(error)")
            expect(verifier.lastSequence == before, "a refused frame moved the sequence")
            if (20..<30).contains(error.code.rawValue) {
                authenticationFailures += 1
                closed = authenticationFailures >= 16
            }
        }
    }

    private func checkAccepted(_ verified: VerifiedRequest, _ frame: Frame, before: UInt64) {
        let after = verifier.lastSequence
        expect(after >= before, "the sequence went down from \(before) to \(after)")
        expect(verified.requestId == frame.requestId, "another request id")
        if frame.isSigned {
            expect(verified.signer != nil, "a signed frame verified without a signer")
            expect(frame.sequence > before, "sequence \(frame.sequence) after \(before)")
            expect(after == frame.sequence, "last sequence \(after), frame's \(frame.sequence)")
        } else {
            expect(verified.request == .ping, "an unsigned \(verified.request.type) accepted")
            expect(verified.signer == nil && after == before, "a ping moved the sequence")
        }

        var w = WireWriter()
        verified.request.encodeBody(to: &w)
        expect(w.bytes.elementsEqual(frame.body), "\(verified.request.type): not canonical")
    }

    /// FrameParser.length, given the same prefix, finds the same frame the decoder did.
    private func checkLengthAgrees(_ payload: ArraySlice<UInt8>) {
        var w = WireWriter()
        w.u32(UInt32(payload.count))
        w.raw(payload)
        do {
            let length = try FrameParser.length(of: w.bytes[...])
            expect(length == .complete(w.count), "length(of:) says \(length)")
        } catch {
            let short = payload.count < FrameLayout.headerSize
            expect(short && error.code == .truncated, "length(of:) threw \(error)")
        }
    }

    /// The decoder delivered what splitting the whole stream at once finds, up to where
    /// the connection closed.
    func checkAgainstReference(_ stream: ArraySlice<UInt8>) {
        var expected: [ArraySlice<UInt8>] = []
        var expectedOversized: Int? = nil
        var i = stream.startIndex
        while stream.endIndex - i >= 4 {
            var length = 0
            for k in 0..<4 { length = length << 8 | Int(stream[i + k]) }
            if length > maxLength {
                expectedOversized = length
                break
            }
            guard stream.endIndex - (i + 4) >= length else { break }
            expected.append(stream[(i + 4)..<(i + 4 + length)])
            i += 4 + length
        }

        if oversized == nil && !closed {
            expect(delivered.count == expected.count, "\(delivered.count) of \(expected.count)")
            expect(decoder.bufferedByteCount == stream.endIndex - i, "held back wrong bytes")
        } else if oversized != nil {
            expect(oversized == expectedOversized, "oversized \(oversized!) at the wrong place")
            expect(delivered.count == expected.count, "frames before the oversized one")
        } else {
            expect(delivered.count <= expected.count, "more frames than the stream holds")
        }
        for (a, b) in zip(delivered, expected) {
            expect(a.elementsEqual(b), "a delivered frame differs from the stream's")
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
