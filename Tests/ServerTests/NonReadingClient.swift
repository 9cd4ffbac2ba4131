import Foundation
import Glibc
import Wire

/// A client that reads the hello and then only writes: it never reads a reply, so the
/// server's replies pile up. Its receive buffer is made small before connecting so they
/// pile up in the server rather than in this side's kernel. Writes never block: a test
/// learns that the server stopped reading when the socket stops taking bytes.
final class NonReadingClient {
    let hello: Hello
    private let fd: Int32

    /// What one `offer` achieved.
    enum Offer: Equatable {
        case sent(Int)
        /// The socket takes nothing more for now: the server is not reading.
        case wouldBlock
        /// The server closed or reset the connection.
        case closed
    }

    init(port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket failed, errno \(errno)") }
        self.fd = fd
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        do {
            try Self.connect(fd, port: port)
            hello = try Self.readHello(fd)
        } catch {
            close(fd)
            throw error
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(fd)
    }

    /// Writes as much of `bytes` as the socket takes now, without waiting.
    func offer(_ bytes: ArraySlice<UInt8>) -> Offer {
        let sent = bytes.withUnsafeBytes {
            send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        if sent >= 0 { return .sent(sent) }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .closed
    }

    /// How a flood ended.
    enum FloodOutcome: Equatable, CustomStringConvertible {
        /// The socket took nothing for a second after this many bytes.
        case stalled(afterBytes: Int)
        /// The server dropped the connection after this many bytes.
        case dropped(afterBytes: Int)
        /// The byte budget ran out with the server still reading.
        case neverStalled

        var description: String {
            switch self {
            case .stalled(let bytes): "stalled after \(bytes) bytes"
            case .dropped(let bytes): "was dropped after \(bytes) bytes"
            case .neverStalled: "never stalled"
            }
        }
    }

    /// Sends 64 signed getProcess requests for `process`, then unsigned pings, until the
    /// socket takes nothing for a second, the server drops the connection, or `maxBytes`
    /// have gone out. Reads nothing.
    func flood(reading process: ID, signedBy key: PrivateKey, maxBytes: Int) -> FloodOutcome {
        var requests: [UInt8] = []
        for index in 1...64 {
            requests += RawFrames.request(
                .getProcess(processId: process), requestId: UInt32(index),
                sequence: UInt64(index), key: key, challenge: hello.challenge)
        }
        let ping = RawFrames.request(
            .ping, requestId: 1000, sequence: 0, key: nil, challenge: hello.challenge)
        let pings = Array([[UInt8]](repeating: ping, count: 64 * 1024 / ping.count).joined())

        var total = 0
        var pending = requests[...]
        var blockedSince: ContinuousClock.Instant?
        while total < maxBytes {
            if pending.isEmpty { pending = pings[...] }
            switch offer(pending) {
            case .sent(let count):
                total += count
                pending = pending.dropFirst(count)
                blockedSince = nil
            case .wouldBlock:
                let since = blockedSince ?? .now
                if ContinuousClock.now - since >= .seconds(1) {
                    return .stalled(afterBytes: total)
                }
                blockedSince = since
                Thread.sleep(forTimeInterval: 0.01)
            case .closed:
                return .dropped(afterBytes: total)
            }
        }
        return .neverStalled
    }

    private static func connect(_ fd: Int32, port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw RawConnectionError("connect failed, errno \(errno)") }
    }

    /// Reads the hello, which is all the server sends before a request arrives.
    private static func readHello(_ fd: Int32) throws -> Hello {
        var inbox: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            if case .complete(let total) = try FrameParser.length(of: inbox[...]) {
                let payload = Array(inbox[FrameLayout.prefixSize..<total])
                let frame = try FrameParser.parse(payload[...])
                guard frame.typeByte == MessageType.hello.rawValue else {
                    throw RawConnectionError("the server sent no hello")
                }
                return try Hello.decode(exactly: frame.body)
            }
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard got > 0 else { throw RawConnectionError("no hello, errno \(errno)") }
            inbox += chunk[0..<got]
        }
    }
}
