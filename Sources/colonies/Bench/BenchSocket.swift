import Glibc

/// What the benchmark can run into; every case is phrased for the user.
enum BenchError: Error, CustomStringConvertible {
    case socket(call: String, errno: Int32)
    case closedByServer
    case timedOut(String)
    case protocolError(String)
    case setup(String)
    case child(String)

    var description: String {
        switch self {
        case .socket(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code)))"
        case .closedByServer: return "the server closed a benchmark connection"
        case .timedOut(let what): return "timed out: \(what)"
        case .protocolError(let what): return "unexpected answer from the server: \(what)"
        case .setup(let what): return "setup failed: \(what)"
        case .child(let what): return "server process: \(what)"
        }
    }
}

/// The outcome of one non-blocking send or receive.
enum SocketIO {
    case bytes(Int)
    case wouldBlock
    case closed
}

/// A TCP connection of the load generator: connected blocking, then used non-blocking.
/// The only file of the benchmark that calls the C socket API.
final class BenchSocket {
    let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    /// Connects to an IPv4 address (`127.0.0.1`) or a host name, with TCP_NODELAY.
    static func connect(host: String, port: UInt16) throws(BenchError) -> BenchSocket {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw .setup("cannot resolve \(host)")
        }
        defer { freeaddrinfo(info) }

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(call: "socket", errno: errno) }
        let connection = BenchSocket(fd: fd)
        while Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            if errno != EINTR { throw .socket(call: "connect", errno: errno) }
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return connection
    }

    /// A TCP port on 127.0.0.1 that nobody listens on right now (the kernel's choice).
    /// Another program could take it before the server binds it; unlikely on a bench machine.
    static func freePort() throws(BenchError) -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .socket(call: "socket", errno: errno) }
        defer { Glibc.close(fd) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw .socket(call: "bind", errno: errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Writes what the kernel takes now of `bytes`.
    func send(_ bytes: ArraySlice<UInt8>) throws(BenchError) -> SocketIO {
        while true {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EPIPE, ECONNRESET: return .closed
            default: throw .socket(call: "send", errno: errno)
            }
        }
    }

    /// Reads what has arrived into `buffer`, making room for `reserving` bytes first.
    func receive(into buffer: inout ReceiveBuffer, reserving: Int = 64 * 1024)
        throws(BenchError) -> SocketIO
    {
        buffer.reserve(reserving)
        while true {
            let n = buffer.withFreeSpace { raw in Glibc.recv(fd, raw.baseAddress, raw.count, 0) }
            if n > 0 {
                buffer.didAppend(n)
                return .bytes(n)
            }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET: return .closed
            default: throw .socket(call: "recv", errno: errno)
            }
        }
    }

    /// Waits until one of `sockets` can be read (or written, where `wantsWrite` says so),
    /// at most `milliseconds`; returns the indexes of the ready ones.
    static func poll(
        _ sockets: [BenchSocket], wantsWrite: [Bool], milliseconds: Int32,
        into fds: inout [pollfd]
    ) throws(BenchError) -> [Int] {
        fds.removeAll(keepingCapacity: true)
        for (i, s) in sockets.enumerated() {
            let events = Int16(POLLIN) | (wantsWrite[i] ? Int16(POLLOUT) : 0)
            fds.append(pollfd(fd: s.fd, events: events, revents: 0))
        }
        let n = fds.withUnsafeMutableBufferPointer { p in
            Glibc.poll(p.baseAddress, nfds_t(p.count), milliseconds)
        }
        if n < 0 {
            if errno == EINTR { return [] }
            throw .socket(call: "poll", errno: errno)
        }
        guard n > 0 else { return [] }
        return fds.indices.filter { fds[$0].revents != 0 }
    }
}
