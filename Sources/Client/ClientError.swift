import Wire

/// Why a client call failed. `refused` carries the server's error frame; the others are
/// about reaching the server and understanding it.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address did not resolve, or nothing accepted the connection.
    case cannotConnect(host: String, port: UInt16, reason: String)
    /// No answer came within the timeout.
    case timedOut
    /// The server closed the connection.
    case connectionClosed
    /// A socket call failed.
    case io(call: String, errno: Int32)
    /// The server sent bytes this client cannot decode.
    case malformed(WireError)
    /// The server speaks no protocol version this client does.
    case unsupportedVersion(min: UInt8, max: UInt8)
    /// The server answered with an error frame.
    case refused(code: ErrorCode, message: String)
    /// The reply does not answer the request (a server bug or a confused stream).
    case unexpectedReply(MessageType)

    public var description: String {
        switch self {
        case .cannotConnect(let host, let port, let reason):
            "cannot connect to \(host):\(port): \(reason)"
        case .timedOut: "the server did not answer in time"
        case .connectionClosed: "the server closed the connection"
        case .io(let call, let errno): "\(call) failed (errno \(errno))"
        case .malformed(let e): "the server sent a malformed frame (\(e))"
        case .unsupportedVersion(let lo, let hi):
            "the server speaks protocol versions \(lo)...\(hi), this client speaks 1"
        case .refused(let code, let message): "\(message) [\(code.name), code \(code.rawValue)]"
        case .unexpectedReply(let type): "unexpected reply to \(type)"
        }
    }
}
