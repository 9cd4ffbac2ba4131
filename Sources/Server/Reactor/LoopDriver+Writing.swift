extension LoopDriver {
    /// Accounts for bytes a handler queued and pauses reading above the high watermark.
    func didQueue(_ count: Int, on connection: Connection<Handler>) {
        counters.unsentBytes.wrappingAdd(count, ordering: .relaxed)
        counters.notePeak(connection.output.count)
        if connection.output.count > configuration.highWatermark && !connection.readPaused {
            connection.readPaused = true
            counters.readPauses.wrappingAdd(1, ordering: .relaxed)
        }
        requestFlush(connection)
    }

    /// Marks a connection for writing, closing or an interest change at the end of the
    /// current step.
    func requestFlush(_ connection: Connection<Handler>) {
        guard !connection.queuedForFlush else {
            return
        }
        connection.queuedForFlush = true
        flushQueue.append(connection)
    }

    /// Handles every marked connection; resuming a paused one may mark more.
    func flushAll() {
        while let connection = flushQueue.popLast() {
            connection.queuedForFlush = false
            flush(connection)
        }
    }

    private func flush(_ connection: Connection<Handler>) {
        switch connection.phase {
        case .closed:
            return
        case .aborting:
            finalize(connection)
            return
        case .open, .closing:
            break
        }

        guard write(connection) else {
            finalize(connection)
            return
        }
        if connection.phase == .closing && connection.output.isEmpty {
            finalize(connection)
            return
        }
        if connection.readPaused && connection.output.count <= configuration.lowWatermark {
            resumeReading(connection)
        }
        if !connection.queuedForFlush {
            updateInterest(connection)
        }
    }

    /// Writes what the socket takes. Returns false if the connection failed.
    private func write(_ connection: Connection<Handler>) -> Bool {
        guard !connection.output.isEmpty else {
            connection.writeStalledSince = 0
            return true
        }
        let written: Int
        do {
            written = try connection.output.write(to: connection.fd)
        } catch {
            return false
        }

        counters.bytesSent.wrappingAdd(written, ordering: .relaxed)
        counters.unsentBytes.wrappingSubtract(written, ordering: .relaxed)
        if connection.output.isEmpty {
            connection.writeStalledSince = 0
        } else if written > 0 || connection.writeStalledSince == 0 {
            connection.writeStalledSince = now
        }
        return true
    }

    /// Asks epoll for reads only while the connection takes them, and for writability only
    /// while bytes wait for the socket.
    private func updateInterest(_ connection: Connection<Handler>) {
        var wanted: EpollEvents = []
        if wantsToRead(connection) {
            wanted.insert(.readable)
        }
        if !connection.output.isEmpty {
            wanted.insert(.writable)
        }
        guard wanted != connection.interest else {
            return
        }
        do {
            let tag = Self.tag(connection.registration, connection.fd)
            try epoll.modify(connection.fd, interest: wanted, tag: tag)
            connection.interest = wanted
        } catch {
            finalize(connection)
        }
    }

    /// Closes the descriptor and tells the handler. Never called inside a handler callback.
    func finalize(_ connection: Connection<Handler>) {
        guard connection.phase != .closed else {
            return
        }
        connection.phase = .closed
        try? epoll.remove(connection.fd)
        Syscall.close(connection.fd)
        connections[Int(connection.fd)] = nil
        openCount -= 1
        assigned.wrappingSubtract(1, ordering: .relaxed)
        gate.leave()

        counters.connectionsOpen.wrappingSubtract(1, ordering: .relaxed)
        counters.unsentBytes.wrappingSubtract(connection.output.count, ordering: .relaxed)
        connection.output.reset()
        connection.decoder.reset()
        handler.closed(connection)
    }

    // MARK: Timeouts

    /// Checks deadlines a few times per timeout period; a sweep of the loop's connections
    /// costs less than keeping a timer per connection.
    func scheduleSweep() {
        let timeouts = [configuration.readTimeout, configuration.writeTimeout].filter { $0 > 0 }
        guard let shortest = timeouts.min() else {
            return
        }
        let interval = max(shortest / 4, 5_000_000)
        loop.schedule(after: interval) {
            self.sweep()
            if !self.closingAll {
                self.scheduleSweep()
            }
        }
    }

    private func sweep() {
        let readTimeout = configuration.readTimeout
        let writeTimeout = configuration.writeTimeout
        for case let connection? in connections where connection.phase != .closed {
            if readTimeout > 0, wantsToRead(connection), connection.partialSince != 0,
                now - connection.partialSince >= readTimeout
            {
                counters.connectionsTimedOut.wrappingAdd(1, ordering: .relaxed)
                connection.phase = .closing
                requestFlush(connection)
            } else if writeTimeout > 0, connection.writeStalledSince != 0,
                now - connection.writeStalledSince >= writeTimeout
            {
                counters.connectionsTimedOut.wrappingAdd(1, ordering: .relaxed)
                connection.phase = .aborting
                requestFlush(connection)
            }
        }
    }
}
