/// Names a connection uniquely within one reactor: the loop index in the top 16 bits and
/// that loop's running count of accepted connections below.
public struct ConnectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    init(loop: Int, serial: UInt64) {
        rawValue = UInt64(truncatingIfNeeded: loop) << 48 | (serial & 0xFFFF_FFFF_FFFF)
    }

    /// The index of the loop that accepted the connection.
    public var loopIndex: Int {
        Int(rawValue >> 48)
    }

    public var description: String {
        "\(loopIndex).\(rawValue & 0xFFFF_FFFF_FFFF)"
    }

    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
