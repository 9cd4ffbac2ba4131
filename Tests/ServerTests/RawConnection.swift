import Glibc
import Wire
import XCTest

/// A bare TCP connection to a test server for sending bytes no well-behaved client would:
/// replays, foreign frames, garbage. It reads the hello, then whole frames. Reads give up
/// after five seconds so a server that neither answers nor closes fails the test.
final class RawConnection {
    let hello: Hello
    private let fd: Int32
    private var inbox: [UInt8] = []

    init(port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket failed, errno \(errno)") }
        self.fd = fd
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw RawConnectionError("connect failed, errno \(errno)")
        }

        var first: Frame?
        do { first = try Self.next(fd, &inbox) } catch {
            close(fd)
            throw error
        }
        guard let first, first.typeByte == MessageType.hello.rawValue else {
            close(fd)
            throw RawConnectionError("the server sent no hello")
        }
        hello = try Hello.decode(exactly: first.body)
    }

    deinit {
        close(fd)
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawConnectionError("send failed, errno \(errno)") }
            offset += sent
        }
    }

    /// The next frame from the server, or nil when it closed the connection.
    func readFrame() throws -> Frame? {
        try Self.next(fd, &inbox)
    }

    /// The next frame, which must be an error: its request id and code.
    func readError() throws -> (requestId: UInt32, code: ErrorCode) {
        guard let frame = try readFrame() else {
            throw RawConnectionError("the server closed instead of sending an error")
        }
        guard frame.typeByte == MessageType.error.rawValue else {
            throw RawConnectionError("expected an error frame, got type \(frame.typeByte)")
        }
        let body = try ErrorBody.decode(exactly: frame.body)
        return (frame.requestId, body.code)
    }

    /// Whether the server has closed the connection, with nothing more to read.
    func isClosedByServer() throws -> Bool {
        try readFrame() == nil
    }

    /// Reads until `inbox` holds a whole frame; nil at end of stream.
    private static func next(_ fd: Int32, _ inbox: inout [UInt8]) throws -> Frame? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if case .complete(let total) = try FrameParser.length(of: inbox[...]) {
                let payload = Array(inbox[FrameLayout.prefixSize..<total])
                inbox.removeFirst(total)
                return try FrameParser.parse(payload[...])
            }
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { return nil }
            if got < 0 {
                // A reset after the server hung up is a close too.
                if errno == ECONNRESET { return nil }
                throw RawConnectionError("recv failed or timed out, errno \(errno)")
            }
            inbox += chunk[0..<got]
        }
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Builds request frames byte by byte, for the shapes `FrameEncoder` refuses to make.
enum RawFrames {
    /// A signed request with any body, signed for `challenge` (or a frame that claims
    /// `version`, signed as such).
    static func signed(
        type: MessageType, requestId: UInt32, sequence: UInt64, body: [UInt8],
        key: PrivateKey, challenge: ID, version: UInt8 = FrameLayout.version
    ) -> [UInt8] {
        let digest = Signing.digest(
            challenge: challenge, version: version, type: type.rawValue, requestId: requestId,
            sequence: sequence, body: body[...])
        var w = header(version: version, type: type.rawValue, flags: 1, requestId: requestId)
        w.u64(sequence)
        w.raw(body)
        w.raw(key.sign(digest: digest).bytes)
        return finish(w)
    }

    /// An unsigned frame with any type and body.
    static func unsigned(type: MessageType, requestId: UInt32, body: [UInt8]) -> [UInt8] {
        var w = header(version: FrameLayout.version, type: type.rawValue, flags: 0,
                       requestId: requestId)
        w.raw(body)
        return finish(w)
    }

    /// A well-formed request, as the client library would send it.
    static func request(
        _ request: Request, requestId: UInt32, sequence: UInt64, key: PrivateKey?,
        challenge: ID
    ) -> [UInt8] {
        var encoder = FrameEncoder()
        return encoder.request(
            request, requestId: requestId, key: key, challenge: challenge, sequence: sequence)
    }

    private static func header(version: UInt8, type: UInt8, flags: UInt8, requestId: UInt32)
        -> WireWriter
    {
        var w = WireWriter()
        w.u32(0)
        w.u8(version)
        w.u8(type)
        w.u8(flags)
        w.u32(requestId)
        return w
    }

    private static func finish(_ writer: WireWriter) -> [UInt8] {
        var w = writer
        w.patchU32(UInt32(w.count - FrameLayout.prefixSize), at: 0)
        return w.bytes
    }
}
