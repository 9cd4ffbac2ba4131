/// What a server does with its connections. One handler value serves every loop, so its
/// methods run concurrently on different loop threads, but all calls for one connection
/// come from that connection's loop thread, in order: `opened`, then any number of `frame`
/// (or one `oversized`), then `closed` exactly once.
public protocol ConnectionHandler: Sendable {
    /// Per-connection data the server keeps in `Connection.state`.
    associatedtype State = Void

    /// The state a new connection starts with. Called on its loop before `opened`.
    func makeState(for id: ConnectionID) -> State

    /// A client connected. The server sends its hello here.
    func opened(_ connection: Connection<Self>)

    /// A complete frame arrived: `payload` is the bytes after the length prefix.
    ///
    /// The slice shares the reactor's read buffer; it stays valid however long it is kept
    /// (the storage is copy-on-write), but keeping it past the call costs the reactor a
    /// copy of its buffer, so copy out what outlives the call.
    func frame(_ connection: Connection<Self>, _ payload: ArraySlice<UInt8>)

    /// A length prefix announced more than `maxFrameLength` bytes. The server may send an
    /// error frame here; the connection then closes once its queued bytes are written.
    func oversized(_ connection: Connection<Self>, declaredLength: Int)

    /// The connection is gone: closed by either side, failed or timed out. Sends now fail.
    func closed(_ connection: Connection<Self>)
}

extension ConnectionHandler where State == Void {
    public func makeState(for id: ConnectionID) {}
}

extension ConnectionHandler {
    public func opened(_ connection: Connection<Self>) {}

    public func oversized(_ connection: Connection<Self>, declaredLength: Int) {}

    public func closed(_ connection: Connection<Self>) {}
}
