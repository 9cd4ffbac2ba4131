import Wire

/// Frames built byte by byte, for vectors that break one rule on purpose. Each is otherwise
/// valid: a signed one carries a real signature over its (possibly wrong) body, so the only
/// defect is the one the vector names.
enum RawFrames {
    /// A length prefix, then `rest`.
    static func prefixed(_ rest: [UInt8]) -> [UInt8] {
        var w = WireWriter()
        w.u32(UInt32(rest.count))
        w.raw(rest)
        return w.bytes
    }

    static func header(version: UInt8 = 1, type: UInt8, flags: UInt8, requestId: UInt32)
        -> [UInt8]
    {
        var w = WireWriter()
        w.u8(version)
        w.u8(type)
        w.u8(flags)
        w.u32(requestId)
        return w.bytes
    }

    static func unsigned(
        type: UInt8, requestId: UInt32, body: [UInt8], version: UInt8 = 1, flags: UInt8 = 0
    ) -> [UInt8] {
        prefixed(header(version: version, type: type, flags: flags, requestId: requestId) + body)
    }

    static func signed(
        type: UInt8, requestId: UInt32, sequence: UInt64, body: [UInt8], key: PrivateKey,
        challenge: ID = Fixtures.challenge, version: UInt8 = 1, flags: UInt8 = 1
    ) -> [UInt8] {
        let digest = Signing.digest(
            challenge: challenge, version: version, type: type, requestId: requestId,
            sequence: sequence, body: body[...])
        var w = WireWriter()
        w.raw(header(version: version, type: type, flags: flags, requestId: requestId))
        w.u64(sequence)
        w.raw(body)
        w.raw(key.sign(digest: digest).bytes)
        return prefixed(w.bytes)
    }

    /// The frame with its last 65 bytes (the signature) replaced.
    static func replacingSignature(of frame: [UInt8], with signature: Signature) -> [UInt8] {
        Array(frame.dropLast(Signature.size)) + signature.bytes
    }

    /// The signature at the end of a signed frame.
    static func signature(of frame: [UInt8]) -> Signature {
        frame.suffix(Signature.size).withUnsafeBytes { Signature($0) }
    }

    /// n - s for secp256k1's group order n: the high-S twin of a low-S signature.
    static func negated(_ s: ID) -> ID {
        let n = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        let sb = s.bytes
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var d = Int(n[i]) - Int(sb[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            out[i] = UInt8(d)
        }
        return ID(bytes: out)!
    }
}

/// What a client makes of one frame from the server.
enum ServerMessage {
    case hello(Hello)
    case error(ErrorBody)
    case event(Process)
    case reply(to: MessageType, Reply)

    /// Parses and decodes a whole server frame, length prefix included. Server frames are
    /// never signed; the type byte says how to read the body.
    static func read(_ bytes: [UInt8]) throws(WireError) -> (Frame, ServerMessage) {
        let frame = try FrameParser.parseWhole(bytes[...])
        guard !frame.isSigned else { throw WireError(.unexpectedSignature, "flags") }
        switch frame.typeByte {
        case MessageType.hello.rawValue:
            return (frame, .hello(try Hello.decode(exactly: frame.body)))
        case MessageType.error.rawValue:
            return (frame, .error(try ErrorBody.decode(exactly: frame.body)))
        case MessageType.event.rawValue:
            return (frame, .event(try Process.decode(exactly: frame.body)))
        default:
            guard frame.isReply, let type = frame.messageType, type.isRequest else {
                throw WireError(.unknownMessageType, "type")
            }
            return (frame, .reply(to: type, try Reply.decode(for: type, body: frame.body)))
        }
    }
}

/// What a server makes of one frame from a client: parse, then verify on a connection whose
/// hello carried `challenge` and that has accepted up to `lastSequence`.
enum ClientMessage {
    static func read(_ bytes: [UInt8], challenge: ID, lastSequence: UInt64 = 0)
        throws(WireError) -> VerifiedRequest
    {
        let frame = try FrameParser.parseWhole(bytes[...])
        var verifier = RequestVerifier(challenge: challenge, lastSequence: lastSequence)
        return try verifier.verify(frame)
    }
}
