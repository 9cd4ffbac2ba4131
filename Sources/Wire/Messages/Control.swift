/// The first frame on every connection, sent by the server before anything else.
///
/// Layout: `minVersion` (u8), `maxVersion` (u8): the protocol versions the server speaks;
/// `challenge` (32 random bytes, new for each connection, bound into every signature);
/// `serverId` (32 bytes: the id of the server owner).
public struct Hello: WireCodable, Hashable {
    public var minVersion: UInt8
    public var maxVersion: UInt8
    public var challenge: ID
    public var serverId: ID

    public init(minVersion: UInt8, maxVersion: UInt8, challenge: ID, serverId: ID) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.challenge = challenge
        self.serverId = serverId
    }

    public func encode(to w: inout WireWriter) {
        w.u8(minVersion)
        w.u8(maxVersion)
        w.id(challenge)
        w.id(serverId)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Hello {
        let minVersion = try r.u8("hello.minversion")
        let maxVersion = try r.u8("hello.maxversion")
        guard minVersion <= maxVersion else { throw WireError(.invalidValue, "hello.versions") }
        return Hello(
            minVersion: minVersion, maxVersion: maxVersion, challenge: try r.id("hello.challenge"),
            serverId: try r.id("hello.serverid"))
    }
}

/// The reply to a ping.
///
/// Layout: `protocolVersion` (u8), `serverVersion` (text, up to 64 bytes, printable),
/// `serverId` (32 bytes).
public struct Pong: WireCodable, Hashable {
    public var protocolVersion: UInt8
    public var serverVersion: Text
    public var serverId: ID

    public init(protocolVersion: UInt8, serverVersion: Text, serverId: ID) {
        self.protocolVersion = protocolVersion
        self.serverVersion = serverVersion
        self.serverId = serverId
    }

    public func encode(to w: inout WireWriter) {
        w.u8(protocolVersion)
        w.text(serverVersion)
        w.id(serverId)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Pong {
        let version = try r.u8("pong.protocolversion")
        let text = try r.text(max: Limits.maxName, "pong.serverversion")
        try Rules.printable(text, max: Limits.maxName, "pong.serverversion")
        return Pong(
            protocolVersion: version, serverVersion: text, serverId: try r.id("pong.serverid"))
    }
}

/// The body of an error frame: a stable code and a message for people.
///
/// Layout: `code` (u16), `message` (text, up to 1024 bytes). The frame's request id is that
/// of the request that failed, or 0 when the failure is the connection's, not a request's.
public struct ErrorBody: WireCodable, Hashable, Error {
    public var code: ErrorCode
    public var message: Text

    public init(code: ErrorCode, message: Text) {
        self.code = code
        self.message = message
    }

    public func encode(to w: inout WireWriter) {
        w.u16(code.rawValue)
        w.text(message)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> ErrorBody {
        let code = ErrorCode(rawValue: try r.u16("error.code"))
        let message = try r.text(max: Limits.maxErrorMessage, "error.message")
        return ErrorBody(code: code, message: message)
    }
}
