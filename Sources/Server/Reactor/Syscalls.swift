import CLinux
import Glibc

/// The outcome of a call on a non-blocking descriptor: done, or the kernel would have had
/// to wait (EAGAIN), which is a normal answer rather than an error.
enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

extension IOResult: Equatable where Value: Equatable {}

/// Thin wrappers over the libc socket calls. Each retries EINTR, reports EAGAIN as
/// `.wouldBlock` where the call can block, and throws `ReactorError.system` naming the call
/// for any other failure. A bad descriptor is a bug in the reactor, so EBADF traps.
enum Syscall {
    /// Runs `body` until it does not fail with EINTR.
    @inline(__always)
    static func nonBlocking<T: FixedWidthInteger>(
        _ name: String, _ body: () -> T
    ) throws(ReactorError) -> IOResult<T> {
        while true {
            let result = body()
            if result >= 0 {
                return .processed(result)
            }

            let code = errno
            if code == EINTR {
                continue
            }
            if code == EAGAIN || code == EWOULDBLOCK {
                return .wouldBlock
            }
            precondition(code != EBADF, "\(name) on a descriptor that is not open")
            throw .system(call: name, errno: code)
        }
    }

    /// Like `nonBlocking`, for calls where EAGAIN is a plain failure.
    @inline(__always)
    static func blocking<T: FixedWidthInteger>(
        _ name: String, _ body: () -> T
    ) throws(ReactorError) -> T {
        while true {
            let result = body()
            if result >= 0 {
                return result
            }

            let code = errno
            if code == EINTR {
                continue
            }
            precondition(code != EBADF, "\(name) on a descriptor that is not open")
            throw .system(call: name, errno: code)
        }
    }

    /// A new non-blocking, close-on-exec TCP socket for `family` (AF_INET or AF_INET6).
    static func tcpSocket(family: Int32, blocking: Bool = false) throws(ReactorError) -> Int32 {
        var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if !blocking {
            type |= Int32(SOCK_NONBLOCK.rawValue)
        }
        return try Syscall.blocking("socket") { Glibc.socket(family, type, 0) }
    }

    /// Sets an integer socket option.
    static func setOption(
        _ fd: Int32, level: Int32, name: Int32, value: Int32
    ) throws(ReactorError) {
        var value = value
        let size = socklen_t(MemoryLayout<Int32>.size)
        _ = try Syscall.blocking("setsockopt") {
            Glibc.setsockopt(fd, level, name, &value, size)
        }
    }

    static func bind(_ fd: Int32, to address: SocketAddress) throws(ReactorError) {
        _ = try address.withSockAddr { (pointer, length) throws(ReactorError) in
            try Syscall.blocking("bind") { Glibc.bind(fd, pointer, length) }
        }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(ReactorError) {
        _ = try Syscall.blocking("listen") { Glibc.listen(fd, backlog) }
    }

    /// The address the socket is bound to; after binding to port 0 it holds the port chosen.
    static func localAddress(_ fd: Int32) throws(ReactorError) -> SocketAddress {
        var address = SocketAddress()
        _ = try address.withMutableSockAddr { (pointer, length) throws(ReactorError) in
            try Syscall.blocking("getsockname") { Glibc.getsockname(fd, pointer, length) }
        }
        return address
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec descriptor.
    static func accept(_ fd: Int32) throws(ReactorError) -> IOResult<Int32> {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return try Syscall.nonBlocking("accept4") { CLinux.accept4(fd, nil, nil, flags) }
    }

    /// Connects a socket; on a non-blocking socket `.wouldBlock` means "in progress".
    static func connect(_ fd: Int32, to address: SocketAddress) throws(ReactorError) {
        _ = try address.withSockAddr { (pointer, length) throws(ReactorError) in
            try Syscall.blocking("connect") { Glibc.connect(fd, pointer, length) }
        }
    }

    /// Reads at most `buffer.count` bytes; `.processed(0)` means the peer closed its side.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer
    ) throws(ReactorError) -> IOResult<Int> {
        try Syscall.nonBlocking("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes to a socket without raising SIGPIPE when the peer has gone.
    static func send(
        _ fd: Int32, _ buffer: UnsafeRawBufferPointer
    ) throws(ReactorError) -> IOResult<Int> {
        let flags = Int32(MSG_NOSIGNAL)
        return try Syscall.nonBlocking("send") {
            Glibc.send(fd, buffer.baseAddress, buffer.count, flags)
        }
    }

    /// Writes to a descriptor that is not a socket (the eventfd).
    static func write(
        _ fd: Int32, _ buffer: UnsafeRawBufferPointer
    ) throws(ReactorError) -> IOResult<Int> {
        try Syscall.nonBlocking("write") { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    /// Shuts down the sending side, so the peer reads end-of-stream after what was sent.
    static func shutdownWrites(_ fd: Int32) throws(ReactorError) {
        _ = try Syscall.blocking("shutdown") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Sets or clears O_NONBLOCK.
    static func setNonBlocking(_ fd: Int32, _ enabled: Bool) throws(ReactorError) {
        let flags = try Syscall.blocking("fcntl") { Glibc.fcntl(fd, F_GETFL) }
        let wanted = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags {
            _ = try Syscall.blocking("fcntl") { Glibc.fcntl(fd, F_SETFL, wanted) }
        }
    }

    /// Closes a descriptor. EINTR is not retried: on Linux the descriptor is released
    /// before close can be interrupted, so a retry could close a descriptor reused by
    /// another thread. Other errors cannot be acted on and are ignored.
    static func close(_ fd: Int32) {
        if Glibc.close(fd) != 0 {
            precondition(errno != EBADF, "close of a descriptor that is not open")
        }
    }
}

/// The C library's text for an errno value, for error messages.
func errnoDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else {
        return "unknown"
    }
    return String(cString: text)
}
