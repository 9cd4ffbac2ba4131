/// A UTF-8 string field. A decoded `Text` is a slice of the frame it came in (no copy);
/// one made from a Swift string owns its bytes. Compared by bytes, which for valid UTF-8
/// is the same as comparing the strings' code points.
public struct Text: Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The UTF-8 bytes, never containing invalid sequences.
    public let utf8: ArraySlice<UInt8>

    /// Wraps bytes that the caller has checked are valid UTF-8.
    init(utf8: ArraySlice<UInt8>) {
        self.utf8 = utf8
    }

    public init(_ string: String) {
        utf8 = Array(string.utf8)[...]
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public static let empty = Text("")

    /// The text as a Swift string (a copy).
    public var string: String { String(decoding: utf8, as: UTF8.self) }

    public var description: String { string }

    public var isEmpty: Bool { utf8.isEmpty }

    /// The length in bytes, the unit of every limit in the protocol.
    public var byteCount: Int { utf8.count }

    public static func == (a: Text, b: Text) -> Bool { a.utf8.elementsEqual(b.utf8) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(utf8.count)
        for b in utf8 { hasher.combine(b) }
    }

    public static func < (a: Text, b: Text) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// Checks UTF-8 without decoding into a String, so that validation allocates nothing.
enum UTF8Validation {
    static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }

            let count: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xbf
            switch b0 {
            case 0xc2...0xdf: count = 2
            case 0xe0: count = 3; low = 0xa0
            case 0xe1...0xec, 0xee...0xef: count = 3
            case 0xed: count = 3; high = 0x9f  // no UTF-16 surrogates
            case 0xf0: count = 4; low = 0x90
            case 0xf1...0xf3: count = 4
            case 0xf4: count = 4; high = 0x8f  // nothing above U+10FFFF
            default: return false
            }
            guard end - i >= count else { return false }

            // Only the second byte has the narrowed range; the rest are plain continuations.
            let b1 = bytes[i + 1]
            guard b1 >= low && b1 <= high else { return false }
            for k in 2..<count {
                guard bytes[i + k] & 0xc0 == 0x80 else { return false }
            }
            i += count
        }
        return true
    }
}
