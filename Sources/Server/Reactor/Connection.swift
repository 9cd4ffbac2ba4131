/// One client connection, owned by the event loop that accepted it.
///
/// Use it only on its loop's thread (inside handler callbacks, or in closures given to
/// `loop.execute` or `loop.schedule`); debug builds trap otherwise. Holding the object after
/// the connection closed is safe: sends then return false.
public final class Connection<Handler: ConnectionHandler>: @unchecked Sendable {
    /// Where a connection is in its life. Sends are accepted only while `open`.
    enum Phase {
        case open
        /// `close()` was called or the peer finished sending: flush, then close.
        case closing
        /// Failed or over a limit: close without flushing, at the next safe point.
        case aborting
        case closed
    }

    /// Unique within the reactor.
    public let id: ConnectionID

    let driver: LoopDriver<Handler>
    let fd: Int32
    /// Travels with the descriptor in epoll events, so an event for an earlier connection
    /// on a reused descriptor is recognised and dropped.
    let registration: UInt32

    var phase = Phase.open
    var decoder = FrameDecoder()
    var output = OutboundBuffer()
    /// Reading stopped because more than the high watermark is unsent.
    var readPaused = false
    /// The readiness bits registered with epoll.
    var interest = EpollEvents.readable
    var queuedForFlush = false
    /// When the incomplete frame at the end of the decoder started arriving (0: none).
    var partialSince: UInt64 = 0
    /// Since when unsent bytes have waited for the socket without progress (0: not waiting).
    var writeStalledSince: UInt64 = 0

    private var storedState: Handler.State

    init(
        id: ConnectionID, driver: LoopDriver<Handler>, fd: Int32, registration: UInt32,
        state: Handler.State
    ) {
        self.id = id
        self.driver = driver
        self.fd = fd
        self.registration = registration
        self.storedState = state
    }

    /// The loop this connection belongs to: use its `execute` to reach the connection
    /// from another thread.
    public var loop: EventLoop {
        driver.loop
    }

    /// The server's per-connection data, created by `ConnectionHandler.makeState(for:)`.
    public var state: Handler.State {
        get {
            driver.loop.assertInEventLoop()
            return storedState
        }
        _modify {
            driver.loop.assertInEventLoop()
            yield &storedState
        }
    }

    /// True until `close()` is called or the connection fails; sends succeed only then.
    public var isOpen: Bool {
        driver.loop.assertInEventLoop()
        return phase == .open
    }

    /// Bytes queued and not yet taken by the socket.
    public var unsentByteCount: Int {
        driver.loop.assertInEventLoop()
        return output.count
    }

    /// Queues `payload` as one frame (the reactor adds the length prefix) and writes it
    /// when the current callback returns. Returns false, queuing nothing, if the connection
    /// is closing or closed, or if this send would pass `maxUnsentBytes` (the connection is
    /// then dropped). True means queued, not yet delivered.
    @discardableResult
    public func send<Payload: Collection<UInt8>>(_ payload: Payload) -> Bool {
        driver.loop.assertInEventLoop()
        precondition(payload.count <= Int(UInt32.max), "a frame payload must fit in 32 bits")
        guard mayQueue(FrameDecoder.prefixLength + payload.count) else {
            return false
        }
        output.appendFrame(payload)
        driver.didQueue(FrameDecoder.prefixLength + payload.count, on: self)
        return true
    }

    /// Queues bytes that already carry their own framing; otherwise like `send(_:)`.
    @discardableResult
    public func sendRaw<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        driver.loop.assertInEventLoop()
        guard mayQueue(bytes.count) else {
            return false
        }
        output.appendRaw(bytes)
        driver.didQueue(bytes.count, on: self)
        return true
    }

    /// Stops reading, writes what is queued, then closes; `closed` follows. Further sends
    /// return false. Calling it again, or after the connection closed, does nothing.
    public func close() {
        driver.loop.assertInEventLoop()
        guard phase == .open else {
            return
        }
        phase = .closing
        driver.requestFlush(self)
    }

    /// Whether `count` more bytes may be queued; drops the connection if they would pass
    /// the hard limit.
    private func mayQueue(_ count: Int) -> Bool {
        guard phase == .open else {
            return false
        }
        guard output.count + count <= driver.configuration.maxUnsentBytes else {
            phase = .aborting
            driver.requestFlush(self)
            return false
        }
        return true
    }
}
