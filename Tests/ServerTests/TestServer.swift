import Client
import Glibc
import Server
import Store
import Wire
import XCTest

/// A real server on a free loopback port with a temporary data folder, and the keys of a
/// small world: the server owner, one colony and its approved runtime.
final class TestServer: @unchecked Sendable {
    let ownerKey = PrivateKey.generate()
    let dataPath: String
    private(set) var server: ColoniesServer
    var port: UInt16 { server.port }
    /// Changes made to the configuration after the test defaults, kept for `restart`.
    private let configure: (inout ServerConfiguration) -> Void

    init(
        tickInterval: UInt64 = 20_000_000, dataPath: String? = nil,
        configure: @escaping (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        self.dataPath = dataPath ?? Self.temporaryFolder()
        self.configure = configure
        server = try Self.start(
            owner: ownerKey.id, path: self.dataPath, tick: tickInterval, configure: configure)
    }

    private static func start(
        owner: ID, path: String, tick: UInt64,
        configure: (inout ServerConfiguration) -> Void
    ) throws -> ColoniesServer {
        var configuration = ServerConfiguration(serverOwner: owner)
        configuration.port = 0
        configuration.dataPath = path
        configuration.logLevel = .error
        configuration.tickInterval = tick
        configuration.maximumMapSize = 1 << 30
        configure(&configuration)
        let server = try ColoniesServer(configuration: configuration)
        try server.start()
        return server
    }

    /// Stops the server and starts a new one on the same data folder (on a new port).
    func restart(tickInterval: UInt64 = 20_000_000) throws {
        server.shutdown()
        server = try Self.start(
            owner: ownerKey.id, path: dataPath, tick: tickInterval, configure: configure)
    }

    func stop() {
        server.shutdown()
    }

    func client(readTimeout: Int32 = 20_000) throws -> ColoniesClient {
        try ColoniesClient(host: "127.0.0.1", port: port, readTimeout: readTimeout)
    }

    /// A colony registered by the server owner; returns its key.
    func makeColony(name: String = "lab") throws -> PrivateKey {
        let key = PrivateKey.generate()
        _ = try client().addColony(Colony(id: key.id, name: Text(name)), serverKey: ownerKey)
        return key
    }

    /// A runtime of the colony, approved unless told otherwise; returns its key.
    func makeRuntime(
        colony: PrivateKey, type: String = "worker", mem: UInt64 = 1024, cores: UInt32 = 4,
        gpus: UInt32 = 0, approve: Bool = true
    ) throws -> PrivateKey {
        let key = PrivateKey.generate()
        let c = try client()
        let runtime = Runtime(
            id: key.id, colonyId: colony.id, name: "rt", type: Text(type), cores: cores, mem: mem,
            gpus: gpus)
        _ = try c.addRuntime(runtime, colonyKey: colony)
        if approve { _ = try c.approveRuntime(key.id, colonyKey: colony) }
        return key
    }

    static func temporaryFolder() -> String {
        var template = Array("/tmp/colonies-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit {
        server.shutdown()
        _ = try? FileManager.default.removeItem(atPath: dataPath)
    }
}

/// A spec for `colony` running `echo`, with the given scheduling fields.
func echoSpec(
    colony: ID, priority: Int32 = 0, timeout: Int32 = -1, maxRetries: Int32 = 0,
    maxWait: Int32 = -1, type: String = "", runtimes: [ID] = [], mem: UInt64 = 0
) -> ProcessSpec {
    ProcessSpec(
        conditions: Conditions(
            colonyId: colony, runtimeIds: runtimes, runtimeType: Text(type), mem: mem),
        function: "echo", args: ["hello"], priority: priority, timeout: timeout,
        maxWaitTime: maxWait, maxRetries: maxRetries)
}

/// The error code of a refused call, or nil when it did not fail that way.
func refusalCode(_ body: () throws -> Void) -> ErrorCode? {
    do {
        try body()
        return nil
    } catch let error as ClientError {
        if case .refused(let code, _) = error { return code }
        return nil
    } catch {
        return nil
    }
}
