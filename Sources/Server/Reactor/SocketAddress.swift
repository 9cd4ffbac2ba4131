import Glibc

/// An IPv4 or IPv6 socket address with a port, held in a `sockaddr_storage`.
struct SocketAddress {
    private var storage = sockaddr_storage()
    private var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    init() {}

    /// Parses a numeric IPv4 or IPv6 host (or `localhost`, read as 127.0.0.1). Names are
    /// not resolved: the server binds to addresses an operator writes down.
    init(host: String, port: UInt16) throws(ReactorError) {
        let numeric = host == "localhost" ? "127.0.0.1" : host
        var ipv4 = in_addr()
        if inet_pton(AF_INET, numeric, &ipv4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = ipv4
            self.store(address)
            return
        }

        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, numeric, &ipv6) == 1 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = ipv6
            self.store(address)
            return
        }
        throw .invalidAddress(host)
    }

    /// AF_INET or AF_INET6.
    var family: Int32 {
        Int32(storage.ss_family)
    }

    /// The port in host byte order, or 0 for an address of another family.
    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case AF_INET6:
                return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            default:
                return 0
            }
        }
    }

    /// The same host with another port.
    func with(port: UInt16) -> SocketAddress {
        var copy = self
        withUnsafeMutableBytes(of: &copy.storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                raw.withMemoryRebound(to: sockaddr_in.self) { $0[0].sin_port = port.bigEndian }
            case AF_INET6:
                raw.withMemoryRebound(to: sockaddr_in6.self) { $0[0].sin6_port = port.bigEndian }
            default:
                break
            }
        }
        return copy
    }

    private mutating func store<Address>(_ address: Address) {
        withUnsafeMutableBytes(of: &storage) { raw in
            withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
        }
        length = socklen_t(MemoryLayout<Address>.size)
    }

    /// Lends the address to a call such as bind or connect.
    func withSockAddr<Result, Failure: Error>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var copy = storage
        let length = self.length
        return try withUnsafeMutablePointer(to: &copy) { (pointer) throws(Failure) -> Result in
            let address = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: sockaddr.self)
            return try body(address, length)
        }
    }

    /// Lets a call such as getsockname fill the address in.
    mutating func withMutableSockAddr<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>)
            throws(Failure) -> Result
    ) throws(Failure) -> Result {
        length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return try withUnsafeMutablePointer(to: &storage) { (pointer) throws(Failure) -> Result in
            let address = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: sockaddr.self)
            return try withUnsafeMutablePointer(to: &length) { (length) throws(Failure) in
                try body(address, length)
            }
        }
    }
}
