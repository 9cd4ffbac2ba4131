import Glibc

extension LoopDriver {
    /// Accepting stops this long after the process runs out of descriptors or memory,
    /// rather than spinning on a listener that stays readable.
    static var acceptBackoff: UInt64 { 100_000_000 }

    /// At most this many clients are accepted per readiness event, so a burst of connects
    /// does not starve the connections already open.
    static var acceptBatch: Int { 64 }

    /// Takes pending clients off the listening socket.
    func acceptConnections() {
        for _ in 0..<Self.acceptBatch {
            guard let listener else {
                return
            }
            do {
                guard case .processed(let fd) = try Syscall.accept(listener) else {
                    return
                }
                route(fd)
            } catch {
                backOffIfExhausted(error)
                return
            }
        }
    }

    private func backOffIfExhausted(_ error: ReactorError) {
        guard case .system(_, let code) = error,
            [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(code),
            let listener
        else {
            // The client gave up before it was accepted (ECONNABORTED and the like).
            return
        }
        try? epoll.remove(listener)
        acceptPaused = true
        loop.schedule(after: Self.acceptBackoff) {
            guard let listener = self.listener, self.acceptPaused else {
                return
            }
            self.acceptPaused = false
            try? self.epoll.add(listener, interest: .readable,
                                tag: Self.tag(Self.listenerRegistration, listener))
        }
    }

    /// Serves an accepted client here, or on the loop with the fewest connections when that
    /// loop has fewer than this one.
    ///
    /// Why: the kernel spreads SO_REUSEPORT connections by a hash of their addresses, so a
    /// few busy clients can land on one loop and leave a core idle, and each loop verifies
    /// its own connections' signatures, which is most of the server's work. `assigned`
    /// counts a connection from the moment it is routed, so a burst of accepts is spread
    /// before any of it is registered.
    private func route(_ fd: Int32) {
        let target = routingTarget()
        target.assigned.wrappingAdd(1, ordering: .relaxed)

        guard target !== self else {
            admit(fd)
            return
        }
        let handedOver = target.loop.execute {
            // A loop shutting down admits nobody: its last turn waits for its connections.
            guard !target.quiescing else {
                target.assigned.wrappingSubtract(1, ordering: .relaxed)
                Syscall.close(fd)
                return
            }
            target.admit(fd)
        }
        if !handedOver {
            target.assigned.wrappingSubtract(1, ordering: .relaxed)
            Syscall.close(fd)
        }
    }

    /// The loop with the fewest connections; this one when none has fewer.
    private func routingTarget() -> LoopDriver<Handler> {
        var least = self
        for peer in peers
        where peer.assigned.load(ordering: .relaxed) < least.assigned.load(ordering: .relaxed) {
            least = peer
        }
        let margin = assigned.load(ordering: .relaxed) - least.assigned.load(ordering: .relaxed)
        return margin >= 1 ? least : self
    }

    /// Registers an accepted client, or turns it away when the reactor is full. On the loop
    /// `route` chose, which counted it in `assigned`.
    private func admit(_ fd: Int32) {
        guard gate.tryEnter() else {
            assigned.wrappingSubtract(1, ordering: .relaxed)
            reject(fd)
            return
        }

        // Replies are small and latency matters more than packet count.
        try? Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)

        let registration = nextRegistration
        nextRegistration = registration == UInt32.max
            ? Self.firstConnectionRegistration : registration + 1
        acceptedCount += 1
        let id = ConnectionID(loop: loop.index, serial: acceptedCount)
        do {
            try epoll.add(fd, interest: .readable, tag: Self.tag(registration, fd))
        } catch {
            Syscall.close(fd)
            gate.leave()
            assigned.wrappingSubtract(1, ordering: .relaxed)
            return
        }

        let connection = Connection(id: id, driver: self, fd: fd, registration: registration,
                                    state: handler.makeState(for: id))
        store(connection, at: Int(fd))
        openCount += 1
        counters.connectionsOpen.wrappingAdd(1, ordering: .relaxed)
        counters.connectionsAccepted.wrappingAdd(1, ordering: .relaxed)
        handler.opened(connection)
    }

    private func store(_ connection: Connection<Handler>, at index: Int) {
        if index >= connections.count {
            let size = max(index + 1, connections.count * 2, 64)
            connections.append(contentsOf: repeatElement(nil, count: size - connections.count))
        }
        connections[index] = connection
    }

    /// Sends the configured refusal, if any, and closes. The frame is small and the socket
    /// new, so one non-blocking write suffices; a client that already sent data may see a
    /// reset instead, which is acceptable for a refusal.
    private func reject(_ fd: Int32) {
        counters.connectionsRejected.wrappingAdd(1, ordering: .relaxed)
        if !configuration.tooManyConnectionsFrame.isEmpty {
            var refusal = OutboundBuffer()
            refusal.appendFrame(configuration.tooManyConnectionsFrame)
            _ = try? refusal.write(to: fd)
        }
        try? Syscall.shutdownWrites(fd)
        Syscall.close(fd)
    }
}
