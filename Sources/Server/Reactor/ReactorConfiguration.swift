/// Settings for a `Reactor`. The defaults suit many small clients on one machine.
public struct ReactorConfiguration: Sendable {
    /// A numeric IPv4 or IPv6 address, or `localhost`.
    public var host: String = "127.0.0.1"

    /// The TCP port; 0 lets the kernel choose one (read it back from `Reactor.port`).
    public var port: UInt16 = 0

    /// Event loop threads, each with its own epoll and listening socket. Default: one per
    /// online processor.
    public var loopCount: Int = onlineProcessorCount()

    /// The largest frame payload accepted, in bytes (the length prefix excluded).
    public var maxFrameLength: Int = (1 << 20) + 1024

    /// A frame must arrive completely within this many nanoseconds of its first byte, or
    /// the connection is closed. 0 disables the check.
    public var readTimeout: UInt64 = 10_000_000_000

    /// A connection with unsent bytes on which the socket accepts nothing for this many
    /// nanoseconds is dropped. 0 disables the check.
    public var writeTimeout: UInt64 = 30_000_000_000

    /// Above this many unsent bytes on a connection, the reactor stops reading from it.
    public var highWatermark: Int = 256 * 1024

    /// Reading resumes once the unsent bytes fall to this many.
    public var lowWatermark: Int = 64 * 1024

    /// A send that would leave more unsent bytes than this drops the connection instead:
    /// the hard bound for replies queued while reading is already paused.
    public var maxUnsentBytes: Int = 8 << 20

    /// Open connections allowed across all loops; further clients get
    /// `tooManyConnectionsFrame` and are closed.
    public var maxConnections: Int = 10_000

    /// The payload of the frame sent to a client turned away by `maxConnections` (the
    /// length prefix is added). Empty: close without a frame.
    public var tooManyConnectionsFrame: [UInt8] = []

    /// Bytes read from a socket per call, into a buffer shared by the loop's connections.
    public var readChunkSize: Int = 64 * 1024

    /// The listen queue length (the kernel caps it at net.core.somaxconn).
    public var listenBacklog: Int32 = 1024

    /// During shutdown, connections still flushing after this many nanoseconds are dropped.
    public var shutdownGracePeriod: UInt64 = 5_000_000_000

    public init() {}

    func validate() throws(ReactorError) {
        if loopCount < 1 || loopCount > 0xFFFF {
            throw .invalidConfiguration("loopCount must be between 1 and 65535")
        }
        if maxFrameLength < 0 || maxFrameLength > Int(UInt32.max) {
            throw .invalidConfiguration("maxFrameLength must fit in 32 bits")
        }
        if lowWatermark < 0 || lowWatermark > highWatermark {
            throw .invalidConfiguration("lowWatermark must be between 0 and highWatermark")
        }
        if maxUnsentBytes < highWatermark {
            throw .invalidConfiguration("maxUnsentBytes must be at least highWatermark")
        }
        if maxConnections < 0 {
            throw .invalidConfiguration("maxConnections must not be negative")
        }
        if readChunkSize < 16 {
            throw .invalidConfiguration("readChunkSize must be at least 16")
        }
    }
}
