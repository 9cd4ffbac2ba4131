
/// A TCP server core: one event loop thread per core, each accepting on its own
/// SO_REUSEPORT socket and serving its connections with `Handler`.
///
/// Life cycle: `init` binds the sockets (so `port` is known and `loops` can be handed to
/// other components), `start()` launches the threads, `shutdown(drain:)` stops them.
/// A started reactor must be shut down before it is released.
public final class Reactor<Handler: ConnectionHandler>: Sendable {
    /// The port the loops listen on; the kernel's choice when the configuration said 0.
    public let port: UInt16

    /// The event loops, indexed by `EventLoop.index`.
    public let loops: [EventLoop]

    private let drivers: [LoopDriver<Handler>]
    private let lifecycle = Locked(Lifecycle.created)
    private let threads = Locked<[LoopThread]>([])
    private let stopped: Latch

    private enum Lifecycle {
        case created, running, stopping, stopped
    }

    /// Binds the listening sockets and prepares the loops without starting them.
    public init(configuration: ReactorConfiguration, handler: Handler) throws(ReactorError) {
        try configuration.validate()
        let (listeners, port) = try ListeningSockets.open(
            host: configuration.host, port: configuration.port,
            count: configuration.loopCount, backlog: configuration.listenBacklog)

        let gate = ConnectionGate(limit: configuration.maxConnections)
        var drivers: [LoopDriver<Handler>] = []
        do {
            for (index, listener) in listeners.enumerated() {
                let loop = try EventLoop(index: index)
                drivers.append(try LoopDriver(loop: loop, handler: handler,
                                              configuration: configuration,
                                              listener: listener, gate: gate))
            }
            stopped = try Latch(count: 1)
        } catch {
            for listener in listeners.dropFirst(drivers.count) {
                Syscall.close(listener)
            }
            for driver in drivers {
                driver.finish()
            }
            throw error
        }
        for driver in drivers {
            driver.peers = drivers
        }
        self.port = port
        self.drivers = drivers
        self.loops = drivers.map(\.loop)
    }

    /// Starts one thread per loop. Call once.
    public func start() throws(ReactorError) {
        lifecycle.withLock { state in
            precondition(state == .created, "a reactor starts once, before shutdown")
            state = .running
        }

        var started: [LoopThread] = []
        for driver in drivers {
            do {
                started.append(try LoopThread.spawn(name: "reactor-\(driver.loop.index)") {
                    driver.run()
                })
            } catch {
                stopAfterFailedStart(started: started)
                throw error
            }
        }
        threads.withLock { $0 = started }
    }

    /// Stops the reactor and returns once every loop thread has ended:
    ///
    /// 1. every loop stops accepting and stops reading; queued replies still go out;
    /// 2. `drain` runs on the calling thread: the server waits here for work in flight
    ///    (for example commits whose replies go out through `loop.execute`);
    /// 3. every connection is closed after its queued bytes are written (`closed` is
    ///    called for each), dropping any still writing after `shutdownGracePeriod`;
    /// 4. the threads end; closures queued with `execute` run first, and later ones are
    ///    refused.
    ///
    /// Calling it again waits for the first call to finish. Never call it on a loop thread.
    public func shutdown(drain: () -> Void = {}) {
        precondition(!loops.contains { $0.inEventLoop }, "shutdown called on a loop thread")
        let previous = lifecycle.withLock { state in
            defer {
                if state == .created || state == .running {
                    state = .stopping
                }
            }
            return state
        }

        switch previous {
        case .created:
            for driver in drivers {
                driver.loop.bindToCurrentThread()
                driver.finish()
            }
            drain()
        case .running:
            runOnEveryLoop { $0.quiesce() }
            drain()
            for driver in drivers {
                driver.loop.execute { driver.closeAll() }
            }
            for thread in threads.withLock({ $0 }) {
                thread.join()
            }
        case .stopping, .stopped:
            stopped.wait()
            return
        }

        lifecycle.withLock { $0 = .stopped }
        stopped.countDown()
    }

    /// Blocks until `shutdown` has finished (called from another thread, for example on a
    /// signal).
    public func waitUntilStopped() {
        stopped.wait()
    }

    /// The activity so far, summed over the loops. Values are read one by one while the
    /// loops run, so they may disagree slightly with each other.
    public var counters: ReactorCounters {
        var total = ReactorCounters()
        for driver in drivers {
            driver.counters.accumulate(into: &total)
        }
        return total
    }

    /// Runs `step` on every loop and waits until all have done it.
    private func runOnEveryLoop(_ step: @escaping @Sendable (LoopDriver<Handler>) -> Void) {
        guard let done = try? Latch(count: drivers.count) else {
            preconditionFailure("no descriptor left for a shutdown latch")
        }
        for driver in drivers {
            let queued = driver.loop.execute {
                step(driver)
                done.countDown()
            }
            if !queued {
                done.countDown()
            }
        }
        done.wait()
    }

    /// Ends the loops whose threads did start and releases the others.
    private func stopAfterFailedStart(started: [LoopThread]) {
        for (index, driver) in drivers.enumerated() {
            if index < started.count {
                driver.loop.execute { driver.closeAll() }
            } else {
                driver.loop.bindToCurrentThread()
                driver.finish()
            }
        }
        for thread in started {
            thread.join()
        }
        lifecycle.withLock { $0 = .stopped }
        stopped.countDown()
    }
}
