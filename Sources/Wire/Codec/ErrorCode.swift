/// A stable numeric error code, carried in error frames. The numbers are part of the protocol
/// (spec/PROTOCOL.md, "Error codes"): they never change meaning, and new ones may be added, so
/// this is an open set of constants rather than a closed enum.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    // Frames and encoding (1-19): the bytes themselves are wrong.
    public static let truncated = ErrorCode(rawValue: 1)
    public static let frameTooLarge = ErrorCode(rawValue: 2)
    public static let unsupportedVersion = ErrorCode(rawValue: 3)
    public static let unknownMessageType = ErrorCode(rawValue: 4)
    public static let badFlags = ErrorCode(rawValue: 5)
    public static let nonCanonicalInteger = ErrorCode(rawValue: 6)
    public static let badBoolean = ErrorCode(rawValue: 7)
    public static let trailingBytes = ErrorCode(rawValue: 8)
    public static let badEnum = ErrorCode(rawValue: 9)
    public static let invalidUTF8 = ErrorCode(rawValue: 10)
    public static let limitExceeded = ErrorCode(rawValue: 11)
    public static let invalidValue = ErrorCode(rawValue: 12)
    public static let notSorted = ErrorCode(rawValue: 13)

    // Authentication (20-29): who sent this cannot be trusted.
    public static let unsignedRequest = ErrorCode(rawValue: 20)
    public static let badSignature = ErrorCode(rawValue: 21)
    public static let staleSequence = ErrorCode(rawValue: 22)
    public static let unexpectedSignature = ErrorCode(rawValue: 23)

    // Rules (40-49): the signer may not do this.
    public static let unknownIdentity = ErrorCode(rawValue: 40)
    public static let notServerOwner = ErrorCode(rawValue: 41)
    public static let notColonyOwner = ErrorCode(rawValue: 42)
    public static let runtimeNotApproved = ErrorCode(rawValue: 43)
    public static let notAssignedRuntime = ErrorCode(rawValue: 44)
    public static let staleAttempt = ErrorCode(rawValue: 45)
    public static let wrongState = ErrorCode(rawValue: 46)

    // Objects (50-59).
    public static let notFound = ErrorCode(rawValue: 50)
    public static let alreadyExists = ErrorCode(rawValue: 51)

    // The server (60-69): nothing wrong with the request itself.
    public static let storeFull = ErrorCode(rawValue: 60)
    public static let internalError = ErrorCode(rawValue: 61)
    public static let tooManyConnections = ErrorCode(rawValue: 62)
    public static let overloaded = ErrorCode(rawValue: 63)
    public static let shuttingDown = ErrorCode(rawValue: 64)
    public static let readTimeout = ErrorCode(rawValue: 65)

    /// A short stable name for logs and error messages.
    public var name: String {
        switch rawValue {
        case 1: "truncated"
        case 2: "frame-too-large"
        case 3: "unsupported-version"
        case 4: "unknown-message-type"
        case 5: "bad-flags"
        case 6: "non-canonical-integer"
        case 7: "bad-boolean"
        case 8: "trailing-bytes"
        case 9: "bad-enum"
        case 10: "invalid-utf8"
        case 11: "limit-exceeded"
        case 12: "invalid-value"
        case 13: "not-sorted"
        case 20: "unsigned-request"
        case 21: "bad-signature"
        case 22: "stale-sequence"
        case 23: "unexpected-signature"
        case 40: "unknown-identity"
        case 41: "not-server-owner"
        case 42: "not-colony-owner"
        case 43: "runtime-not-approved"
        case 44: "not-assigned-runtime"
        case 45: "stale-attempt"
        case 46: "wrong-state"
        case 50: "not-found"
        case 51: "already-exists"
        case 60: "store-full"
        case 61: "internal-error"
        case 62: "too-many-connections"
        case 63: "overloaded"
        case 64: "shutting-down"
        case 65: "read-timeout"
        default: "error-\(rawValue)"
        }
    }

    public var description: String { "\(rawValue) (\(name))" }
}
