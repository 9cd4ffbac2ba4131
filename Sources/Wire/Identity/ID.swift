/// A 32-byte value: the id of a server owner, colony, runtime, process or attribute, and
/// every SHA3-256 digest. Stored inline (no heap), compared and hashed by value; its
/// byte order is the order of `<`, so ids sort the same in memory and in the store.
public struct ID: Hashable, Comparable, Sendable {
    // Four big-endian words, so that comparing the tuple compares the bytes.
    @usableFromInline var w0, w1, w2, w3: UInt64

    /// The id whose bytes are all zero; never the id of a real object.
    public static let zero = ID(w0: 0, w1: 0, w2: 0, w3: 0)

    @usableFromInline init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Reads 32 bytes from `bytes` starting at `offset`; the caller checks the length.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) {
        precondition(offset >= 0 && bytes.count - offset >= 32, "ID needs 32 bytes")
        func word(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(bytes[offset + i * 8 + k]) }
            return v
        }
        self.init(w0: word(0), w1: word(1), w2: word(2), w3: word(3))
    }

    /// Makes an id from exactly 32 bytes, or nil for any other count.
    ///
    /// Inlinable so that callers in other modules get a copy specialized to their
    /// collection: unspecialized, each call looked up the generic types' metadata and cost
    /// about 10 µs (a fifth of the writer's time in a profile of the cycles benchmark).
    @inlinable
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        if let id = bytes.withContiguousStorageIfAvailable({ ID(UnsafeRawBufferPointer($0)) }) {
            self = id
            return
        }

        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var i = 0
        for b in bytes {
            let v = UInt64(b) << (8 * UInt64(7 - i % 8))
            switch i / 8 {
            case 0: words.0 |= v
            case 1: words.1 |= v
            case 2: words.2 |= v
            default: words.3 |= v
            }
            i += 1
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Parses 64 hex digits (either case); nil for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.init(bytes: bytes)
    }

    /// Calls `body` with the 32 bytes of the id.
    @inlinable
    public func withBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return try withUnsafeBytes(of: &words) { (raw) throws(E) -> R in try body(raw) }
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// The id as 64 lower-case hex digits, the form users see and type.
    public var hex: String { withBytes { Hex.encode($0) } }

    /// The first 8 bytes, as an integer: a cheap, well-spread hash for sharding.
    public var prefix64: UInt64 { w0 }

    public static func < (a: ID, b: ID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }
}

extension ID: CustomStringConvertible {
    public var description: String { hex }
}
