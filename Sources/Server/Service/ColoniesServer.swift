import Glibc
import Store
import Wire

/// A running Colonies server: the store, the reactor and the clockwork, started together
/// and stopped in the order that loses nothing.
public final class ColoniesServer: Sendable {
    private let core: ServerCore
    private let reactor: Reactor<RequestHandler>
    private let housekeeping: Housekeeping
    private let folderLock: DataFolderLock

    /// The port the server listens on (the one the kernel chose when configured with 0).
    public var port: UInt16 { reactor.port }

    /// The reactor's activity so far: connections, bytes, read pauses, unsent bytes.
    public var counters: ReactorCounters { reactor.counters }

    /// Opens the store and binds the listening sockets; `start()` begins serving.
    public init(configuration: ServerConfiguration) throws(ServerError) {
        let log = Log(level: configuration.logLevel)
        folderLock = try DataFolderLock(path: configuration.dataPath)
        let store: ColonyStore
        do {
            var options = EnvironmentOptions()
            options.durability = configuration.durability
            options.maximumMapSize = configuration.maximumMapSize
            options.initialMapSize = min(options.initialMapSize, configuration.maximumMapSize)
            store = try ColonyStore(path: configuration.dataPath, options: options)
        } catch {
            throw .store(error)
        }
        core = ServerCore(configuration: configuration, store: store, log: log)
        housekeeping = Housekeeping(core: core)

        var reactorConfiguration = ReactorConfiguration()
        reactorConfiguration.host = configuration.host
        reactorConfiguration.port = configuration.port
        if configuration.loops > 0 { reactorConfiguration.loopCount = configuration.loops }
        reactorConfiguration.maxConnections = configuration.maxConnections
        reactorConfiguration.readTimeout = configuration.readTimeout
        reactorConfiguration.maxFrameLength = Limits.maxFrameBytes
        var encoder = FrameEncoder()
        reactorConfiguration.tooManyConnectionsFrame = Array(
            encoder.error(.tooManyConnections, "the server has too many connections; retry later",
                          requestId: 0).dropFirst(FrameLayout.prefixSize))
        do {
            reactor = try Reactor(configuration: reactorConfiguration, handler: RequestHandler(core: core))
        } catch {
            store.close()
            folderLock.release()
            throw .reactor(error)
        }
    }

    /// Starts the event loops and the clockwork.
    public func start() throws(ServerError) {
        do { try reactor.start() } catch { throw .reactor(error) }
        scheduleTick()
        let c = core.configuration
        core.log.info(
            "server-started",
            ["host": c.host, "port": "\(port)", "data": c.dataPath, "owner": c.serverOwner.short,
             "loops": "\(reactor.loops.count)", "durability": "\(c.durability)"])
    }

    private func scheduleTick() {
        let loop = reactor.loops[0]
        let interval = core.configuration.tickInterval
        let housekeeping = self.housekeeping
        // Each tick schedules the next, so ticks never overlap and stop with the loop.
        @Sendable func next() {
            loop.schedule(after: interval) {
                housekeeping.tick()
                next()
            }
        }
        next()
    }

    /// Stops accepting and reading, lets every write already handed to the store commit
    /// and its reply go out, then closes connections and the store. Safe to call from any
    /// thread but a loop's (for example from a signal watcher).
    public func shutdown() {
        let store = core.store
        reactor.shutdown(drain: { store.close() })
        folderLock.release()
        core.log.info("server-stopped", ["port": "\(port)"])
    }

    /// Blocks until `shutdown` has finished.
    public func waitUntilStopped() {
        reactor.waitUntilStopped()
    }
}

/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible {
    case store(StoreError)
    case reactor(ReactorError)
    /// Another server holds the data folder's lock.
    case dataFolderInUse(String)

    public var description: String {
        switch self {
        case .store(let e): "cannot open the store: \(e)"
        case .reactor(.system("bind", EADDRINUSE)):
            "cannot listen: the address is in use (is another server running on this port?)"
        case .reactor(let e): "cannot listen: \(e)"
        case .dataFolderInUse(let path):
            "the data folder \(path) is in use by another running server"
        }
    }
}
