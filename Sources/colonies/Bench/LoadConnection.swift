import Glibc
import Wire

/// One connection of the load generator: its socket, the hello it got, the bytes waiting
/// to go out and the counters that signing for it must continue from.
final class LoadConnection {
    let socket: BenchSocket
    let hello: Hello
    /// The last sequence number signed for this connection; the next frame must use more.
    var lastSequence: UInt64 = 0
    /// The last request id used on this connection.
    var lastRequestId: UInt32 = 0

    private(set) var inbox = ReceiveBuffer()
    private var outbox: [UInt8] = []
    private var sent = 0

    /// Whether bytes are waiting for the socket to take them.
    var hasPendingOutput: Bool { sent < outbox.count }

    /// Connects and reads the server's hello, waiting at most `milliseconds` for it.
    init(host: String, port: UInt16, milliseconds: Int32 = 10_000) throws(BenchError) {
        socket = try BenchSocket.connect(host: host, port: port)
        var fds: [pollfd] = []
        let deadline = MonotonicTime.now() + UInt64(milliseconds) * 1_000_000
        while true {
            if let frame = try inbox.nextFrame() {
                guard frame.typeByte == MessageType.hello.rawValue else {
                    throw .protocolError("expected a hello, got type \(frame.typeByte)")
                }
                do { hello = try Hello.decode(exactly: frame.body) } catch {
                    throw .protocolError("a malformed hello: \(error)")
                }
                return
            }
            guard MonotonicTime.now() < deadline else { throw .timedOut("the server's hello") }
            _ = try BenchSocket.poll([socket], wantsWrite: [false], milliseconds: 100, into: &fds)
            // A small buffer is enough for the hello; idle connections never need more.
            if case .closed = try socket.receive(into: &inbox, reserving: 512) {
                throw .closedByServer
            }
        }
    }

    /// Reserves the next `count` sequence numbers and request ids; returns the first of each.
    func reserve(_ count: Int) -> (sequence: UInt64, requestId: UInt32) {
        let first = (lastSequence + 1, lastRequestId &+ 1)
        lastSequence += UInt64(count)
        lastRequestId &+= UInt32(truncatingIfNeeded: count)
        return first
    }

    /// Queues bytes to send; `flush` writes them.
    func enqueue(_ bytes: ArraySlice<UInt8>) {
        outbox.append(contentsOf: bytes)
    }

    /// Writes as much of the queue as the socket takes now.
    func flush() throws(BenchError) {
        while sent < outbox.count {
            switch try socket.send(outbox[sent...]) {
            case .bytes(let n): sent += n
            case .wouldBlock: return
            case .closed: throw .closedByServer
            }
        }
        outbox.removeAll(keepingCapacity: true)
        sent = 0
    }

    /// Reads what has arrived and hands each whole frame to `handle`.
    func receiveFrames(_ handle: (Frame) throws(BenchError) -> Void) throws(BenchError) {
        // A few reads per wake-up at most, so that one busy connection cannot starve others.
        for _ in 0..<4 {
            let outcome = try socket.receive(into: &inbox)
            while let frame = try inbox.nextFrame() { try handle(frame) }
            switch outcome {
            case .bytes: continue
            case .wouldBlock: return
            case .closed: throw .closedByServer
            }
        }
    }
}

/// The monotonic clock in nanoseconds.
enum MonotonicTime {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
