import Glibc

/// Thin wrappers over the calls that watch a running child: reading its pipes without
/// blocking, waiting for them, reaping and signalling it. Each retries EINTR.
enum ChildSyscalls {
    /// What one non-blocking read of a pipe gave.
    enum ReadResult {
        /// `count` bytes are at the start of the buffer.
        case data(count: Int)
        /// Nothing now; more may come.
        case wouldBlock
        /// The write end is closed (or the pipe failed): nothing more will come.
        case end
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func read(_ fd: Int32, into buffer: inout [UInt8]) -> ReadResult {
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return .data(count: n) }
            if n == 0 { return .end }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .end
        }
    }

    /// Waits until one of `fds` can be read (or is closed at the other end), at most
    /// `milliseconds`. With no descriptors it just sleeps.
    static func waitReadable(_ fds: [Int32], milliseconds: Int32) {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let count = nfds_t(entries.count)
        while entries.withUnsafeMutableBufferPointer({ poll($0.baseAddress, count, milliseconds) })
            < 0 && errno == EINTR
        {}
    }

    /// The child's wait status if it has ended (and is now reaped), else nil.
    static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: nothing left to wait for; report it as killed rather than spin.
            return SIGKILL
        }
    }

    /// Sends `signal` to the child's whole process group, so that what it started goes too.
    static func signalGroup(_ pid: pid_t, _ signal: Int32) {
        _ = kill(-pid, signal)
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
