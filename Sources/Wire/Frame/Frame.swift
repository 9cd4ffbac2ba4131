/// The fixed parts of the frame layout (spec/PROTOCOL.md, "Frames").
///
///     length     u32   bytes that follow this field, at most Limits.maxFrameBytes
///     version    u8    1
///     type       u8    MessageType, with the reply bit on replies
///     flags      u8    bit 0: signed; the other bits are 0
///     requestId  u32   chosen by the client, echoed on replies, errors and events
///     sequence   u64   only when signed: per connection, strictly increasing
///     body       ...   the message
///     signature  65    only when signed: r || s || v over the signing digest
public enum FrameLayout {
    public static let version: UInt8 = 1
    public static let prefixSize = 4
    /// version, type, flags and request id.
    public static let headerSize = 7
    public static let sequenceSize = 8
    public static let signedFlag: UInt8 = 0x01
}

/// One frame, parsed but not yet authenticated. `body` shares the received bytes.
public struct Frame: Sendable {
    public var version: UInt8
    public var typeByte: UInt8
    public var flags: UInt8
    public var requestId: UInt32
    /// The sequence number of a signed frame; 0 for an unsigned one.
    public var sequence: UInt64
    public var body: ArraySlice<UInt8>
    public var signature: Signature?

    public var isSigned: Bool { signature != nil }

    /// The message type of a request or of the reply bit's request; nil when unknown.
    public var messageType: MessageType? {
        MessageType(rawValue: typeByte & ~MessageType.replyBit)
    }

    public var isReply: Bool { typeByte & MessageType.replyBit != 0 }
}

/// How much of a frame has arrived in a receive buffer.
public enum FrameLength: Equatable, Sendable {
    /// Fewer bytes than the length prefix promises; read more.
    case incomplete
    /// A whole frame of this many bytes, prefix included, is at the start of the buffer.
    case complete(Int)
}

public enum FrameParser {
    /// Looks at the length prefix at the start of `buffer`.
    ///
    /// Throws `frameTooLarge` as soon as the prefix says more than the limit, before the
    /// body arrives, and `truncated` for a length too short to hold a header.
    public static func length(of buffer: ArraySlice<UInt8>) throws(WireError) -> FrameLength {
        guard buffer.count >= FrameLayout.prefixSize else { return .incomplete }
        var r = WireReader(buffer)
        let length = Int(try r.u32("length"))
        guard length <= Limits.maxFrameBytes else { throw WireError(.frameTooLarge, "length") }
        guard length >= FrameLayout.headerSize else { throw WireError(.truncated, "length") }
        let total = FrameLayout.prefixSize + length
        return buffer.count >= total ? .complete(total) : .incomplete
    }

    /// Parses the bytes of one frame after its length prefix.
    ///
    /// Fewer bytes than a header is `truncated`, as `length(of:)` says for such a prefix,
    /// so a reader that splits frames by itself refuses them with the same code.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Frame {
        guard bytes.count >= FrameLayout.headerSize else { throw WireError(.truncated, "length") }
        var r = WireReader(bytes)
        let version = try r.u8("version")
        guard version == FrameLayout.version else {
            throw WireError(.unsupportedVersion, "version")
        }
        let type = try r.u8("type")
        let flags = try r.u8("flags")
        guard flags & ~FrameLayout.signedFlag == 0 else { throw WireError(.badFlags, "flags") }
        let requestId = try r.u32("requestid")

        guard flags & FrameLayout.signedFlag != 0 else {
            return Frame(
                version: version, typeByte: type, flags: flags, requestId: requestId,
                sequence: 0, body: r.rest, signature: nil)
        }

        let sequence = try r.u64("sequence")
        guard r.remaining >= Signature.size else { throw WireError(.truncated, "signature") }
        let body = try r.raw(r.remaining - Signature.size, "body")
        let signature = try r.raw(Signature.size, "signature").withUnsafeBytes {
            Signature($0)
        }
        return Frame(
            version: version, typeByte: type, flags: flags, requestId: requestId,
            sequence: sequence, body: body, signature: signature)
    }

    /// Parses one whole frame, length prefix included, as held in a test vector or a buffer
    /// known to contain exactly one frame.
    public static func parseWhole(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Frame {
        switch try length(of: bytes) {
        case .incomplete:
            throw WireError(.truncated, "frame")
        case .complete(let total):
            guard total == bytes.count else { throw WireError(.trailingBytes, "frame") }
            return try parse(bytes.dropFirst(FrameLayout.prefixSize))
        }
    }
}
