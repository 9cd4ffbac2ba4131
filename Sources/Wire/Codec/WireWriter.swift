/// Appends canonical encodings to a byte buffer. Reuse one writer (call `reset()`) to encode
/// many messages without allocating: the buffer keeps its capacity.
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Forgets the bytes written but keeps the storage.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    public var count: Int { bytes.count }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    public mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    // One append of the big-endian bytes, not one per byte: each append checks capacity
    // and uniqueness, and records are mostly times and counts.
    public mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }

    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    /// Booleans are one byte, exactly 0 or 1.
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    /// An unsigned LEB128 varint in its shortest form: lengths and counts.
    public mutating func varint(_ v: Int) {
        precondition(v >= 0, "varints encode lengths and counts, never negative")
        var rest = UInt64(v)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func id(_ v: ID) {
        v.withBytes { bytes.append(contentsOf: $0) }
    }

    /// A varint length, then the bytes.
    public mutating func lengthPrefixed<C: Collection>(_ v: C) where C.Element == UInt8 {
        varint(v.count)
        bytes.append(contentsOf: v)
    }

    public mutating func text(_ v: Text) { lengthPrefixed(v.utf8) }

    /// Bytes with no length in front: for fixed-size fields and pre-encoded parts.
    public mutating func raw<C: Collection>(_ v: C) where C.Element == UInt8 {
        bytes.append(contentsOf: v)
    }

    /// The same for bytes read in place (a stored record): a concrete overload, because a
    /// generic call from another module is not specialized and appends byte by byte.
    public mutating func raw(_ v: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: v)
    }

    /// Overwrites 4 bytes at `offset` with a big-endian value: for length prefixes that are
    /// known only once the body is written.
    public mutating func patchU32(_ v: UInt32, at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: v >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: v >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: v >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: v)
    }
}
