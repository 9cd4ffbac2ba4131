/// Reads canonical encodings from received bytes without copying them: strings and byte
/// fields come back as slices that share the buffer they were read from.
///
/// Every read checks the bytes that remain and throws `truncated` when too few are left; any
/// encoding that is not the one canonical form throws the error code that says why.
public struct WireReader: Sendable {
    private let buffer: ArraySlice<UInt8>
    /// The index in `buffer` of the next byte to read.
    public private(set) var position: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        buffer = bytes
        position = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// The number of bytes not read yet.
    public var remaining: Int { buffer.endIndex - position }

    /// Throws `trailingBytes` unless every byte was read: a message has exactly one length.
    public func finish(_ field: StaticString = "message") throws(WireError) {
        guard remaining == 0 else { throw WireError(.trailingBytes, field) }
    }

    /// The bytes not read yet, without moving.
    public var rest: ArraySlice<UInt8> { buffer[position...] }

    private mutating func need(_ n: Int, _ field: StaticString) throws(WireError) {
        guard remaining >= n else { throw WireError(.truncated, field) }
    }

    public mutating func u8(_ field: StaticString = "") throws(WireError) -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return buffer[position]
    }

    public mutating func u16(_ field: StaticString = "") throws(WireError) -> UInt16 {
        try need(2, field)
        defer { position += 2 }
        return UInt16(buffer[position]) << 8 | UInt16(buffer[position + 1])
    }

    public mutating func u32(_ field: StaticString = "") throws(WireError) -> UInt32 {
        try need(4, field)
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 8 | UInt32(buffer[position + k]) }
        position += 4
        return v
    }

    public mutating func u64(_ field: StaticString = "") throws(WireError) -> UInt64 {
        try need(8, field)
        var v: UInt64 = 0
        for k in 0..<8 { v = v << 8 | UInt64(buffer[position + k]) }
        position += 8
        return v
    }

    public mutating func i32(_ field: StaticString = "") throws(WireError) -> Int32 {
        Int32(bitPattern: try u32(field))
    }

    public mutating func i64(_ field: StaticString = "") throws(WireError) -> Int64 {
        Int64(bitPattern: try u64(field))
    }

    /// A boolean is exactly 0 or 1; any other byte is `badBoolean`.
    public mutating func bool(_ field: StaticString = "") throws(WireError) -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        default: throw WireError(.badBoolean, field)
        }
    }

    /// A shortest-form unsigned LEB128 varint no larger than `max`.
    ///
    /// A longer form of the same number (a last byte of zero after the first) is
    /// `nonCanonicalInteger`; a value over `max` is `limitExceeded`.
    public mutating func varint(max: Int, _ field: StaticString = "") throws(WireError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(field)
            guard shift < 63 else { throw WireError(.limitExceeded, field) }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw WireError(.nonCanonicalInteger, field) }
                break
            }
            shift += 7
        }
        guard value <= UInt64(max) else { throw WireError(.limitExceeded, field) }
        return Int(value)
    }

    public mutating func id(_ field: StaticString = "") throws(WireError) -> ID {
        try need(32, field)
        defer { position += 32 }
        return buffer.withUnsafeBytes { raw in
            ID(raw, at: position - buffer.startIndex)
        }
    }

    /// `count` bytes as a slice of the received buffer.
    public mutating func raw(_ count: Int, _ field: StaticString = "") throws(WireError)
        -> ArraySlice<UInt8>
    {
        try need(count, field)
        defer { position += count }
        return buffer[position..<position + count]
    }

    /// A varint length of at most `max`, then that many bytes.
    public mutating func lengthPrefixed(max: Int, _ field: StaticString = "") throws(WireError)
        -> ArraySlice<UInt8>
    {
        let count = try varint(max: max, field)
        return try raw(count, field)
    }

    /// Length-prefixed UTF-8 of at most `max` bytes; invalid UTF-8 is `invalidUTF8`.
    public mutating func text(max: Int, _ field: StaticString = "") throws(WireError) -> Text {
        let bytes = try lengthPrefixed(max: max, field)
        guard UTF8Validation.isValid(bytes) else { throw WireError(.invalidUTF8, field) }
        return Text(utf8: bytes)
    }
}
