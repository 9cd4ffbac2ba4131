import Synchronization

/// Runs one event loop for a handler type: waits on epoll, accepts clients, reads frames,
/// writes replies and enforces the limits. All its state is confined to the loop thread;
/// `EventLoop` is the part other threads may call.
///
/// Each turn of the loop reads as: wait for readiness (or the next timer), handle every
/// event, write what the handlers queued, run due timers, run queued tasks, write again.
/// Writing after each step, never inside a handler callback, lets replies to many frames
/// leave in one system call and keeps callbacks from re-entering each other.
final class LoopDriver<Handler: ConnectionHandler>: @unchecked Sendable {
    /// Epoll tags: registration in the top 32 bits, descriptor below. These two
    /// registrations are fixed; connections count up from `firstConnectionRegistration`.
    static var wakeRegistration: UInt32 { 0 }
    static var listenerRegistration: UInt32 { 1 }
    static var firstConnectionRegistration: UInt32 { 2 }

    let loop: EventLoop
    let handler: Handler
    let configuration: ReactorConfiguration
    let counters = LoopCounters()
    let gate: ConnectionGate
    let epoll: Epoll

    /// Every loop of the reactor, this one included, for `route`. Set before the loops start,
    /// read only on this loop's thread, emptied by `finish()` to break the reference cycle.
    var peers: [LoopDriver<Handler>] = []
    /// Connections routed to this loop and not yet closed. Any loop reads it and routes to
    /// it; hence atomic, unlike `openCount`.
    let assigned = Atomic<Int>(0)

    var listener: Int32?
    var acceptPaused = false
    /// Open connections by descriptor.
    var connections: [Connection<Handler>?] = []
    var openCount = 0
    var nextRegistration = LoopDriver.firstConnectionRegistration
    var acceptedCount: UInt64 = 0
    /// One read buffer shared by the loop's connections, so idle ones hold none.
    var readBuffer: [UInt8]
    var flushQueue: [Connection<Handler>] = []
    /// The monotonic time at the top of the current turn.
    var now: UInt64 = 0
    /// Shutting down: no more accepting, no more reading.
    var quiescing = false
    /// Shutting down: every connection is closing; the loop ends when none is left.
    var closingAll = false

    init(
        loop: EventLoop, handler: Handler, configuration: ReactorConfiguration,
        listener: Int32, gate: ConnectionGate
    ) throws(ReactorError) {
        self.loop = loop
        self.handler = handler
        self.configuration = configuration
        self.gate = gate
        self.listener = listener
        readBuffer = [UInt8](repeating: 0, count: configuration.readChunkSize)
        epoll = try Epoll(capacity: 256)
        try epoll.add(loop.wakeCounter.fd, interest: .readable,
                      tag: Self.tag(Self.wakeRegistration, loop.wakeCounter.fd))
        try epoll.add(listener, interest: .readable,
                      tag: Self.tag(Self.listenerRegistration, listener))
    }

    static func tag(_ registration: UInt32, _ fd: Int32) -> UInt64 {
        UInt64(registration) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    /// The thread body: turns until shutdown has closed every connection.
    func run() {
        loop.bindToCurrentThread()
        now = MonotonicClock.now()
        scheduleSweep()

        while !(closingAll && openCount == 0) {
            let idle = flushQueue.isEmpty && !loop.hasPendingTasks
            let timeout = idle ? loop.waitTimeout(now: MonotonicClock.now()) : 0
            let count: Int
            do {
                count = try epoll.wait(timeoutMilliseconds: timeout)
            } catch {
                preconditionFailure("epoll_wait on the loop's own instance failed: \(error)")
            }

            now = MonotonicClock.now()
            for index in 0..<count {
                let (tag, events) = epoll.event(at: index)
                dispatch(tag: tag, events: events)
            }
            flushAll()

            loop.runDueTimers(now: now)
            flushAll()

            loop.runPendingTasks()
            flushAll()
        }
        finish()
    }

    private func dispatch(tag: UInt64, events: EpollEvents) {
        let registration = UInt32(truncatingIfNeeded: tag >> 32)
        let fd = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: tag)))
        switch registration {
        case Self.wakeRegistration:
            loop.acknowledgeWakeUp()
        case Self.listenerRegistration:
            acceptConnections()
        default:
            // A descriptor closed earlier in this batch may already serve a new connection.
            guard fd < connections.count, let connection = connections[fd],
                connection.registration == registration
            else {
                return
            }
            handle(events, on: connection)
        }
    }

    private func handle(_ events: EpollEvents, on connection: Connection<Handler>) {
        let failed = !events.isDisjoint(with: [.hangup, .error])
        if wantsToRead(connection) && (failed || events.contains(.readable)) {
            readAndDeliver(connection)
        } else if failed {
            // Not reading, so no read will report the failure: drop the connection now.
            finalize(connection)
            return
        }
        if events.contains(.writable) {
            requestFlush(connection)
        }
    }

    /// Whether reads from `connection` should be taken now.
    func wantsToRead(_ connection: Connection<Handler>) -> Bool {
        connection.phase == .open && !connection.readPaused && !quiescing
    }

    // MARK: Shutdown, in the order the reactor calls the steps.

    /// Stops accepting and reading; queued replies still go out.
    func quiesce() {
        loop.assertInEventLoop()
        quiescing = true
        closeListener()
        for case let connection? in connections {
            requestFlush(connection)
        }
    }

    /// Closes every connection after its queued bytes are written, dropping those still
    /// writing when the grace period ends. The loop then finishes.
    func closeAll() {
        loop.assertInEventLoop()
        quiescing = true
        closingAll = true
        closeListener()
        for case let connection? in connections where connection.phase == .open {
            connection.phase = .closing
            requestFlush(connection)
        }
        loop.schedule(after: configuration.shutdownGracePeriod) {
            for case let connection? in self.connections where connection.phase != .closed {
                connection.phase = .aborting
                self.requestFlush(connection)
            }
        }
    }

    /// Releases what the loop holds once it stops: the listener, any connection left,
    /// queued tasks (they run and find their connections closed) and timers.
    func finish() {
        peers = []
        closeListener()
        for case let connection? in connections {
            finalize(connection)
        }
        loop.close()
        flushAll()
    }

    func closeListener() {
        guard let fd = listener else {
            return
        }
        if !acceptPaused {
            try? epoll.remove(fd)
        }
        Syscall.close(fd)
        listener = nil
    }
}
