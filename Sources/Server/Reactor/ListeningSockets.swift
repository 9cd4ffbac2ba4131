import Glibc

/// Opens one listening socket per loop on the same address with SO_REUSEPORT, so the
/// kernel spreads incoming connections over the loops.
enum ListeningSockets {
    /// Returns the descriptors and the port they share. With port 0 the first socket takes
    /// the port the kernel chooses and the others join it.
    static func open(
        host: String, port: UInt16, count: Int, backlog: Int32
    ) throws(ReactorError) -> (descriptors: [Int32], port: UInt16) {
        var address = try SocketAddress(host: host, port: port)
        if port != 0 { try ensureNobodyListens(at: address) }
        var descriptors: [Int32] = []
        do {
            for _ in 0..<count {
                let fd = try openOne(at: address, backlog: backlog)
                descriptors.append(fd)
                if address.port == 0 {
                    address = address.with(port: try Syscall.localAddress(fd).port)
                }
            }
        } catch {
            for fd in descriptors {
                Syscall.close(fd)
            }
            throw error
        }
        return (descriptors, address.port)
    }

    /// SO_REUSEPORT would let a second server, run by the same user, join the port and take
    /// half of its connections. A plain bind first fails while anyone listens there.
    private static func ensureNobodyListens(at address: SocketAddress) throws(ReactorError) {
        let probe = try Syscall.tcpSocket(family: address.family)
        defer { Syscall.close(probe) }
        try Syscall.setOption(probe, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        try Syscall.bind(probe, to: address)
    }

    private static func openOne(at address: SocketAddress, backlog: Int32) throws(ReactorError)
        -> Int32
    {
        let fd = try Syscall.tcpSocket(family: address.family)
        do {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1)
            try Syscall.bind(fd, to: address)
            try Syscall.listen(fd, backlog: backlog)
        } catch {
            Syscall.close(fd)
            throw error
        }
        return fd
    }
}
