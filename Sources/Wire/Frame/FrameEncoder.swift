/// Builds frames into one reusable buffer. Each method returns the whole frame, length
/// prefix included, ready to write to a socket.
public struct FrameEncoder: Sendable {
    private var writer = WireWriter(capacity: 512)

    public init() {}

    private mutating func begin(type: UInt8, flags: UInt8, requestId: UInt32) {
        writer.reset()
        writer.u32(0)
        writer.u8(FrameLayout.version)
        writer.u8(type)
        writer.u8(flags)
        writer.u32(requestId)
    }

    private mutating func end() -> [UInt8] {
        writer.patchU32(UInt32(writer.count - FrameLayout.prefixSize), at: 0)
        return writer.bytes
    }

    /// A request frame. Every request but ping is signed with `key` for the connection whose
    /// hello carried `challenge`, under a `sequence` above every earlier one on it.
    public mutating func request(
        _ request: Request, requestId: UInt32, key: PrivateKey?, challenge: ID, sequence: UInt64
    ) -> [UInt8] {
        guard let key else {
            begin(type: request.type.rawValue, flags: 0, requestId: requestId)
            request.encodeBody(to: &writer)
            return end()
        }

        begin(type: request.type.rawValue, flags: FrameLayout.signedFlag, requestId: requestId)
        writer.u64(sequence)
        let bodyStart = writer.count
        request.encodeBody(to: &writer)
        let digest = Signing.digest(
            challenge: challenge, type: request.type.rawValue, requestId: requestId,
            sequence: sequence, body: writer.bytes[bodyStart...])
        let signature = key.sign(digest: digest)
        signature.r.encode(to: &writer)
        signature.s.encode(to: &writer)
        writer.u8(signature.v)
        return end()
    }

    /// A reply to the request `requestId` of type `type`.
    public mutating func reply(_ reply: Reply, to type: MessageType, requestId: UInt32)
        -> [UInt8]
    {
        begin(type: type.replyByte, flags: 0, requestId: requestId)
        reply.encode(to: &writer)
        return end()
    }

    /// A reply whose body `body` writes: for replies assembled from bytes already in wire
    /// form (a stored record) without decoding them first. When `body` throws, what it
    /// wrote is dropped with the frame.
    public mutating func reply<E: Error>(
        to type: MessageType, requestId: UInt32, body: (inout WireWriter) throws(E) -> Void
    ) throws(E) -> [UInt8] {
        begin(type: type.replyByte, flags: 0, requestId: requestId)
        try body(&writer)
        return end()
    }

    /// An error frame for `requestId` (0 when the connection, not a request, failed).
    public mutating func error(_ code: ErrorCode, _ message: String, requestId: UInt32)
        -> [UInt8]
    {
        begin(type: MessageType.error.rawValue, flags: 0, requestId: requestId)
        ErrorBody(code: code, message: Text(clipped: message, to: Limits.maxErrorMessage))
            .encode(to: &writer)
        return end()
    }

    /// An event pushed for the subscription made by request `requestId`.
    public mutating func event(_ process: Process, subscription requestId: UInt32) -> [UInt8] {
        begin(type: MessageType.event.rawValue, flags: 0, requestId: requestId)
        process.encode(to: &writer)
        return end()
    }

    /// The hello the server sends first on every connection.
    public mutating func hello(_ hello: Hello) -> [UInt8] {
        begin(type: MessageType.hello.rawValue, flags: 0, requestId: 0)
        hello.encode(to: &writer)
        return end()
    }
}

extension Text {
    /// The string cut to at most `limit` bytes, at a character boundary.
    public init(clipped string: String, to limit: Int) {
        var bytes = Array(string.utf8)
        if bytes.count > limit {
            var end = limit
            // Step back over continuation bytes so no character is cut in half.
            while end > 0 && bytes[end] & 0xc0 == 0x80 { end -= 1 }
            bytes.removeSubrange(end...)
        }
        self.init(utf8: bytes[...])
    }
}
