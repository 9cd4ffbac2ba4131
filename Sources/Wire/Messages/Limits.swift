/// Every limit of the protocol, in one place; spec/PROTOCOL.md lists the same numbers.
/// Lengths are in bytes of UTF-8. A value outside its limit is refused whole.
public enum Limits {
    /// The largest value of a frame's length prefix (the bytes after the prefix).
    public static let maxFrameBytes = 1 << 20

    /// Colony and runtime names, runtime types and attribute keys: 1 to 64 bytes of
    /// `A-Z a-z 0-9 . _ -`.
    public static let maxName = 64
    /// CPU and GPU descriptions: up to 128 bytes, no control characters.
    public static let maxDescription = 128
    /// The function a worker runs: 1 to 256 bytes, no control characters.
    public static let maxFunc = 256
    /// Arguments: up to 64, each up to 4096 bytes without NUL.
    public static let maxArgs = 64
    public static let maxArg = 4096
    /// Environment: up to 64 variables, keys 1 to 128 bytes of `A-Z a-z 0-9 _` not starting
    /// with a digit, values up to 4096 bytes without NUL, keys in strictly ascending order.
    public static let maxEnv = 64
    public static let maxEnvKey = 128
    public static let maxEnvValue = 4096
    /// Target runtime ids in a process's conditions: up to 64, strictly ascending.
    public static let maxRuntimeIDs = 64
    /// Attribute keys follow the name rule; values are up to 64 KiB of UTF-8.
    public static let maxAttributeKey = 128
    public static let maxAttributeValue = 65_536
    /// The message in an error frame.
    public static let maxErrorMessage = 1024
    /// The longest text any field may hold: used to bound a text before its field's own check.
    public static let maxText = maxAttributeValue
    /// Items a list request may ask for, and items in any list reply.
    public static let maxListCount = 1000
    /// The longest wait an assign may ask for, in seconds.
    public static let maxWaitSeconds: UInt16 = 3600
    /// Process priorities: higher is assigned first.
    public static let priorities: ClosedRange<Int32> = -1000...1000
    /// Timeouts and maximum wait times in seconds: -1 (no limit) or 1 to one year.
    public static let maxSeconds: Int32 = 31_536_000
    /// `maxretries`: -1 (retry without limit) or 0 to 1000.
    public static let maxRetries: Int32 = 1000
    /// Attributes one process may carry.
    public static let maxAttributesPerProcess = 256
}

/// The character rules behind the limits.
enum Rules {
    static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// A name: 1 to `max` bytes of the name characters.
    static func name(_ t: Text, max: Int = Limits.maxName, _ field: StaticString)
        throws(WireError)
    {
        guard !t.isEmpty else { throw WireError(.invalidValue, field) }
        guard t.byteCount <= max else { throw WireError(.limitExceeded, field) }
        for b in t.utf8 where !isNameByte(b) { throw WireError(.invalidValue, field) }
    }

    /// Free text without control characters (below 0x20, or 0x7f).
    static func printable(_ t: Text, max: Int, allowEmpty: Bool = true, _ field: StaticString)
        throws(WireError)
    {
        guard allowEmpty || !t.isEmpty else { throw WireError(.invalidValue, field) }
        guard t.byteCount <= max else { throw WireError(.limitExceeded, field) }
        for b in t.utf8 where b < 0x20 || b == 0x7f { throw WireError(.invalidValue, field) }
    }

    /// Any text without NUL, which no process argument or environment value can carry.
    static func noNUL(_ t: Text, max: Int, _ field: StaticString) throws(WireError) {
        guard t.byteCount <= max else { throw WireError(.limitExceeded, field) }
        for b in t.utf8 where b == 0 { throw WireError(.invalidValue, field) }
    }

    static func envKey(_ t: Text, _ field: StaticString) throws(WireError) {
        guard let first = t.utf8.first else { throw WireError(.invalidValue, field) }
        guard t.byteCount <= Limits.maxEnvKey else { throw WireError(.limitExceeded, field) }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            throw WireError(.invalidValue, field)
        }
        for b in t.utf8 where !(isNameByte(b) && b != UInt8(ascii: ".") && b != UInt8(ascii: "-"))
        {
            throw WireError(.invalidValue, field)
        }
    }

    /// -1 for no limit, or 1 to `Limits.maxSeconds`.
    static func seconds(_ v: Int32, _ field: StaticString) throws(WireError) {
        guard v == -1 || (v >= 1 && v <= Limits.maxSeconds) else {
            throw WireError(.invalidValue, field)
        }
    }
}

extension Text: WireCodable {
    public func encode(to writer: inout WireWriter) { writer.text(self) }

    /// Reads a text of at most `Limits.maxText` bytes; its field then applies its own rule.
    public static func decode(from reader: inout WireReader) throws(WireError) -> Text {
        try reader.text(max: Limits.maxText, "text")
    }
}
