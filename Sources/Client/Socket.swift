import Glibc

/// A blocking TCP socket with timeouts: the only file in the client that calls the C
/// socket API.
struct Socket: ~Copyable {
    private let fd: Int32

    /// Connects to `host`:`port` (a name or a numeric IPv4/IPv6 address), trying each
    /// address the name resolves to, within `timeoutMilliseconds` for each.
    init(host: String, port: UInt16, timeoutMilliseconds: Int32) throws(ClientError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw .cannotConnect(host: host, port: port, reason: reason)
        }
        defer { freeaddrinfo(first) }

        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let fd = socket(info.pointee.ai_family, type, 0)
            guard fd >= 0 else { lastError = errno; continue }
            let error = Self.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen,
                                     timeoutMilliseconds)
            if error == 0 {
                var one: Int32 = 1
                let size = socklen_t(MemoryLayout<Int32>.size)
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, size)
                self.fd = fd
                return
            }
            lastError = error
            Glibc.close(fd)
        }
        throw .cannotConnect(host: host, port: port, reason: String(cString: strerror(lastError)))
    }

    /// A non-blocking connect bounded by poll, then back to blocking mode. Returns errno.
    private static func connect(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: socklen_t,
        _ timeout: Int32
    ) -> Int32 {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }

        if Glibc.connect(fd, address, length) == 0 { return 0 }
        guard errno == EINPROGRESS else { return errno }
        switch poll(fd, events: Int16(POLLOUT), timeout) {
        case .ready: break
        case .timedOut: return ETIMEDOUT
        case .failed(let e): return e
        }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
        return error
    }

    private enum PollResult { case ready, timedOut, failed(Int32) }

    private static func poll(_ fd: Int32, events: Int16, _ timeout: Int32) -> PollResult {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = Glibc.poll(&p, 1, timeout)
            if n > 0 { return .ready }
            if n == 0 { return .timedOut }
            if errno != EINTR { return .failed(errno) }
        }
    }

    deinit { Glibc.close(fd) }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw .connectionClosed }
                throw .io(call: "send", errno: errno)
            }
            offset += n
        }
    }

    /// Reads what is available (at least one byte) into `buffer`, waiting at most
    /// `timeoutMilliseconds` (-1: no limit).
    func read(into buffer: inout [UInt8], scratch: inout [UInt8], timeoutMilliseconds: Int32)
        throws(ClientError)
    {
        switch Self.poll(fd, events: Int16(POLLIN), timeoutMilliseconds) {
        case .ready: break
        case .timedOut: throw .timedOut
        case .failed(let e): throw .io(call: "poll", errno: e)
        }
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: scratch[0..<n])
                return
            }
            if n == 0 { throw .connectionClosed }
            if errno == EINTR { continue }
            if errno == ECONNRESET { throw .connectionClosed }
            throw .io(call: "recv", errno: errno)
        }
    }
}
