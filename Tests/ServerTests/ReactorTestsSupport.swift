import Glibc
import XCTest

@testable import Server

/// A plain blocking TCP client for driving a reactor from a test. Reads give up after
/// five seconds so a broken reactor fails the test instead of hanging it.
final class ReactorTestClient {
    let fd: Int32

    init(port: UInt16, receiveBufferSize: Int32? = nil) throws {
        fd = try Syscall.tcpSocket(family: AF_INET, blocking: true)
        if let receiveBufferSize {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF,
                                  value: receiveBufferSize)
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
        try Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        try Syscall.connect(fd, to: SocketAddress(host: "127.0.0.1", port: port))
    }

    deinit {
        Syscall.close(fd)
    }

    /// The client's own port, which the server sees as its peer's.
    var localPort: UInt16 {
        socketPort(fd, peer: false)
    }

    /// Writes all of `bytes`, blocking as needed.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { raw in
                try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            guard case .processed(let count) = result else {
                throw TestFailure("write timed out")
            }
            offset += count
        }
    }

    /// Writes what the socket takes without blocking; returns the count written.
    func writeAvailable(_ bytes: ArraySlice<UInt8>) throws -> Int {
        let result = try bytes.withUnsafeBytes { raw in
            try Syscall.nonBlockingSend(fd, raw)
        }
        guard case .processed(let count) = result else {
            return 0
        }
        return count
    }

    /// Writes copies of `frame`, never reading, until the server has paused reading this
    /// connection and the socket takes nothing more. Returns the bytes written; the last
    /// frame may be incomplete.
    func writeUntilServerPauses(
        _ frame: [UInt8], reactor: Reactor<EchoHandler>
    ) throws -> [UInt8] {
        var sent: [UInt8] = []
        var pending = frame[...]
        var blockedWrites = 0
        while blockedWrites < 50 {
            guard sent.count < 256 << 20 else {
                throw TestFailure("the server never paused reading")
            }
            let count = try writeAvailable(pending)
            sent += pending.prefix(count)
            pending = pending.dropFirst(count)
            if pending.isEmpty {
                pending = frame[...]
            }
            if count == 0 && reactor.counters.readPauses > 0 {
                blockedWrites += 1
                usleep(1_000)
            }
        }
        return sent
    }

    /// Reads exactly `count` bytes, or returns nil if the server closed first.
    func read(exactly count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let result = try bytes.withUnsafeMutableBytes { raw in
                try Syscall.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
            }
            switch result {
            case .wouldBlock:
                throw TestFailure("read timed out")
            case .processed(0):
                return nil
            case .processed(let got):
                offset += got
            }
        }
        return bytes
    }

    /// Writes `bytes` while reading `expected` bytes back, so neither side's buffers fill
    /// up and stall the other. Returns what was read.
    func exchange(writing bytes: [UInt8], readingBack expected: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var offset = 0
        while offset < bytes.count || received.count < expected {
            var events = Int16(POLLIN)
            if offset < bytes.count {
                events |= Int16(POLLOUT)
            }
            var request = pollfd(fd: fd, events: events, revents: 0)
            guard poll(&request, 1, 5_000) > 0 else {
                throw TestFailure("the exchange stalled")
            }
            if offset < bytes.count {
                offset += try writeAvailable(bytes[offset...])
            }
            if request.revents & Int16(POLLIN) != 0 {
                let result = try chunk.withUnsafeMutableBytes { raw in
                    try Syscall.read(fd, into: raw)
                }
                guard case .processed(let count) = result, count > 0 else {
                    throw TestFailure("the server closed during the exchange")
                }
                received += chunk[0..<count]
            }
        }
        return received
    }

    /// Reads one frame's payload, or nil if the server closed first.
    func readFrame() throws -> [UInt8]? {
        guard let prefix = try read(exactly: 4) else {
            return nil
        }
        let length = prefix.reduce(0) { $0 << 8 | Int($1) }
        return try read(exactly: length)
    }

    /// Whether the server closed the connection (the next read finds end-of-stream).
    func isClosedByServer() throws -> Bool {
        var byte: UInt8 = 0
        let result = try withUnsafeMutableBytes(of: &byte) { try Syscall.read(fd, into: $0) }
        switch result {
        case .wouldBlock:
            throw TestFailure("the server neither sent nor closed")
        case .processed(let count):
            return count == 0
        }
    }
}

extension Syscall {
    /// A send that does not wait even on a blocking socket.
    static func nonBlockingSend(
        _ fd: Int32, _ buffer: UnsafeRawBufferPointer
    ) throws(ReactorError) -> IOResult<Int> {
        let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)
        return try Syscall.nonBlocking("send") {
            Glibc.send(fd, buffer.baseAddress, buffer.count, flags)
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// `payload` with its 4-byte big-endian length prefix.
func framed(_ payload: [UInt8]) -> [UInt8] {
    let length = UInt32(payload.count)
    return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + payload
}

/// Waits up to five seconds for `condition`, polling; fails the test if it never holds.
func eventually(
    _ what: String, file: StaticString = #filePath, line: UInt = #line,
    _ condition: () -> Bool
) {
    let deadline = MonotonicClock.now() + 5_000_000_000
    while !condition() {
        if MonotonicClock.now() > deadline {
            XCTFail("timed out waiting until \(what)", file: file, line: line)
            return
        }
        usleep(1_000)
    }
}

/// A configuration for tests: loopback, a free port, two loops.
func testConfiguration() -> ReactorConfiguration {
    var configuration = ReactorConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.loopCount = 2
    return configuration
}

/// Echoes every frame and records what happens to each connection.
final class EchoHandler: ConnectionHandler {
    struct State {
        var framesSeen = 0
    }

    enum Event: Equatable {
        case opened(ConnectionID)
        case oversized(ConnectionID, Int)
        case closed(ConnectionID)
    }

    let events = Locked<[Event]>([])
    let open = Locked<[ConnectionID: Connection<EchoHandler>]>([:])
    let oversizedReply: [UInt8] = Array("frame too large".utf8)

    func makeState(for id: ConnectionID) -> State {
        State()
    }

    func opened(_ connection: Connection<EchoHandler>) {
        events.withLock { $0.append(.opened(connection.id)) }
        open.withLock { $0[connection.id] = connection }
    }

    func frame(_ connection: Connection<EchoHandler>, _ payload: ArraySlice<UInt8>) {
        connection.state.framesSeen += 1
        connection.send(payload)
    }

    func oversized(_ connection: Connection<EchoHandler>, declaredLength: Int) {
        events.withLock { $0.append(.oversized(connection.id, declaredLength)) }
        connection.send(oversizedReply)
    }

    func closed(_ connection: Connection<EchoHandler>) {
        events.withLock { $0.append(.closed(connection.id)) }
        open.withLock { $0[connection.id] = nil }
    }

    var openConnections: [Connection<EchoHandler>] {
        open.withLock { Array($0.values) }
    }

    var closedCount: Int {
        events.withLock { events in
            events.filter { if case .closed = $0 { true } else { false } }.count
        }
    }
}

/// Runs `body` on `loop` and returns its result to the calling test thread.
func onLoop<Value: Sendable>(
    _ loop: EventLoop, _ body: @escaping @Sendable () -> Value
) throws -> Value {
    let result = Locked<Value?>(nil)
    let done = try Latch(count: 1)
    let queued = loop.execute {
        result.withLock { $0 = body() }
        done.countDown()
    }
    guard queued else {
        throw TestFailure("the loop has stopped")
    }
    done.wait()
    return result.withLock { $0! }
}

/// The local or the peer port of a connected IPv4 socket; 0 when it cannot be read.
func socketPort(_ fd: Int32, peer: Bool) -> UInt16 {
    var address = sockaddr_in()
    var size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            peer ? getpeername(fd, raw, &size) : getsockname(fd, raw, &size)
        }
    }
    return result == 0 ? UInt16(bigEndian: address.sin_port) : 0
}

extension Connection {
    /// The port the client connected from.
    var peerPort: UInt16 {
        socketPort(fd, peer: true)
    }
}
