import Wire

/// The server one scenario runs against: a fresh child (fresh store, nothing left over from
/// the previous scenario) or the external server.
final class BenchTarget {
    let host: String
    private(set) var port: UInt16
    let serverKey: PrivateKey
    private(set) var child: ServerChild?
    private let folder: BenchDataFolder?
    private let binary: String?

    /// Starts a child server (durable unless `durable` or the options say otherwise) or
    /// names the external one.
    init(_ server: BenchServer, durable: Bool = true) throws(BenchError) {
        switch server {
        case .child(let binary, let durableChild):
            let durable = durable && durableChild
            let key = PrivateKey.generate()
            let folder = try BenchDataFolder()
            host = "127.0.0.1"
            serverKey = key
            self.folder = folder
            self.binary = binary
            do {
                let child = try ServerChild(
                    binary: binary, owner: key.id, dataPath: folder.path, durable: durable)
                self.child = child
                port = child.port
            } catch {
                folder.remove()
                throw error
            }
        case .external(let host, let port, let key):
            self.host = host
            self.port = port
            serverKey = key
            folder = nil
            binary = nil
            child = nil
        }
    }

    deinit { finish() }

    /// The server's resident memory in KiB; nil for an external server.
    var residentKilobytes: Int? { child?.residentKilobytes }

    var pid: Int32? { child?.pid }

    /// The server's resident memory in KiB (all, anonymous, file-backed); nil for an
    /// external server.
    var memory: (total: Int, anonymous: Int, file: Int)? {
        child.flatMap { ProcessResources.memory(pid: $0.pid) }
    }

    /// Stops the child and starts it again on the same store, durable or not: the backlog
    /// scenario fills its queue without flushes, then measures with them.
    func restart(durable: Bool) throws(BenchError) {
        guard let old = child, let binary, let folder else {
            throw .setup("an external server cannot be restarted")
        }
        old.stop()
        child = nil
        let fresh = try ServerChild(
            binary: binary, owner: serverKey.id, dataPath: folder.path, durable: durable)
        child = fresh
        port = fresh.port
    }

    /// Stops the child and removes its store.
    func finish() {
        child?.stop()
        child = nil
        folder?.remove()
    }

    /// A new connection that has read its hello.
    func connect() throws(BenchError) -> LoadConnection {
        try LoadConnection(host: host, port: port)
    }
}
