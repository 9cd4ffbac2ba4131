import Wire

extension Records {
    /// Acts on deadlines that have come (a deadline equal to `now` has come), at most
    /// `limit` processes per call, earliest deadlines first; returns the changed processes
    /// as stored:
    /// - a running process past its `deadline` waits again, with `retries + 1` and a fresh
    ///   max-wait deadline, when `maxRetries` is -1 or `retries < maxRetries`; otherwise it
    ///   fails with `endedAt = now`. Its `attempt` stays, and the next assignment raises it;
    /// - a waiting process past its `waitDeadline` fails with `endedAt = now`.
    ///
    /// Call again while it returns `limit` processes; `ColonyStore.earliestDeadline()` says
    /// when the next one is due.
    public func sweep(now: Int64, limit: Int = 1000) throws(StoreError) -> [Process] {
        var changed: [Process] = []

        for id in try due(.runningByDeadline, now: now, limit: limit) {
            let old = try expected(id, .running)
            let retry = old.spec.maxRetries == -1 || Int64(old.retries) < Int64(old.spec.maxRetries)
            var p = retry ? Self.requeued(old, now: now) : Self.finished(old, .failed, now: now)
            if retry { p.retries = old.retries &+ 1 }
            try store(p, replacing: old)
            changed.append(p)
        }

        for id in try due(.waitingByDeadline, now: now, limit: limit - changed.count) {
            let old = try expected(id, .waiting)
            let p = Self.finished(old, .failed, now: now)
            try store(p, replacing: old)
            changed.append(p)
        }
        return changed
    }

    /// The ids of up to `limit` entries of a deadline index whose time is at most `now`.
    private func due(_ index: IndexName, now: Int64, limit: Int) throws(StoreError) -> [ID] {
        var ids: [ID] = []
        guard limit > 0 else { return ids }

        try txn.scan(db[index: index], prefix: []) { key, _ throws(StoreError) in
            guard let time = IndexKey.time(in: key, at: 0), let id = IndexKey.trailingID(key)
            else { throw .corrupt("\(index.rawValue) key of \(key.count) bytes") }
            guard time <= now else { return false }

            ids.append(id)
            return ids.count < limit
        }
        return ids
    }

    /// The process a deadline entry names, which its index says is in `state`.
    private func expected(_ id: ID, _ state: ProcessState) throws(StoreError) -> Process {
        guard let p = try lookup.process(id), p.state == state else {
            throw .corrupt("deadline entry names process \(id.hex), not \(state.name) as indexed")
        }
        return p
    }
}
