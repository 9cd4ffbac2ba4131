/// A value with one canonical encoding.
///
/// `decode` checks everything the protocol says about the value (limits, enums, order) and
/// reads exactly its own bytes; `encode` writes the one form that `decode` accepts, so
/// decoding and then encoding gives back the same bytes.
public protocol WireCodable: Sendable {
    func encode(to writer: inout WireWriter)
    static func decode(from reader: inout WireReader) throws(WireError) -> Self
}

extension WireCodable {
    /// The canonical bytes of this value.
    public var encoded: [UInt8] {
        var writer = WireWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a value that must fill `bytes` exactly.
    public static func decode(exactly bytes: ArraySlice<UInt8>) throws(WireError) -> Self {
        var reader = WireReader(bytes)
        let value = try decode(from: &reader)
        try reader.finish()
        return value
    }

    public static func decode(exactly bytes: [UInt8]) throws(WireError) -> Self {
        try decode(exactly: bytes[...])
    }
}

extension ID: WireCodable {
    public func encode(to writer: inout WireWriter) { writer.id(self) }

    public static func decode(from reader: inout WireReader) throws(WireError) -> ID {
        try reader.id("id")
    }
}
