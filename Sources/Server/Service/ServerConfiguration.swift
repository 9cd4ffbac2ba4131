import Store
import Wire

/// Everything `colonies server start` can set.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The TCP port; 0 lets the kernel choose (read it back from `ColoniesServer.port`).
    public var port: UInt16 = 50080
    /// The data folder of the LMDB store.
    public var dataPath = "colonies-data"
    /// The id of the server owner: the only key that may add, list and remove colonies.
    public var serverOwner: ID
    public var logLevel = LogLevel.info
    /// Event loop threads; default one per core.
    public var loops = 0
    /// Open connections allowed; more are turned away with `tooManyConnections`.
    public var maxConnections = 10_000
    /// Requests of one connection that may wait for a commit at once; more get `overloaded`.
    public var maxInFlightPerConnection = 1024
    /// How often deadlines and waiting assigns are checked, in nanoseconds. A deadline is
    /// acted on within this interval (plus one group commit) after it passes.
    public var tickInterval: UInt64 = 50_000_000
    /// A frame must arrive completely within this many nanoseconds of its first byte.
    public var readTimeout: UInt64 = 10_000_000_000
    /// `synchronous` (the default) acknowledges a write only once it is on disk.
    public var durability = Durability.synchronous
    /// The largest the store's memory map may grow, in bytes.
    public var maximumMapSize = 64 << 30

    public init(serverOwner: ID) {
        self.serverOwner = serverOwner
    }
}

/// The version string a ping reports.
public enum ServerVersion {
    public static let string = "colonies-swift 0.1.0"
}
